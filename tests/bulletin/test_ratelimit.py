"""The one rate counter (bulletin.ratelimit) of the search and subscribe limits and of the
mailing's rate: fixed windows counted in the shared cache, and a cache that is down stops
nobody. The cache is a real Redis; "down" is an address where nothing listens."""

import pytest
from django.core.cache import cache

from bulletin.mailing.throttle import RateLimiter
from bulletin.ratelimit import window_hit, within_limit

pytestmark = pytest.mark.redis


@pytest.fixture
def shared_cache(redis_url, settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url}
    }
    cache.clear()
    return cache


@pytest.fixture
def cache_down(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",  # nothing listens there
        }
    }


def test_hits_are_counted_per_window(shared_cache):
    assert window_hit("reader", window=60, now=600.0) == (1, 60.0)
    assert window_hit("reader", window=60, now=659.5) == (2, 0.5)
    assert window_hit("reader", window=60, now=660.0) == (1, 60.0)
    assert window_hit("other", window=60, now=659.5) == (1, 0.5)


def test_a_client_over_the_limit_is_refused_until_the_next_window(shared_cache):
    assert [within_limit("search:203.0.113.9", limit=2, window=60) for _ in range(3)] == [
        True,
        True,
        False,
    ]
    assert within_limit("search:203.0.113.10", limit=2, window=60)


def test_a_cache_that_is_down_refuses_no_client(cache_down, caplog):
    assert all(within_limit("search:203.0.113.9", limit=1, window=60) for _ in range(3))
    assert "rate counter of search unavailable" in caplog.text
    assert "203.0.113.9" not in caplog.text  # no address in the logs


def test_a_cache_that_is_down_leaves_each_worker_to_pace_itself(cache_down):
    slept = []
    limiter = RateLimiter(4, clock=lambda: 1000.0, sleep=slept.append)
    limiter.wait()
    limiter.wait()
    assert slept == [0.25, 0.25]
