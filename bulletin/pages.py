"""Published issue pages, rendered once: each public issue's page is rendered, in each language,
through the whole request stack as an anonymous reader gets it, and stored as a file under
PUBLISHED_PAGES_ROOT (/<bulletin>/<slug>/index.html, /en/<bulletin>/<slug>/index.html, a .gz
beside it and the response's headers in headers.json). A front server serves them as they are
(README: "Serving published pages from the front server"); so does PublishedPagesMiddleware.

Written by the web.pages job (one of BULLETIN_PUBLISH_OUTPUTS) after a publication, a correction
or a withdrawal (which removes them), after the PDF is rendered (the page links to it), and for
every page when something every page shows changes (the firm, an author, a bulletin). What
changes them is also removed at once on commit, so a page is never served out of date while
its job waits: the view answers meanwhile. `manage.py pages_render` renders them all again."""

import contextlib
import gzip
import hashlib
import io
import json
import logging
import os
import re
import tempfile
from functools import partial
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.handlers.base import BaseHandler
from django.core.handlers.wsgi import WSGIRequest
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import FileResponse, HttpResponse
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django.utils.cache import get_conditional_response
from django.utils.http import parse_http_date_safe

from bulletin.caching import RENDER_FLAG, public_cache_drop
from bulletin.models import Bulletin, Issue
from bulletin.services.jobs import job_enqueue, job_handler
from people.models import Author

logger = logging.getLogger(__name__)

PAGE, COMPRESSED, HEADERS = "index.html", "index.html.gz", "headers.json"
# The only addresses a page is stored for: /<bulletin>/<slug>/ and /en/<bulletin>/<slug>/, slugs
# of letters, digits, - and _: no dot, no encoded slash, no NUL can name a file outside the root.
ADDRESS = re.compile(r"/(?:en/)?[-a-zA-Z0-9_]+/[-a-zA-Z0-9_]+/\Z")
# Headers that belong to one request or that the outer middleware adds to each response.
PER_REQUEST = {"x-request-id", "set-cookie", "strict-transport-security", "content-length", "date"}


def pages_root() -> Path:
    return Path(settings.PUBLISHED_PAGES_ROOT)


def page_folder(path: str) -> Path | None:
    """The folder of the stored page at this address, or None for an address no page has."""
    if not ADDRESS.fullmatch(path):
        return None
    return pages_root().joinpath(*path.strip("/").split("/"))


def issue_addresses(issue: Issue) -> list[str]:
    """The public addresses of an issue's page, one per language."""
    addresses = []
    for language, _name in settings.LANGUAGES:
        kwargs = {"bulletin": issue.bulletin.slug, "slug": issue.slug}
        with translation.override(language):
            addresses.append(reverse("bulletin:issue", kwargs=kwargs))
    return addresses


# Rendering.


def _request(path: str) -> WSGIRequest:
    """An anonymous GET of a public address on SITE_URL, marked to be rendered afresh."""
    site = urlsplit(settings.SITE_URL)
    return WSGIRequest(
        {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "SCRIPT_NAME": "",
            "QUERY_STRING": "",
            "SERVER_NAME": site.hostname or "localhost",
            "SERVER_PORT": str(site.port or (443 if site.scheme == "https" else 80)),
            "HTTP_HOST": site.netloc,
            "REMOTE_ADDR": "127.0.0.1",
            "wsgi.url_scheme": site.scheme,
            "wsgi.input": io.BytesIO(),
            RENDER_FLAG: True,
        }
    )


def _handler() -> BaseHandler:
    handler = BaseHandler()
    handler.load_middleware()
    return handler


def page_render(path: str, *, handler: BaseHandler | None = None) -> HttpResponse | None:
    """The response an anonymous reader gets at this address, through every middleware; None
    unless it is an issue page answered with 200."""
    if page_folder(path) is None:
        return None
    # Addresses resolve in their own language (/en/… only while English is active).
    with translation.override(translation.get_language_from_path(path) or settings.LANGUAGE_CODE):
        try:
            if resolve(path).url_name != "issue":
                return None  # another page's address (a bulletin named "tags", say)
        except Resolver404:
            return None
        response = (handler or _handler()).get_response(_request(path))
    if response.status_code != 200 or response.streaming:
        return None
    return response


def _replace(target: Path, data: bytes, *, mtime: float | None = None) -> None:
    """Write a file whole or not at all: a reader sees the old one or the new one."""
    descriptor, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
        os.chmod(temporary, 0o644)
        if mtime is not None:
            os.utime(temporary, (mtime, mtime))
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def page_store(path: str, response: HttpResponse) -> bool:
    """Store a rendered page; False when the same page is stored already."""
    folder = page_folder(path)
    content = response.content
    headers = [[k, v] for k, v in response.items() if k.lower() not in PER_REQUEST]
    meta = json.dumps({"sha256": hashlib.sha256(content).hexdigest(), "headers": headers})
    with contextlib.suppress(OSError):
        if (folder / HEADERS).read_text() == meta and (folder / PAGE).read_bytes() == content:
            return False
    folder.mkdir(parents=True, exist_ok=True)
    # The file's time is the page's Last-Modified, so that a front server says the same.
    modified = parse_http_date_safe(response.get("Last-Modified", ""))
    _replace(folder / HEADERS, meta.encode())
    _replace(folder / PAGE, content, mtime=modified)
    _replace(folder / COMPRESSED, gzip.compress(content, 9, mtime=0), mtime=modified)
    return True


def page_remove(path: str) -> None:
    """Remove a stored page (the page first: it is what is served)."""
    folder = page_folder(path)
    if folder is None:
        return
    for name in (PAGE, COMPRESSED, HEADERS):
        with contextlib.suppress(FileNotFoundError):
            (folder / name).unlink()


def issue_pages_write(*, issue_id: int, handler: BaseHandler | None = None) -> list[str]:
    """Store the pages of a public issue in every language, or remove them if it is not public
    (withdrawn): the addresses written."""
    issue = Issue.objects.select_related("bulletin").filter(pk=issue_id).first()
    if issue is None:
        return []
    written = []
    handler = handler or _handler()
    for path in issue_addresses(issue):
        response = page_render(path, handler=handler) if issue.is_public else None
        if response is None:
            page_remove(path)
        else:
            page_store(path, response)
            written.append(path)
    if written and not Issue.objects.published().filter(pk=issue_id).exists():
        # Withdrawn while it was rendered (after the withdrawal's own removal, perhaps): gone.
        for path in written:
            page_remove(path)
        return []
    return written


def issue_pages_remove(*, issue_id: int) -> None:
    issue = Issue.objects.select_related("bulletin").filter(pk=issue_id).first()
    for path in issue_addresses(issue) if issue else []:
        page_remove(path)


def stored_addresses() -> set[str]:
    """The address of every page stored now."""
    root = pages_root()
    return {"/" + file.parent.relative_to(root).as_posix() + "/" for file in root.rglob(PAGE)}


def pages_write_all() -> int:
    """Store the page of every public issue afresh and remove every other stored page: what a
    deploy with new templates runs (manage.py pages_render). The number of pages written."""
    handler, written = _handler(), set()
    for issue_id in Issue.objects.published().values_list("pk", flat=True):
        written.update(issue_pages_write(issue_id=issue_id, handler=handler))
    for path in stored_addresses() - written:
        page_remove(path)
    return len(written)


def pages_remove_all() -> None:
    for path in stored_addresses():
        page_remove(path)


# What changes stored pages.


@job_handler("web.pages")
def web_pages(payload: dict) -> None:
    """Write the pages of one issue ({"issue_id": …}), or of every issue ({})."""
    if payload.get("issue_id"):
        issue_pages_write(issue_id=payload["issue_id"])
    else:
        pages_write_all()


def pages_refresh_all() -> None:
    """Something every page shows changes with this transaction (the firm, an author, a
    bulletin): every stored page is removed on commit and written again by a job."""
    if not any(pages_root().rglob(PAGE)):
        return  # nothing stored: nothing can go stale
    transaction.on_commit(partial(_quietly, pages_remove_all))
    job_enqueue(name="web.pages", payload={})


def _quietly(function, **kwargs) -> None:
    try:
        function(**kwargs)
    except Exception:
        logger.exception("stored pages could not be removed; the web.pages job writes them again")


@receiver(post_save, sender=Author)
@receiver(post_delete, sender=Author)
def author_pages_refresh(sender, **kwargs) -> None:
    """An author's public details changed (what they show, whether they have a page at all):
    no page may keep what they have since hidden, or link to a page they no longer have."""
    pages_refresh_all()


@receiver(post_save, sender=Bulletin)
@receiver(post_delete, sender=Bulletin)
def bulletin_pages_refresh(sender, **kwargs) -> None:
    """A bulletin's name, team or disclaimer show on its pages, and every page's footer lists
    the bulletins (read from the page cache's firm identity: dropped first)."""
    transaction.on_commit(partial(_quietly, public_cache_drop))
    pages_refresh_all()


# Serving.


class PublishedPagesMiddleware:
    """Serve a stored page to an anonymous GET or HEAD with no template work, with the headers
    the view's response had (ETag, Last-Modified and 304 included); anything else, or an address
    with no stored page, goes on to the view. Placed right after WhiteNoise."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.known: dict[Path, tuple[tuple, list, str | None, int | None]] = {}

    def __call__(self, request):
        if (
            request.method in ("GET", "HEAD")
            and settings.PUBLISHED_PAGES_SERVE
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and not request.META.get(RENDER_FLAG)
        ):
            response = self.serve(request)
            if response is not None:
                return response
        return self.get_response(request)

    def serve(self, request):
        folder = page_folder(request.path_info)
        if folder is None:
            return None
        try:
            file = open(folder / PAGE, "rb")  # noqa: SIM115 - the response closes it
        except OSError:
            return None
        stat = os.fstat(file.fileno())
        headers = self._headers(folder, stat, file)
        if headers is None or request.method == "HEAD":
            file.close()
        if headers is None:
            return None
        fields, etag, modified = headers
        if request.method == "GET":
            # Streamed by the server (sendfile), as WhiteNoise streams a static file.
            response = FileResponse(file)
            del response["Content-Disposition"]  # FileResponse names the file; the view does not
        else:
            response = HttpResponse()
        for name, value in fields:
            response[name] = value
        response["Content-Length"] = stat.st_size
        conditional = get_conditional_response(
            request, etag=etag, last_modified=modified, response=response
        )
        if conditional is not response:
            response.close()
        return conditional

    def _headers(self, folder: Path, stat, file):
        """The stored headers of this version of the page (read once per version); None if the
        page and its headers are not of the same rendering (being rewritten)."""
        key = (stat.st_ino, stat.st_ctime_ns, stat.st_size)
        known = self.known.get(folder)
        if known and known[0] == key:
            return known[1:]
        try:
            meta = json.loads((folder / HEADERS).read_bytes())
        except (OSError, ValueError):
            return None
        if meta.get("sha256") != hashlib.sha256(file.read()).hexdigest():
            return None
        file.seek(0)
        fields = meta["headers"]
        found = {name.lower(): value for name, value in fields}
        modified = parse_http_date_safe(found.get("last-modified", ""))
        self.known[folder] = (key, fields, found.get("etag"), modified)
        return self.known[folder][1:]
