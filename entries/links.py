"""Checking a cited URL: does it still lead somewhere, and where? HEAD first (no body to
download), GET where a server refuses HEAD, and a short GET of an HTML page for its title. The
answer is recorded as a LinkCheck."""

import html
import re

from django.conf import settings
from django.utils import timezone

from entries.fetching import FetchDeferred, Fetched, FetchFailed, FetchRefused, fetch
from entries.models import LinkCheck

Outcome = LinkCheck.Outcome
# Servers that do not implement HEAD answer these, or drop the connection.
HEAD_REFUSED = {403, 405, 501}
TITLE = re.compile(rb"<title[^>]*>(.*?)</title\s*>", re.I | re.S)
CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([\w-]+)""", re.I)
TITLE_BYTES = 256 * 1024  # a title sits in the head, near the top


def link_check(*, url: str) -> LinkCheck:
    """Check a URL now and record what it answered (FetchDeferred when its host asks us to wait
    or is busy: the caller tries again later)."""
    timeout = settings.LINK_CHECK_TIMEOUT
    try:
        fetched = _head_or_get(url, timeout=timeout)
        if fetched.status == 429:
            raise FetchDeferred("the host asks us to slow down (429)", retry_after=60)
        title = _title_of(fetched, timeout=timeout)
    except FetchRefused as exc:
        return _record(url, outcome=Outcome.REFUSED, reason=exc.reason)
    except FetchDeferred:
        raise
    except FetchFailed as exc:
        return _record(url, outcome=Outcome.UNREACHABLE, reason=exc.reason)
    return _record(
        url,
        outcome=_outcome(fetched),
        method=fetched.method,
        status=fetched.status,
        final_url=fetched.final_url,
        redirects=[[status, target] for status, target in fetched.redirects],
        content_type=fetched.content_type[:200],
        title=title[:500],
        size=fetched.size,
        elapsed_ms=fetched.elapsed_ms,
        reason=fetched.reason[:300],
    )


def _head_or_get(url: str, *, timeout: float) -> Fetched:
    try:
        fetched = fetch(url, method="HEAD", timeout=timeout, max_redirects=5)
    except FetchFailed as exc:
        if "reset" not in exc.reason:
            raise
        return fetch(url, method="GET", max_bytes=TITLE_BYTES, timeout=timeout, max_redirects=5)
    if fetched.status in HEAD_REFUSED:
        return fetch(url, method="GET", max_bytes=TITLE_BYTES, timeout=timeout, max_redirects=5)
    return fetched


def _title_of(fetched: Fetched, *, timeout: float) -> str:
    """The <title> of an HTML page (read with a short GET after a HEAD), else ""."""
    if fetched.content_type not in ("text/html", "application/xhtml+xml") or fetched.status >= 400:
        return ""
    page = fetched
    if fetched.method == "HEAD":
        try:
            page = fetch(fetched.final_url, max_bytes=TITLE_BYTES, timeout=timeout, max_redirects=0)
        except (FetchFailed, FetchRefused):
            return ""  # the link answered; only its title is missing
    return page_title(page.body, content_type=page.header("Content-Type") or "")


def page_title(body: bytes, *, content_type: str = "") -> str:
    """The text of an HTML page's <title>, whitespace collapsed ("" when it has none)."""
    found = TITLE.search(body)
    if not found:
        return ""
    charset = _charset(body, content_type)
    try:
        text = found.group(1).decode(charset, errors="replace")
    except LookupError:
        text = found.group(1).decode("utf-8", errors="replace")
    return " ".join(html.unescape(text).split())


def _charset(body: bytes, content_type: str) -> str:
    declared = re.search(r"charset=([\w-]+)", content_type, re.I)
    if declared:
        return declared.group(1)
    meta = CHARSET.search(body[:4096])
    return meta.group(1).decode("ascii") if meta else "utf-8"


def _outcome(fetched: Fetched) -> str:
    if fetched.status >= 400 or fetched.status < 200 or 300 <= fetched.status < 400:
        return Outcome.BROKEN
    return Outcome.REDIRECTED if fetched.redirects else Outcome.OK


def _record(url: str, **fields) -> LinkCheck:
    return LinkCheck.objects.create(url=url, checked_at=timezone.now(), **fields)
