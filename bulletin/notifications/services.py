"""Who hears of a workflow event, and when their email goes.

Each event records, in its own transaction, one Notification per person who must hear of it:
the role that acts next, else the entry's or issue's writers; never the person who acted. Then

- at once (the person's choice, or an urgent event): the "workflow.notify" job sends each
  person, after the commit, one email covering everything of theirs still pending, so that a
  bulk action on 42 entries makes one email, not 42;
- in a digest: the periodic task sends each person one email once their oldest pending
  notification has waited WORKFLOW_DIGEST_MINUTES;
- not at all: nothing is recorded, except for urgent events.

A person's pending rows are locked (SELECT ... FOR UPDATE, SKIP LOCKED in the periodic task)
and marked sent in the transaction in which their email leaves: two workers never send the
same rows, and a failure or a crash before the commit leaves them pending for a later run. (A
crash between the mail server's acceptance and the commit sends them again: at least once.)
"""

import datetime
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from bulletin.models import Issue, WorkflowEvent
from bulletin.notifications.compose import notice_email
from bulletin.notifications.models import MAX_ATTEMPTS, Notification
from bulletin.roles import Role
from bulletin.services.jobs import job_handler
from entries.models import Entry
from people.models import NotificationPreference

logger = logging.getLogger(__name__)

# The roles that act next when an object reaches a state; the object's writers hear of the rest.
ROLES_TO_ACT = {
    ("entry", Entry.State.IN_REVIEW): [Role.REVIEWER],
    ("issue", Issue.State.IN_REVIEW): [Role.REVIEWER],
    ("issue", Issue.State.APPROVED): [Role.PUBLISHER],
}
WRITERS_ACT_ON = {"request_changes"}  # the other events the writers only hear of
URGENT = {"publish_failed"}  # at once to the publishers, whatever they chose
# An email meant to go at once that has not gone after this long is sent by the periodic task
# (the broker was down, or the mail server refused); each failure doubles the wait.
IMMEDIATE_GRACE = datetime.timedelta(minutes=2)
RETRY_AFTER = datetime.timedelta(minutes=2)


def digest_interval() -> datetime.timedelta:
    return datetime.timedelta(minutes=settings.WORKFLOW_DIGEST_MINUTES)


def event_recipients(event: WorkflowEvent) -> list[tuple[object, bool]]:
    """Who hears of an event, each with whether it waits for them: the role that acts next (the
    publishers when a scheduled publication failed), else the object's writers; never the
    person who acted, nor an account without an address."""
    subject = event.entry or event.issue
    kind = "entry" if event.entry_id else "issue"
    roles = [Role.PUBLISHER] if event.action in URGENT else ROLES_TO_ACT.get((kind, event.to_state))
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    if roles:
        users = users.filter(groups__name__in=roles).distinct()
    else:
        users = users.filter(pk__in=[subject.created_by_id, subject.last_edited_by_id])
    if event.actor_id:
        users = users.exclude(pk=event.actor_id)
    needs_action = bool(roles) or event.action in WRITERS_ACT_ON
    users = users.select_related("notification_preference").order_by("pk")
    return [(user, needs_action) for user in users]


def notifications_record(*, event: WorkflowEvent) -> list[Notification]:
    """Note who must hear of an event, and how, in the event's own transaction."""
    now, urgent = timezone.now(), event.action in URGENT
    rows = []
    for user, needs_action in event_recipients(event):
        delivery = NotificationPreference.of(user).delivery
        if delivery == NotificationPreference.Delivery.NONE and not urgent:
            continue
        immediate = urgent or delivery == NotificationPreference.Delivery.IMMEDIATE
        due_at = now + (IMMEDIATE_GRACE if immediate else digest_interval())
        rows.append(
            Notification(
                event=event,
                user=user,
                immediate=immediate,
                needs_action=needs_action,
                due_at=due_at,
            )
        )
    return Notification.objects.bulk_create(rows)


@job_handler("workflow.notify")
def workflow_notify(payload: dict) -> None:
    """After an event's commit, one email to each person who hears of it at once, covering all
    of theirs still pending: the jobs of the commit's other events then find nothing left."""
    user_ids = (
        Notification.objects.pending()
        .filter(event_id=payload["event_id"], immediate=True)
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )
    for user_id in list(user_ids):
        notifications_send(user_id=user_id, immediate=True)


def notifications_send_due(*, now: datetime.datetime | None = None) -> int:
    """Every minute: each person's digest once their oldest pending notification has waited
    the interval, and the emails meant to go at once that have not gone. Returns the number of
    emails sent."""
    now = now or timezone.now()
    due = (
        Notification.objects.pending()
        .filter(due_at__lte=now)
        .order_by("user_id", "immediate")
        .values_list("user_id", "immediate")
        .distinct()
    )
    return sum(
        notifications_send(user_id=user_id, immediate=immediate, now=now, sweep=True)
        for user_id, immediate in list(due)
    )


def notifications_send(
    *, user_id: int, immediate: bool, now: datetime.datetime | None = None, sweep: bool = False
) -> int:
    """Send one person one email covering their pending notifications of one kind (at once, or
    digest): 1 if it went, else 0. The sweep passes over a person whose rows another worker
    holds, and sends only when one of the rows is due."""
    now = now or timezone.now()
    claimed: list[Notification] = []
    try:
        with transaction.atomic():
            claimed = _claim(user_id=user_id, immediate=immediate, skip_locked=sweep)
            if not claimed or (sweep and not any(n.due_at <= now for n in claimed)):
                return 0
            notice_email(user=claimed[0].user, notifications=claimed).send()
            Notification.objects.filter(pk__in=[n.pk for n in claimed]).update(
                sent_at=timezone.now(), last_error=""
            )
    except Exception as exc:  # the mail server down or refusing: the rows stay pending
        logger.exception("workflow notification email to user %s not sent", user_id)
        _send_failed(claimed, exc, now=now)
        return 0
    return 1


def _claim(*, user_id: int, immediate: bool, skip_locked: bool) -> list[Notification]:
    """Lock and read a person's pending notifications of one kind, oldest first."""
    return list(
        Notification.objects.pending()
        .filter(user_id=user_id, immediate=immediate)
        .select_for_update(skip_locked=skip_locked, of=("self",))
        .select_related(
            "user__notification_preference",
            "event__actor",
            "event__entry__issue__bulletin",
            "event__issue__bulletin",
        )
    )


def _send_failed(notifications: list[Notification], exc: Exception, *, now) -> None:
    if not notifications:
        return
    attempts = max(n.attempts for n in notifications) + 1
    if attempts >= MAX_ATTEMPTS:
        logger.error("giving up on %s workflow notifications", len(notifications))
    Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(
        attempts=F("attempts") + 1,
        due_at=now + RETRY_AFTER * 2 ** (attempts - 1),
        last_error=f"{type(exc).__name__}: {exc}"[:2000],
    )


def notifications_purge(*, now: datetime.datetime | None = None) -> int:
    """Delete the notifications sent more than NOTIFICATIONS_KEEP_SENT_DAYS ago, a batch at a
    time (their events stay in the audit trail and the inbox); the count."""
    now = now or timezone.now()
    before = now - datetime.timedelta(days=settings.NOTIFICATIONS_KEEP_SENT_DAYS)
    ids = list(
        Notification.objects.filter(sent_at__lt=before).values_list("pk", flat=True)[
            : settings.PURGE_BATCH
        ]
    )
    return Notification.objects.filter(pk__in=ids).delete()[0]
