"""One GET or HEAD of a URL on behalf of staff, following redirects, with every hop vetted.

Built on the standard library's http.client over a socket we open ourselves: the connection goes
to the address policy.vet approved (no second look-up that could answer differently), and TLS
is wrapped by us with the URL's host name as SNI and as the name the certificate must carry."""

import contextlib
import datetime
import http.client
import socket
import ssl
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import quote, urljoin, urlsplit

from django.conf import settings

from .errors import FetchFailed, FetchRefused
from .limits import host_pause, host_slot, retry_after_seconds
from .policy import Address, vet

REDIRECTS = {301, 302, 303, 307, 308}
CHUNK = 64 * 1024
USER_AGENT = "LegalBulletinLinkChecker/1.0 (+citation check; no cookies)"
PATH_SAFE = "/%:@!$&'()*+,;=-._~?"


@dataclass
class Fetched:
    """What a fetch got: the last response, after any redirects."""

    url: str
    final_url: str
    method: str
    status: int
    reason: str
    headers: list[tuple[str, str]]
    body: bytes
    truncated: bool
    redirects: list[tuple[int, str]]
    started_at: datetime.datetime
    elapsed_ms: int
    peer_address: str
    http_version: str = "HTTP/1.1"  # of the last response, as its status line gave it
    content_type: str = field(init=False)

    def __post_init__(self):
        self.content_type = (self.header("Content-Type") or "").split(";")[0].strip().lower()

    def header(self, name: str) -> str | None:
        """The first value of a response header, or None."""
        name = name.lower()
        return next((value for key, value in self.headers if key.lower() == name), None)

    @property
    def size(self) -> int | None:
        """The body's size: what was read, or what Content-Length announced when larger."""
        announced = self.header("Content-Length")
        if announced and announced.strip().isdigit():
            return max(int(announced), len(self.body))
        return len(self.body) if self.method == "GET" else None


def fetch(
    url: str,
    *,
    method: str = "GET",
    max_bytes: int | None = None,
    timeout: float = 10,
    max_redirects: int = 5,
) -> Fetched:
    """Fetch a public http(s) URL: FetchRefused when policy forbids it (here or after any
    redirect), FetchFailed when the network gives no response. The body is cut at max_bytes
    (LINK_FETCH_MAX_BYTES by default); the whole fetch, redirects included, ends after
    `timeout` seconds however slowly the server answers."""
    if method not in ("GET", "HEAD"):
        raise ValueError("fetch only sends GET or HEAD")
    max_bytes = settings.LINK_FETCH_MAX_BYTES if max_bytes is None else max_bytes
    started_at, start = datetime.datetime.now(datetime.UTC), time.monotonic()
    deadline, current, redirects = start + timeout, url, []
    while True:
        status, reason, headers, body, truncated, peer, version = _hop(
            current, method=method, max_bytes=max_bytes, deadline=deadline
        )
        location = _header(headers, "Location")
        if status not in REDIRECTS or not location:
            break
        if len(redirects) >= max_redirects:
            raise FetchRefused(f"more than {max_redirects} redirects")
        try:
            current = urljoin(current, location.strip())
        except ValueError as exc:
            raise FetchRefused("the address is not a valid URL") from exc
        redirects.append((status, current))
        if status == 303 and method != "HEAD":
            method = "GET"
    return Fetched(
        url=url,
        final_url=current,
        method=method,
        status=status,
        reason=reason,
        headers=headers,
        body=body,
        truncated=truncated,
        redirects=redirects,
        started_at=started_at,
        elapsed_ms=int((time.monotonic() - start) * 1000),
        peer_address=peer,
        http_version=version,
    )


def _header(headers: list[tuple[str, str]], name: str) -> str | None:
    return next((v for k, v in headers if k.lower() == name.lower()), None)


def _hop(url: str, *, method: str, max_bytes: int, deadline: float):
    """One request and its response, to a vetted address, under the host's limits."""
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        raise FetchRefused("the address is not a valid URL") from exc
    host, port, addresses = vet(parts)
    path = quote(parts.path or "/", safe=PATH_SAFE)
    if parts.query:
        path += "?" + quote(parts.query, safe=PATH_SAFE)
    # Waiting for the host counts against the fetch's time: a busy host defers the fetch
    # rather than hold the caller past its cap.
    left = max(deadline - time.monotonic(), 0)
    with (
        host_slot(host, lease=left + 5, wait=max(left - 1, 0)),
        _Connection(parts.scheme, host, port, addresses, deadline) as conn,
    ):
        response = conn.exchange(method, path)
        headers = response.getheaders()
        body, truncated = b"", False
        if method == "GET" and response.status not in REDIRECTS:
            body, truncated = conn.read_body(response, max_bytes)
        peer = conn.peer
    if response.status in (429, 503):
        wait = retry_after_seconds(_header(headers, "Retry-After"))
        if wait:
            host_pause(host, wait)
    version = "HTTP/1.0" if response.version == 10 else "HTTP/1.1"
    return response.status, response.reason, headers, body, truncated, peer, version


class _Connection:
    """An HTTP/1.1 connection to one vetted address; a watchdog closes it at the deadline, so
    that a server dripping a byte at a time cannot hold the caller past it."""

    def __init__(self, scheme: str, host: str, port: int, addresses: list[Address], deadline):
        self.scheme, self.host, self.port = scheme, host, port
        self.addresses, self.deadline = addresses, deadline
        self.expired = threading.Event()
        self.raw = self.watchdog = self.http = None
        self.peer = ""

    def __enter__(self):
        raw = self._connect()
        self.raw = raw.dup()  # shut down from the watchdog's thread (the TLS wrap takes `raw`)
        self.watchdog = threading.Timer(self._remaining(), self._expire)
        self.watchdog.daemon = True
        self.watchdog.start()
        sock = self._tls(raw) if self.scheme == "https" else raw
        self.http = http.client.HTTPConnection(self.host, self.port)
        self.http.sock = sock
        return self

    def __exit__(self, *exc_info):
        if self.watchdog:
            self.watchdog.cancel()
        for closable in (self.http, self.raw):
            if closable is not None:
                closable.close()

    def _remaining(self) -> float:
        left = self.deadline - time.monotonic()
        if left <= 0 or self.expired.is_set():
            raise FetchFailed("timed out")
        return left

    def _expire(self):
        self.expired.set()
        with contextlib.suppress(OSError):  # already closed: nothing left to stop
            self.raw.shutdown(socket.SHUT_RDWR)

    def _connect(self) -> socket.socket:
        failure = "could not connect"
        for address in self.addresses:
            family = socket.AF_INET6 if address.version == 6 else socket.AF_INET
            sock = socket.socket(family, socket.SOCK_STREAM)
            sock.settimeout(min(self._remaining(), settings.LINK_FETCH_CONNECT_TIMEOUT))
            try:
                sock.connect((str(address), self.port))
            except TimeoutError:
                failure = "timed out connecting"
            except ConnectionRefusedError:
                failure = "the connection was refused"
            except OSError as exc:
                failure = f"could not connect ({exc.strerror or type(exc).__name__})"
            else:
                self.peer = str(address)
                return sock
            sock.close()
        raise FetchFailed(failure)

    def _tls(self, raw: socket.socket) -> ssl.SSLSocket:
        context = ssl.create_default_context(cafile=settings.LINK_FETCH_CA_FILE or None)
        try:
            raw.settimeout(self._remaining())
            return context.wrap_socket(raw, server_hostname=self.host)
        except ssl.SSLCertVerificationError as exc:
            raise FetchFailed(f"the TLS certificate is not valid ({exc.verify_message})") from exc
        except (ssl.SSLError, OSError) as exc:
            raise self._failure(exc, "the TLS handshake failed") from exc

    def exchange(self, method: str, path: str) -> http.client.HTTPResponse:
        """Send the request and read the status line and headers."""
        try:
            self.http.sock.settimeout(self._remaining())
            self.http.putrequest(method, path)
            self.http.putheader("User-Agent", USER_AGENT)
            self.http.putheader("Accept", "*/*")
            self.http.putheader("Connection", "close")
            self.http.endheaders()
            return self.http.getresponse()
        except (http.client.InvalidURL, ValueError, UnicodeError) as exc:
            raise FetchRefused("the address cannot be sent as an HTTP request") from exc
        except (OSError, http.client.HTTPException) as exc:
            raise self._failure(exc, "the server did not answer with valid HTTP") from exc

    def read_body(self, response: http.client.HTTPResponse, max_bytes: int) -> tuple[bytes, bool]:
        """The body, up to max_bytes (and whether there was more), read before the deadline."""
        chunks, size = [], 0
        try:
            while size <= max_bytes:
                self.http.sock.settimeout(self._remaining())
                chunk = response.read1(min(CHUNK, max_bytes + 1 - size))
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
        except (OSError, http.client.HTTPException) as exc:
            raise self._failure(exc, "the connection broke while reading the body") from exc
        self._remaining()  # a shut-down connection reads as an end: it was the deadline
        body = b"".join(chunks)
        return body[:max_bytes], len(body) > max_bytes

    def _failure(self, exc: Exception, default: str) -> FetchFailed:
        if self.expired.is_set() or isinstance(exc, TimeoutError):
            return FetchFailed("timed out")
        if isinstance(exc, ConnectionResetError | http.client.RemoteDisconnected):
            return FetchFailed("the connection was reset")
        return FetchFailed(default)
