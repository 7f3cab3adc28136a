"""The outputs of a published issue, each run as a job after the publication is committed.
The PDF and the email register theirs here too (settings.BULLETIN_PUBLISH_OUTPUTS)."""

from django.core.cache import cache

from bulletin.services.jobs import job_handler

PUBLIC_CACHE_VERSION_KEY = "public-pages-version"


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
