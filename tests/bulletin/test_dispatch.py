"""Work handed to a broker that is down waits in its row, and the periodic sweep hands it over
once the broker answers again: the one dispatcher (bulletin.dispatch) of jobs, PDF renderings,
email sends and large imports. The broker is a real Redis; "down" is an address where nothing
listens."""

import base64
import datetime
import json

import pytest
import redis
from django.utils import timezone

from bulletin.mailing.models import Delivery, Send
from bulletin.mailing.services.sending import send_create, sends_resume
from bulletin.models import Job
from bulletin.pdf.models import Rendering
from bulletin.pdf.services import rendering_request, renderings_sweep
from bulletin.services.jobs import job_enqueue, jobs_sweep
from bulletin.transfer.models import ImportRun
from bulletin.transfer.runs import import_run_create, import_runs_sweep
from tests.conftest import celery_broker
from tests.factories import BulletinFactory, IssueFactory, UserFactory, publish
from tests.mailing.factories import confirmed_subscribers

pytestmark = [pytest.mark.django_db, pytest.mark.redis]
DOWN = "redis://127.0.0.1:9/0"  # nothing listens there


@pytest.fixture
def broker(redis_url):
    """The real broker's queue, empty before and after the test."""
    queue = redis.Redis.from_url(redis_url)
    queue.delete("celery")
    yield queue
    queue.delete("celery")


def queued(broker) -> list[tuple[str, list]]:
    """The tasks waiting in the broker: each task's name and arguments."""
    messages = [json.loads(raw) for raw in broker.lrange("celery", 0, -1)]
    return [
        (message["headers"]["task"], json.loads(base64.b64decode(message["body"]))[0])
        for message in messages
    ]


def published_issue(bulletin, django_capture_on_commit_callbacks):
    """A published issue whose own outputs are never handed over (their callbacks dropped)."""
    with django_capture_on_commit_callbacks(execute=False):
        return publish(IssueFactory(bulletin=bulletin))


def test_a_job_waits_for_the_broker_then_the_sweep_hands_it_over(
    broker, redis_url, caplog, django_capture_on_commit_callbacks
):
    with celery_broker(DOWN), django_capture_on_commit_callbacks(execute=True) as callbacks:
        job = job_enqueue(name="web.invalidate", payload={})
    assert callbacks  # handed over after commit
    assert f"job {job.pk} not dispatched" in caplog.text
    job.refresh_from_db()
    assert (job.status, job.attempts) == (Job.Status.PENDING, 0)
    assert queued(broker) == []
    with celery_broker(redis_url):
        assert jobs_sweep() == 1
    assert queued(broker) == [("bulletin.tasks.job_run_task", [job.pk])]


def test_a_pdf_rendering_waits_for_the_broker_then_the_sweep_hands_it_over(
    broker, redis_url, caplog, django_capture_on_commit_callbacks
):
    issue = published_issue(BulletinFactory(), django_capture_on_commit_callbacks)
    with celery_broker(DOWN), django_capture_on_commit_callbacks(execute=True) as callbacks:
        rendering = rendering_request(issue_id=issue.pk)
    assert callbacks
    assert f"PDF rendering {rendering.pk} not dispatched" in caplog.text
    rendering.refresh_from_db()
    assert (rendering.status, rendering.attempts) == (Rendering.Status.PENDING, 0)
    assert queued(broker) == []
    with celery_broker(redis_url):
        assert renderings_sweep() == 1
    assert queued(broker) == [("bulletin.pdf.tasks.rendering_run_task", [rendering.pk])]


def test_an_email_send_waits_for_the_broker_then_the_resume_hands_it_over(
    broker, redis_url, caplog, settings, django_capture_on_commit_callbacks
):
    bulletin = BulletinFactory()
    confirmed_subscribers(bulletin, 3)
    issue = published_issue(bulletin, django_capture_on_commit_callbacks)
    with celery_broker(DOWN), django_capture_on_commit_callbacks(execute=True) as callbacks:
        send = send_create(issue=issue, user=None)
    assert callbacks
    assert f"send {send.pk} not dispatched" in caplog.text
    send.refresh_from_db()
    assert send.status == Send.Status.SENDING
    assert set(send.deliveries.values_list("status", flat=True)) == {Delivery.Status.QUEUED}
    assert queued(broker) == []
    stalled = timezone.now() + datetime.timedelta(seconds=settings.MAILING_STALL_AFTER + 1)
    with celery_broker(redis_url), django_capture_on_commit_callbacks(execute=True):
        assert sends_resume(now=stalled) == 1
    send.refresh_from_db()
    assert queued(broker) == [
        ("bulletin.mailing.tasks.send_process_task", [send.pk, send.generation])
    ]


def test_a_large_import_waits_for_the_broker_then_the_sweep_hands_it_over(
    broker, redis_url, caplog, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_ASYNC_BYTES = 10
    editor = UserFactory(roles=["Editor"])
    content = "一、最新法律与监管动态\n".encode() * 20
    with celery_broker(DOWN), django_capture_on_commit_callbacks(execute=True) as callbacks:
        run = import_run_create(user=editor, content=content, source="a.txt", is_json=False)
    assert callbacks
    assert f"import {run.pk} not dispatched" in caplog.text
    run.refresh_from_db()
    assert run.status == ImportRun.Status.PENDING
    with celery_broker(redis_url):
        assert import_runs_sweep() == 0  # its own task may still be on its way
        later = timezone.now() + datetime.timedelta(minutes=2)
        assert import_runs_sweep(now=later) == 1
    assert queued(broker) == [("bulletin.transfer.tasks.import_run_task", [run.pk])]
