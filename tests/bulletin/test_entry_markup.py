"""The markup of entries on the issue page and on their own page: headings in order, the firm's
commentary as a section under its heading, links that share a label under one term."""

import re

import pytest

from bulletin.models import PublishedEntry
from bulletin.templatetags.bulletin_tags import links_by_heading
from entries.models import EntryLink
from tests.factories import (
    CommentaryFactory,
    EntryFactory,
    EntryLinkFactory,
    IssueFactory,
    SectionFactory,
    publish,
)

pytestmark = pytest.mark.django_db


def test_links_sharing_a_label_are_grouped_under_it_in_order():
    links = [
        {"kind": "reference", "label": "", "url": "https://a.cn/1"},
        {"kind": "other", "label": "判决书", "url": "https://a.cn/2"},
        {"kind": "reference", "label": "", "url": "https://a.cn/3"},
    ]
    groups = links_by_heading(links)
    assert [(heading, [link["url"] for link in group]) for heading, group in groups] == [
        ("Reference link", ["https://a.cn/1", "https://a.cn/3"]),
        ("判决书", ["https://a.cn/2"]),
    ]


@pytest.fixture
def issue():
    issue = IssueFactory(editors_note="<p>本期导读。</p>")
    for section in (SectionFactory(issue=issue), SectionFactory(issue=issue)):
        entry = EntryFactory(section=section)
        CommentaryFactory(entry=entry)
        for _ in range(2):
            EntryLinkFactory(entry=entry, kind=EntryLink.Kind.REFERENCE)
    return publish(issue)


def _headings(html: str) -> list[int]:
    main = html.split('id="main"', 1)[1]
    return [int(level) for level in re.findall(r"<h([1-6])\b", main)]


def test_issue_page_headings_never_skip_a_level(client, issue):
    html = client.get(issue.get_absolute_url()).content.decode()
    levels = _headings(html)
    assert levels[0] == 1 and 3 in levels and 4 in levels
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), levels
    assert re.search(r'<section class="editors-note[^>]*><h2 id="editors-note-heading"[^>]*>', html)


def test_commentaries_are_sections_under_their_heading_not_same_named_asides(client, issue):
    html = client.get(issue.get_absolute_url()).content.decode()
    assert html.count('<section class="commentary">') == 2
    assert html.count('<h4 class="commentary__heading">本所短评</h4>') == 2
    assert "<aside" not in html.split('id="main"', 1)[1].split("</main>")[0]


def test_entry_page_puts_the_commentary_under_an_h2(client, issue):
    entry = PublishedEntry.objects.filter(issue=issue).first()
    html = client.get(entry.get_absolute_url()).content.decode()
    assert '<h2 class="commentary__heading">本所短评</h2>' in html
    levels = _headings(html)
    assert levels[0] == 1 and all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False))


def test_links_of_one_kind_share_one_term(client, issue):
    entry = PublishedEntry.objects.filter(issue=issue).first()
    html = client.get(entry.get_absolute_url()).content.decode()  # /en/: the English labels
    meta = re.search(r'<dl class="entry-meta">.*?</dl>', html, re.S).group()
    assert meta.count("<dt>Reference link</dt>") == 1
    assert meta.count('<dd><a class="url"') == 2
