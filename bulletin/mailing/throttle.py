"""Rates kept in the shared cache (Redis in production): messages per second across every
worker, and subscribe requests per IP address."""

import logging
import math
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

SUBSCRIBE_WINDOW = 3600


def _count(key: str, timeout: int) -> int:
    """Add one to a counter that lives for timeout seconds; return the new value."""
    cache.add(key, 0, timeout=timeout)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=timeout)
        return 1


class RateLimiter:
    """At most `rate` messages per second, counted in fixed windows shared by all workers."""

    def __init__(
        self,
        rate: float,
        *,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.rate = rate
        self.window = max(1.0, 1.0 / rate) if rate > 0 else 0.0
        self.limit = max(1, math.floor(rate * self.window)) if rate > 0 else 0
        self.clock = clock
        self.sleep = sleep

    def wait(self) -> None:
        """Return when one more message may go out."""
        if self.rate <= 0:
            return
        while True:
            now = self.clock()
            slot = int(now // self.window)
            try:
                used = _count(f"mailing:rate:{slot}", timeout=int(self.window) + 5)
            except Exception:  # the cache is down: pace this worker alone
                logger.warning("rate counter unavailable; pacing this worker alone")
                self.sleep(1.0 / self.rate)
                return
            if used <= self.limit:
                return
            self.sleep(max(0.0, (slot + 1) * self.window - now))


def subscribe_allowed(key: str) -> bool:
    """Count one subscribe request from this client (bulletin.addresses.client_limit_key);
    False once it is over the limit."""
    try:
        used = _count(f"mailing:subscribe:{key}", timeout=SUBSCRIBE_WINDOW)
    except Exception:
        logger.warning("subscribe rate counter unavailable")
        return True
    return used <= settings.MAILING_SUBSCRIBE_LIMIT
