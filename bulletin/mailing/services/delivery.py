"""The worker's side of a send: claim a batch, hand each message over, record it at once.

Exactly once: a worker claims queued deliveries in a batch (FOR UPDATE SKIP LOCKED, under a
claim token and a lease), marks each one `handed_at` just before giving it to the server (only
if its claim still holds: a pause, a cancel or an unsubscribe takes it away) and marks it sent
as soon as the server accepts it. While the worker lives, a heartbeat renews the lease of the
batch it holds (and the send's heartbeat), however slow the server; if the worker dies, its
lease lapses within MAILING_CLAIM_LEASE and the periodic resume queues the deliveries it never
handed over again; the single message it was handing over at that instant (handed_at set, not
recorded as sent) may or may not have reached the server: it is sent again with the same
Message-ID, so the recipient's mail system sees one message, and it is flagged `in_doubt` for
the record.
"""

import contextlib
import datetime
import logging
import time
import uuid
from collections.abc import Iterable

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from bulletin.heartbeat import heartbeat
from bulletin.mailing.compose import Composer, Recipient
from bulletin.mailing.models import Delivery, Send
from bulletin.mailing.services.sending import (
    batch_size,
    send_cancel,
    send_finish_if_done,
    send_rendered,
)
from bulletin.mailing.services.subscribers import subscriber_stop
from bulletin.mailing.throttle import RateLimiter
from bulletin.mailing.transport import (
    ConnectionLost,
    PermanentFailure,
    TemporaryFailure,
    transport_for_settings,
)
from bulletin.models import Issue, Publication

logger = logging.getLogger(__name__)
Status = Delivery.Status


def _lease(now: datetime.datetime) -> datetime.datetime:
    return now + datetime.timedelta(seconds=settings.MAILING_CLAIM_LEASE)


def deliveries_claim(*, send_id: int, claim: uuid.UUID, size: int) -> list[Recipient]:
    """Claim up to `size` due deliveries that no other worker holds."""
    now = timezone.now()
    with transaction.atomic():
        ids = list(
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(send_id=send_id, status=Status.QUEUED, next_attempt_at__lte=now)
            .order_by("pk")
            .values_list("pk", flat=True)[:size]
        )
        if not ids:
            return []
        Delivery.objects.filter(pk__in=ids).update(
            status=Status.SENDING, claim=claim, lease_until=_lease(now)
        )
    rows = (
        Delivery.objects.filter(claim=claim, status=Status.SENDING)
        .order_by("pk")
        .values_list(
            "pk",
            "subscriber_id",
            "subscriber__email",
            "subscriber__name",
            "subscriber__language",
            "subscriber__key",
            "attempts",
        )
    )
    return [Recipient(*row) for row in rows]


# One statement per message, in SQL (the ORM would spend more time building it than PostgreSQL
# spends running it): it records the message just accepted as sent and marks the next one as
# being handed over, so at any instant at most one message of a worker is "handed over, not
# recorded". The next one goes only while its send is under way and its issue published: a
# pause, a cancel or a withdrawal stops the very next message. The hand-over touches no
# indexed column, so PostgreSQL can update the row in place.
TABLE = Delivery._meta.db_table
SEND_TABLE = Send._meta.db_table
ISSUE_TABLE = Issue._meta.db_table
CLAIM_FIELD = Delivery._meta.get_field("claim")
TIME_FIELD = Delivery._meta.get_field("sent_at")
RECORD_SQL = f"""
UPDATE {TABLE} SET
    status = CASE WHEN id = %(sent)s THEN 'sent' ELSE status END,
    sent_at = CASE WHEN id = %(sent)s THEN %(now)s ELSE sent_at END,
    message_id = CASE WHEN id = %(sent)s THEN %(message_id)s ELSE message_id END,
    claim = CASE WHEN id = %(sent)s THEN NULL ELSE claim END,
    lease_until = CASE WHEN id = %(sent)s THEN NULL ELSE lease_until END,
    handed_at = CASE WHEN id = %(next)s THEN %(now)s ELSE handed_at END,
    attempts = CASE WHEN id = %(next)s THEN attempts + 1 ELSE attempts END
WHERE claim = %(claim)s
    AND (id = %(sent)s OR (id = %(next)s AND status = 'sending' AND handed_at IS NULL
        AND EXISTS (
            SELECT 1 FROM {SEND_TABLE} s JOIN {ISSUE_TABLE} i ON i.id = s.issue_id
            WHERE s.id = {TABLE}.send_id AND s.status = '{Send.Status.SENDING}'
                AND i.state IN ({", ".join(f"'{state}'" for state in Issue.PUBLIC_STATES)})
        )))
RETURNING id
"""  # noqa: S608 (table names and states are ours; every value is a parameter)


def _record(cursor, claim: uuid.UUID, *, accepted, following: Recipient | None) -> bool:
    """Record `accepted` (recipient, Message-ID) as sent, and mark `following` as being handed
    over; True if it may go (False: a pause, a cancel, a withdrawal or an unsubscribe). A live
    worker's hand-over is never taken for a dead one's: see deliveries_release_expired."""
    if accepted is None and following is None:
        return False
    recipient, message_id = accepted or (None, "")
    params = {
        "sent": recipient.delivery_id if recipient else -1,
        "next": following.delivery_id if following else -1,
        "now": TIME_FIELD.get_db_prep_value(timezone.now(), cursor.db),
        "message_id": message_id[:300],
        "claim": CLAIM_FIELD.get_db_prep_value(claim, cursor.db),  # as the backend stores it
    }
    cursor.execute(RECORD_SQL, params)
    return following is not None and (following.delivery_id,) in cursor.fetchall()


def _mark_failed(recipient: Recipient, claim: uuid.UUID, exc: Exception) -> None:
    """A temporary failure is retried with exponential backoff up to MAILING_MAX_ATTEMPTS."""
    delivery = Delivery.objects.filter(pk=recipient.delivery_id, claim=claim)
    attempts = recipient.attempts + 1  # counted when it was handed over
    final = isinstance(exc, PermanentFailure) or attempts >= settings.MAILING_MAX_ATTEMPTS
    delay = settings.MAILING_RETRY_AFTER * 2 ** max(0, attempts - 1)
    delivery.update(
        status=Status.FAILED if final else Status.QUEUED,
        next_attempt_at=timezone.now() + datetime.timedelta(seconds=delay),
        last_error=str(exc)[:2000],
        claim=None,
        lease_until=None,
        handed_at=None,
    )
    if isinstance(exc, PermanentFailure) and exc.bad_address:
        subscriber_stop(email=recipient.email, status="bounced", reason=str(exc))


def _release(claim: uuid.UUID) -> int:
    """Give back what this worker claimed and did not hand over."""
    return Delivery.objects.filter(
        claim=claim, status=Status.SENDING, handed_at__isnull=True
    ).update(status=Status.QUEUED, claim=None, lease_until=None)


@contextlib.contextmanager
def _records_not_flushed(cursor):
    """With MAILING_FSYNC_EACH_MESSAGE off, the records of a batch commit without waiting for
    the disk (PostgreSQL's synchronous_commit off): the flush of each is the better part of a
    message's time. A worker that dies loses nothing (the server has every record); a database
    server that crashes may lose its last fraction of a second of them, whose messages then go
    again with the same Message-ID. On by default: each record waits for the disk."""
    if settings.MAILING_FSYNC_EACH_MESSAGE or cursor.db.vendor != "postgresql":
        yield
        return
    cursor.execute("SET synchronous_commit TO off")
    try:
        yield
    finally:
        with contextlib.suppress(DatabaseError):  # a lost connection is reset by its loss
            cursor.execute("RESET synchronous_commit")


def _send_batch(
    recipients: Iterable[Recipient], *, claim, composer, transport, limiter
) -> tuple[int, bool]:
    """Hand each claimed message over; stop early if the connection cannot be restored."""
    sent, accepted = 0, None
    with connection.cursor() as cursor, _records_not_flushed(cursor):
        for recipient in recipients:
            handed = _record(cursor, claim, accepted=accepted, following=recipient)
            accepted = None
            if not handed:
                continue
            limiter.wait()
            try:
                message_id = transport.send(composer, recipient)
            except ConnectionLost as exc:
                _mark_failed(recipient, claim, exc)
                transport.close()
                return sent, False
            except (TemporaryFailure, PermanentFailure) as exc:
                _mark_failed(recipient, claim, exc)
                continue
            except Exception as exc:  # a fault of ours: retried, then failed, never looped on
                logger.exception("delivery %s could not be built or sent", recipient.delivery_id)
                _mark_failed(recipient, claim, TemporaryFailure(f"{type(exc).__name__}: {exc}"))
                continue
            accepted, sent = (recipient, message_id), sent + 1
        _record(cursor, claim, accepted=accepted, following=None)
    return sent, True


def _still_sending(send_id: int, generation: int) -> bool:
    """Whether this chain of tasks should go on with the send; records a heartbeat. An issue
    withdrawn meanwhile cancels the rest of its send."""
    row = Send.objects.filter(pk=send_id).values("status", "generation", "issue__state").get()
    if row["status"] != Send.Status.SENDING or row["generation"] != generation:
        return False
    if row["issue__state"] not in Issue.PUBLIC_STATES:
        _withdrawn(send_id)
        return False
    Send.objects.filter(pk=send_id).update(heartbeat_at=timezone.now())
    return True


def _composer(send_id: int) -> Composer:
    rendered = send_rendered(send_id=send_id)
    send = Send.objects.only("pk", "bulletin_id", "publication_id").get(pk=send_id)
    bulletin = (
        Publication.objects.filter(pk=send.publication_id)
        .values_list("content__bulletin", flat=True)
        .get()
    )
    return Composer(
        rendered=rendered, send_id=send.pk, bulletin_id=send.bulletin_id, bulletin=bulletin
    )


class _Holding:
    """What a running task holds: its send, and the claim of the batch it is handing over."""

    def __init__(self, send_id: int):
        self.send_id = send_id
        self.claim: uuid.UUID | None = None

    def renew(self) -> None:
        """The heartbeat: this worker is alive, its batch stays its own for one more lease."""
        now = timezone.now()
        Send.objects.filter(pk=self.send_id).update(heartbeat_at=now)
        claim = self.claim
        if claim is not None:
            Delivery.objects.filter(claim=claim, status=Status.SENDING).update(
                lease_until=_lease(now)
            )


def send_process(*, send_id: int, generation: int, budget: float | None = None) -> bool:
    """Hand over batches of one send for up to `budget` seconds; True if work is left that is
    due now (the task then queues its successor)."""
    holding = _Holding(send_id)
    with heartbeat(holding.renew, lease=settings.MAILING_CLAIM_LEASE, name=f"send {send_id}"):
        healthy = _process(holding, generation, budget or settings.MAILING_TASK_BUDGET)
    if healthy is None or send_finish_if_done(send_id=send_id):
        return False
    return healthy and _due(send_id)


def _process(holding: _Holding, generation: int, budget: float) -> bool | None:
    """Claim and hand over batches until the budget is spent or nothing is due; None if the
    send is no longer this task's, else whether the connection is still usable."""
    deadline = time.monotonic() + budget
    limiter = RateLimiter(settings.MAILING_RATE)
    transport, composer, healthy, send_id = None, None, True, holding.send_id
    try:
        while healthy and time.monotonic() < deadline:
            if not _still_sending(send_id, generation):
                return None
            holding.claim = claim = uuid.uuid4()
            recipients = deliveries_claim(send_id=send_id, claim=claim, size=batch_size())
            if not recipients:
                break
            composer = composer or _composer(send_id)
            transport = transport or transport_for_settings()
            try:
                _sent, healthy = _send_batch(
                    recipients, claim=claim, composer=composer, transport=transport, limiter=limiter
                )
            finally:
                _release(claim)
                holding.claim = None
    finally:
        if transport is not None:
            transport.close()
    return healthy


def _due(send_id: int) -> bool:
    return Delivery.objects.filter(
        send_id=send_id, status=Status.QUEUED, next_attempt_at__lte=timezone.now()
    ).exists()


def _withdrawn(send_id: int) -> None:
    """An issue withdrawn during its send: nothing more goes out."""
    logger.warning("issue of send %s withdrawn; cancelling the send", send_id)
    with transaction.atomic():
        send_cancel(send=Send(pk=send_id), user=None, reason="issue withdrawn")
