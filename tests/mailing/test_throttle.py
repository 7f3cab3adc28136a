"""The shared rate of messages per second, and the client address behind proxies."""

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from bulletin.addresses import client_ip
from bulletin.mailing.throttle import RateLimiter


class Clock:
    """A clock the limiter reads and sleeps on: no real waiting in tests."""

    def __init__(self):
        self.now = 1000.0
        self.slept = []

    def time(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


def test_the_limiter_lets_the_rate_through_then_waits_for_the_next_second():
    clock = Clock()
    limiter = RateLimiter(5, clock=clock.time, sleep=clock.sleep)
    for _ in range(5):
        limiter.wait()
    assert clock.slept == []
    limiter.wait()
    assert clock.slept == [1.0]


def test_the_rate_is_shared_by_every_limiter():
    clock = Clock()
    first = RateLimiter(2, clock=clock.time, sleep=clock.sleep)
    second = RateLimiter(2, clock=clock.time, sleep=clock.sleep)
    first.wait()
    first.wait()
    second.wait()
    assert clock.slept == [1.0]


def test_a_rate_below_one_spaces_the_messages_out():
    clock = Clock()
    limiter = RateLimiter(0.5, clock=clock.time, sleep=clock.sleep)
    limiter.wait()
    limiter.wait()
    assert clock.slept == [2.0]


def test_no_rate_means_no_waiting():
    clock = Clock()
    limiter = RateLimiter(0, clock=clock.time, sleep=clock.sleep)
    for _ in range(100):
        limiter.wait()
    assert clock.slept == []


def test_the_client_address_is_the_peer_without_proxies(settings):
    settings.PROXY_COUNT = 0
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6")
    assert client_ip(request) == "10.0.0.1"


def test_the_client_address_is_taken_from_the_trusted_proxy(settings):
    settings.PROXY_COUNT = 1
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7"
    )
    assert client_ip(request) == "198.51.100.7"
