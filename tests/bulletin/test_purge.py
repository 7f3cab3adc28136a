"""Bookkeeping deleted once it has served: jobs done and notifications sent, after the days the
settings keep them; what still waits, what failed and the audit trail stay."""

import datetime

import pytest
from django.utils import timezone

from bulletin.models import Job, WorkflowEvent
from bulletin.notifications.models import Notification
from bulletin.notifications.services import notifications_purge
from bulletin.services.jobs import jobs_purge
from bulletin.tasks import jobs_sweep_task
from tests.factories import IssueFactory, UserFactory

pytestmark = pytest.mark.django_db
NOW = timezone.now()


def days_ago(days: float) -> datetime.datetime:
    return NOW - datetime.timedelta(days=days)


def job(status: str, finished_days_ago: float | None) -> Job:
    finished = days_ago(finished_days_ago) if finished_days_ago is not None else None
    return Job.objects.create(
        name="web.pages", payload={}, status=status, run_after=days_ago(400), finished_at=finished
    )


def test_jobs_done_long_ago_go_the_rest_stay(settings):
    settings.JOBS_KEEP_DONE_DAYS, settings.PURGE_BATCH = 30, 2
    old = [job(Job.Status.DONE, 31 + n) for n in range(3)]
    kept = [
        job(Job.Status.DONE, 29),
        job(Job.Status.FAILED, 400),
        job(Job.Status.PENDING, None),
        job(Job.Status.RUNNING, None),
    ]
    assert jobs_purge(now=NOW) == 2  # a batch at a time
    assert jobs_purge(now=NOW) == 1
    assert jobs_purge(now=NOW) == 0
    assert not Job.objects.filter(pk__in=[j.pk for j in old]).exists()
    assert set(Job.objects.values_list("pk", flat=True)) == {j.pk for j in kept}


def test_the_periodic_sweep_purges(settings):
    settings.JOBS_KEEP_DONE_DAYS = 30
    old, recent = job(Job.Status.DONE, 45), job(Job.Status.DONE, 1)
    jobs_sweep_task()
    assert list(Job.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not Job.objects.filter(pk=old.pk).exists()


def test_notifications_sent_long_ago_go_their_events_stay(settings):
    settings.NOTIFICATIONS_KEEP_SENT_DAYS = 90
    issue, users = IssueFactory(), [UserFactory(username=f"u{n}") for n in range(4)]
    event = WorkflowEvent.objects.create(
        issue=issue, action="submit", from_state="draft", to_state="in_review"
    )
    sent = [days_ago(91), days_ago(89), None, None]
    rows = [
        Notification.objects.create(
            event=event, user=user, immediate=True, due_at=days_ago(200), sent_at=at
        )
        for user, at in zip(users, sent, strict=True)
    ]
    Notification.objects.filter(pk=rows[3].pk).update(created_at=days_ago(300))  # never sent
    assert notifications_purge(now=NOW) == 1
    assert set(Notification.objects.values_list("pk", flat=True)) == {r.pk for r in rows[1:]}
    assert WorkflowEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.postgres
def test_the_notification_purge_reads_an_index_of_the_sent():
    """The purge runs every minute: PostgreSQL can find the old sent notifications by an index
    (the unsent ones are not in it), not only by reading the whole table."""
    from django.db import connection

    query = Notification.objects.filter(sent_at__lt=days_ago(90)).values_list("pk", flat=True)
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a small table is read whole otherwise
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "notifications_sent" in plan, plan
