"""A worker outlives its broker: Redis killed and started again while a worker, run as in
production, is in the middle of a send. The worker keeps running and takes new work, and the
send completes with exactly one message per subscriber."""

import pytest
from django.utils import timezone

from bulletin.mailing.models import Send
from bulletin.models import Job
from bulletin.pdf.models import Rendering
from bulletin.services.jobs import job_dispatch
from tests.conftest import celery_broker, wait_until
from tests.factories import BulletinFactory, IssueFactory, publish
from tests.mailing.conftest import PRODUCTION
from tests.mailing.factories import confirmed_subscribers
from tests.mailing.test_worker_kill import (
    LEASE,
    WORKER_ENV,
    assert_each_received_exactly_once,
    resumed_until_done,
)

pytestmark = [pytest.mark.postgres, pytest.mark.redis]


def _done(job: Job) -> bool:
    return Job.objects.get(pk=job.pk).status == Job.Status.DONE


def _other_work_left() -> bool:
    return (
        Job.objects.exclude(status=Job.Status.DONE).exists()
        or Rendering.objects.exclude(status=Rendering.Status.DONE).exists()
    )


def test_a_worker_mid_send_survives_its_broker_restarting(
    mail_workers, smtp_sink, private_redis, settings
):
    settings.MAILING_STALL_AFTER = 2
    settings.MAILING_CLAIM_LEASE = LEASE
    settings.BULLETIN_PUBLISH_OUTPUTS = ["mailing.send"]  # the send alone: no PDF to wait for
    bulletin = BulletinFactory()
    subscribers = confirmed_subscribers(bulletin, 400)
    # The worker as in production (child processes, gossip, mingle; the solo worker of the other
    # tests survived this already). 50 messages a second: the send task is still handing
    # messages over when the broker goes, alone (the other outputs of the publication are
    # done), while the worker waits for more.
    worker = mail_workers(
        options=PRODUCTION, CELERY_BROKER_URL=private_redis.url, MAILING_RATE="50", **WORKER_ENV
    )
    with celery_broker(private_redis.url):
        issue = publish(IssueFactory(bulletin=bulletin))
        wait_until(lambda: len(smtp_sink.received) >= 50 and not _other_work_left(), timeout=60)
        private_redis.restart(down=3)
        assert len(smtp_sink.received) < 400  # restarted in the middle
        send = Send.objects.get(issue=issue)
        wait_until(
            lambda: worker.poll() is not None or resumed_until_done(send.pk),
            timeout=90,
            interval=0.5,
        )
        assert worker.poll() is None
        # The worker is still there, taking new work from the broker it reconnected to (a
        # worker that gave up finishes its running task before it exits).
        job = Job.objects.create(name="web.invalidate", payload={}, run_after=timezone.now())
        assert job_dispatch(job_id=job.pk)
        wait_until(lambda: worker.poll() is not None or _done(job), timeout=30)
    assert worker.poll() is None
    assert _done(job)
    assert_each_received_exactly_once(smtp_sink, subscribers)
