"""A send is split among the workers: one task chain per worker process counted in the shared
cache, no more than the send has batches, MAILING_LANES when it is set."""

import pytest

from bulletin import dispatch
from bulletin.dispatch import WorkerCount, worker_slots
from bulletin.mailing.models import Send
from bulletin.mailing.services.sending import send_create, send_lanes
from tests.conftest import celery_broker
from tests.factories import BulletinFactory, IssueFactory, publish
from tests.mailing.factories import confirmed_subscribers

pytestmark = [pytest.mark.django_db, pytest.mark.redis]


@pytest.fixture
def broker(redis_url, monkeypatch):
    """Tasks go to the real Redis rather than running in this process; the workers' count in
    windows of an hour, apart from those of any real worker (10 s), and never rolling over
    in the middle of a test."""
    monkeypatch.setattr(dispatch, "WORKER_WINDOW", 3600)
    with celery_broker(redis_url):
        yield


@pytest.fixture
def counted_workers(broker):
    """Workers as they count themselves: a prefork worker of 2 processes and a solo one."""
    counts = [WorkerCount(2), WorkerCount(1)]
    for count in counts:
        count.add()
    yield
    for count in counts:
        count.remove()


def held_send(count: int, settings) -> Send:
    settings.MAILING_HOLD_NEW_SENDS = True  # paused: no chain starts
    settings.BULLETIN_PUBLISH_OUTPUTS = []
    bulletin = BulletinFactory()
    confirmed_subscribers(bulletin, count)
    return send_create(issue=publish(IssueFactory(bulletin=bulletin)), user=None)


def test_each_worker_process_counted_gets_a_chain_of_the_send(counted_workers, settings):
    settings.MAILING_BATCH_SIZE, settings.MAILING_RATE = 10, 0
    assert worker_slots() == 3
    assert send_lanes(send_id=held_send(200, settings).pk) == 3


def test_a_small_send_gets_no_more_chains_than_batches(counted_workers, settings):
    settings.MAILING_BATCH_SIZE, settings.MAILING_RATE = 10, 0
    assert send_lanes(send_id=held_send(15, settings).pk) == 2


def test_mailing_lanes_overrides_the_count(counted_workers, settings):
    settings.MAILING_BATCH_SIZE, settings.MAILING_RATE, settings.MAILING_LANES = 10, 0, 7
    assert send_lanes(send_id=held_send(200, settings).pk) == 7


def test_a_worker_that_stops_leaves_the_count(counted_workers):
    count = WorkerCount(4)
    count.add()
    assert worker_slots() == 7
    count.remove()
    assert worker_slots() == 3


def test_with_no_worker_counted_a_send_runs_one_chain(settings):
    settings.MAILING_BATCH_SIZE, settings.MAILING_RATE = 10, 0
    assert worker_slots() == 0  # tasks run in this process
    assert send_lanes(send_id=held_send(200, settings).pk) == 1
