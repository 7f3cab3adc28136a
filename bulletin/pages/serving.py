"""Serving the stored pages from the web processes themselves."""

import contextlib
import hashlib
import json
import os
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import parse_http_date_safe

from bulletin.caching import RENDER_FLAG
from bulletin.pages.files import HEADERS, PAGE, page_folder

# The pages whose headers a process keeps in memory (a few kilobytes each): an archive of
# 200,000 entries stores 400,000 entry pages, more than a web process should hold.
KNOWN_PAGES = 5000


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
        if len(self.known) >= KNOWN_PAGES:
            # The oldest goes (its headers are read again if it is asked for again); another
            # thread may change the dictionary meanwhile, and then one is left over, no harm.
            with contextlib.suppress(RuntimeError, KeyError, StopIteration):
                del self.known[next(iter(self.known))]
        self.known[folder] = (key, fields, found.get("etag"), modified)
        return self.known[folder][1:]
