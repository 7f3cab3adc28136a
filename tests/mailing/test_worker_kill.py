"""Exactly once, with real Celery workers on real Redis and real SMTP: a worker killed with
SIGKILL in the middle of a send, and the broker restarted empty, leave nobody out and nobody
twice. At most the one message being handed over at the instant of the kill is in doubt: it
is sent again with the same Message-ID, and flagged."""

import signal
import time

import pytest

from bulletin.mailing.models import Delivery, Send
from bulletin.mailing.services.sending import sends_resume
from tests.conftest import celery_broker, wait_until
from tests.factories import BulletinFactory, IssueFactory, publish
from tests.mailing.factories import confirmed_subscribers

pytestmark = [pytest.mark.postgres, pytest.mark.redis]
# Claims of a dead worker lapse after 3 s (in the workers' settings and in this process, which
# plays Celery beat and calls the periodic resume every half second).
LEASE = 3
WORKER_ENV = {"MAILING_CLAIM_LEASE": str(LEASE), "MAILING_BATCH_SIZE": "100"}


def resumed_until_done(send_id: int) -> bool:
    sends_resume()
    return Send.objects.get(pk=send_id).status == Send.Status.DONE


def assert_each_received_exactly_once(sink, subscribers) -> None:
    counts = sink.per_recipient()
    in_doubt = set(
        Delivery.objects.filter(in_doubt=True).values_list("subscriber__email", flat=True)
    )
    assert len(in_doubt) <= 1
    assert set(counts) == {s.email for s in subscribers}
    assert {n for email, n in counts.items() if email not in in_doubt} == {1}
    for email in in_doubt:  # if it did arrive twice, it is one message to the mailbox
        assert len({r.message["Message-ID"] for r in sink.to(email)}) == 1
    assert Delivery.objects.exclude(status=Delivery.Status.SENT).count() == 0


def test_a_worker_killed_mid_send_leaves_nobody_out_and_nobody_twice(
    mail_workers, smtp_sink, redis_url, capsys, record_property, short_leases
):
    # The workers' claims and this process's resume on the tests' short lease (production's is
    # 30 s), and the periodic resume every half second (production's every 20 s): the send
    # goes on once the lease of the dead worker has lapsed.
    bulletin = BulletinFactory()
    subscribers = confirmed_subscribers(bulletin, 800)
    worker = mail_workers(MAILING_BATCH_SIZE="100")
    with celery_broker(redis_url):
        issue = publish(IssueFactory(bulletin=bulletin))
        wait_until(lambda: len(smtp_sink.received) >= 200, timeout=60, interval=0.05)
        worker.send_signal(signal.SIGKILL)
        killed = time.monotonic()
        worker.wait()
        sent_before = len(smtp_sink.received)
        assert sent_before < len(subscribers)  # killed in the middle
        mail_workers(MAILING_BATCH_SIZE="100")
        send = Send.objects.get(issue=issue)
        wait_until(
            lambda: resumed_until_done(send.pk) or len(smtp_sink.received) > sent_before + 1,
            timeout=120,
            interval=0.5,
        )
        resumed = time.monotonic() - killed  # +1: the message in doubt may be the first again
        wait_until(lambda: resumed_until_done(send.pk), timeout=120, interval=0.5)
        recovery = time.monotonic() - killed
    record_property("resume_seconds", round(resumed, 1))
    record_property("recovery_seconds", round(recovery, 1))
    left = len(subscribers) - sent_before
    with capsys.disabled():
        print(
            f"\nemail send resumed {resumed:.1f} s and complete {recovery:.1f} s after SIGKILL "
            f"of its worker ({left} messages left at the kill; {short_leases} s lease)"
        )
    assert_each_received_exactly_once(smtp_sink, subscribers)


def test_a_live_workers_batch_that_outlasts_the_lease_stays_its_own(
    mail_workers, smtp_sink, redis_url, settings
):
    settings.MAILING_STALL_AFTER = settings.MAILING_CLAIM_LEASE = 2
    bulletin = BulletinFactory()
    subscribers = confirmed_subscribers(bulletin, 12)
    # A slow server: the batch takes about 6 s, one message alone 3 s, against a 2 s lease.
    smtp_sink.delay = 0.25
    smtp_sink.delays[subscribers[5].email] = 3
    mail_workers(MAILING_CLAIM_LEASE="2", MAILING_BATCH_SIZE="12")
    with celery_broker(redis_url):
        issue = publish(IssueFactory(bulletin=bulletin))
        wait_until(lambda: Send.objects.filter(issue=issue).exists())
        send = Send.objects.get(issue=issue)
        generation = send.generation
        # The periodic resume, again and again while the worker is sending.
        wait_until(lambda: resumed_until_done(send.pk), timeout=60, interval=0.2)
    assert Send.objects.get(pk=send.pk).generation == generation  # never restarted
    assert not Delivery.objects.filter(in_doubt=True).exists()
    assert smtp_sink.per_recipient() == {s.email: 1 for s in subscribers}


def test_a_broker_restarted_mid_send_leaves_nobody_out_and_nobody_twice(
    mail_workers, smtp_sink, private_redis, settings
):
    settings.MAILING_STALL_AFTER = 2
    settings.MAILING_CLAIM_LEASE = LEASE
    bulletin = BulletinFactory()
    subscribers = confirmed_subscribers(bulletin, 600)
    # Short task runs: the send goes through the broker many times.
    mail_workers(CELERY_BROKER_URL=private_redis.url, MAILING_TASK_BUDGET="1", **WORKER_ENV)
    with celery_broker(private_redis.url):
        issue = publish(IssueFactory(bulletin=bulletin))
        wait_until(lambda: len(smtp_sink.received) >= 100, timeout=60, interval=0.05)
        private_redis.restart()
        assert len(smtp_sink.received) < 600  # restarted in the middle
        send = Send.objects.get(issue=issue)
        wait_until(lambda: resumed_until_done(send.pk), timeout=90, interval=0.5)
    assert_each_received_exactly_once(smtp_sink, subscribers)
