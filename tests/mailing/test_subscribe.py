"""The double opt-in over real SMTP: the form, the confirmation email, the confirmation page."""

import re

import pytest
from django.core.cache import cache

from bulletin.mailing.models import Consent, Subscriber, Subscription
from tests.factories import BulletinFactory
from tests.mailing.factories import SubscriptionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()


@pytest.fixture
def bulletin():
    return BulletinFactory()


@pytest.fixture
def subscribe(client, bulletin, django_capture_on_commit_callbacks):
    def post(email, ip="192.0.2.10", **fields):
        data = {"email": email, "language": "en", "consent": "on", "website": "", **fields}
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                f"/mail/subscribe/{bulletin.slug}/",
                data,
                REMOTE_ADDR=ip,
                HTTP_USER_AGENT="Tests/1.0",
            )

    return post


def link_in(received) -> str:
    text = received.message.get_body(preferencelist=("plain",)).get_content()
    return re.search(r"https?://\S+", text).group(0).removeprefix("http://127.0.0.1:8000")


def test_subscribing_sends_one_confirmation_email(smtp, subscribe):
    response = subscribe("new@example.com")
    assert response.status_code == 302
    assert smtp.per_recipient() == {"new@example.com": 1}
    assert Subscription.objects.get().status == Subscription.Status.PENDING


def test_opening_the_confirmation_link_does_not_confirm(smtp, subscribe, client):
    subscribe("new@example.com")
    response = client.get(link_in(smtp.received[0]))
    assert response.status_code == 200
    assert Subscription.objects.get().status == Subscription.Status.PENDING


def test_the_button_on_the_confirmation_page_confirms(smtp, subscribe, client):
    subscribe("new@example.com")
    response = client.post(link_in(smtp.received[0]))
    assert response.status_code == 200
    assert Subscription.objects.get().status == Subscription.Status.CONFIRMED


def test_consent_is_recorded_with_ip_user_agent_route_and_text(smtp, subscribe, client, bulletin):
    subscribe("new@example.com")
    client.post(link_in(smtp.received[0]), REMOTE_ADDR="192.0.2.11")
    requested, confirmed = Consent.objects.order_by("created_at", "pk")
    assert (requested.action, requested.route, str(requested.ip)) == (
        "requested",
        "web",
        "192.0.2.10",
    )
    assert requested.user_agent == "Tests/1.0"
    assert bulletin.name in requested.text
    assert (confirmed.action, str(confirmed.ip), confirmed.text) == (
        "confirmed",
        "192.0.2.11",
        requested.text,
    )


def test_the_answer_is_the_same_for_a_known_and_an_unknown_address(smtp, subscribe, bulletin):
    SubscriptionFactory(bulletin=bulletin, subscriber__email="known@example.com")
    known, unknown = subscribe("known@example.com"), subscribe("unknown@example.com")
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])


def test_a_known_address_gets_its_preferences_link_not_a_confirmation(smtp, subscribe, bulletin):
    SubscriptionFactory(bulletin=bulletin, subscriber__email="known@example.com")
    subscribe("known@example.com")
    assert "/mail/preferences/" in link_in(smtp.to("known@example.com")[0])


def test_sending_the_form_again_does_not_send_a_flood(smtp, subscribe):
    for _ in range(4):
        subscribe("new@example.com")
    assert smtp.per_recipient() == {"new@example.com": 1}


def test_the_public_form_does_not_change_a_subscribers_name(smtp, subscribe, bulletin):
    SubscriptionFactory(
        bulletin=bulletin, subscriber__email="known@example.com", subscriber__name="王"
    )
    subscribe("known@example.com", name="Someone else")
    assert Subscriber.objects.get().name == "王"


def test_addresses_differing_in_case_are_one_subscriber(smtp, subscribe):
    subscribe("Mixed@Example.com")
    subscribe("mixed@example.COM")
    assert Subscriber.objects.get().email == "mixed@example.com"


def test_the_honeypot_answers_as_usual_and_does_nothing(smtp, subscribe):
    response = subscribe("bot@example.com", website="http://spam.example")
    assert response.status_code == 302
    assert not Subscriber.objects.exists()
    assert smtp.per_recipient() == {}


def test_the_form_is_rate_limited_per_ip(smtp, subscribe, settings):
    settings.MAILING_SUBSCRIBE_LIMIT = 3
    statuses = [subscribe(f"n{i}@example.com").status_code for i in range(4)]
    assert statuses == [302, 302, 302, 429]
    assert subscribe("other@example.com", ip="192.0.2.99").status_code == 302


def test_an_invalid_address_is_refused_with_a_message(smtp, subscribe):
    response = subscribe("not-an-address")
    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    assert not Subscriber.objects.exists()


def test_consent_must_be_given(smtp, subscribe):
    response = subscribe("new@example.com", consent="")
    assert response.context["form"].errors["consent"]
    assert not Subscriber.objects.exists()


def test_the_form_speaks_english_under_en(client, bulletin):
    response = client.get(f"/en/mail/subscribe/{bulletin.slug}/")
    assert response.status_code == 200
    assert b"Subscribe to" in response.content


def test_an_unknown_bulletin_is_not_found(client):
    assert client.get("/mail/subscribe/nope/").status_code == 404


def _request_work(client, bulletin, email) -> list[str]:
    """The SQL one subscribe request runs, with its values left out."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    data = {"email": email, "language": "en", "consent": "on", "website": ""}
    with CaptureQueriesContext(connection) as queries:
        response = client.post(f"/mail/subscribe/{bulletin.slug}/", data, REMOTE_ADDR="192.0.2.9")
    assert response.status_code == 302
    return [re.sub(r"'[^']*'|\w*\d\w*", "?", q["sql"]) for q in queries.captured_queries]


def test_a_known_and_an_unknown_address_cost_the_request_the_same_work(client, bulletin):
    """The answer is the same, and so is the work behind it: the time it takes tells nothing
    of whether an address is subscribed (the mail work happens later, in a task)."""
    SubscriptionFactory(bulletin=bulletin, subscriber__email="known@example.com")
    known = _request_work(client, bulletin, "known@example.com")
    unknown = _request_work(client, bulletin, "stranger@example.com")
    assert known == unknown
    assert any("INSERT" in sql for sql in known)


def test_a_subscribe_request_is_carried_out_by_its_job(smtp, subscribe):
    subscribe("later@example.com")
    subscription = Subscription.objects.get(subscriber__email="later@example.com")
    assert subscription.status == Subscription.Status.PENDING
    assert smtp.per_recipient() == {"later@example.com": 1}


def test_a_subscribe_job_keeps_no_address_once_done(smtp, subscribe):
    from bulletin.models import Job

    subscribe("private@example.com")
    job = Job.objects.get(name="mailing.subscribe")
    assert job.status == Job.Status.DONE
    assert job.payload == {}
    assert Subscription.objects.filter(subscriber__email="private@example.com").exists()
