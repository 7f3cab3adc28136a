"""What the email output does on the project's hooks: the publishing job, the confirmation job,
and the reports of an email provider (django-anymail's tracking and inbound signals)."""

import logging
import re

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from bulletin.mailing.models import Consent, Subscription
from bulletin.mailing.selectors import issue_deliveries_unsent, issue_recipients
from bulletin.mailing.services.sending import send_create, send_create_edition
from bulletin.mailing.services.subscribers import (
    Origin,
    subscriber_stop,
    subscriber_subscribe,
    subscription_unsubscribe,
)
from bulletin.mailing.tokens import (
    TokenError,
    confirm_token,
    manage_token,
    read_unsubscribe_token,
)
from bulletin.models import Bulletin, Issue
from bulletin.outcomes import outcome_of
from bulletin.services.jobs import job_handler

logger = logging.getLogger(__name__)
SOFT_BOUNCES = {"SoftBounce", "Transient", "temporary", "Undetermined"}
TOKEN_IN_SUBJECT = re.compile(r"unsubscribe\s+(\S+)", re.IGNORECASE)


@job_handler("mailing.send")
def issue_send(payload: dict) -> None:
    """Publishing an issue sends it to the bulletin's confirmed subscribers, once."""
    issue = Issue.objects.filter(pk=payload["issue_id"]).first()
    if issue is not None:
        send_create(issue=issue, user=None, automatic=True)


@job_handler("mailing.edition")
def edition_send(payload: dict) -> None:
    """Publishing an edition sends it to the subscribers of its language who have not had the
    issue yet, once."""
    issue = Issue.objects.filter(pk=payload["issue_id"]).first()
    if issue is not None and payload.get("language"):
        send_create_edition(issue=issue, language=payload["language"])


@outcome_of("publish", output="mailing.send")
def issue_send_outcome(issue: Issue) -> str:
    """Publishing emails the issue to its bulletin's confirmed subscribers: say to how many."""
    count = issue_recipients(issue, waiting_excluded=True).count()
    values = {"count": number_format(count, force_grouping=True), "bulletin": issue.bulletin}
    if settings.MAILING_HOLD_NEW_SENDS:
        return (
            ngettext(
                "An email to %(count)s confirmed subscriber of “%(bulletin)s” is prepared and "
                "held until a publisher resumes it.",
                "An email to %(count)s confirmed subscribers of “%(bulletin)s” is prepared and "
                "held until a publisher resumes it.",
                count,
            )
            % values
        )
    return (
        ngettext(
            "The issue is emailed to %(count)s confirmed subscriber of “%(bulletin)s”.",
            "The issue is emailed to %(count)s confirmed subscribers of “%(bulletin)s”.",
            count,
        )
        % values
    )


@outcome_of("withdraw", output="mailing.send")
def issue_withdraw_outcome(issue: Issue) -> str | None:
    """A withdrawal stops the issue's send under way: say how many messages will not go out."""
    unsent = issue_deliveries_unsent(issue)
    if not unsent:
        return None
    return _("Its email send under way stops: %(count)s messages not sent yet will not go out.") % {
        "count": number_format(unsent, force_grouping=True)
    }


def _absolute(name: str, token: str) -> str:
    return settings.SITE_URL + reverse(f"mailing:{name}", args=[token])


@job_handler("mailing.subscribe", private=True)
def subscription_requested(payload: dict) -> None:
    """A request from the public form, carried out away from the request."""
    bulletin = Bulletin.objects.filter(pk=payload["bulletin_id"]).first()
    if bulletin is None:
        return
    subscriber_subscribe(
        bulletin=bulletin,
        email=payload["email"],
        name=payload["name"],
        organisation=payload["organisation"],
        language=payload["language"],
        consent_text=payload["consent_text"],
        origin=Origin(**payload["origin"]),
    )


@job_handler("mailing.confirm")
def confirmation_send(payload: dict) -> None:
    """The confirmation email of the double opt-in, or, to an address already confirmed, a
    reminder with its preferences link (the form's answer is the same in both cases)."""
    subscription = (
        Subscription.objects.select_related("subscriber", "bulletin")
        .filter(pk=payload["subscription_id"])
        .first()
    )
    if subscription is None or subscription.status not in ("pending", "confirmed"):
        return
    subscriber = subscription.subscriber
    with translation.override(subscriber.language):
        if subscription.status == Subscription.Status.PENDING:
            name, url = "mailing_confirm", _absolute("confirm", confirm_token(subscription))
        else:
            name, url = "mailing_subscribed", _absolute("preferences", manage_token(subscriber))
        context = {"subscription": subscription, "bulletin": subscription.bulletin, "url": url}
        subject = " ".join(render_to_string(f"email/{name}_subject.txt", context).split())
        body = render_to_string(f"email/{name}.txt", context)
    EmailMultiAlternatives(
        subject, body, settings.MAILING_FROM_EMAIL, [subscriber.email], headers={}
    ).send()


def _soft(event) -> bool:
    esp = event.esp_event if isinstance(event.esp_event, dict) else {}
    markers = {
        esp.get("Type"),  # Postmark
        esp.get("severity"),  # Mailgun
        (esp.get("bounce") or {}).get("bounceType"),  # Amazon SES
    }
    return bool(markers & SOFT_BOUNCES)


def on_tracking(sender, event, esp_name, **kwargs) -> None:
    """A hard bounce, a complaint or an unsubscribe at the provider stops all further mail to
    the address."""
    if not event.recipient:
        return
    reason = f"{esp_name}: {event.event_type} {event.description or event.mta_response or ''}"
    hard_bounce = (event.event_type == "bounced" and not _soft(event)) or (
        event.event_type == "rejected" and event.reject_reason in ("bounced", "invalid")
    )
    if event.event_type == "complained":
        subscriber_stop(email=event.recipient, status="complained", reason=reason)
    elif event.event_type == "unsubscribed":  # through the provider's own link or list
        subscriber_stop(email=event.recipient, status="unsubscribed", reason=reason)
    elif hard_bounce:
        subscriber_stop(email=event.recipient, status="bounced", reason=reason)


def on_inbound(sender, event, esp_name, **kwargs) -> None:
    """The mailto: of List-Unsubscribe: a message whose subject carries the token."""
    match = TOKEN_IN_SUBJECT.search(event.message.subject or "")
    if not match:
        return
    try:
        target = read_unsubscribe_token(match.group(1))
    except TokenError:
        logger.info("unsubscribe email with an invalid token ignored")
        return
    subscription_unsubscribe(
        subscriber=target.subscriber,
        bulletin_id=target.bulletin_id,
        origin=Origin(route=Consent.Route.EMAIL),
    )


def connect_provider_signals() -> None:
    """Listen to django-anymail's webhooks when it is installed."""
    try:
        from anymail.signals import inbound, tracking  # noqa: PLC0415 - an optional package
    except ImportError:
        return
    tracking.connect(on_tracking, dispatch_uid="mailing.tracking")
    inbound.connect(on_inbound, dispatch_uid="mailing.inbound")
