"""The files of the stored pages under PUBLISHED_PAGES_ROOT: where a page's address is kept, and
how it is written (whole or not at all) and removed."""

import contextlib
import gzip
import hashlib
import json
import os
import re
import tempfile
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse
from django.utils.http import parse_http_date_safe

PAGE, COMPRESSED, HEADERS = "index.html", "index.html.gz", "headers.json"
# The only addresses a page is stored for: an issue's /<bulletin>/<slug>/ (slugs of letters,
# digits, - and _) and an entry's /entries/<id>/<slug>/ (its slug of word characters, in any
# script, and -), each also under /en/. No dot, no encoded slash, no NUL: no address names a
# file outside the root.
ADDRESS = re.compile(
    r"/(?:en/)?(?:[-a-zA-Z0-9_]+/[-a-zA-Z0-9_]+|entries/[0-9]{1,18}/[-\w]{1,60})/\Z"
)
# Headers that belong to one request or that the outer middleware adds to each response.
PER_REQUEST = {"x-request-id", "set-cookie", "strict-transport-security", "content-length", "date"}


def pages_root() -> Path:
    return Path(settings.PUBLISHED_PAGES_ROOT)


def page_folder(path: str) -> Path | None:
    """The folder of the stored page at this address, or None for an address no page has."""
    if not ADDRESS.fullmatch(path):
        return None
    return pages_root().joinpath(*path.strip("/").split("/"))


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


def stored_addresses() -> set[str]:
    """The address of every page stored now."""
    root = pages_root()
    return {"/" + file.parent.relative_to(root).as_posix() + "/" for file in root.rglob(PAGE)}
