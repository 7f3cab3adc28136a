"""Signed links: confirm a subscription, manage one's data, unsubscribe from one bulletin.

Each token is signed with SECRET_KEY and a salt of its purpose, so a token for one purpose is
useless for another. Management and unsubscribe tokens carry the subscriber's key: a new key
revokes them all. Confirmation tokens expire (MAILING_CONFIRM_MAX_AGE).
"""

from dataclasses import dataclass

from django.conf import settings
from django.core import signing

from bulletin.mailing.models import Subscriber, Subscription

CONFIRM_SALT = "mailing.confirm"
MANAGE_SALT = "mailing.manage"
UNSUBSCRIBE_SALT = "mailing.unsubscribe"


class TokenError(Exception):
    """A link that is forged, tampered with, expired or no longer valid."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason  # "invalid" or "expired"


@dataclass(frozen=True)
class UnsubscribeTarget:
    subscriber: Subscriber
    bulletin_id: int


def confirm_token(subscription: Subscription) -> str:
    return signing.dumps([subscription.pk, subscription.subscriber.key], salt=CONFIRM_SALT)


def manage_token(subscriber: Subscriber) -> str:
    return manage_token_for(subscriber.pk, subscriber.key)


def manage_token_for(subscriber_id: int, key: str) -> str:
    return signing.dumps([subscriber_id, key], salt=MANAGE_SALT)


def unsubscribe_token(subscriber_id: int, key: str, bulletin_id: int) -> str:
    """Built for every message of a send, so it takes plain values, not rows."""
    return signing.dumps([subscriber_id, key, bulletin_id], salt=UNSUBSCRIBE_SALT)


def _load(token: str, salt: str, max_age=None) -> list:
    try:
        value = signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise TokenError("expired") from exc
    except signing.BadSignature as exc:
        raise TokenError("invalid") from exc
    if not isinstance(value, list) or not value:
        raise TokenError("invalid")
    return value


def _subscriber(pk, key) -> Subscriber:
    if not isinstance(pk, int):
        raise TokenError("invalid")
    subscriber = Subscriber.objects.filter(pk=pk).first()
    if subscriber is None or not isinstance(key, str) or subscriber.key != key:
        raise TokenError("invalid")
    return subscriber


def read_confirm_token(token: str) -> Subscription:
    """The subscription a confirmation link is for."""
    pk, key = (_load(token, CONFIRM_SALT, settings.MAILING_CONFIRM_MAX_AGE) + [None])[:2]
    if not isinstance(pk, int):
        raise TokenError("invalid")
    subscription = Subscription.objects.select_related("subscriber", "bulletin").filter(pk=pk)
    subscription = subscription.first()
    if subscription is None or subscription.subscriber.key != key:
        raise TokenError("invalid")
    return subscription


def read_manage_token(token: str) -> Subscriber:
    pk, key = (_load(token, MANAGE_SALT) + [None])[:2]
    return _subscriber(pk, key)


def read_unsubscribe_token(token: str) -> UnsubscribeTarget:
    pk, key, bulletin_id = (_load(token, UNSUBSCRIBE_SALT) + [None, None])[:3]
    if not isinstance(bulletin_id, int):
        raise TokenError("invalid")
    return UnsubscribeTarget(subscriber=_subscriber(pk, key), bulletin_id=bulletin_id)
