"""The feed under /en/: each issue's English edition where there is one (its titles, the
untranslated entries marked), else the Chinese issue marked untranslated; every text escaped
(feed readers do not apply our CSP), checked through feedparser."""

import feedparser
import pytest

from bulletin.models import Bulletin
from bulletin.services.editions import issue_publish_edition
from bulletin.translation.services import translation_save
from tests.editions.test_editions import _approve
from tests.factories import EntryFactory, IssueFactory, SectionFactory, publish

pytestmark = pytest.mark.django_db
HOSTILE = "<script>alert('x')</script> & <b>Bold</b> Rules"


@pytest.fixture(autouse=True)
def web_outputs_only(settings):
    settings.BULLETIN_PUBLISH_OUTPUTS = ["web.invalidate"]
    settings.BULLETIN_EDITION_OUTPUTS = []


@pytest.fixture
def issues(people, django_capture_on_commit_callbacks):
    """Two published issues of one bulletin: the older with an English edition (its first entry
    translated, with hostile text, the second not), the newer in Chinese only."""
    older = IssueFactory(slug="2024-08", title="八月刊")
    section = SectionFactory(issue=older, title="法规动态")
    first = EntryFactory(section=section, position=1, title="生成式人工智能办法")
    EntryFactory(section=section, position=2, title="算法备案新规")
    newer = IssueFactory(bulletin=older.bulletin, slug="2024-09", title="九月刊")
    EntryFactory(section=SectionFactory(issue=newer, title="案例"), title="深度合成案")
    with django_capture_on_commit_callbacks(execute=True):
        publish(older)
        publish(newer)
        _approve(older, {"title": "August <Issue> & More"}, people)
        _approve(first, {"title": HOSTILE}, people)
        issue_publish_edition(issue=older, user=people["publisher"], language="en")
    return older, newer


def _feed(client, path):
    response = client.get(path)
    assert response.status_code == 200
    return response.content, feedparser.parse(response.content)


def test_the_english_feed_lists_each_issue_in_its_english_edition_or_marked(client, issues):
    older, newer = issues
    raw, feed = _feed(client, f"/en/feeds/{older.bulletin.slug}/")
    assert feed.bozo == 0, feed.get("bozo_exception")
    items = {item.id.rpartition("/")[2]: item for item in feed.entries}
    english, chinese = items[str(older.pk)], items[str(newer.pk)]
    assert english.title == "August <Issue> & More"
    assert "Bold&lt;/b&gt; Rules" in english.summary  # the translated entry title
    assert "算法备案新规 (Not yet translated)" in english.summary
    assert "生成式人工智能办法" not in english.summary
    assert chinese.title == "九月刊 (Not yet translated)"
    assert "This issue has no English edition yet." in chinese.summary
    assert "深度合成案" in chinese.summary
    assert b"<script" not in raw


def test_the_chinese_feed_is_unchanged_by_an_edition(client, issues):
    older, newer = issues
    _raw, feed = _feed(client, f"/feeds/{older.bulletin.slug}/")
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert [item.title for item in feed.entries] == ["九月刊", "八月刊"]
    assert "生成式人工智能办法" in feed.entries[1].summary
    assert "Not yet translated" not in feed.entries[0].summary + feed.entries[1].summary


def test_hostile_english_text_is_escaped_in_the_feed(client, issues):
    older, _newer = issues
    raw, feed = _feed(client, f"/en/feeds/{older.bulletin.slug}/")
    # The summary is HTML (type="html"): the title's markup is text in it, escaped twice in the
    # XML; the issue title is text (type="text"), escaped once.
    assert b"&amp;lt;script&amp;gt;alert(" in raw and b"&amp;lt;b&amp;gt;Bold" in raw
    assert b"August &lt;Issue&gt; &amp; More" in raw
    item = next(i for i in feed.entries if i.title.startswith("August"))
    assert "&lt;script&gt;alert(" in item.summary  # shown, never run
    assert "<script" not in item.summary and "<b>" not in item.summary


def test_the_english_feed_reads_its_issues_in_a_fixed_number_of_queries(
    client, issues, django_assert_max_num_queries
):
    older, _newer = issues
    # The bulletin, the publications, their editions (and a savepoint around the request).
    # The bulletin, the publications, their editions, the bulletin's approved translation (and a
    # savepoint around the request).
    with django_assert_max_num_queries(6):
        client.get(f"/en/feeds/{older.bulletin.slug}/")


DESCRIPTION = "人工智能领域的法规、案例与行业动态。"


def test_the_english_feeds_header_is_the_chinese_marked_until_translated(client, issues):
    older, _newer = issues
    Bulletin.objects.filter(pk=older.bulletin_id).update(description=DESCRIPTION)
    _raw, feed = _feed(client, f"/en/feeds/{older.bulletin.slug}/")
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.feed.title == "人工智能法律月刊 (Not yet translated)"
    assert feed.feed.subtitle == f"{DESCRIPTION} (Not yet translated)"
    assert feed.feed.language == "en" and len(feed.entries) == 2
    _raw, chinese = _feed(client, f"/feeds/{older.bulletin.slug}/")
    assert chinese.feed.title == "人工智能法律月刊" and chinese.feed.subtitle == DESCRIPTION


def test_the_english_feeds_header_reads_the_approved_bulletin_translation(client, issues, people):
    older, _newer = issues
    Bulletin.objects.filter(pk=older.bulletin_id).update(description=DESCRIPTION)
    bulletin = Bulletin.objects.get(pk=older.bulletin_id)
    _approve(bulletin, {"name": "AI Law <Monthly> & Co", "description": HOSTILE}, people)
    raw, feed = _feed(client, f"/en/feeds/{bulletin.slug}/")
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.feed.title == "AI Law <Monthly> & Co"  # text: shown as written
    assert feed.feed.subtitle == HOSTILE
    assert b"AI Law &lt;Monthly&gt; &amp; Co" in raw and b"<script" not in raw
    assert "Not yet translated" not in feed.feed.title + feed.feed.subtitle
    assert feed.entries[1].title == "August <Issue> & More"
    _raw, chinese = _feed(client, f"/feeds/{bulletin.slug}/")
    assert chinese.feed.title == "人工智能法律月刊" and chinese.feed.subtitle == DESCRIPTION


def test_the_english_feed_keeps_the_latest_editions_name_when_its_translation_is_reopened(
    client, issues, people, django_capture_on_commit_callbacks
):
    older, _newer = issues
    Bulletin.objects.filter(pk=older.bulletin_id).update(description=DESCRIPTION)
    bulletin = Bulletin.objects.get(pk=older.bulletin_id)
    row = _approve(bulletin, {"name": "AI Law Monthly"}, people)
    with django_capture_on_commit_callbacks(execute=True):
        issue_publish_edition(issue=older, user=people["publisher"], language="en")
    translation_save(  # back to a draft: no longer approved
        subject=bulletin,
        language="en",
        texts={"name": "AI Law Monthly (draft)", "description": "A draft."},
        user=people["translator"],
        version=row.version,
    )
    _raw, feed = _feed(client, f"/en/feeds/{bulletin.slug}/")
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.feed.title == "AI Law Monthly"  # as the latest edition published it
    assert feed.feed.subtitle == f"{DESCRIPTION} (Not yet translated)"
    assert "draft" not in feed.feed.title
