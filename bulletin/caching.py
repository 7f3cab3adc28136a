"""Anonymous public pages are cached (Redis in production, local memory by default); the key
carries a version that every publication, withdrawal and correction bumps (bulletin.outputs)."""

import hashlib
import logging
from functools import wraps

from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse

from bulletin.outputs import public_cache_version

PAGE_TIMEOUT = 60 * 60
logger = logging.getLogger(__name__)


# The query parameters the public views read; any other parameter means "do not cache", so that
# random query strings cannot fill the cache.
KNOWN_PARAMETERS = {"q", "kind", "tag", "jurisdiction", "bulletin", "from", "to", "page", "p"}


def _cache_key(request) -> str | None:
    if not set(request.GET.keys()) <= KNOWN_PARAMETERS:
        return None
    try:
        version = public_cache_version()
    except Exception:  # the cache is down: serve the page uncached rather than fail
        return None
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return f"page:{version}:{request.LANGUAGE_CODE}:{path}"


def _cache_call(function, *args):
    try:
        return function(*args)
    except Exception:
        logger.warning("page cache unreachable", exc_info=True)
        return None


def public_page(view):
    """Serve a cached copy of an anonymous GET; cache 200 responses only. Public pages only
    read, so they run outside a request transaction."""

    @transaction.non_atomic_requests
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") or request.user.is_authenticated:
            return view(request, *args, **kwargs)
        key = _cache_key(request)
        cached = _cache_call(cache.get, key) if key else None
        if cached is not None:
            content, headers = cached
            return HttpResponse(content, headers=headers)
        response = view(request, *args, **kwargs)
        if key and response.status_code == 200 and not response.streaming:
            if hasattr(response, "render"):
                response.render()
            headers = {k: v for k, v in response.items() if k.lower() != "set-cookie"}
            _cache_call(cache.set, key, (response.content, headers), PAGE_TIMEOUT)
        return response

    return wrapped
