"""Search in the public archive: Chinese and English words, marks, filters, the index, and
input that must never make it fail."""

import datetime

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
