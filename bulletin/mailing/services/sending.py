"""Sends: created when an issue is published (or by a publisher), paused, resumed, cancelled,
failed deliveries retried, and unfinished sends resumed by a periodic task."""

import datetime
import logging
import math

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bulletin.dispatch import task_send, task_send_on_commit, worker_slots
from bulletin.mailing.models import Delivery, Send, Subscription
from bulletin.mailing.rendering import email_render, email_render_all
from bulletin.mailing.selectors import issue_recipients
from bulletin.models import Issue
from bulletin.roles import Role, require

logger = logging.getLogger(__name__)
EDITION_NOTE = "sent with the edition in the subscriber's language instead"
IN_DOUBT_NOTE = "worker stopped while handing this message over; sent again, same Message-ID"
PROCESS_TASK = "bulletin.mailing.tasks.send_process_task"


class SendError(Exception):
    """A send that cannot be made or changed now; the message says why."""


def _check_publisher(user) -> None:
    if user is not None:  # None: the publishing hook
        require(user, Role.PUBLISHER)


# The statuses in which each action of a send is possible, and why it is refused in the others.
S = Send.Status
ACTION_STATUSES = {
    "pause": ((S.SENDING,), gettext_lazy("Only a send under way can be paused.")),
    "resume": ((S.PAUSED,), gettext_lazy("Only a paused send can be resumed.")),
    "cancel": ((S.SENDING, S.PAUSED), gettext_lazy("This send is finished already.")),
    "retry": ((S.SENDING, S.PAUSED, S.DONE), gettext_lazy("A cancelled send cannot be retried.")),
}


def _check_status(send: Send, action: str) -> None:
    statuses, refusal = ACTION_STATUSES[action]
    if send.status not in statuses:
        raise SendError(str(refusal))


def send_actions_allowed(*, send: Send, failed: int) -> list[str]:
    """The actions a send accepts in its status now (the admin's buttons); a retry needs
    failed deliveries."""
    return [
        action
        for action, (statuses, _refusal) in ACTION_STATUSES.items()
        if send.status in statuses and (action != "retry" or failed)
    ]


def send_dispatch(*, send_id: int, generation: int) -> bool:
    """Hand the next run of a send to the broker now; if it is down, the periodic resume does."""
    return task_send(PROCESS_TASK, send_id, generation, what=f"send {send_id}")


def batch_size() -> int:
    """A batch must be handed over well within its lease, at the configured rate."""
    size = settings.MAILING_BATCH_SIZE
    if settings.MAILING_RATE > 0:
        size = min(size, max(1, int(settings.MAILING_RATE * settings.MAILING_CLAIM_LEASE / 2)))
    return size


def send_lanes(*, send_id: int) -> int:
    """How many task chains a send runs at once: MAILING_LANES, or (0, the default) one per
    worker process alive, so that every worker takes part; never more than it has batches
    due, and at least one (a worker that starts later finds the chain in the queue)."""
    lanes = settings.MAILING_LANES or worker_slots() or 1
    due = Delivery.objects.filter(send_id=send_id, status=Delivery.Status.QUEUED).count()
    return max(1, min(lanes, math.ceil(due / batch_size())))


def send_start_workers(*, send: Send) -> int:
    """Start fresh task chains (send_lanes) after commit; older chains stop by themselves.
    The heartbeat starts now: the periodic resume gives the new chains MAILING_STALL_AFTER to
    begin before it counts the send as stalled. Returns the number of chains."""
    Send.objects.filter(pk=send.pk).update(
        generation=F("generation") + 1, heartbeat_at=timezone.now()
    )
    generation = Send.objects.values_list("generation", flat=True).get(pk=send.pk)
    lanes = send_lanes(send_id=send.pk)
    logger.info("send %s: %s task chains (generation %s)", send.pk, lanes, generation)
    for _lane in range(lanes):
        task_send_on_commit(PROCESS_TASK, send.pk, generation, what=f"send {send.pk}")
    return lanes


def _send_start(*, issue: Issue, publication, recipients: list[int], user, edition=None) -> Send:
    send = Send.objects.create(
        issue=issue,
        bulletin=issue.bulletin,
        publication=publication,
        edition=edition,
        created_by=user,
        total=len(recipients),
        status=Send.Status.PAUSED if settings.MAILING_HOLD_NEW_SENDS else Send.Status.SENDING,
    )
    Delivery.objects.bulk_create(
        [Delivery(send=send, subscriber_id=pk) for pk in recipients], batch_size=2000
    )
    if not recipients:
        Send.objects.filter(pk=send.pk).update(status=Send.Status.DONE, finished_at=timezone.now())
    elif send.status == Send.Status.SENDING:
        send_start_workers(send=send)
    logger.info("send %s of issue %s: %s recipients", send.pk, issue.pk, len(recipients))
    return send


@transaction.atomic
def send_create(*, issue: Issue, user=None, automatic: bool = False) -> Send | None:
    """A send of the issue's current publication to the bulletin's confirmed subscribers who
    have not had it yet, each in their language (from its edition where there is one), except
    those who wait for their edition (Bulletin.edition_email). automatic=True (the publishing
    hook) sends an issue only once: a corrected issue is not sent again."""
    _check_publisher(user)
    locked = Issue.objects.select_for_update(of=("self",)).select_related("bulletin")
    issue = locked.get(pk=issue.pk)
    publication = issue.current_publication()
    if not issue.is_public or publication is None:
        if automatic:
            return None
        raise SendError(_("Only a published issue can be sent."))
    if issue.back_issue:  # history, not news: never emailed
        if automatic:
            return None
        raise SendError(_("A back issue is not emailed."))
    sends = Send.objects.filter(issue=issue)
    if automatic and sends.filter(edition__isnull=True).exists():
        return None
    if sends.filter(status__in=Send.ACTIVE_STATES).exists():
        raise SendError(_("This issue is being sent already."))
    recipients = issue_recipients(issue, waiting_excluded=True)
    recipients = list(recipients.order_by("subscriber_id").values_list("subscriber_id", flat=True))
    return _send_start(issue=issue, publication=publication, recipients=recipients, user=user)


def _take_over_untouched(issue: Issue, language: str) -> int:
    """Deliveries to subscribers of the language still queued in the issue's sends under way
    and never tried: skipped there, so that the edition's send writes to them instead. A
    worker's claim and this update lock the same rows, so each goes one way only; a message
    ever handed over (in doubt, or retried) stays in its send under its Message-ID."""
    return Delivery.objects.filter(
        send__issue=issue,
        send__status__in=Send.ACTIVE_STATES,
        subscriber__language=language,
        status=Delivery.Status.QUEUED,
        attempts=0,
        in_doubt=False,
    ).update(status=Delivery.Status.SKIPPED, last_error=EDITION_NOTE)


@transaction.atomic
def send_create_edition(*, issue: Issue, language: str) -> Send | None:
    """When the issue's edition in the language is first published: a send of it to the
    confirmed subscribers of that language who have not had the issue yet (those who waited
    for it, those who subscribed since, and those whose message of the publication's send
    had not gone yet). Once per issue and language: a republished edition is not sent again."""
    issue = (
        Issue.objects.select_for_update(of=("self",)).select_related("bulletin").get(pk=issue.pk)
    )
    edition = issue.current_edition(language)
    if not issue.is_public or issue.back_issue or edition is None:
        return None
    if Send.objects.filter(issue=issue, edition__language=language).exists():
        return None
    _take_over_untouched(issue, language)
    recipients = issue_recipients(issue).filter(subscriber__language=language)
    recipients = list(recipients.order_by("subscriber_id").values_list("subscriber_id", flat=True))
    return _send_start(
        issue=issue, publication=edition.source, recipients=recipients, user=None, edition=edition
    )


def send_rendered(*, send_id: int) -> dict:
    """The send's email, rendered by the first worker that needs it and kept for all others.
    Rendering waits until then so that the PDF, requested at the same publication and
    queued before the send, is usually ready to be linked."""
    rendered = Send.objects.values_list("rendered", flat=True).get(pk=send_id)
    if rendered:
        return rendered
    with transaction.atomic():
        send = Send.objects.select_for_update(of=("self",))
        send = send.select_related("issue__bulletin", "publication", "edition")
        send = send.get(pk=send_id)
        if not send.rendered:
            send.rendered = _render(send)
            send.save(update_fields=["rendered"])
    return send.rendered


def _render(send: Send) -> dict:
    """An edition's send in its language; the publication's in every language, from the
    editions published by now."""
    if send.edition is not None:
        language = send.edition.language
        return {language: email_render(send.edition.content, issue=send.issue, language=language)}
    editions = {
        language: send.issue.current_edition(language).content
        for language in set(send.issue.editions.values_list("language", flat=True))
    }
    return email_render_all(send.publication.content, issue=send.issue, editions=editions)


def _locked(send: Send) -> Send:
    return Send.objects.select_for_update().get(pk=send.pk)


def _release_claims(send: Send, *, status: str, reason: str = "") -> int:
    """Deliveries claimed by a worker but not yet handed over go back (or are skipped)."""
    return Delivery.objects.filter(
        send=send, status=Delivery.Status.SENDING, handed_at__isnull=True
    ).update(status=status, claim=None, lease_until=None, last_error=reason)


@transaction.atomic
def send_pause(*, send: Send, user) -> Send:
    """Stop handing messages over; a message being handed over at this instant completes."""
    _check_publisher(user)
    send = _locked(send)
    _check_status(send, "pause")
    send.status = Send.Status.PAUSED
    send.save(update_fields=["status"])
    _release_claims(send, status=Delivery.Status.QUEUED)
    return send


@transaction.atomic
def send_resume(*, send: Send, user) -> Send:
    _check_publisher(user)
    send = _locked(send)
    _check_status(send, "resume")
    if not send.issue.is_public:
        raise SendError(_("The issue is no longer published."))
    send.status = Send.Status.SENDING
    send.save(update_fields=["status"])
    send_start_workers(send=send)
    return send


@transaction.atomic
def send_cancel(*, send: Send, user, reason: str = "") -> Send:
    """Cancel what has not been handed over; what was sent stays sent."""
    _check_publisher(user)
    send = _locked(send)
    _check_status(send, "cancel")
    send.status, send.finished_at = Send.Status.CANCELLED, timezone.now()
    send.note = reason[:300]
    send.save(update_fields=["status", "finished_at", "note"])
    note = reason or "cancelled"
    _release_claims(send, status=Delivery.Status.SKIPPED, reason=note)
    send.deliveries.filter(status=Delivery.Status.QUEUED).update(
        status=Delivery.Status.SKIPPED, last_error=note
    )
    return send


@transaction.atomic
def send_retry_failed(*, send: Send, user) -> int:
    """Queue the failed deliveries of a send again (only those; sent ones are never resent)."""
    _check_publisher(user)
    send = _locked(send)
    _check_status(send, "retry")
    if not send.issue.is_public:
        raise SendError(_("The issue is no longer published."))
    failed = send.deliveries.filter(status=Delivery.Status.FAILED)
    still_subscribed = Subscription.objects.filter(
        subscriber=OuterRef("subscriber_id"),
        bulletin=send.bulletin,
        status=Subscription.Status.CONFIRMED,
    )
    got_it = Delivery.objects.filter(
        subscriber=OuterRef("subscriber_id"),
        send__issue=send.issue,
        status__in=[*Delivery.PENDING_STATES, Delivery.Status.SENT],
    ).exclude(send=send)
    count = (
        failed.filter(Exists(still_subscribed))
        .exclude(Exists(got_it))
        .update(status=Delivery.Status.QUEUED, attempts=0, next_attempt_at=timezone.now())
    )
    if count:
        send.status, send.finished_at = Send.Status.SENDING, None
        send.save(update_fields=["status", "finished_at"])
        send_start_workers(send=send)
    return count


def send_finish_if_done(*, send_id: int) -> bool:
    """Mark a send done once nothing is left to hand over."""
    pending = Delivery.objects.filter(send_id=send_id, status__in=Delivery.PENDING_STATES)
    if pending.exists():
        return False
    Send.objects.filter(pk=send_id, status=Send.Status.SENDING).update(
        status=Send.Status.DONE, finished_at=timezone.now()
    )
    return True


def deliveries_release_expired(*, now: datetime.datetime) -> tuple[int, int]:
    """Claims of workers that died: never handed over, they are queued again; handed over
    but not recorded (the one message in doubt per dead worker), they are queued again
    with the same Message-ID and flagged. A live worker's heartbeat renews its claim every
    third of MAILING_CLAIM_LEASE, so a claim lapses only when its worker has stopped; a
    hand-over is taken for lost only MAILING_CLAIM_LEASE after it began as well."""
    lease = datetime.timedelta(seconds=settings.MAILING_CLAIM_LEASE)
    expired = Delivery.objects.filter(status=Delivery.Status.SENDING, lease_until__lt=now)
    in_doubt = expired.filter(handed_at__lt=now - lease).update(
        status=Delivery.Status.QUEUED,
        claim=None,
        lease_until=None,
        handed_at=None,
        in_doubt=True,
        last_error=IN_DOUBT_NOTE,
        next_attempt_at=now,
    )
    if in_doubt:
        logger.warning("%s deliveries in doubt after a worker stopped; sending again", in_doubt)
    released = expired.filter(handed_at__isnull=True).update(
        status=Delivery.Status.QUEUED, claim=None, lease_until=None
    )
    return released, in_doubt


def sends_resume(*, now: datetime.datetime | None = None) -> int:
    """The periodic task: free dead workers' claims, finish what is finished, and restart
    the workers of every send that has work due and no worker on it."""
    now = now or timezone.now()
    deliveries_release_expired(now=now)
    stalled_before = now - datetime.timedelta(seconds=settings.MAILING_STALL_AFTER)
    restarted = 0
    for send in Send.objects.filter(status=Send.Status.SENDING):
        if send_finish_if_done(send_id=send.pk):
            continue
        due = send.deliveries.filter(status=Delivery.Status.QUEUED, next_attempt_at__lte=now)
        if due.exists() and (send.heartbeat_at is None or send.heartbeat_at < stalled_before):
            with transaction.atomic():
                send_start_workers(send=send)
            restarted += 1
    return restarted
