"""How hard we knock on one host: at most LINK_FETCH_HOST_CONCURRENCY requests at a time and
LINK_FETCH_HOST_PER_MINUTE a minute, counted in Redis so that every worker counts together, and
nothing at all while the host's Retry-After runs. Without Redis (development with no
environment) the counts are this process's own."""

import contextlib
import email.utils
import threading
import time
import uuid
from collections import defaultdict, deque

from django.conf import settings

from .errors import FetchDeferred

MINUTE_MS = 60_000
POLL = 0.05

# Returns 0 when a slot is taken, -1 when the host is busy (poll again), or the milliseconds
# to wait (a pause asked for with Retry-After, or the minute's quota used up).
ACQUIRE = """
local now, token, lease = tonumber(ARGV[1]), ARGV[2], tonumber(ARGV[3])
local pause = redis.call('PTTL', KEYS[3])
if pause > 0 then return pause end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - 60000)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[4]) then return -1 end
if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[5]) then
  local oldest = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
  return math.max(1, math.floor(tonumber(oldest[2]) + 60000 - now))
end
redis.call('ZADD', KEYS[1], now + lease, token)
redis.call('ZADD', KEYS[2], now, token)
redis.call('PEXPIRE', KEYS[1], lease + 1000)
redis.call('PEXPIRE', KEYS[2], 61000)
return 0
"""

_clients: dict = {}
_clients_lock = threading.Lock()


def _redis():
    """A Redis client for REDIS_URL (one per URL and process), or None without Redis."""
    url = getattr(settings, "REDIS_URL", "")
    if not url:
        return None
    with _clients_lock:
        if url not in _clients:
            import redis  # noqa: PLC0415 - only deployments with Redis need it

            client = redis.Redis.from_url(url)
            _clients[url] = (client, client.register_script(ACQUIRE))
    return _clients[url]


def _keys(host: str) -> list[str]:
    return [f"linkfetch:{part}:{host}" for part in ("active", "recent", "pause")]


@contextlib.contextmanager
def host_slot(host: str, *, lease: float, wait: float, limits: tuple[int, int] | None = None):
    """Hold one of the host's request slots for the block; wait for one for at most `wait`
    seconds (and LINK_FETCH_QUEUE_WAIT), else FetchDeferred (the caller tries again later). The
    slot lapses after `lease` seconds even if this process dies holding it. `limits`: at a time
    and a minute, when not the settings' (LINK_FETCH_HOST_CONCURRENCY, _PER_MINUTE)."""
    limits = limits or (settings.LINK_FETCH_HOST_CONCURRENCY, settings.LINK_FETCH_HOST_PER_MINUTE)
    found, token = _redis(), uuid.uuid4().hex
    local = _local if found is None else None
    deadline = time.monotonic() + min(wait, settings.LINK_FETCH_QUEUE_WAIT)
    while True:
        if local:
            asked = local.acquire(host, token, lease, limits)
        else:
            asked = _acquire(found, host, token, lease, limits)
        if asked == 0:
            break
        pause = POLL if asked < 0 else asked / 1000
        if time.monotonic() + pause > deadline:
            raise FetchDeferred(
                f"{host} is busy or asked us to wait; try again later", retry_after=max(pause, 1)
            )
        time.sleep(min(pause, max(deadline - time.monotonic(), 0), 1.0))
    try:
        yield
    finally:
        if local:
            local.release(host, token)
        else:
            found[0].zrem(_keys(host)[0], token)


def _acquire(found, host: str, token: str, lease: float, limits: tuple[int, int]) -> int:
    import redis  # noqa: PLC0415 - only deployments with Redis need it

    _client, script = found
    now = int(time.time() * 1000)
    try:
        return int(script(keys=_keys(host), args=[now, token, int(lease * 1000), *limits]))
    except redis.RedisError as exc:
        # Without the shared counts no worker can keep to the limits: wait for Redis.
        raise FetchDeferred("the request counter (Redis) is unavailable", retry_after=30) from exc


def host_pause(host: str, seconds: float) -> None:
    """Ask nobody to fetch from the host for this long (its Retry-After, capped)."""
    ms = int(min(seconds, settings.LINK_FETCH_MAX_PAUSE) * 1000)
    if ms <= 0:
        return
    found = _redis()
    if found is None:
        _local.pause(host, ms / 1000)
    else:
        found[0].set(_keys(host)[2], "1", px=ms)


def retry_after_seconds(value: str | None, *, now: float | None = None) -> float | None:
    """The seconds a Retry-After header asks for (a number or an HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None or when.tzinfo is None:
        return None
    return max(when.timestamp() - (time.time() if now is None else now), 0.0)


def hosts_forget(hosts: list[str]) -> None:
    """Drop the counts and pauses of these hosts (tests start each from zero)."""
    found = _redis()
    if found is None:
        _local.forget(hosts)
    elif hosts:
        found[0].delete(*[key for host in hosts for key in _keys(host)])


class _LocalLimits:
    """The same rules inside one process, when there is no Redis."""

    def __init__(self):
        self.lock = threading.Lock()
        self.active: dict[str, dict[str, float]] = defaultdict(dict)
        self.recent: dict[str, deque] = defaultdict(deque)
        self.paused: dict[str, float] = {}

    def acquire(self, host: str, token: str, lease: float, limits: tuple[int, int]) -> int:
        with self.lock:
            now = time.time()
            if self.paused.get(host, 0) > now:
                return int((self.paused[host] - now) * 1000) or 1
            active = {t: end for t, end in self.active[host].items() if end > now}
            recent = self.recent[host]
            while recent and recent[0] <= now - 60:
                recent.popleft()
            self.active[host] = active
            if len(active) >= limits[0]:
                return -1
            if len(recent) >= limits[1]:
                return max(int((recent[0] + 60 - now) * 1000), 1)
            active[token] = now + lease
            recent.append(now)
            return 0

    def release(self, host: str, token: str) -> None:
        with self.lock:
            self.active[host].pop(token, None)

    def pause(self, host: str, seconds: float) -> None:
        with self.lock:
            self.paused[host] = time.time() + seconds

    def forget(self, hosts: list[str]) -> None:
        with self.lock:
            for host in hosts:
                self.active.pop(host, None)
                self.recent.pop(host, None)
                self.paused.pop(host, None)


_local = _LocalLimits()
