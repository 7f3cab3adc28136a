"""The public archive: pages, lists, search, feeds, SEO, languages, caching and bad input."""

import datetime
import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlparse

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from bulletin.models import PublishedEntry
from bulletin.services.workflow import issue_transition
from entries.models import Entry
from tests.factories import (
    AuthorFactory,
    BulletinFactory,
    CommentaryFactory,
    EntryFactory,
    EntryLinkFactory,
    IssueFactory,
    JurisdictionFactory,
    SectionFactory,
    UserFactory,
    publish,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()


@pytest.fixture(autouse=True)
def chinese(english):
    """Addresses built in these tests are the Chinese (default, unprefixed) ones."""
    with translation.override("zh-hans"):
        yield


def make_issue(entries=3, **kwargs):
    issue = IssueFactory(**kwargs)
    section = SectionFactory(issue=issue, position=1, title="最新法律与监管动态")
    made = []
    for n in range(entries):
        entry = EntryFactory(section=section, position=n + 1, title=f"条目 {n}", tags=["隐私"])
        EntryLinkFactory(entry=entry)
        CommentaryFactory(entry=entry)
        made.append(entry)
    return issue, made


def zh(name, *args, **kwargs):
    with translation.override("zh-hans"):
        return reverse(name, args=args, kwargs=kwargs)


# Pages


def test_home_shows_the_latest_issue_of_each_bulletin_with_its_contents(client):
    old, _ = make_issue(title="七月刊", slug="2024-07", month=7)
    publish(old, now=datetime.datetime(2024, 8, 5, tzinfo=datetime.UTC))
    new, entries = make_issue(title="八月刊", slug="2024-08")
    publish(new)
    other = BulletinFactory(slug="data-monthly", name="数据合规月刊")
    publish(make_issue(bulletin=other, title="数据八月刊", slug="2024-08")[0])
    html = client.get(zh("bulletin:home")).content.decode()
    # Whole titles, each between tags: "八月刊" alone is also inside "数据八月刊".
    assert re.search(r">\s*八月刊\s*<", html) and re.search(r">\s*数据八月刊\s*<", html)
    assert "七月刊" not in html
    assert entries[0].title in html


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
    assert '"@type": "Legislation"' in law_html
    assert "某法\\u003c/script>" in law_html
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


# Search


def search(client, **params):
    return client.get(zh("bulletin:search"), params).content.decode()


@pytest.fixture
def searchable():
    issue = IssueFactory()
    section = SectionFactory(issue=issue)
    EntryFactory(section=section, title="作品版权纠纷", summary="<p>著作权人起诉平台。</p>")
    EntryFactory(section=section, title="个人信息保护", summary="<p>涉及隐私与 GDPR 的合规。</p>")
    EntryFactory(
        section=section, title="欧盟法案生效", summary="<p>欧盟《人工智能法案》（AI Act）生效。</p>"
    )
    EntryFactory(section=section, title="OpenAI 发布新模型", summary="<p>深度合成内容需标识。</p>")
    EntryFactory(section=section, kind="industry", title="行业快讯", summary="<p>Act now.</p>")
    publish(issue)


@pytest.mark.parametrize(
    ("query", "expected", "absent"),
    [
        ("版权", "作品版权纠纷", "个人信息保护"),
        ("隐私", "个人信息保护", "作品版权纠纷"),
        ("深度", "OpenAI 发布新模型", "欧盟法案生效"),
        ("GDPR", "个人信息保护", "欧盟法案生效"),
        ("openai", "OpenAI 发布新模型", "作品版权纠纷"),
        ('"AI Act"', "欧盟法案生效", "行业快讯"),
        ("人工智能法案", "欧盟法案生效", "OpenAI 发布新模型"),
    ],
)
def test_search_finds_chinese_words_and_english_in_chinese_text(
    client, searchable, query, expected, absent
):
    html = search(client, q=query)
    assert expected in html.replace("<mark>", "").replace("</mark>", "")
    assert absent not in html.replace("<mark>", "").replace("</mark>", "")


def test_search_marks_the_matched_words(client, searchable):
    assert "<mark>版权</mark>" in search(client, q="版权")


def test_search_filters_by_kind(client, searchable):
    html = search(client, q="Act", kind="industry")
    assert "行业快讯" in html and "欧盟法案生效" not in html


def test_search_filters_by_date_range(client):
    issue = IssueFactory()
    section = SectionFactory(issue=issue)
    EntryFactory(section=section, title="七月的版权", published_on=datetime.date(2024, 7, 1))
    EntryFactory(section=section, title="八月的版权", published_on=datetime.date(2024, 8, 20))
    publish(issue)
    html = search(client, q="版权", **{"from": "2024-08-01", "to": "2024-08-31"})
    html = html.replace("<mark>", "").replace("</mark>", "")
    assert "八月的版权" in html and "七月的版权" not in html


@pytest.mark.postgres
def test_search_uses_the_index_on_postgresql(searchable):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT id FROM bulletin_publishedentry "
            "WHERE search_vector @@ to_tsquery('simple', %s)",
            ["('版权')"],
        )
        plan = " ".join(row[0] for row in cursor.fetchall())
        cursor.execute("SET enable_seqscan = on")
    assert "bulletin_publishedentry_search" in plan


# Nothing unpublished leaks

MARKER = "LEAKMARKER7Q"


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.links.append(value)


def test_nothing_unpublished_appears_on_any_public_page(client, django_capture_on_commit_callbacks):
    publisher = UserFactory(roles=["Publisher"])
    author = AuthorFactory(name=f"作者{MARKER}", slug=f"a-{MARKER.lower()}")
    # A published issue, with a correction in progress on one entry.
    issue, entries = make_issue(entries=3)
    publish(issue)
    with django_capture_on_commit_callbacks(execute=True):
        issue_transition(issue=issue, user=publisher, action="open_correction", comment="更正")
    Entry.objects.filter(pk=entries[0].pk).update(title=f"更正草稿 {MARKER}", state="draft")
    entry = Entry.objects.get(pk=entries[0].pk)
    entry.tags.add(f"标签{MARKER}")
    # A draft issue and a draft entry, and an issue that was published then withdrawn.
    draft, drafts = make_issue(entries=2, title=f"草稿期 {MARKER}", slug="draft")
    CommentaryFactory(
        entry=EntryFactory(section=drafts[0].section, title=f"草稿 {MARKER}"), authors=[author]
    )
    withdrawn, _ = make_issue(entries=1, title=f"撤回期 {MARKER}", slug="withdrawn", month=6)
    publish(withdrawn)
    with django_capture_on_commit_callbacks(execute=True):
        issue_transition(issue=withdrawn, user=publisher, action="withdraw", comment="撤回")

    found = client.get(zh("bulletin:search"), {"q": MARKER}).context["page"].paginator.count
    assert found == 0
    start = [
        zh("bulletin:home"),
        "/en/",
        "/robots.txt",
        "/sitemap.xml",
        f"/feeds/{issue.bulletin.slug}/",
        zh("bulletin:search") + "?q=条目",
        zh("bulletin:tag", f"标签{MARKER}"),
        zh("bulletin:author", f"a-{MARKER.lower()}"),
        zh("bulletin:entry_short", drafts[0].pk),
        zh("bulletin:entry_short", entries[0].pk),
    ]
    seen, queue = set(), list(start)
    while queue and len(seen) < 400:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url, follow=True)
        body = response.content.decode()
        assert MARKER not in body, url
        if "html" in response.get("Content-Type", "") or "xml" in response.get("Content-Type", ""):
            parser = Links()
            parser.feed(body)
            found = parser.links + re.findall(r"<loc>([^<]+)</loc>|<link href=\"([^\"]+)\"", body)
            for link in found:
                link = link if isinstance(link, str) else (link[0] or link[1])
                parsed = urlparse(urljoin("http://testserver" + url, link))
                if parsed.netloc in ("testserver", "127.0.0.1:8000") and not parsed.path.startswith(
                    ("/static/", "/admin/", "/media/")
                ):
                    queue.append(parsed.path + (f"?{parsed.query}" if parsed.query else ""))
    assert len(seen) > 20


# Caching and conditional requests


def test_anonymous_pages_are_cached_until_the_next_publication(
    client, django_capture_on_commit_callbacks
):
    issue, _ = make_issue(title="首期")
    publish(issue)
    assert "首期" in client.get(zh("bulletin:archive")).content.decode()
    second, _ = make_issue(title="第二期", slug="second", month=9)
    Entry.objects.filter(issue=second).update(state="approved")

    with django_capture_on_commit_callbacks(execute=True):
        publish(second)
    assert "第二期" in client.get(zh("bulletin:archive")).content.decode()


def test_cached_page_is_served_without_queries(client, django_assert_num_queries):
    issue, _ = make_issue()
    publish(issue)
    client.get(issue.get_absolute_url())
    with django_assert_num_queries(0):
        assert client.get(issue.get_absolute_url()).status_code == 200


def test_conditional_get_answers_304(client):
    issue, _ = make_issue()
    publish(issue)
    first = client.get(issue.get_absolute_url())
    assert first.has_header("ETag") and first.has_header("Last-Modified")
    again = client.get(issue.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


# Query counts


@pytest.mark.parametrize("path", ["issue", "search", "entry", "tag"])
def test_query_count_does_not_grow_with_entries(client, django_assert_max_num_queries, path):
    def url_for(entries):
        issue, made = make_issue(entries=entries, slug=f"n{entries}", month=entries % 12 + 1)
        publish(issue)
        cache.clear()
        return {
            "issue": issue.get_absolute_url(),
            "search": zh("bulletin:search") + "?q=条目",
            "entry": PublishedEntry.objects.get(entry_id=made[-1].pk).get_absolute_url(),
            "tag": zh("bulletin:tag", "隐私"),
        }[path]

    small = url_for(5)
    with django_assert_max_num_queries(20) as few:
        client.get(small)
    large = url_for(60)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(large).status_code == 200


# Languages


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


# Bad input


@pytest.mark.parametrize(
    "params",
    [
        {"q": "版" * 10_000},
        {"q": "'; DROP TABLE bulletin_issue; --"},
        {"q": "<script>alert(1)</script>"},
        {"q": "a & b | !c <-> d:*"},
        {"q": "\x00\x01"},
        {"kind": "nonsense"},
        {"tag": "不存在"},
        {"from": "2024-13-45"},
        {"page": "-1"},
        {"page": str(10**9)},
        {"page": "abc"},
    ],
)
def test_bad_search_input_never_fails(client, searchable, params):
    response = client.get(zh("bulletin:search"), params)
    assert response.status_code in (200, 400, 404)
    assert "<script>alert(1)</script>" not in response.content.decode()


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


def test_pages_are_served_when_the_cache_is_down(client, settings):
    issue, _ = make_issue()
    publish(issue)
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
        }
    }
    from django.core.cache import caches

    caches._settings = None
    try:
        assert client.get(issue.get_absolute_url()).status_code == 200
    finally:
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def test_unknown_query_parameters_are_not_cached(client, django_assert_max_num_queries):
    issue, _ = make_issue()
    publish(issue)
    client.get(issue.get_absolute_url())
    with django_assert_max_num_queries(0):
        client.get(issue.get_absolute_url())
    response = client.get(issue.get_absolute_url() + "?utm=1")
    assert response.status_code == 200
