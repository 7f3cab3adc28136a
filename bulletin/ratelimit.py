"""Rates counted in the shared cache (Redis in production), so that every process and machine
counts together: fixed windows aligned on the clock, one counter per window, each kept a little
longer than its window."""

import logging
import time

from django.core.cache import cache

logger = logging.getLogger(__name__)


def window_hit(name: str, *, window: float, now: float | None = None) -> tuple[int, float]:
    """Count one more hit of `name` in the window of `window` seconds that holds `now`: the hits
    in that window so far, and the seconds until the next one. Raises when the cache is down."""
    now = time.time() if now is None else now
    slot = int(now // window)
    key, timeout = f"rate:{name}:{slot}", int(window) + 5
    cache.add(key, 0, timeout=timeout)
    try:
        used = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=timeout)
        used = 1
    return used, (slot + 1) * window - now


def within_limit(name: str, *, limit: int, window: int) -> bool:
    """Count one request of `name` (a client's bulletin.addresses.client_limit_key under a
    purpose); False once it is over `limit` in this window. A cache that is down refuses
    nobody."""
    try:
        used, _wait = window_hit(name, window=window)
    except Exception:
        logger.warning("rate counter of %s unavailable; not limiting", name.split(":")[0])
        return True
    return used <= limit
