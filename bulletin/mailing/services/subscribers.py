"""Subscribing, confirming, preferences, unsubscribing and erasure, each with its consent record."""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from bulletin.mailing.models import (
    Consent,
    Delivery,
    Subscriber,
    Subscription,
    normalize_email,
)
from bulletin.models import Bulletin
from bulletin.roles import Role, require
from bulletin.services.jobs import job_enqueue

logger = logging.getLogger(__name__)
Status = Subscription.Status
STOPPED_STATES = [Status.UNSUBSCRIBED, Status.BOUNCED, Status.COMPLAINED]


@dataclass(frozen=True)
class Origin:
    """Where a change came from, for the consent record."""

    route: str
    ip: str | None = None
    user_agent: str = ""
    actor: object = None


# Changes made by staff need a publisher; the others carry their own proof (a signed link, the
# subscriber's own form, the provider's signed report).
STAFF_ROUTES = {Consent.Route.ADMIN, Consent.Route.IMPORT}


def origin_check(origin: Origin) -> None:
    """Refuse a change made by staff unless they are a publisher."""
    if origin.route in STAFF_ROUTES:
        require(origin.actor, Role.PUBLISHER)


def _record(subscription: Subscription, action: str, origin: Origin, text: str = "") -> None:
    Consent.objects.create(
        subscriber_id=subscription.subscriber_id,
        bulletin_id=subscription.bulletin_id,
        action=action,
        route=origin.route,
        text=text,
        ip=origin.ip or None,
        user_agent=(origin.user_agent or "")[:500],
        actor=origin.actor if getattr(origin.actor, "pk", None) else None,
    )


def _set_status(subscription: Subscription, status: str, now: datetime.datetime) -> None:
    subscription.status = status
    subscription.status_changed_at = now
    if status == Status.CONFIRMED:
        subscription.confirmed_at = now
    if status == Status.UNSUBSCRIBED:
        subscription.unsubscribed_at = now
    subscription.save()


def _subscriber_get_or_create(*, email: str, defaults: dict) -> tuple[Subscriber, bool]:
    email = normalize_email(email)
    try:
        with transaction.atomic():
            return Subscriber.objects.get_or_create(email=email, defaults=defaults)
    except IntegrityError:  # created at the same moment by another request
        return Subscriber.objects.get(email=email), False


def _confirmation_due(subscription: Subscription, now: datetime.datetime) -> bool:
    """At most one confirmation email per MAILING_CONFIRM_RESEND_AFTER, however often the
    form is sent: resubmitting must not flood a mailbox."""
    last = subscription.confirmation_sent_at
    return last is None or now - last >= datetime.timedelta(
        seconds=settings.MAILING_CONFIRM_RESEND_AFTER
    )


@transaction.atomic
def subscription_request(
    *,
    bulletin: Bulletin,
    email: str,
    consent_text: str,
    origin: Origin,
    name: str = "",
    organisation: str = "",
    language: str = "",
) -> None:
    """Take a request from the public subscribe form. It is written down as a job, and the job
    subscribes (subscriber_subscribe): the request does the same work whether the address is
    known or not, so that neither its answer nor its time tells which."""
    job_enqueue(
        name="mailing.subscribe",
        payload={
            "bulletin_id": bulletin.pk,
            "email": email,
            "name": name,
            "organisation": organisation,
            "language": language,
            "consent_text": consent_text,
            "origin": {"route": origin.route, "ip": origin.ip, "user_agent": origin.user_agent},
        },
    )


def subscriber_subscribe(
    *,
    bulletin: Bulletin,
    email: str,
    consent_text: str,
    origin: Origin,
    name: str = "",
    organisation: str = "",
    language: str = "",
) -> Subscription:
    """Ask for a subscription: a confirmation email goes out, or, for an address already
    confirmed, a reminder with its preferences link. The caller answers the same either way."""
    now = timezone.now()
    defaults = {"name": name, "organisation": organisation, "language": language or "zh-hans"}
    # An existing subscriber's details are not changed from a public form anyone can send.
    subscriber, _created = _subscriber_get_or_create(email=email, defaults=defaults)
    subscription, _created = Subscription.objects.get_or_create(
        subscriber=subscriber, bulletin=bulletin, defaults={"status_changed_at": now}
    )
    subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
    if subscription.status != Status.CONFIRMED:
        if subscription.status != Status.PENDING:
            _set_status(subscription, Status.PENDING, now)
        _record(subscription, Consent.Action.REQUESTED, origin, consent_text)
    if _confirmation_due(subscription, now):
        subscription.confirmation_sent_at = now
        subscription.save(update_fields=["confirmation_sent_at"])
        job_enqueue(name="mailing.confirm", payload={"subscription_id": subscription.pk})
    return subscription


@transaction.atomic
def subscription_confirm(*, subscription: Subscription, origin: Origin) -> bool:
    """Confirm a pending subscription (the second step of the double opt-in)."""
    subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
    if subscription.status == Status.CONFIRMED:
        return True
    if subscription.status != Status.PENDING:
        return False
    _set_status(subscription, Status.CONFIRMED, timezone.now())
    requested = Consent.objects.filter(
        subscriber_id=subscription.subscriber_id,
        bulletin_id=subscription.bulletin_id,
        action=Consent.Action.REQUESTED,
    ).first()
    _record(subscription, Consent.Action.CONFIRMED, origin, requested.text if requested else "")
    return True


def deliveries_skip(*, subscriber_id: int, bulletin_id: int | None, reason: str) -> int:
    """Stop the messages not yet handed to the server for this subscriber (for one bulletin,
    or for all); a worker that claimed one notices and leaves it."""
    pending = Delivery.objects.filter(
        subscriber_id=subscriber_id,
        status__in=Delivery.PENDING_STATES,
        handed_at__isnull=True,
    )
    if bulletin_id is not None:
        pending = pending.filter(send__bulletin_id=bulletin_id)
    return pending.update(
        status=Delivery.Status.SKIPPED, claim=None, lease_until=None, last_error=reason
    )


@transaction.atomic
def subscription_unsubscribe(*, subscriber: Subscriber, bulletin_id: int, origin: Origin) -> bool:
    """Unsubscribe from one bulletin at once, including from a send under way."""
    origin_check(origin)
    subscription = (
        Subscription.objects.select_for_update()
        .filter(subscriber=subscriber, bulletin_id=bulletin_id)
        .first()
    )
    if subscription is None:
        return False
    if subscription.status not in STOPPED_STATES:
        _set_status(subscription, Status.UNSUBSCRIBED, timezone.now())
        _record(subscription, Consent.Action.WITHDRAWN, origin)
    deliveries_skip(subscriber_id=subscriber.pk, bulletin_id=bulletin_id, reason="unsubscribed")
    return True


@transaction.atomic
def subscriber_update_preferences(
    *,
    subscriber: Subscriber,
    name: str,
    organisation: str,
    language: str,
    bulletins: list[Bulletin],
    consent_text: str,
    origin: Origin,
) -> Subscriber:
    """Save what a subscriber chose on their preferences page (reached by a signed link, so
    the mailbox is theirs: a bulletin they tick is confirmed at once)."""
    subscriber.name, subscriber.organisation, subscriber.language = name, organisation, language
    subscriber.full_clean()
    subscriber.save()
    now = timezone.now()
    wanted = {b.pk for b in bulletins}
    current = {s.bulletin_id: s for s in subscriber.subscriptions.select_for_update()}
    for bulletin_id in wanted:
        subscription = current.get(bulletin_id) or Subscription(
            subscriber=subscriber, bulletin_id=bulletin_id
        )
        if subscription.status != Status.CONFIRMED or subscription.pk is None:
            _set_status(subscription, Status.CONFIRMED, now)
            _record(subscription, Consent.Action.CONFIRMED, origin, consent_text)
    for bulletin_id, subscription in current.items():
        if bulletin_id not in wanted and subscription.status not in STOPPED_STATES:
            subscription_unsubscribe(subscriber=subscriber, bulletin_id=bulletin_id, origin=origin)
    return subscriber


@transaction.atomic
def subscriber_delete(*, subscriber: Subscriber, origin: Origin) -> None:
    """Erase a subscriber with their subscriptions, consent records and deliveries."""
    origin_check(origin)
    logger.info("subscriber %s erased", subscriber.pk)
    subscriber.delete()


@transaction.atomic
def subscriber_stop(*, email: str, status: str, reason: str) -> int:
    """A hard bounce or a complaint: no more mail to this address, from any bulletin."""
    subscriber = Subscriber.objects.filter(email=normalize_email(email)).first()
    if subscriber is None:
        return 0
    now = timezone.now()
    origin = Origin(route=Consent.Route.PROVIDER)
    changed = 0
    for subscription in subscriber.subscriptions.select_for_update():
        if subscription.status in (Status.CONFIRMED, Status.PENDING):
            _set_status(subscription, status, now)
            _record(subscription, Consent.Action.STOPPED, origin, reason[:1000])
            changed += 1
    deliveries_skip(subscriber_id=subscriber.pk, bulletin_id=None, reason=status)
    return changed


@transaction.atomic
def subscriber_add(
    *,
    bulletin: Bulletin,
    email: str,
    consent_text: str,
    origin: Origin,
    name: str = "",
    organisation: str = "",
    language: str = "zh-hans",
) -> Subscription:
    """Subscribe someone who consented elsewhere (in the admin): confirmed, with their
    statement of consent. An address that unsubscribed is not re-subscribed this way."""
    origin_check(origin)
    subscriber, _created = _subscriber_get_or_create(
        email=email, defaults={"name": name, "organisation": organisation, "language": language}
    )
    subscription, created = Subscription.objects.get_or_create(
        subscriber=subscriber, bulletin=bulletin
    )
    if created or subscription.status == Status.PENDING:
        _set_status(subscription, Status.CONFIRMED, timezone.now())
        _record(subscription, Consent.Action.CONFIRMED, origin, consent_text)
    return subscription
