"""Search in the public archive: Chinese and English words, marks, filters, the index, and
input that must never make it fail."""

import datetime
import re

import pytest

from tests.bulletin.archive.helpers import search, zh
from tests.factories import (
    EntryFactory,
    IssueFactory,
    SectionFactory,
    publish,
)

pytestmark = pytest.mark.django_db


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
    body = response.content.decode()
    assert "<script>alert(1)</script>" not in body
    if response.status_code == 200:  # the search page itself, with its form, not a blank page
        assert 'name="q"' in body


# Counts: exact when the planner expects at most SEARCH_EXACT_COUNT matches, estimated above;
# ranked up to SEARCH_RANK_LIMIT matches, newest first above; pages either way.


@pytest.fixture
def six_matches():
    """Six published entries with 版权, one a day, and a draft with it that nobody may find."""
    for day in range(1, 7):
        issue = IssueFactory(slug=f"d{day}", number=day)
        EntryFactory(section=SectionFactory(issue=issue), title=f"版权案 {day}")
        publish(issue, now=datetime.datetime(2024, 8, day, tzinfo=datetime.UTC))
    draft = IssueFactory(slug="draft", number=99)
    EntryFactory(section=SectionFactory(issue=draft), title="版权草稿")


def _titles(html):
    return re.findall(r"版权(?:</mark>)?案 (\d)", html)


def _search_en(client, **params):
    return client.get("/en/search/", params).content.decode()


def test_search_counts_a_small_result_exactly(client, six_matches):
    html = search(client, q="版权")
    assert "6 条结果" in html and "About" not in html
    assert sorted(_titles(html)) == ["1", "2", "3", "4", "5", "6"]
    assert "版权草稿" not in html.replace("<mark>", "").replace("</mark>", "")


def test_search_estimates_a_large_result_and_lists_it_newest_first(
    client, settings, monkeypatch, six_matches
):
    from bulletin import selectors

    settings.SEARCH_EXACT_COUNT = 0
    monkeypatch.setattr(selectors, "PAGE_SIZE", 4)
    first, second = _search_en(client, q="版权"), _search_en(client, q="版权", page="2")
    assert "About " in first and "results, newest first" in first and 'rel="next"' in first
    # An estimate names the page, not a last page it cannot know.
    assert "<span>Page 2</span>" in second and " of " not in second.split('class="pagination"')[1]
    assert _titles(first) == ["6", "5", "4", "3"] and _titles(second) == ["2", "1"]
    both = (first + second).replace("<mark>", "").replace("</mark>", "")
    assert "版权草稿" not in both
    assert client.get("/en/search/", {"q": "版权", "page": "3"}).status_code == 404


@pytest.mark.postgres
def test_search_says_more_than_what_it_counted_when_the_planner_expected_few(
    client, settings, monkeypatch
):
    from django.db import connection

    from bulletin import selectors

    # Two words always together: the planner, taking them as independent, expects fewer.
    issue = IssueFactory()
    section = SectionFactory(issue=issue)
    for n in range(6):
        EntryFactory(section=section, title=f"版权案 {n}", summary="<p>隐私。</p>")
    for n in range(10):
        EntryFactory(section=section, title=f"其他 {n}", summary="<p>税务。</p>")
    publish(issue)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE bulletin_publishedentry")
    settings.SEARCH_EXACT_COUNT = 3
    monkeypatch.setattr(selectors, "PAGE_SIZE", 2)
    html = _search_en(client, q="版权 隐私")
    assert "More than 3 results, newest first" in html and 'rel="next"' in html
    assert len(_titles(html)) == 2 and "其他" not in html
    settings.SEARCH_EXACT_COUNT = 6
    exact = _search_en(client, q="版权 隐私", page="1")
    assert "6 results" in exact and "<span>Page 1 of 3</span>" in exact


def test_search_shows_an_estimate_grouped_by_thousands():
    from bulletin import selectors

    assert selectors.SearchResults(None, 163_000, approximate=True).shown == "163,000"
    assert selectors.SearchResults(None, 1001, more_than=True).shown == "1,000"


def test_search_estimate_counts_at_least_the_rows_of_the_page_and_one_more(settings, six_matches):
    from bulletin import selectors

    filters = selectors.SearchFilters(q="版权")
    settings.SEARCH_EXACT_COUNT = 0
    results = selectors.entries_search(filters, reach=4)
    assert results.approximate and results.count() >= 5
    settings.SEARCH_EXACT_COUNT = 10
    results = selectors.entries_search(filters, reach=4)
    assert not results.approximate and results.count() == 6


def test_search_ranks_a_few_matches_and_lists_many_newest_first(client, settings):
    for day, title, summary in ((1, "旧的版权案", "版权" * 20), (2, "新的案件", "版权")):
        issue = IssueFactory(slug=f"r{day}", number=day)
        EntryFactory(section=SectionFactory(issue=issue), title=title, summary=f"<p>{summary}</p>")
        publish(issue, now=datetime.datetime(2024, 8, day, tzinfo=datetime.UTC))
    html = _search_en(client, q="版权")
    assert "2 results" in html and html.index("旧的") < html.index("新的案件")
    settings.SEARCH_RANK_LIMIT = 1
    html = _search_en(client, q="版权", page="1")
    assert "2 results" in html and html.index("新的案件") < html.index("旧的")


def test_search_page_reads_a_fixed_number_of_queries(
    client, settings, django_assert_max_num_queries, six_matches
):
    with django_assert_max_num_queries(20) as exact:
        assert "6 results" in _search_en(client, q="版权", kind="regulation")
    settings.SEARCH_EXACT_COUNT = 0
    with django_assert_max_num_queries(len(exact.captured_queries)):
        assert "About " in _search_en(client, q="版权", kind="regulation", page="1")


def test_search_within_dates_lists_many_matches_by_their_own_date(client, settings):
    issue = IssueFactory()
    section = SectionFactory(issue=issue)
    for day in (3, 9, 5):
        EntryFactory(
            section=section, title=f"版权案 {day}", published_on=datetime.date(2024, 8, day)
        )
    EntryFactory(section=section, title="版权案 7", published_on=datetime.date(2024, 7, 7))
    publish(issue)
    settings.SEARCH_EXACT_COUNT = 0
    html = _search_en(client, q="版权", **{"from": "2024-08-01", "to": "2024-08-31"})
    assert "About " in html and _titles(html) == ["9", "5", "3"]


def test_the_language_switch_keeps_the_search_and_drops_the_rest(client, six_matches):
    html = search(client, q="版权", kind="law", utm_source="mail", page="1")
    switch = re.search(r'<a href="([^"]+)" hreflang="en" lang="en">English</a>', html).group(1)
    assert switch.startswith("/en/search/?") and "q=%E7%89%88%E6%9D%83" in switch
    assert "kind=law" in switch and "page=1" in switch
    assert "utm_source" not in switch and "utm_source" not in html


def test_public_pages_answer_head_like_get(client, six_matches):
    for path in ("/search/?q=版权", "/en/search/", "/"):
        got, head = client.get(path), client.head(path)
        assert got.status_code == head.status_code == 200, path
        assert head["Content-Type"] == got["Content-Type"] and head.content == b""
