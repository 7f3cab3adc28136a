"""Reads of the email output: a subscriber's data, a send's progress, the CSV export."""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from bulletin.mailing.models import Delivery, Send, Subscriber, Subscription
from bulletin.models import Bulletin, Edition, Issue
from bulletin.translation.languages import target_languages

RATE_WINDOW = datetime.timedelta(minutes=1)


def edition_waiting_languages(issue: Issue) -> list[str]:
    """The languages whose subscribers wait for their edition of the issue (the bulletin's
    edition_email setting), as long as it is not published."""
    if issue.bulletin.edition_email != Bulletin.EditionEmail.WAIT:
        return []
    published = set(Edition.objects.filter(issue=issue).values_list("language", flat=True))
    return [code for code in target_languages(issue) if code not in published]


def issue_recipients(issue: Issue, *, waiting_excluded: bool = False) -> QuerySet[Subscription]:
    """Who a send of the issue would write to now: the confirmed subscriptions to its bulletin
    whose subscriber has not had it from any send (nor is about to); waiting_excluded: not
    those who wait for their edition (edition_waiting_languages)."""
    already_has_it = Delivery.objects.filter(
        subscriber=OuterRef("subscriber_id"),
        send__issue=issue,
        status__in=[*Delivery.PENDING_STATES, Delivery.Status.SENT],
    )
    recipients = Subscription.objects.filter(
        bulletin_id=issue.bulletin_id, status=Subscription.Status.CONFIRMED
    ).exclude(Exists(already_has_it))
    if waiting_excluded:
        recipients = recipients.exclude(subscriber__language__in=edition_waiting_languages(issue))
    return recipients


def issue_deliveries_unsent(issue: Issue) -> int:
    """How many messages of the issue's sends under way have not gone out yet."""
    return Delivery.objects.filter(
        send__issue=issue,
        send__status__in=Send.ACTIVE_STATES,
        status__in=Delivery.PENDING_STATES,
    ).count()


def preferences_initial(subscriber: Subscriber) -> dict:
    bulletins = subscriber.subscriptions.filter(
        status__in=[Subscription.Status.CONFIRMED, Subscription.Status.PENDING]
    ).values_list("bulletin_id", flat=True)
    return {
        "bulletins": list(bulletins),
        "language": subscriber.language,
        "name": subscriber.name,
        "organisation": subscriber.organisation,
    }


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def subscriber_data(subscriber: Subscriber) -> dict:
    """Everything kept about one subscriber (their right of access), as plain data."""
    subscriptions = subscriber.subscriptions.select_related("bulletin").order_by("pk")
    consents = subscriber.consents.select_related("bulletin").order_by("created_at", "pk")
    deliveries = subscriber.deliveries.select_related("send__issue").order_by("pk")
    return {
        "email": subscriber.email,
        "name": subscriber.name,
        "organisation": subscriber.organisation,
        "language": subscriber.language,
        "created_at": _iso(subscriber.created_at),
        "subscriptions": [
            {
                "bulletin": s.bulletin.name,
                "status": s.status,
                "created_at": _iso(s.created_at),
                "confirmed_at": _iso(s.confirmed_at),
                "unsubscribed_at": _iso(s.unsubscribed_at),
            }
            for s in subscriptions
        ],
        "consents": [
            {
                "bulletin": c.bulletin.name,
                "action": c.action,
                "route": c.route,
                "text": c.text,
                "ip": c.ip,
                "user_agent": c.user_agent,
                "at": _iso(c.created_at),
            }
            for c in consents
        ],
        "emails": [
            {"issue": d.send.issue.title, "status": d.status, "sent_at": _iso(d.sent_at)}
            for d in deliveries
        ],
    }


@dataclass(frozen=True)
class Progress:
    total: int
    queued: int
    sending: int
    sent: int
    failed: int
    skipped: int
    in_doubt: int
    per_second: float
    seconds_left: int | None

    @property
    def time_left(self) -> str:
        """The estimated time left as h:mm:ss, or "" when nothing is being sent."""
        if self.seconds_left is None:
            return ""
        return str(datetime.timedelta(seconds=self.seconds_left))

    @property
    def done_fraction(self) -> float:
        return (self.sent + self.failed + self.skipped) / self.total if self.total else 1.0


def send_progress(send: Send, *, now: datetime.datetime | None = None) -> Progress:
    """Counts of a send's deliveries, its rate over the last minute and the time left."""
    now = now or timezone.now()
    statuses = {f"n_{s}": Count("pk", filter=Q(status=s)) for s in Delivery.Status.values}
    counts = Delivery.objects.filter(send=send).aggregate(
        total=Count("pk"),
        in_doubt=Count("pk", filter=Q(in_doubt=True)),
        recent=Count("pk", filter=Q(status="sent", sent_at__gte=now - RATE_WINDOW)),
        **statuses,
    )
    rate = counts["recent"] / RATE_WINDOW.total_seconds()
    left = counts["n_queued"] + counts["n_sending"]
    return Progress(
        total=counts["total"],
        queued=counts["n_queued"],
        sending=counts["n_sending"],
        sent=counts["n_sent"],
        failed=counts["n_failed"],
        skipped=counts["n_skipped"],
        in_doubt=counts["in_doubt"],
        per_second=round(rate, 1),
        seconds_left=int(left / rate) if rate and send.status == Send.Status.SENDING else None,
    )


EXPORT_COLUMNS = [
    "email",
    "name",
    "organisation",
    "language",
    "bulletin",
    "status",
    "created_at",
    "confirmed_at",
    "unsubscribed_at",
]


def subscriptions_export_rows(subscribers) -> Iterator[list[str]]:
    """One CSV row per subscription of the given subscribers."""
    rows = (
        Subscription.objects.filter(subscriber__in=subscribers)
        .select_related("subscriber", "bulletin")
        .order_by("subscriber__email", "bulletin__name")
    )
    for s in rows.iterator(chunk_size=2000):
        yield [
            s.subscriber.email,
            s.subscriber.name,
            s.subscriber.organisation,
            s.subscriber.language,
            s.bulletin.slug,
            s.status,
            _iso(s.created_at) or "",
            _iso(s.confirmed_at) or "",
            _iso(s.unsubscribed_at) or "",
        ]
