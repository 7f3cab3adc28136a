"""Two Celery workers at once, as on two machines, on one publication: one send to every
subscriber and one PDF rendering, each done once, however often the jobs are handed over."""

import pytest

from bulletin.mailing.models import Send
from bulletin.models import Job
from bulletin.pdf.files import pdf_storage
from bulletin.pdf.models import Rendering
from bulletin.services.jobs import job_dispatch, jobs_sweep
from tests.conftest import celery_broker, wait_until
from tests.factories import (
    BulletinFactory,
    CommentaryFactory,
    EntryFactory,
    IssueFactory,
    SectionFactory,
    publish,
)
from tests.mailing.factories import confirmed_subscribers
from tests.mailing.test_worker_kill import WORKER_ENV, assert_each_received_exactly_once

pytestmark = [pytest.mark.postgres, pytest.mark.redis]


def test_two_workers_send_once_and_render_once(mail_workers, smtp_sink, redis_url):
    bulletin = BulletinFactory()
    subscribers = confirmed_subscribers(bulletin, 300)
    workers = [mail_workers(**WORKER_ENV, MAILING_TASK_BUDGET="1") for _ in range(2)]
    issue = IssueFactory(bulletin=bulletin)
    CommentaryFactory(entry=EntryFactory(section=SectionFactory(issue=issue)))
    with celery_broker(redis_url):
        publish(issue)
        # Every job is handed over again and again: both workers get copies of each.
        for _ in range(3):
            for job in Job.objects.all():
                job_dispatch(job_id=job.pk)
            jobs_sweep()
        wait_until(
            lambda: (
                Send.objects.filter(issue=issue, status=Send.Status.DONE).exists()
                and Rendering.objects.filter(issue=issue, status=Rendering.Status.DONE).exists()
                and not Job.objects.exclude(status=Job.Status.DONE).exists()
            ),
            timeout=120,
            interval=0.5,
        )
    assert all(worker.poll() is None for worker in workers)
    assert Send.objects.filter(issue=issue).count() == 1
    assert_each_received_exactly_once(smtp_sink, subscribers)
    rendering = Rendering.objects.get(issue=issue)
    assert rendering.attempts == 1 and pdf_storage().exists(rendering.file_name)
    assert Job.objects.get(name="pdf.render").attempts == 1
