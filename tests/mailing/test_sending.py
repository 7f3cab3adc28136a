"""Sending an issue over real SMTP (aiosmtpd on loopback): who gets it, retries and failures."""

import datetime

import pytest
from django.utils import timezone

from bulletin.mailing.models import Delivery, Send, Subscription
from bulletin.mailing.services.delivery import send_process
from bulletin.mailing.services.sending import send_create, send_rendered
from tests.factories import BulletinFactory, IssueFactory, publish
from tests.mailing.factories import SubscriptionFactory

pytestmark = pytest.mark.django_db


def run(send: Send) -> None:
    """What the workers do, in this process: hand over until nothing is due."""
    send.refresh_from_db()
    while send_process(send_id=send.pk, generation=send.generation):
        pass


def published_send(bulletin=None) -> Send:
    """A send of a newly published issue, its workers not started (run() is the worker)."""
    issue = publish(IssueFactory(bulletin=bulletin or BulletinFactory()))
    return send_create(issue=issue, user=None)


def test_publishing_sends_the_issue_once_to_each_confirmed_subscriber(
    smtp, django_capture_on_commit_callbacks
):
    bulletin = BulletinFactory()
    a, b = SubscriptionFactory(bulletin=bulletin), SubscriptionFactory(bulletin=bulletin)
    with django_capture_on_commit_callbacks(execute=True):
        publish(IssueFactory(bulletin=bulletin))
    assert smtp.per_recipient() == {a.subscriber.email: 1, b.subscriber.email: 1}


def test_a_correction_is_not_emailed_again(smtp, django_capture_on_commit_callbacks):
    from bulletin.mailing.handlers import issue_send

    bulletin = BulletinFactory()
    subscription = SubscriptionFactory(bulletin=bulletin)
    with django_capture_on_commit_callbacks(execute=True):
        issue = publish(IssueFactory(bulletin=bulletin))
    issue_send({"issue_id": issue.pk})  # the job of a corrected publication
    assert Send.objects.filter(issue=issue).count() == 1
    assert smtp.per_recipient() == {subscription.subscriber.email: 1}


def test_unconfirmed_unsubscribed_and_bounced_addresses_are_not_recipients(smtp):
    bulletin = BulletinFactory()
    wanted = SubscriptionFactory(bulletin=bulletin)
    for status in ["pending", "unsubscribed", "bounced", "complained"]:
        SubscriptionFactory(bulletin=bulletin, status=status)
    send = published_send(bulletin=bulletin)
    run(send)
    assert smtp.per_recipient() == {wanted.subscriber.email: 1}


def test_a_subscriber_who_unsubscribes_during_the_send_is_skipped(smtp):
    from bulletin.mailing.services.subscribers import Origin, subscription_unsubscribe

    bulletin = BulletinFactory()
    stays, leaves = SubscriptionFactory(bulletin=bulletin), SubscriptionFactory(bulletin=bulletin)
    send = published_send(bulletin=bulletin)
    subscription_unsubscribe(
        subscriber=leaves.subscriber, bulletin_id=bulletin.pk, origin=Origin(route="web")
    )
    run(send)
    assert smtp.per_recipient() == {stays.subscriber.email: 1}
    assert Delivery.objects.get(subscriber=leaves.subscriber).status == Delivery.Status.SKIPPED


def test_a_temporary_failure_is_retried_and_delivered_once(smtp):
    subscription = SubscriptionFactory()
    smtp.replies[subscription.subscriber.email] = ["451 4.3.0 Try again later"]
    send = published_send(bulletin=subscription.bulletin)
    run(send)
    delivery = Delivery.objects.get(send=send)
    assert (delivery.status, delivery.attempts) == (Delivery.Status.SENT, 2)
    assert smtp.per_recipient() == {subscription.subscriber.email: 1}


def test_a_temporary_failure_waits_before_its_retry(smtp, settings):
    settings.MAILING_RETRY_AFTER = 60
    subscription = SubscriptionFactory()
    smtp.replies[subscription.subscriber.email] = ["451 4.3.0 Try again later"]
    send = published_send(bulletin=subscription.bulletin)
    run(send)
    delivery = Delivery.objects.get(send=send)
    assert delivery.status == Delivery.Status.QUEUED
    assert "451" in delivery.last_error
    assert delivery.next_attempt_at > timezone.now() + datetime.timedelta(seconds=30)


def test_temporary_failures_stop_after_the_last_attempt(smtp, settings):
    settings.MAILING_MAX_ATTEMPTS = 3
    subscription = SubscriptionFactory()
    smtp.replies[subscription.subscriber.email] = ["451 4.3.0 Try again later"] * 5
    send = published_send(bulletin=subscription.bulletin)
    run(send)
    delivery = Delivery.objects.get(send=send)
    assert (delivery.status, delivery.attempts) == (Delivery.Status.FAILED, 3)
    assert smtp.per_recipient() == {}


def test_a_permanent_failure_is_not_retried(smtp):
    subscription = SubscriptionFactory()
    smtp.replies[subscription.subscriber.email] = ["554 5.7.1 Message refused"]
    send = published_send(bulletin=subscription.bulletin)
    run(send)
    delivery = Delivery.objects.get(send=send)
    assert (delivery.status, delivery.attempts) == (Delivery.Status.FAILED, 1)
    assert "554" in delivery.last_error
    send.refresh_from_db()
    assert send.status == Send.Status.DONE


def test_an_address_that_does_not_exist_stops_all_mail_to_it(smtp):
    subscription = SubscriptionFactory()
    smtp.replies[subscription.subscriber.email] = ["550 5.1.1 No such user"]
    run(published_send(bulletin=subscription.bulletin))
    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.BOUNCED


def test_one_failure_does_not_stop_the_others(smtp):
    bulletin = BulletinFactory()
    bad, good = SubscriptionFactory(bulletin=bulletin), SubscriptionFactory(bulletin=bulletin)
    smtp.replies[bad.subscriber.email] = ["554 5.7.1 Message refused"]
    run(published_send(bulletin=bulletin))
    assert smtp.per_recipient() == {good.subscriber.email: 1}


def test_a_server_that_is_down_leaves_the_messages_queued(smtp, settings):
    settings.EMAIL_PORT = 9  # nothing listens there
    subscription = SubscriptionFactory()
    send = published_send(bulletin=subscription.bulletin)
    run(send)
    delivery = Delivery.objects.get(send=send)
    assert delivery.status == Delivery.Status.QUEUED
    assert delivery.last_error


def test_a_withdrawn_issue_stops_its_send(smtp):
    from bulletin.models import Issue

    subscription = SubscriptionFactory()
    send = published_send(bulletin=subscription.bulletin)
    Issue.objects.filter(pk=send.issue_id).update(state=Issue.State.WITHDRAWN)
    run(send)
    send.refresh_from_db()
    assert send.status == Send.Status.CANCELLED
    assert smtp.per_recipient() == {}


def test_recipients_are_fixed_when_the_send_starts(smtp):
    bulletin = BulletinFactory()
    first = SubscriptionFactory(bulletin=bulletin)
    send = published_send(bulletin=bulletin)
    SubscriptionFactory(bulletin=bulletin)  # confirmed after the start
    run(send)
    assert smtp.per_recipient() == {first.subscriber.email: 1}


def test_an_explicit_send_goes_only_to_those_who_did_not_get_the_issue(smtp):
    bulletin = BulletinFactory()
    first = SubscriptionFactory(bulletin=bulletin)
    send = published_send(bulletin=bulletin)
    run(send)
    later = SubscriptionFactory(bulletin=bulletin)
    run(send_create(issue=send.issue, user=None))
    assert smtp.per_recipient() == {first.subscriber.email: 1, later.subscriber.email: 1}


def test_a_draft_issue_cannot_be_sent():
    from bulletin.mailing.services.sending import SendError

    with pytest.raises(SendError):
        send_create(issue=IssueFactory(), user=None)


def test_handing_over_costs_a_fixed_number_of_queries_per_message(
    smtp, django_assert_max_num_queries
):
    bulletin = BulletinFactory()
    for _ in range(20):
        SubscriptionFactory(bulletin=bulletin)
    send = published_send(bulletin=bulletin)
    send.refresh_from_db()
    send_rendered(send_id=send.pk)  # once per send, whatever its size
    # One per message, and a fixed number per run (each record waits for the disk, as shipped).
    with django_assert_max_num_queries(20 + 20):
        send_process(send_id=send.pk, generation=send.generation)
    assert len(smtp.per_recipient()) == 20
