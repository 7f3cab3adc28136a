"""The public archive's pages: home, archive, issue, entry, lists, authors, languages and
the addresses that do not exist."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import translation

from bulletin.caching import public_cache_drop
from bulletin.models import Bulletin, Issue, PublishedEntry
from entries.models import Entry
from tests.bulletin.archive.helpers import make_issue, zh
from tests.factories import (
    AuthorFactory,
    BulletinFactory,
    CommentaryFactory,
    EntryFactory,
    IssueFactory,
    JurisdictionFactory,
    SectionFactory,
    publish,
)

pytestmark = pytest.mark.django_db


def test_home_leads_with_the_latest_issue_and_lists_the_earlier_ones_by_title(client):
    old, _ = make_issue(title="七月刊", slug="2024-07", month=7)
    publish(old, now=datetime.datetime(2024, 8, 5, tzinfo=datetime.UTC))
    new, entries = make_issue(title="八月刊", slug="2024-08")
    publish(new, now=datetime.datetime(2024, 9, 5, tzinfo=datetime.UTC))
    other = BulletinFactory(slug="data-monthly", name="数据合规月刊")
    other_issue, other_entries = make_issue(bulletin=other, title="数据八月刊", slug="2024-08")
    publish(other_issue, now=datetime.datetime(2024, 9, 6, tzinfo=datetime.UTC))
    html = client.get(zh("bulletin:home")).content.decode()
    # A title's last two characters are kept on one line by a span: read the words.
    html = re.sub(r'<span class="nowrap">(.*?)</span>', r"\1", html)
    lead, earlier = html.split('id="earlier-heading"')
    # Whole titles, each between tags: "八月刊" alone is also inside "数据八月刊".
    assert re.search(r">\s*数据八月刊\s*<", lead)
    assert f'href="/entries/{other_entries[0].pk}/' in lead
    assert re.search(r">\s*八月刊\s*<", earlier) and "七月刊" in earlier
    assert f'href="/entries/{entries[0].pk}/' not in html  # earlier issues by their titles only


def test_archive_lists_issues_by_bulletin_and_year(client):
    publish(make_issue(title="二〇二三年十二月刊", slug="2023-12", year=2023, month=12)[0])
    publish(make_issue(title="二〇二四年八月刊", slug="2024-08")[0])
    html = client.get(zh("bulletin:archive")).content.decode()
    assert html.index("2024") < html.index("二〇二四年八月刊") < html.index("2023")


def test_entry_page_has_a_stable_address_that_survives_a_title_edit(client):
    issue, entries = make_issue()
    publish(issue)
    entry = PublishedEntry.objects.get(entry_id=entries[1].pk)
    url = entry.get_absolute_url()
    assert client.get(url).status_code == 200
    response = client.get(zh("bulletin:entry_short", entries[1].pk))
    assert response.status_code == 301 and response["Location"] == url
    response = client.get(zh("bulletin:entry", entries[1].pk, "old-title"))
    assert response.status_code == 301 and response["Location"] == url


def test_entry_page_shows_its_issue_neighbours_and_related_entries(client):
    issue, entries = make_issue(entries=3)
    other, others = make_issue(entries=1, slug="2024-07", month=7)
    publish(issue)
    publish(other)
    entry = PublishedEntry.objects.get(entry_id=entries[1].pk)
    html = client.get(entry.get_absolute_url()).content.decode()
    assert 'rel="prev"' in html and entries[0].title in html
    assert 'rel="next"' in html and entries[2].title in html
    assert others[0].title in html.split('id="related-heading"')[1]


def test_entry_page_has_json_ld_open_graph_and_canonical(client):
    issue = IssueFactory()
    law = EntryFactory(
        section=SectionFactory(issue=issue), kind=Entry.Kind.LAW, title="某法</script>"
    )
    case = EntryFactory(section=law.section, case=True)
    publish(issue)
    law_html = client.get(PublishedEntry.objects.get(entry_id=law.pk).get_absolute_url()).content
    law_html = law_html.decode()
    assert '"@type": "Legislation"' in law_html  # what the law entry is about
    assert "某法\\u003c/script\\u003e" in law_html  # > is escaped as well as <
    assert '<meta property="og:title" content="某法&lt;/script&gt;">' in law_html
    assert '<link rel="canonical" href="http' in law_html
    case_url = PublishedEntry.objects.get(entry_id=case.pk).get_absolute_url()
    assert '"@type": "NewsArticle"' in client.get(case_url).content.decode()


@pytest.mark.parametrize("kind", Entry.Kind.values)
def test_lists_by_kind(client, kind):
    issue = IssueFactory()
    EntryFactory(
        section=SectionFactory(issue=issue), kind=kind, title=f"种类 {kind}", case_caption="A v. B"
    )
    publish(issue)
    assert f"种类 {kind}" in client.get(zh("bulletin:kind", kind)).content.decode()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_kind_page_is_titled_as_the_menu_names_it(client, language):
    section = SectionFactory(issue=IssueFactory())
    for n, kind in enumerate(Entry.Kind.values, 1):
        EntryFactory(section=section, position=n, kind=kind, case_caption="A v. B")
    publish(section.issue)
    with translation.override(language):
        paths = [reverse("bulletin:kind", args=[kind]) for kind in Entry.Kind.values]
    headings = []
    for path in paths:
        page = client.get(path).content.decode()
        [menu] = re.findall(rf'<a href="{re.escape(path)}">([^<]+)</a>', page)
        [heading] = re.findall(r"<h1>([^<]+)</h1>", page)
        title = re.search(r"<title>([^<·]+) ·", page).group(1).strip()
        headings.append(heading)
        assert heading == menu == title, path
    expected = {"zh-hans": ["法律", "法规与监管", "案件", "行业动态"]}
    assert headings == expected.get(language, ["Laws", "Regulation", "Cases", "Industry"])


def test_lists_by_tag_and_jurisdiction(client):
    place = JurisdictionFactory(code="eu", name="欧盟")
    issue = IssueFactory()
    EntryFactory(
        section=SectionFactory(issue=issue), title="欧盟条目", tags=["版权"], jurisdictions=[place]
    )
    publish(issue)
    assert "欧盟条目" in client.get(zh("bulletin:tag", "版权")).content.decode()
    assert "欧盟条目" in client.get(zh("bulletin:jurisdiction", "eu")).content.decode()


def test_author_page_shows_the_profile_and_published_commentaries(client):
    author = AuthorFactory(name="林青山", practice_areas="知识产权、数据合规", slug="lin")
    issue = IssueFactory()
    entry = EntryFactory(section=SectionFactory(issue=issue), title="有短评的条目")
    CommentaryFactory(entry=entry, authors=[author])
    publish(issue)
    html = client.get(zh("bulletin:author", "lin")).content.decode()
    assert "林青山" in html and "知识产权、数据合规" in html and "有短评的条目" in html


def test_author_known_only_from_drafts_has_no_public_page(client):
    author = AuthorFactory(slug="draft-only")
    CommentaryFactory(authors=[author])
    assert client.get(zh("bulletin:author", "draft-only")).status_code == 404


def test_english_pages_live_under_en_with_english_dates(client):
    issue, _ = make_issue()
    publish(issue, now=datetime.datetime(2024, 8, 1, 4, tzinfo=datetime.UTC))
    with translation.override("en"):
        english = client.get(issue.get_absolute_url()).content.decode()
    chinese = client.get(
        zh("bulletin:issue", bulletin=issue.bulletin.slug, slug=issue.slug)
    ).content
    assert '<html lang="en">' in english and "1 August 2024" in english
    assert '<html lang="zh-hans">' in chinese.decode() and "2024 年 8 月 1 日" in chinese.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/entries/999999/",
        "/entries/abc/",
        "/kinds/nonsense/",
        "/tags/%00/",
        "/jurisdictions/<x>/",
        "/authors/..%2F..%2Fetc/",
        "/no-such-bulletin/no-such-issue/",
        "/preview/issue/1/",
    ],
)
def test_malformed_addresses_are_not_found(client, path):
    assert client.get(path).status_code in (400, 404)


def test_a_tag_with_a_slash_has_a_page(client):
    issue = IssueFactory()
    EntryFactory(section=SectionFactory(issue=issue), title="机器学习条目", tags=["AI/ML"])
    publish(issue)
    assert client.get(issue.get_absolute_url()).status_code == 200
    assert "机器学习条目" in client.get(zh("bulletin:tag", "AI/ML")).content.decode()


def test_an_entry_pages_commentary_heading_is_the_published_one(client, settings):
    settings.BULLETIN_PUBLISH_OUTPUTS = ["web.invalidate"]  # rendered, not stored pages
    issue = IssueFactory(commentary_label="往期短评")
    entry = EntryFactory(section=SectionFactory(issue=issue), title="带短评的条目")
    CommentaryFactory(entry=entry, body="<p>本所认为值得关注。</p>")
    publish(issue)
    url = PublishedEntry.objects.get(entry_id=entry.pk).get_absolute_url()
    Issue.objects.filter(pk=issue.pk).update(commentary_label="未发布的新标签")
    Bulletin.objects.filter(pk=issue.bulletin_id).update(commentary_label="书刊的新标签")
    public_cache_drop()
    page = client.get(url).content.decode()
    assert "往期短评" in page and "本所认为值得关注。" in page
    assert "未发布的新标签" not in page and "书刊的新标签" not in page
