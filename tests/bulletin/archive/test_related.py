"""The related entries of an entry page: the most shared tags and jurisdictions first, then the
most recent, chosen among the latest entries of each of the entry's tags and jurisdictions."""

import datetime
import itertools

import pytest

from bulletin import selectors
from bulletin.models import PublishedEntry
from tests.factories import (
    EntryFactory,
    IssueFactory,
    JurisdictionFactory,
    SectionFactory,
    publish,
)

pytestmark = pytest.mark.django_db
_slugs = itertools.count()


def _published(title, *, day, tags=(), places=(), month=8):
    issue = IssueFactory(slug=f"i-{next(_slugs)}", month=month)
    EntryFactory(section=SectionFactory(issue=issue), title=title, tags=list(tags),
                 jurisdictions=list(places))  # fmt: skip
    publish(issue, now=datetime.datetime(2024, month, day, tzinfo=datetime.UTC))
    return PublishedEntry.objects.get(title=title)


def _related_titles(entry):
    return [e.title for e in selectors.entries_related(entry)]


def test_related_entries_share_the_most_first_then_the_newest():
    eu = JurisdictionFactory(code="eu", name="欧盟")
    entry = _published("本条", day=1, tags=["版权", "隐私"], places=[eu])
    _published("两项相同", day=2, tags=["版权", "隐私"])
    _published("一个标签", day=3, tags=["隐私"])
    _published("同一法域", day=4, places=[eu])
    _published("毫不相干", day=5, tags=["税务"])
    assert _related_titles(entry) == ["两项相同", "同一法域", "一个标签"]


def test_related_entries_include_entries_published_later():
    entry = _published("早先", day=1, tags=["版权"])
    assert _related_titles(entry) == []
    _published("后来", day=20, tags=["版权"])
    assert _related_titles(entry) == ["后来"]


def test_related_entries_never_include_an_unpublished_entry(client):
    entry = _published("本条", day=1, tags=["版权"])
    _published("已发布", day=2, tags=["版权"])
    draft = IssueFactory(slug="draft", month=9)
    EntryFactory(section=SectionFactory(issue=draft), title="草稿条目", tags=["版权"])
    html = client.get(entry.get_absolute_url()).content.decode()
    related = html.split('id="related-heading"')[1]
    assert "已发布" in related and "草稿条目" not in related


def test_related_entries_come_from_the_latest_entries_of_each_tag(settings):
    entry = _published("本条", day=1, tags=["版权"])
    _published("旧的", day=2, tags=["版权"])
    for day in (3, 4, 5):
        _published(f"新的 {day}", day=day, tags=["版权"])
    assert _related_titles(entry) == ["新的 5", "新的 4", "新的 3", "旧的"]
    settings.RELATED_ENTRIES_WINDOW = 3
    assert _related_titles(entry) == ["新的 5", "新的 4", "新的 3"]


def test_related_entries_read_a_fixed_number_of_queries(django_assert_num_queries):
    eu = JurisdictionFactory(code="eu", name="欧盟")
    entry = _published("本条", day=1, tags=["版权", "隐私", "数据"], places=[eu])
    for day in range(2, 12):
        _published(f"其他 {day}", day=day, tags=["版权", "数据"], places=[eu])
    with django_assert_num_queries(2):
        assert len(selectors.entries_related(entry)) == 5
