"""The signed links of every email: one-click unsubscribe (RFC 8058), preferences, data
download and erasure; forged, tampered and expired links change nothing."""

import json

import pytest
from django.core import signing
from django.test import Client

from bulletin.mailing.models import Consent, Subscriber, Subscription
from bulletin.mailing.tokens import confirm_token, manage_token, unsubscribe_token
from tests.factories import BulletinFactory
from tests.mailing.factories import SubscriptionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def subscription():
    return SubscriptionFactory()


@pytest.fixture
def strict_client():
    """A client like a mail provider's: no cookies, CSRF checks on."""
    return Client(enforce_csrf_checks=True)


def unsubscribe_url(subscription) -> str:
    s = subscription.subscriber
    return f"/mail/unsubscribe/{unsubscribe_token(s.pk, s.key, subscription.bulletin_id)}/"


def status(subscription) -> str:
    subscription.refresh_from_db()
    return subscription.status


def test_a_one_click_post_unsubscribes_without_cookie_or_csrf(subscription, strict_client):
    response = strict_client.post(unsubscribe_url(subscription), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert status(subscription) == Subscription.Status.UNSUBSCRIBED


def test_the_one_click_unsubscribe_is_recorded(subscription, strict_client):
    strict_client.post(unsubscribe_url(subscription), {"List-Unsubscribe": "One-Click"})
    consent = Consent.objects.get()
    assert (consent.action, consent.route) == ("withdrawn", "email")


def test_a_get_of_the_unsubscribe_link_only_shows_a_button(subscription, client):
    response = client.get(unsubscribe_url(subscription))
    assert response.status_code == 200
    assert b'method="post"' in response.content
    assert status(subscription) == Subscription.Status.CONFIRMED


def test_unsubscribing_twice_is_harmless(subscription, client):
    client.post(unsubscribe_url(subscription))
    assert client.post(unsubscribe_url(subscription)).status_code == 200
    assert Consent.objects.count() == 1


def test_unsubscribing_leaves_the_other_bulletins(subscription, client):
    other = SubscriptionFactory(
        subscriber=subscription.subscriber, bulletin=BulletinFactory(slug="other")
    )
    client.post(unsubscribe_url(subscription))
    assert status(other) == Subscription.Status.CONFIRMED


@pytest.mark.parametrize(
    "token",
    [
        "garbage",
        signing.dumps([1, "key", 1], salt="mailing.unsubscribe", key="not-our-secret"),
    ],
    ids=["garbage", "forged"],
)
def test_a_forged_unsubscribe_link_is_refused_and_changes_nothing(subscription, client, token):
    response = client.post(f"/mail/unsubscribe/{token}/")
    assert response.status_code == 400
    assert response.context["reason"] == "invalid"
    assert status(subscription) == Subscription.Status.CONFIRMED


def test_a_tampered_unsubscribe_link_is_refused(subscription, client):
    url = unsubscribe_url(subscription)
    token = url.split("/")[-2]
    tampered = ("A" if token[0] != "A" else "B") + token[1:]
    assert client.post(f"/mail/unsubscribe/{tampered}/").status_code == 400
    assert status(subscription) == Subscription.Status.CONFIRMED


def test_a_link_of_another_purpose_is_refused(subscription, client):
    token = manage_token(subscription.subscriber)  # a preferences link, not an unsubscribe one
    assert client.post(f"/mail/unsubscribe/{token}/").status_code == 400
    assert status(subscription) == Subscription.Status.CONFIRMED


def test_a_new_key_revokes_the_old_links(subscription, client):
    url = unsubscribe_url(subscription)
    Subscriber.objects.filter(pk=subscription.subscriber_id).update(key="fresh")
    assert client.post(url).status_code == 400


def test_an_expired_confirmation_link_says_so(client, settings):
    pending = SubscriptionFactory(status=Subscription.Status.PENDING)
    token = confirm_token(pending)
    settings.MAILING_CONFIRM_MAX_AGE = -1
    response = client.post(f"/mail/confirm/{token}/")
    assert response.status_code == 400
    assert response.context["reason"] == "expired"
    assert status(pending) == Subscription.Status.PENDING


def test_a_confirmation_link_cannot_undo_an_unsubscribe(client):
    gone = SubscriptionFactory(status=Subscription.Status.UNSUBSCRIBED)
    response = client.post(f"/mail/confirm/{confirm_token(gone)}/")
    assert response.status_code == 400
    assert status(gone) == Subscription.Status.UNSUBSCRIBED


def test_the_preferences_page_saves_bulletins_language_and_name(subscription, client):
    second = BulletinFactory(slug="second")
    url = f"/mail/preferences/{manage_token(subscription.subscriber)}/"
    response = client.post(
        url, {"bulletins": [second.pk], "language": "en", "name": "Wang", "organisation": "X"}
    )
    assert response.status_code == 200
    subscriber = Subscriber.objects.get()
    assert (subscriber.language, subscriber.name) == ("en", "Wang")
    statuses = dict(subscriber.subscriptions.values_list("bulletin__slug", "status"))
    assert statuses == {subscription.bulletin.slug: "unsubscribed", "second": "confirmed"}


def test_a_subscriber_downloads_their_data(subscription, client):
    response = client.get(f"/mail/preferences/{manage_token(subscription.subscriber)}/data/")
    data = json.loads(response.content)
    assert response["Content-Disposition"].startswith("attachment")
    assert data["email"] == subscription.subscriber.email
    assert data["subscriptions"][0]["status"] == "confirmed"


def test_a_subscriber_deletes_themselves(subscription, client):
    url = f"/mail/preferences/{manage_token(subscription.subscriber)}/delete/"
    assert client.get(url).status_code == 200
    assert Subscriber.objects.exists()
    client.post(url)
    assert not Subscriber.objects.exists()
    assert not Subscription.objects.exists()


def test_pages_behind_a_signed_link_send_no_referrer_to_other_sites(subscription, client):
    response = client.get(f"/mail/preferences/{manage_token(subscription.subscriber)}/")
    assert response["Referrer-Policy"] == "same-origin"
