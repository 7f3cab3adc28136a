"""Public pages are cached until the next publication, answer conditional requests, keep
their query count flat as issues grow, and are still served when the cache is down."""

import pytest
from django.core.cache import cache

from bulletin.models import PublishedEntry
from entries.models import Entry
from tests.bulletin.archive.helpers import make_issue, zh
from tests.factories import (
    publish,
)

pytestmark = pytest.mark.django_db


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
        response = client.get(issue.get_absolute_url())
        assert response.status_code == 200
        assert issue.title in response.content.decode()
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
    assert issue.title in response.content.decode()
