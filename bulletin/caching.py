"""The public page cache: anonymous public pages are cached (Redis in production, local memory by
default) under a key that carries a version; every publication, withdrawal and correction bumps
it, at once on commit and again in the web.invalidate job (one of BULLETIN_PUBLISH_OUTPUTS)."""

import hashlib
import logging
from functools import wraps

from django.core.cache import cache
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpResponse

from bulletin.services.jobs import job_handler
from people.signals import author_changed

PAGE_TIMEOUT = 60 * 60
logger = logging.getLogger(__name__)

PUBLIC_CACHE_VERSION_KEY = "public-pages-version"
# Marks a request that renders a page to be stored (bulletin.pages): it is rendered afresh, never
# answered from this cache or from a stored page.
RENDER_FLAG = "bulletin.render"


def public_cache_version() -> int:
    """Part of every public page's cache key: bumping it drops every cached page at once."""
    return cache.get_or_set(PUBLIC_CACHE_VERSION_KEY, 1, timeout=None)


def public_cache_drop() -> None:
    """Drop every cached public page by moving to a new cache version (raises if the cache is
    unreachable: the web.invalidate job then retries it)."""
    try:
        cache.incr(PUBLIC_CACHE_VERSION_KEY)
    except ValueError:  # no version yet
        cache.set(PUBLIC_CACHE_VERSION_KEY, 2, timeout=None)


@job_handler("web.invalidate")
def web_invalidate(payload: dict) -> None:
    """A publication, withdrawal or correction changes public pages: drop the cached ones (again,
    after commit, in case the cache was unreachable when the publication was committed)."""
    public_cache_drop()


@receiver(author_changed)
def author_pages_drop(sender, author, **kwargs) -> None:
    """An author's public details changed: the cached author page (and any page naming them)
    must not keep showing what they have since hidden."""
    try:
        public_cache_drop()
    except Exception:
        logger.warning("page cache unreachable: author %s changed", author.pk, exc_info=True)


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
        if (
            request.method not in ("GET", "HEAD")
            or request.user.is_authenticated
            or request.META.get(RENDER_FLAG)
        ):
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
