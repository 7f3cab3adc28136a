"""Health checks for an orchestrator: /healthz (the process answers) and /readyz (its services
answer: database, cache, storage). The beat's heartbeat is reported too, but a stopped beat does
not take the web processes out of service: monitor it from the body. JSON, no secrets."""

import datetime
import time

from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

BEAT_KEY = "beat-heartbeat"
BEAT_STALE_AFTER = datetime.timedelta(minutes=3)


def beat_heartbeat() -> None:
    """Called by a periodic task: the time of the last beat, for /readyz."""
    cache.set(BEAT_KEY, timezone.now().isoformat(), timeout=None)


def _check(function) -> dict:
    start = time.perf_counter()
    try:
        detail = function()
    except Exception as exc:
        return {"ok": False, "error": type(exc).__name__}
    return {"ok": True, "ms": round((time.perf_counter() - start) * 1000, 1), **(detail or {})}


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _cache():
    cache.set("readyz", "ok", 10)
    if cache.get("readyz") != "ok":
        raise RuntimeError("cache did not return what was stored")


def _storage():
    default_storage.exists("readyz-probe")


def _beat():
    last = cache.get(BEAT_KEY)
    if last is None:
        raise RuntimeError("no beat yet")
    age = timezone.now() - datetime.datetime.fromisoformat(last)
    if age > BEAT_STALE_AFTER:
        raise RuntimeError("beat is late")
    return {"age_s": int(age.total_seconds())}


@never_cache
@require_GET
def healthz(request):
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request):
    checks = {
        name: _check(function)
        for name, function in (
            ("database", _database),
            ("cache", _cache),
            ("storage", _storage),
            ("beat", _beat),
        )
    }
    ready = all(check["ok"] for name, check in checks.items() if name != "beat")
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", "checks": checks}, status=200 if ready else 503
    )
