"""The double opt-in and the unsubscribe page in a real browser (headless Chromium)."""

import re
from urllib.parse import urlparse

import pytest
from django.core.cache import cache

from bulletin.mailing.models import Subscription
from tests.factories import BulletinFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def path_of_link(received) -> str:
    text = received.message.get_body(preferencelist=("plain",)).get_content()
    return urlparse(re.search(r"https?://\S+", text).group(0)).path


def test_a_reader_subscribes_and_confirms_in_the_browser(page, live_server, smtp):
    cache.clear()
    bulletin = BulletinFactory()
    page.goto(f"{live_server.url}/en/mail/subscribe/{bulletin.slug}/")
    page.get_by_role("textbox", name="Email").fill("reader@example.com")
    page.get_by_label(re.compile("I agree to receive")).check()
    page.get_by_role("button", name="Subscribe").click()
    page.wait_for_url(re.compile(r"/thanks/$"))
    assert page.get_by_role("heading", name="Check your inbox").is_visible()

    [email] = smtp.to("reader@example.com")
    page.goto(live_server.url + path_of_link(email))
    assert Subscription.objects.get().status == Subscription.Status.PENDING
    page.get_by_role("button").filter(has_text=re.compile("confirm", re.I)).click()
    page.wait_for_load_state()
    assert Subscription.objects.get().status == Subscription.Status.CONFIRMED


def test_the_honeypot_is_hidden_from_readers(page, live_server):
    bulletin = BulletinFactory()
    page.goto(f"{live_server.url}/mail/subscribe/{bulletin.slug}/")
    assert not page.locator("input[name=website]").is_visible()
    assert page.locator("input[name=email]").is_visible()


def test_a_subscriber_changes_preferences_and_unsubscribes_in_the_browser(page, live_server):
    from bulletin.mailing.tokens import manage_token, unsubscribe_token
    from tests.mailing.factories import SubscriptionFactory

    subscription = SubscriptionFactory()
    subscriber = subscription.subscriber
    page.goto(f"{live_server.url}/en/mail/preferences/{manage_token(subscriber)}/")
    page.get_by_label("Name").fill("Wang Wu")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    assert page.get_by_role("status").is_visible()
    subscriber.refresh_from_db()
    assert subscriber.name == "Wang Wu"

    token = unsubscribe_token(subscriber.pk, subscriber.key, subscription.bulletin_id)
    page.goto(f"{live_server.url}/en/mail/unsubscribe/{token}/")
    page.get_by_role("button", name="Unsubscribe").click()
    page.wait_for_load_state()
    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.UNSUBSCRIBED
