"""Publishing with a real Celery worker on the real Redis: the worker renders and stores the PDF;
a worker killed while rendering leaves the PDF to the next one soon after, and a live worker's
long rendering stays its own."""

import signal
import time

import pytest
import redis
from django.contrib.contenttypes.models import ContentType

from bulletin.pdf.files import pdf_storage
from bulletin.pdf.models import Rendering
from bulletin.pdf.services import renderings_sweep
from bulletin.services.jobs import jobs_sweep
from bulletin.services.publishing import issue_publish
from tests.conftest import (
    _needs_postgres,
    celery_broker,
    start_worker,
    stop_worker,
    wait_until,
    worker_env,
)
from tests.factories import EntryFactory, IssueFactory, SectionFactory, UserFactory, publish
from tests.pdf.builders import rich_issue

pytestmark = [pytest.mark.postgres, pytest.mark.redis]


def approved_issue():
    issue = IssueFactory(state="approved")
    EntryFactory(section=SectionFactory(issue=issue), state="approved")
    return issue


def done(issue) -> bool:
    return Rendering.objects.filter(issue=issue, status=Rendering.Status.DONE).exists()


def test_a_worker_renders_the_pdf_of_a_published_issue(celery_worker_process, redis_url):
    issue = approved_issue()
    with celery_broker(redis_url):
        issue_publish(issue=issue, user=UserFactory(roles=["Publisher"]))
        wait_until(lambda: done(issue), timeout=60)
    rendering = Rendering.objects.get(issue=issue)
    assert pdf_storage().exists(rendering.file_name)
    assert rendering.attempts == 1


def test_a_pdf_waits_in_the_database_while_the_broker_is_down(celery_worker_process, redis_url):
    issue = approved_issue()
    with celery_broker("redis://127.0.0.1:9/0"):  # nothing listens there
        issue_publish(issue=issue, user=UserFactory(roles=["Publisher"]))
    assert not Rendering.objects.filter(issue=issue).exists()
    with celery_broker(redis_url):
        assert jobs_sweep() >= 1
        wait_until(lambda: done(issue), timeout=60)
    assert pdf_storage().exists(Rendering.objects.get(issue=issue).file_name)


def big_issue():
    """An issue of several seconds of typesetting, in a database emptied by an earlier test."""
    ContentType.objects.clear_cache()  # the tags' content type has a new key after a flush
    return rich_issue(long_summaries=120)


def running(issue) -> bool:
    return Rendering.objects.filter(issue=issue, status=Rendering.Status.RUNNING).exists()


def swept_until_done(issue) -> bool:
    renderings_sweep()  # the periodic sweep, as Celery beat runs it
    return done(issue)


def test_a_rendering_whose_worker_was_killed_is_done_again_soon(
    redis_url, transactional_db, capsys, record_property, short_leases
):
    # The workers' heartbeat and this process's sweep on the tests' short lease (production's is
    # 30 s), and the sweep every half second (production's every 20 s): the rendering is taken
    # back once the lease of the dead worker has lapsed.
    _needs_postgres()
    redis.Redis.from_url(redis_url).delete("celery")
    issue = big_issue()
    worker = start_worker(worker_env(redis_url), "pdf-killed")
    try:
        with celery_broker(redis_url):
            publish(issue)
            wait_until(lambda: running(issue), timeout=60, interval=0.05)
            worker.send_signal(signal.SIGKILL)
            killed = time.monotonic()
            worker.wait()
            assert not done(issue)  # killed while rendering
            worker = start_worker(worker_env(redis_url), "pdf-second")
            wait_until(lambda: swept_until_done(issue), timeout=120, interval=0.5)
            recovery = time.monotonic() - killed
    finally:
        stop_worker(worker)
    record_property("recovery_seconds", round(recovery, 1))
    with capsys.disabled():
        print(
            f"\nPDF rendering done {recovery:.1f} s after SIGKILL of its worker "
            f"({short_leases} s lease)"
        )
    rendering = Rendering.objects.get(issue=issue)
    assert rendering.attempts == 2
    assert pdf_storage().exists(rendering.file_name)


def test_a_live_workers_rendering_that_outlasts_the_staleness_is_not_taken_away(
    redis_url, transactional_db, settings
):
    _needs_postgres()
    redis.Redis.from_url(redis_url).delete("celery")
    settings.PDF_RENDER_STALE_AFTER = 1  # the rendering takes several seconds
    issue = big_issue()
    worker = start_worker(worker_env(redis_url, PDF_RENDER_STALE_AFTER="1"), "pdf-slow")
    try:
        with celery_broker(redis_url):
            publish(issue)
            wait_until(lambda: running(issue), timeout=60, interval=0.05)
            wait_until(lambda: swept_until_done(issue), timeout=60, interval=0.2)
    finally:
        stop_worker(worker)
    rendering = Rendering.objects.get(issue=issue)
    assert rendering.attempts == 1
    assert (rendering.finished_at - rendering.started_at).total_seconds() > 1
    assert pdf_storage().exists(rendering.file_name)
