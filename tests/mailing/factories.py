"""Factories of the mailing tests."""

import factory

from bulletin.mailing.models import Subscriber, Subscription
from tests.factories import BulletinFactory


class SubscriberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subscriber

    email = factory.Sequence(lambda n: f"reader{n}@example.com")
    name = factory.Sequence(lambda n: f"读者{n}")
    language = "zh-hans"


class SubscriptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subscription

    subscriber = factory.SubFactory(SubscriberFactory)
    bulletin = factory.SubFactory(BulletinFactory)
    status = Subscription.Status.CONFIRMED


def confirmed_subscribers(bulletin, count: int, *, prefix: str = "bulk") -> list[Subscriber]:
    """Many confirmed subscribers at once (bulk inserts)."""
    subscribers = Subscriber.objects.bulk_create(
        [Subscriber(email=f"{prefix}{i}@example.com", name=f"读者{i}") for i in range(count)],
        batch_size=1000,
    )
    Subscription.objects.bulk_create(
        [
            Subscription(subscriber=s, bulletin=bulletin, status=Subscription.Status.CONFIRMED)
            for s in subscribers
        ],
        batch_size=1000,
    )
    return subscribers
