"""Search reads plain-text fields as text and rich-text fields as HTML."""

import pytest

from tests.factories import CommentaryFactory, EntryFactory, IssueFactory, SectionFactory, publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive():
    issue = IssueFactory()
    entry = EntryFactory(
        section=SectionFactory(issue=issue),
        title="Court weighs <Sandbox> rules & <b>bold</b> claims",
        source="Example <Gazette>",
        summary="<p>The <em>regulator</em> &amp; the court.</p>",
    )
    CommentaryFactory(entry=entry, body="<p>Firm view on <strong>liability</strong>.</p>")
    publish(issue)
    return entry


@pytest.mark.parametrize("query", ["sandbox", "Gazette", "bold", "regulator", "liability"])
def test_words_between_angle_brackets_in_plain_text_are_found(client, archive, query):
    html = client.get("/search/", {"q": query}).content.decode()
    assert "Court weighs &lt;" in html  # the entry is found, its title shown as text


def test_html_entities_in_rich_text_are_searched_as_text(client, archive):
    html = client.get("/search/", {"q": "amp"}).content.decode()
    assert "Court weighs" not in html
    assert 'value="amp"' in html
