"""Capturing a cited page: one GET through the safe fetcher, kept as a WARC file (a request and
a response record, then a metadata record with the redirects) in the capture storage, with the
text of the page and the SHA-256 of its body recorded as a LinkCapture.

The file is written under a temporary name and renamed into place (on S3 an upload appears
whole), and the row that names it is written after: a worker killed half-way leaves at most an
unnamed file, never a row that points at half a file."""

import base64
import contextlib
import functools
import hashlib
import io
import json
import os
import re
import tempfile
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import timezone
from django.utils.module_loading import import_string
from pypdf import PdfReader
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.utils import Digester
from warcio.warcwriter import WARCWriter

from entries.fetching import USER_AGENT, Fetched, FetchFailed, FetchRefused, fetch
from entries.models import EntryLink, LinkCapture, url_digest

HTML_TYPES = ("text/html", "application/xhtml+xml")
CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([\w-]+)""", re.I)
# Hop-by-hop framing the fetcher already undid: the body kept is the decoded one.
FRAMING = {"transfer-encoding"}
PDF_MAX_PAGES = 500


class _SHA256WARCWriter(WARCWriter):
    """WARC-Block-Digest and WARC-Payload-Digest in SHA-256, the hash the capture records."""

    @staticmethod
    def _create_digester():
        return Digester("sha256")


@functools.cache
def capture_storage() -> Storage:
    """The storage of settings.LINK_CAPTURE_STORAGE (a private root, or S3 when configured)."""
    config = settings.LINK_CAPTURE_STORAGE
    return import_string(config["BACKEND"])(**config.get("OPTIONS", {}))


@receiver(setting_changed)
def _forget_storage(setting, **kwargs):
    if setting == "LINK_CAPTURE_STORAGE":
        capture_storage.cache_clear()


def link_capture(*, link: EntryLink, pdf_text_later: bool = False) -> LinkCapture:
    """Capture the link's target now and record it (an error is recorded too, with no file).
    FetchDeferred passes through: the host asked us to wait, the caller tries again later.
    `pdf_text_later`: leave a PDF's text to capture_text_extract (pypdf takes seconds a page)."""
    url, captured_at = link.url, timezone.now()
    try:
        fetched = fetch(
            url,
            max_bytes=settings.LINK_CAPTURE_MAX_BYTES,
            timeout=settings.LINK_CAPTURE_TIMEOUT,
            max_redirects=5,
        )
    except (FetchRefused, FetchFailed) as exc:
        return LinkCapture.objects.create(
            link=link, url=url, captured_at=captured_at, error=exc.reason[:300]
        )
    sha256 = hashlib.sha256(fetched.body).hexdigest()
    name = _file_name(url, captured_at, sha256)
    size = warc_store(name, fetched)
    return LinkCapture.objects.create(
        link=link,
        url=url,
        captured_at=captured_at,
        final_url=fetched.final_url,
        status=fetched.status,
        content_type=fetched.content_type[:200],
        sha256=sha256,
        size=len(fetched.body),
        warc_name=name,
        warc_size=size,
        text=""
        if pdf_text_later and fetched.content_type == "application/pdf"
        else _text(fetched.body, fetched.content_type, fetched.header("Content-Type") or ""),
        truncated=fetched.truncated,
        elapsed_ms=fetched.elapsed_ms,
    )


def capture_text_extract(*, capture: LinkCapture) -> LinkCapture:
    """Read a capture's text from its WARC file (a PDF's, left for later by link_capture)."""
    http_headers, body = warc_response(capture)
    capture.text = _text(body, capture.content_type, http_headers.get_header("Content-Type") or "")
    capture.save(update_fields=["text"])
    return capture


def _text(body: bytes, content_type: str, header: str) -> str:
    return body_text(body, content_type, header)[: settings.LINK_CAPTURE_TEXT_CHARS]


def _file_name(url: str, captured_at, sha256: str) -> str:
    digest = url_digest(url)
    return f"{digest[:2]}/{digest}/{captured_at:%Y%m%dT%H%M%S%f}-{sha256[:12]}.warc.gz"


def warc_bytes(fetched: Fetched, out) -> None:
    """Write the exchange as WARC records (gzip members) to the binary file `out`."""
    writer = _SHA256WARCWriter(out, gzip=True)
    date = fetched.started_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    target = fetched.final_url
    parts = urlsplit(target)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    request_headers = StatusAndHeaders(
        f"{fetched.method} {path} HTTP/1.1",
        [("Host", parts.netloc), ("User-Agent", USER_AGENT), ("Accept", "*/*")],
        is_http_request=True,
    )
    common = {"WARC-Date": date}
    if fetched.peer_address:
        common["WARC-IP-Address"] = fetched.peer_address
    request = writer.create_warc_record(
        target, "request", http_headers=request_headers, warc_headers_dict=dict(common)
    )
    response_headers = StatusAndHeaders(
        f"{fetched.status} {fetched.reason}".strip(),
        [(k, v) for k, v in fetched.headers if k.lower() not in FRAMING],
        protocol="HTTP/1.1",
    )
    extra = {"WARC-Truncated": "length"} if fetched.truncated else {}
    response = writer.create_warc_record(
        target,
        "response",
        payload=io.BytesIO(fetched.body),
        http_headers=response_headers,
        warc_headers_dict={**common, **extra},
    )
    writer.write_request_response_pair(request, response)
    chain = {"requested": fetched.url, "redirects": fetched.redirects}
    metadata = writer.create_warc_record(
        target,
        "metadata",
        payload=io.BytesIO(json.dumps(chain).encode()),
        warc_content_type="application/json",
        warc_headers_dict={**common, "WARC-Concurrent-To": response.rec_headers["WARC-Record-ID"]},
    )
    writer.write_record(metadata)


def warc_store(name: str, fetched: Fetched) -> int:
    """Write the WARC file under a temporary name, then rename it to `name`; its size."""
    return file_store(name, lambda out: warc_bytes(fetched, out))


def file_store(name: str, write: Callable[[BinaryIO], object]) -> int:
    """Store a capture's file whole or not at all: `write` fills a temporary file, renamed to
    `name` when complete (on S3 and the like, an upload appears whole); the file's size."""
    storage = capture_storage()
    if isinstance(storage, FileSystemStorage):
        target = Path(storage.path(name))
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".part-", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                write(out)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, target)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
            raise
        return target.stat().st_size
    with tempfile.TemporaryFile() as out:
        write(out)
        size = out.tell()
        out.seek(0)
        storage.save(name, File(out, name=name))
    return size


def warc_response(capture: LinkCapture) -> tuple[StatusAndHeaders, bytes]:
    """The response record of a capture's WARC file: its HTTP headers and its body."""
    with capture_storage().open(capture.warc_name, "rb") as warc:
        for record in ArchiveIterator(warc):
            if record.rec_type == "response":
                return record.http_headers, record.content_stream().read()
    raise FileNotFoundError(f"no response record in {capture.warc_name}")


def sha256_base32(body: bytes) -> str:
    """The WARC form of a SHA-256: "sha256:" and the digest in base 32."""
    return "sha256:" + base64.b32encode(hashlib.sha256(body).digest()).decode()


def body_text(body: bytes, content_type: str, header: str = "") -> str:
    """The readable text of a captured body: HTML without its markup, a PDF's text, plain text
    as it is ("" for anything else, or a body that cannot be read)."""
    if content_type in HTML_TYPES:
        return html_text(body.decode(_charset(body, header), errors="replace"))
    if content_type == "application/pdf":
        return pdf_text(body)
    if content_type.startswith("text/"):
        return body.decode(_charset(body, header), errors="replace")
    return ""


def _charset(body: bytes, header: str) -> str:
    declared = re.search(r"charset=([\w-]+)", header, re.I)
    meta = CHARSET.search(body[:4096])
    name = declared.group(1) if declared else (meta.group(1).decode() if meta else "utf-8")
    try:
        "".encode(name)
    except LookupError:
        return "utf-8"
    return name


class _TextParser(HTMLParser):
    SKIP = {"script", "style", "noscript", "template", "svg", "head"}
    BLOCK = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.skipping = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self.SKIP and self.skipping:
            self.skipping -= 1
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def html_text(markup: str) -> str:
    """The text a reader sees in an HTML page: scripts, styles and the head left out, runs of
    spaces collapsed, one line per block."""
    parser = _TextParser()
    parser.feed(markup)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    return "\n".join(line for line in lines if line)


def pdf_text(body: bytes) -> str:
    """The text of a PDF's pages ("" when it cannot be read: cut short, encrypted, broken)."""
    try:
        reader = PdfReader(io.BytesIO(body))
        pages = reader.pages[:PDF_MAX_PAGES]
        return "\n".join((page.extract_text() or "").strip() for page in pages).strip()
    except Exception:  # a hostile or broken PDF yields no text; the capture itself stands
        return ""
