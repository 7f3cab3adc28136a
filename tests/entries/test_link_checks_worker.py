"""The checks an entry save asks for, run by a real Celery worker process (on the real Redis
and this test's database) against a local server: the outbox hands them over after the commit,
and each host's limit holds across the worker's requests."""

import pytest
import redis

from bulletin.services.entries import entry_save
from entries.models import LinkCheck
from tests.conftest import celery_broker, start_worker, stop_worker, wait_until, worker_env
from tests.factories import EntryFactory, EntryLinkFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
O = LinkCheck.Outcome  # noqa: E741


def _postgres_only():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: a worker process cannot see an in-memory SQLite database")


@pytest.fixture
def link_worker(redis_url, allowed_server):
    """A worker that may reach the test's server (LINK_FETCH_ALLOW comes from its environment)."""
    _postgres_only()
    redis.Redis.from_url(redis_url).delete("celery")
    worker = start_worker(worker_env(redis_url, LINK_FETCH_ALLOW=allowed_server.netloc), "links")
    yield worker
    stop_worker(worker)


@pytest.fixture
def two_link_workers(redis_url, allowed_server):
    """Two workers, as on two machines, allowed one request at a time per host between them."""
    _postgres_only()
    redis.Redis.from_url(redis_url).delete("celery")
    env = worker_env(
        redis_url, LINK_FETCH_ALLOW=allowed_server.netloc, LINK_FETCH_HOST_CONCURRENCY="1"
    )
    workers = [start_worker(env, f"links{n}") for n in (1, 2)]
    yield workers
    for worker in workers:
        stop_worker(worker)


def test_worker_checks_the_links_of_a_saved_entry(link_worker, redis_url, allowed_server):
    author = UserFactory(username="author", roles=["Author"])
    entry = EntryFactory(created_by=author, last_edited_by=author)
    paths = ["/ok", "/moved", "/gone", "/missing", "/nohead", "/pdf"]
    for path in paths:
        EntryLinkFactory(entry=entry, url=allowed_server.url(path))
    with celery_broker(redis_url):
        entry_save(entry=entry, user=author)
        wait_until(lambda: LinkCheck.objects.count() == len(paths), timeout=60)
    latest = LinkCheck.objects.latest_for([allowed_server.url(p) for p in paths])
    outcomes = [latest[allowed_server.url(p)].outcome for p in paths]
    assert outcomes == [O.OK, O.REDIRECTED, O.BROKEN, O.BROKEN, O.OK, O.OK]
    assert latest[allowed_server.url("/nohead")].method == "GET"


def test_two_workers_keep_to_one_request_at_a_time_per_host(
    two_link_workers, redis_url, allowed_server
):
    author = UserFactory(username="author", roles=["Author"])
    entry = EntryFactory(created_by=author, last_edited_by=author)
    urls = [allowed_server.url(f"/slow?s=0.4&n={n}") for n in range(6)]
    for url in urls:
        EntryLinkFactory(entry=entry, url=url)
    with celery_broker(redis_url):
        entry_save(entry=entry, user=author)
        wait_until(lambda: LinkCheck.objects.count() == len(urls), timeout=90)
    assert {check.outcome for check in LinkCheck.objects.all()} == {O.OK}
    assert len(allowed_server.requests) == 12  # HEAD, then GET for the title
    assert allowed_server.most_in_flight == 1
