"""What the periodic resume does with the claims of a worker that died, and what a worker does
when its claim is taken away (pause, cancel, unsubscribe)."""

import datetime
import uuid

import pytest
from django.db import connection
from django.utils import timezone

from bulletin.mailing.compose import Recipient
from bulletin.mailing.models import Delivery, Send
from bulletin.mailing.services.delivery import _record, deliveries_claim
from bulletin.mailing.services.sending import (
    deliveries_release_expired,
    send_create,
    send_pause,
    sends_resume,
)
from tests.factories import BulletinFactory, IssueFactory, publish
from tests.mailing.factories import SubscriptionFactory

pytestmark = pytest.mark.django_db
LONG_AGO = datetime.timedelta(hours=1)


@pytest.fixture
def send():
    bulletin = BulletinFactory()
    for _ in range(3):
        SubscriptionFactory(bulletin=bulletin)
    return send_create(issue=publish(IssueFactory(bulletin=bulletin)), user=None)


def claimed(send, *, handed_ago=None) -> Delivery:
    """A delivery claimed by a worker whose lease ran out, handed over `handed_ago` ago."""
    delivery = send.deliveries.first()
    now = timezone.now()
    Delivery.objects.filter(pk=delivery.pk).update(
        status="sending",
        claim=uuid.uuid4(),
        lease_until=now - LONG_AGO,
        handed_at=now - handed_ago if handed_ago else None,
    )
    return delivery


def test_a_dead_workers_unhanded_claim_is_queued_again(send):
    delivery = claimed(send)
    assert deliveries_release_expired(now=timezone.now()) == (1, 0)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.in_doubt) == ("queued", False)


def test_the_message_a_dead_worker_was_handing_over_is_sent_again_flagged(send):
    delivery = claimed(send, handed_ago=LONG_AGO)
    assert deliveries_release_expired(now=timezone.now()) == (0, 1)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.in_doubt) == ("queued", True)


def test_a_live_workers_hand_over_is_left_alone(send):
    delivery = claimed(send, handed_ago=datetime.timedelta(seconds=1))
    assert deliveries_release_expired(now=timezone.now()) == (0, 0)
    delivery.refresh_from_db()
    assert delivery.status == "sending"


def test_the_resume_restarts_a_stalled_send(send, django_capture_on_commit_callbacks):
    Send.objects.filter(pk=send.pk).update(heartbeat_at=timezone.now() - LONG_AGO)
    with django_capture_on_commit_callbacks() as callbacks:
        assert sends_resume() == 1
    assert len(callbacks) == 1
    send.refresh_from_db()
    assert send.generation == 3  # created (2), restarted (3): older task chains stop


def test_the_resume_finishes_a_send_with_nothing_left(send):
    send.deliveries.update(status="sent")
    sends_resume()
    send.refresh_from_db()
    assert send.status == Send.Status.DONE


def test_a_pause_takes_back_the_claims_not_yet_handed_over(send):
    claim = uuid.uuid4()
    batch = deliveries_claim(send_id=send.pk, claim=claim, size=10)
    send_pause(send=send, user=None)
    assert set(send.deliveries.values_list("status", flat=True)) == {"queued"}
    with connection.cursor() as cursor:
        assert not _record(cursor, claim, accepted=None, following=batch[0])


def test_a_claim_is_never_handed_over_twice(send):
    claim = uuid.uuid4()
    [first, *_rest] = deliveries_claim(send_id=send.pk, claim=claim, size=10)
    with connection.cursor() as cursor:
        assert _record(cursor, claim, accepted=None, following=first)
        assert not _record(cursor, claim, accepted=None, following=first)
    assert Delivery.objects.get(pk=first.delivery_id).attempts == 1


def test_a_second_claim_takes_none_of_the_first(send):
    first = deliveries_claim(send_id=send.pk, claim=uuid.uuid4(), size=2)
    second = deliveries_claim(send_id=send.pk, claim=uuid.uuid4(), size=10)
    assert len(first) == 2 and len(second) == 1
    assert not {r.delivery_id for r in first} & {r.delivery_id for r in second}


def test_recipient_rows_carry_what_the_message_needs(send):
    [recipient, *_] = deliveries_claim(send_id=send.pk, claim=uuid.uuid4(), size=1)
    assert isinstance(recipient, Recipient)
    assert recipient.email.endswith("@example.com") and recipient.key


def test_the_job_handler_and_the_publishing_hook_are_registered(settings):
    from bulletin.services.jobs import HANDLERS

    assert "mailing.send" in settings.BULLETIN_PUBLISH_OUTPUTS
    assert {"mailing.send", "mailing.confirm"} <= set(HANDLERS)


def test_withdrawing_the_issue_stops_the_very_next_message(send):
    from bulletin.models import Issue

    claim = uuid.uuid4()
    [first, *_rest] = deliveries_claim(send_id=send.pk, claim=claim, size=10)
    Issue.objects.filter(pk=send.issue_id).update(state=Issue.State.WITHDRAWN)
    with connection.cursor() as cursor:
        assert not _record(cursor, claim, accepted=None, following=first)
