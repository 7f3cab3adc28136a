"""Archived copies of cited pages: when a link is dead, who may open its copy, and the archive
origin that plays copies back.

Copies are served only on the host of ARCHIVE_ORIGIN, never the site's own: a captured page is
someone else's HTML, so it runs under `Content-Security-Policy: sandbox` (no script, an opaque
origin) on a host where no cookie of ours exists. The archive host answers nothing else, reads
no cookie and sets none (ArchiveOriginMiddleware answers before the session middleware runs).
A public copy opens by its address; a staff-only copy needs a signed address that expires,
issued from the admin (the archive host has no session to recognise staff by)."""

import datetime
import html
import re
from functools import partial
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.http import HttpResponse, HttpResponseNotAllowed, HttpResponseNotFound
from django.http.request import split_domain_port
from django.utils import translation
from django.utils.translation import gettext as _

from bulletin.caching import public_cache_drop
from bulletin.models import Bulletin, PublishedEntry
from bulletin.pages import issue_pages_remove
from bulletin.services.jobs import job_enqueue
from entries.capture import HTML_TYPES, capture_storage, warc_response
from entries.models import EntryLink, LinkCapture, LinkCheck

SALT = "bulletin.captures.copy"
PATH = re.compile(r"/captures/(\d+)/(screenshot\.png|rendered\.pdf)?\Z")
# The files a rendering keeps beside the WARC file: (field, content type, disposition).
RENDERINGS = {
    "screenshot.png": ("screenshot_name", "image/png", "inline"),
    "rendered.pdf": ("rendered_pdf_name", "application/pdf", "attachment"),
}
BODY_TAG = re.compile(rb"<body\b[^>]*>", re.I)
# The copy runs no script and loads nothing from anywhere (not even the live site it came
# from, which could change what the copy shows or learn who reads it): inline styles and
# data: images only.
SANDBOX = (
    "sandbox; default-src 'none'; style-src 'unsafe-inline' data:; img-src data:; font-src data:"
)
TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+/[!#$%&'*+.^_`|~0-9A-Za-z-]+")


# When a link is dead ------------------------------------------------------------------------


def link_is_dead(link: EntryLink) -> bool:
    """Whether the link's target is gone: the latest check of its URL failed."""
    return link.url in dead_urls([link.url])


def dead_urls(urls) -> set[str]:
    """The URLs among these whose latest check failed (broken, unreachable or refused)."""
    return {url for url, check in LinkCheck.objects.latest_for(urls).items() if check.failing}


@receiver(post_save, sender=LinkCheck)
def _public_pages_follow_checks(sender, instance: LinkCheck, created: bool, **kwargs) -> None:
    """A cited page that died (or came back) changes what its public entry page shows: drop
    the cached pages after the commit."""
    if not created:
        return
    previous = (
        LinkCheck.objects.filter(url_digest=instance.url_digest, pk__lt=instance.pk)
        .order_by("-pk")
        .first()
    )
    if (previous.failing if previous else False) == instance.failing:
        return
    entry_ids = EntryLink.objects.filter(url=instance.url).values_list("entry_id", flat=True)
    issue_ids = set(
        PublishedEntry.objects.filter(entry_id__in=entry_ids).values_list("issue_id", flat=True)
    )
    if issue_ids:
        transaction.on_commit(public_cache_drop)
    for issue_id in issue_ids:
        # Their stored pages too: removed on commit, written again by the pages job.
        transaction.on_commit(partial(issue_pages_remove, issue_id=issue_id), robust=True)
        job_enqueue(name="web.pages", payload={"issue_id": issue_id, "linking": False})


# Who may open a copy ------------------------------------------------------------------------


def is_official(url: str) -> bool:
    """A government or court site (ARCHIVE_PUBLIC_DOMAINS: ".gov" is a suffix; a name without
    a leading dot is that domain and its subdomains)."""
    host = (urlsplit(url).hostname or "").rstrip(".").lower()
    for domain in settings.ARCHIVE_PUBLIC_DOMAINS:
        domain = domain.lower()
        if domain.startswith(".") and host.endswith(domain):
            return True
        if host == domain or host.endswith("." + domain):
            return True
    return False


def copy_is_public(*, url: str, bulletin: Bulletin, choice: str = "") -> bool:
    """Whether anyone may open the copy of this URL cited in this bulletin (the link's own
    choice counts where the bulletin leaves it to each link)."""
    setting = bulletin.archive_copies
    if setting == Bulletin.ArchiveCopies.PUBLIC:
        return True
    if setting == Bulletin.ArchiveCopies.PER_LINK and choice:
        return choice == "public"
    return is_official(url)


def archive_host() -> str:
    """The host name of ARCHIVE_ORIGIN ("" when copies are not served, or when it is the site's
    own host, where a copy would share our cookies)."""
    host = (urlsplit(settings.ARCHIVE_ORIGIN).hostname or "").lower()
    return "" if host == (urlsplit(settings.SITE_URL).hostname or "").lower() else host


def copy_url(capture: LinkCapture, *, signed: bool = False, part: str = "") -> str:
    """The copy's address on the archive origin (`part`: "screenshot.png" or "rendered.pdf",
    its rendering's files); `signed` adds a key that opens a staff-only copy until
    ARCHIVE_SIGNED_LINK_MAX_AGE has passed (the same key opens all three)."""
    url = f"{settings.ARCHIVE_ORIGIN}/captures/{capture.pk}/{part}"
    if signed:
        key = signing.TimestampSigner(salt=SALT).sign(str(capture.pk))
        url += "?" + urlencode({"key": key})
    return url


def key_opens(key: str, capture_id: int) -> bool:
    """Whether a signed key is this copy's and has not expired."""
    try:
        value = signing.TimestampSigner(salt=SALT).unsign(
            key, max_age=settings.ARCHIVE_SIGNED_LINK_MAX_AGE
        )
    except signing.BadSignature:  # SignatureExpired is one
        return False
    return value == str(capture_id)


def copy_is_published(capture: LinkCapture) -> PublishedEntry | None:
    """The public entry citing the captured URL, when the entry is published and cites it in its
    published form (a draft's links are nobody's business)."""
    if capture.link_id is None:
        return None
    published = (
        PublishedEntry.objects.select_related("bulletin")
        .filter(entry_id=capture.link.entry_id)
        .first()
    )
    urls = {link.get("url") for link in (published.data.get("links") or [])} if published else ()
    return published if capture.url in urls else None


def copy_opens_publicly(capture: LinkCapture) -> bool:
    published = copy_is_published(capture)
    return published is not None and copy_is_public(
        url=capture.url, bulletin=published.bulletin, choice=capture.link.archive_copy
    )


def archived_copies(entry: PublishedEntry) -> dict[str, dict]:
    """For a public entry page: each dead link's public copy, by URL ({"href", "captured_at"}),
    in three queries whatever the number of links."""
    if not archive_host():
        return {}
    urls = [link.get("url") for link in (entry.data.get("links") or []) if link.get("url")]
    dead = dead_urls(urls)
    if not dead:
        return {}
    captures = (
        LinkCapture.objects.kept()
        .filter(link__entry_id=entry.entry_id, url__in=dead)
        .select_related("link")
        .order_by("-captured_at", "-pk")
    )
    copies: dict[str, dict] = {}
    for capture in captures:
        if capture.url in copies or not copy_is_public(
            url=capture.url, bulletin=entry.bulletin, choice=capture.link.archive_copy
        ):
            continue
        copies[capture.url] = {"href": copy_url(capture), "captured_at": capture.captured_at}
    return copies


# The archive origin --------------------------------------------------------------------------


def on_archive_host(request) -> bool:
    host = archive_host()
    return bool(host) and split_domain_port(request.get_host())[0].lower() == host


class ArchiveOriginMiddleware:
    """On the archive host, answer here: a copy at /captures/<id>/, nothing else; no cookie read
    (they are dropped before anything sees them) and none set. Elsewhere, pass the request on
    (the site's own addresses have no /captures/: the site never serves a copy)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not on_archive_host(request):
            return self.get_response(request)
        request.COOKIES = {}
        request.META.pop("HTTP_COOKIE", None)
        response = self.answer(request)
        response.cookies.clear()
        response.headers.pop("Set-Cookie", None)
        return response

    def answer(self, request) -> HttpResponse:
        found = PATH.match(request.path_info)
        if not found:
            return _plain(HttpResponseNotFound, _("Not found."))
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        return copy_serve(request, int(found.group(1)), part=found.group(2) or "")


def _plain(kind, text: str, **kwargs) -> HttpResponse:
    response = kind(text, content_type="text/plain; charset=utf-8", **kwargs)
    _harden(response)
    return response


def _harden(response: HttpResponse) -> None:
    response["Content-Security-Policy"] = SANDBOX
    response["X-Content-Type-Options"] = "nosniff"
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cross-Origin-Resource-Policy"] = "same-origin"


def copy_serve(request, capture_id: int, *, part: str = "") -> HttpResponse:
    """One archived copy, as captured, inside the sandbox (only on the archive host); `part`:
    one of the files of its rendering instead, under the same rules."""
    if not on_archive_host(request):
        return _plain(HttpResponseNotFound, _("Not found."))
    capture = LinkCapture.objects.kept().select_related("link").filter(pk=capture_id).first()
    if capture is None:
        return _plain(HttpResponseNotFound, _("There is no archived copy at this address."))
    signed = key_opens(request.GET.get("key", ""), capture.pk)
    if not signed and not copy_opens_publicly(capture):
        message = _("This archived copy is for staff only: open it from the editorial desk.")
        return _plain(HttpResponse, message, status=403)
    if part:
        response = _rendering_response(capture, part)
    else:
        http_headers, body = warc_response(capture)
        language = translation.get_language_from_request(request)
        with translation.override(language):
            response = _copy_response(capture, http_headers, body)
    response["Cache-Control"] = "private, no-store" if signed else "public, max-age=3600"
    _harden(response)
    return response


def _copy_response(capture: LinkCapture, http_headers, body: bytes) -> HttpResponse:
    declared = http_headers.get_header("Content-Type") or ""
    kind = declared.split(";")[0].strip().lower()
    if kind in HTML_TYPES:
        response = HttpResponse(_with_banner(body, capture), content_type=_safe_type(declared))
        return response
    response = HttpResponse(body, content_type=_safe_type(declared) or "application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="capture-{capture.pk}{_suffix(kind)}"'
    return response


def _rendering_response(capture: LinkCapture, part: str) -> HttpResponse:
    """A screenshot shown as an image, a rendered PDF as a download (404 when not rendered)."""
    name_field, content_type, disposition = RENDERINGS[part]
    name = getattr(capture, name_field)
    if not name:
        return _plain(HttpResponseNotFound, _("This copy has no rendering."))
    with capture_storage().open(name, "rb") as stored:
        response = HttpResponse(stored.read(), content_type=content_type)
    response["Content-Disposition"] = f'{disposition}; filename="capture-{capture.pk}-{part}"'
    return response


def _safe_type(declared: str) -> str:
    """The captured Content-Type, if it is a plain type and charset (nothing else passes)."""
    kind = declared.split(";")[0].strip().lower()
    if not TOKEN.fullmatch(kind):
        return ""
    charset = re.search(r"charset=\"?([\w.:-]+)", declared, re.I)
    return f"{kind}; charset={charset.group(1)}" if charset else kind


def _suffix(kind: str) -> str:
    return {"application/pdf": ".pdf", "text/plain": ".txt", "application/json": ".json"}.get(
        kind, ".bin"
    )


def banner_html(capture: LinkCapture) -> bytes:
    """Our banner: the source's address and the capture's time, escaped, in ASCII (character
    references for the rest) so that it reads right in any charset the page declares."""
    when = capture.captured_at.astimezone(datetime.UTC)  # one clock for a record, said plainly
    text = _("Archived copy of %(url)s, captured %(time)s. It may differ from the page today.")
    source = html.escape(capture.url)
    text = html.escape(text) % {
        "url": f'<a href="{source}" rel="noreferrer">{source}</a>',
        "time": f"{when:%Y-%m-%d %H:%M} UTC",
    }
    style = (
        "all:initial!important;display:block!important;box-sizing:border-box!important;"
        "position:relative!important;z-index:2147483647!important;width:100%!important;"
        "padding:10px 14px!important;background:#fff8dc!important;color:#222!important;"
        "border-bottom:2px solid #b8860b!important;font:14px/1.5 sans-serif!important;"
        "overflow-wrap:anywhere!important"
    )
    markup = f'<div role="note" data-archive-banner style="{style}">{text}</div>'
    return markup.encode("ascii", "xmlcharrefreplace")


def _with_banner(body: bytes, capture: LinkCapture) -> bytes:
    """The captured page as it was, with our banner at the start of its body."""
    banner = banner_html(capture)
    found = BODY_TAG.search(body, 0, 256 * 1024)
    if found:
        return body[: found.end()] + banner + body[found.end() :]
    return banner + body
