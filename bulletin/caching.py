"""Anonymous public pages are cached (Redis in production, local memory by default); the key
carries a version that every publication, withdrawal and correction bumps (bulletin.outputs)."""

import hashlib
from functools import wraps

from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse

from bulletin.outputs import public_cache_version

PAGE_TIMEOUT = 60 * 60


def public_page(view):
    """Serve a cached copy of an anonymous GET; cache 200 responses only. Public pages only
    read, so they run outside a request transaction."""

    @transaction.non_atomic_requests
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") or request.user.is_authenticated:
            return view(request, *args, **kwargs)
        path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
        key = f"page:{public_cache_version()}:{request.LANGUAGE_CODE}:{path}"
        cached = cache.get(key)
        if cached is not None:
            content, headers = cached
            return HttpResponse(content, headers=headers)
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming:
            if hasattr(response, "render"):
                response.render()
            headers = {k: v for k, v in response.items() if k.lower() != "set-cookie"}
            cache.set(key, (response.content, headers), PAGE_TIMEOUT)
        return response

    return wrapped
