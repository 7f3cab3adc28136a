"""The mailing's rates, counted by bulletin.ratelimit in the shared cache (Redis in
production): messages per second across every worker, and subscribe requests per client."""

import logging
import math
import time
from collections.abc import Callable

from django.conf import settings

from bulletin.ratelimit import window_hit, within_limit

logger = logging.getLogger(__name__)

SUBSCRIBE_WINDOW = 3600


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
            try:
                used, next_window = window_hit("mailing", window=self.window, now=self.clock())
            except Exception:  # the cache is down: pace this worker alone
                logger.warning("rate counter unavailable; pacing this worker alone")
                self.sleep(1.0 / self.rate)
                return
            if used <= self.limit:
                return
            self.sleep(max(0.0, next_window))


def subscribe_allowed(key: str) -> bool:
    """Count one subscribe request from this client (bulletin.addresses.client_limit_key);
    False once it is over the limit."""
    return within_limit(
        f"subscribe:{key}", limit=settings.MAILING_SUBSCRIBE_LIMIT, window=SUBSCRIBE_WINDOW
    )
