"""An email provider through django-anymail: sending by its HTTP API (the one thing mocked
here, since it cannot run on this machine) and its webhook's bounces and complaints."""

import base64
import json

import pytest
import requests

from bulletin.mailing.models import Delivery, Subscription
from bulletin.mailing.services.delivery import send_process
from bulletin.mailing.services.sending import send_create
from tests.factories import IssueFactory, publish
from tests.mailing.factories import SubscriptionFactory

pytestmark = pytest.mark.django_db
AUTH = "Basic " + base64.b64encode(b"hook:secret").decode()


def accepted(to):
    return 200, {
        "To": to,
        "SubmittedAt": "2024-08-01T10:00:00Z",
        "MessageID": "pm-1",
        "ErrorCode": 0,
        "Message": "OK",
    }


def inactive(to):
    message = (
        "You tried to send to a recipient that has been marked as inactive.\n"
        f"Found inactive addresses: {to}.\n"
        "Inactive recipients are ones that have generated a hard bounce or a spam complaint."
    )
    return 422, {"ErrorCode": 406, "Message": message}


@pytest.fixture
def postmark(settings, monkeypatch):
    """The Postmark backend, its HTTP API answering with `reply` (status, JSON)."""
    settings.EMAIL_BACKEND = "anymail.backends.postmark.EmailBackend"
    settings.ANYMAIL = {"POSTMARK_SERVER_TOKEN": "test-token", "WEBHOOK_SECRET": "hook:secret"}
    settings.MAILING_RATE = 0
    api = {"reply": accepted, "sent": []}

    def request(session, method, url, data=None, **kwargs):
        payload = json.loads(data)
        api["sent"].append(payload)
        response = requests.Response()
        response.status_code, body = api["reply"](payload["To"])
        response._content = json.dumps(body).encode()
        response.url = url
        return response

    monkeypatch.setattr(requests.Session, "request", request)
    return api


def sent_through(subscription):
    send = send_create(issue=publish(IssueFactory(bulletin=subscription.bulletin)), user=None)
    send.refresh_from_db()
    send_process(send_id=send.pk, generation=send.generation)
    return Delivery.objects.get(send=send)


def test_a_provider_sends_the_email_with_the_unsubscribe_headers(postmark):
    delivery = sent_through(SubscriptionFactory())
    assert (delivery.status, delivery.message_id) == (Delivery.Status.SENT, "pm-1")
    headers = {h["Name"]: h["Value"] for h in postmark["sent"][0]["Headers"]}
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/mail/unsubscribe/" in headers["List-Unsubscribe"]


def test_a_provider_error_is_retried(postmark):
    postmark["reply"] = lambda to: (500, {"ErrorCode": 100, "Message": "Maintenance"})
    delivery = sent_through(SubscriptionFactory())
    assert (delivery.status, delivery.attempts) == (Delivery.Status.QUEUED, 1)
    assert "500" in delivery.last_error


def test_a_recipient_the_provider_refuses_is_failed_and_stopped(postmark):
    postmark["reply"] = inactive
    subscription = SubscriptionFactory()
    assert sent_through(subscription).status == Delivery.Status.FAILED
    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.BOUNCED


def post_event(client, event):
    return client.post(
        "/mail/provider/postmark/tracking/",
        json.dumps(event),
        content_type="application/json",
        HTTP_AUTHORIZATION=AUTH,
    )


def bounce(email, kind):
    return {"RecordType": "Bounce", "ID": 1, "Type": kind, "Email": email, "MessageID": "x"}


@pytest.mark.urls("tests.mailing.provider_urls")
def test_a_hard_bounce_stops_further_mail(postmark, client):
    subscription = SubscriptionFactory()
    assert (
        post_event(client, bounce(subscription.subscriber.email, "HardBounce")).status_code == 200
    )
    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.BOUNCED


@pytest.mark.urls("tests.mailing.provider_urls")
def test_a_soft_bounce_does_not(postmark, client):
    subscription = SubscriptionFactory()
    post_event(client, bounce(subscription.subscriber.email, "SoftBounce"))
    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.CONFIRMED


@pytest.mark.urls("tests.mailing.provider_urls")
def test_a_complaint_stops_further_mail_and_skips_the_queued(postmark, client):
    subscription = SubscriptionFactory()
    send = send_create(issue=publish(IssueFactory(bulletin=subscription.bulletin)), user=None)
    event = {"RecordType": "SpamComplaint", "ID": 2, "Type": "SpamComplaint"}
    post_event(client, {**event, "Email": subscription.subscriber.email})
    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.COMPLAINED
    assert Delivery.objects.get(send=send).status == Delivery.Status.SKIPPED


@pytest.mark.urls("tests.mailing.provider_urls")
def test_a_webhook_call_without_the_secret_changes_nothing(postmark, client):
    subscription = SubscriptionFactory()
    response = client.post(
        "/mail/provider/postmark/tracking/",
        json.dumps(bounce(subscription.subscriber.email, "HardBounce")),
        content_type="application/json",
    )
    assert response.status_code == 400
    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.CONFIRMED


@pytest.mark.urls("tests.mailing.provider_urls")
def test_the_mailto_unsubscribe_arrives_by_the_inbound_webhook(postmark, client):
    from bulletin.mailing.tokens import unsubscribe_token

    subscription = SubscriptionFactory()
    s = subscription.subscriber
    token = unsubscribe_token(s.pk, s.key, subscription.bulletin_id)
    raw = f"From: {s.email}\r\nTo: bulletin@localhost\r\nSubject: unsubscribe {token}\r\n\r\n-\r\n"
    response = client.post(
        "/mail/provider/postmark/inbound/",
        json.dumps({"RawEmail": raw, "Headers": []}),
        content_type="application/json",
        HTTP_AUTHORIZATION=AUTH,
    )
    assert response.status_code == 200
    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.UNSUBSCRIBED


def test_a_rejected_api_token_fails_no_message(postmark):
    postmark["reply"] = lambda to: (401, {"ErrorCode": 10, "Message": "Bad or missing token"})
    delivery = sent_through(SubscriptionFactory())
    assert delivery.status == Delivery.Status.QUEUED


@pytest.mark.urls("tests.mailing.provider_urls")
def test_an_unsubscribe_at_the_provider_stops_further_mail(postmark, client):
    subscription = SubscriptionFactory()
    event = {"RecordType": "SubscriptionChange", "SuppressSending": True}
    post_event(
        client,
        {
            **event,
            "SuppressionReason": "ManualSuppression",
            "Recipient": subscription.subscriber.email,
        },
    )
    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.UNSUBSCRIBED
