"""Local HTTP servers for the link tests: the pages, redirects, dead ends and hostile answers a
cited URL can give, on 127.0.0.1 (the fetcher reaches them only where a test allows their port
through LINK_FETCH_ALLOW)."""

import json
import ssl
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

PAGE = b"<!doctype html><html><head><title>%s</title></head><body><p>%s</p></body></html>"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "TestServer"

    def log_message(self, *args):
        pass

    def do_HEAD(self):
        self.server.requests.append(("HEAD", self.path, dict(self.headers)))
        self.route(head=True)

    def do_GET(self):
        self.server.requests.append(("GET", self.path, dict(self.headers)))
        self.route(head=False)

    def route(self, *, head):
        """Counts the requests being answered at once: from the request line to the first byte
        of the answer (counting to the end of the handler would count a request the client has
        its answer to, and has followed with the next, as still in flight)."""
        with self.server.lock:
            self.server.in_flight += 1
            self.server.most_in_flight = max(self.server.most_in_flight, self.server.in_flight)
        self.answering = True
        try:
            self._route(head=head)
        finally:
            self._answered()

    def _answered(self):
        if getattr(self, "answering", False):
            self.answering = False
            with self.server.lock:
                self.server.in_flight -= 1

    def send_response(self, code, message=None):
        self._answered()
        super().send_response(code, message)

    def _route(self, *, head):
        url = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        name = url.path.strip("/").split("/")[0] or "ok"
        getattr(self, f"page_{name}", self.page_missing)(head=head, query=query)

    def send(self, status, body=b"", *, head=False, content_type="text/html; charset=utf-8", **h):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in h.items():
            self.send_header(key.replace("_", "-"), value)
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def page_ok(self, *, head, query):
        title = query.get("title", "A cited page").encode()
        self.send(200, PAGE % (title, b"Text of the page."), head=head)

    def page_pdf(self, *, head, query):
        self.send(200, b"%PDF-1.4\n%%EOF\n", head=head, content_type="application/pdf")

    def page_moved(self, *, head, query):
        self.send(301, head=head, Location="/ok?title=Moved+here")

    def page_redirect(self, *, head, query):
        self.send(int(query.get("status", 302)), head=head, Location=query["to"])

    def page_loop(self, *, head, query):
        step = int(query.get("n", 0)) + 1
        self.send(302, head=head, Location=f"/loop?n={step}")

    def page_missing(self, *, head, query):
        self.send(404, PAGE % (b"Not found", b"No such page."), head=head)

    def page_gone(self, *, head, query):
        self.send(410, PAGE % (b"Gone", b"Removed."), head=head)

    def page_nohead(self, *, head, query):
        if head:
            self.send(405, head=True, Allow="GET")
        else:
            self.page_ok(head=False, query={"title": "No HEAD here"})

    def page_resethead(self, *, head, query):
        if head:
            self.close_connection = True
            self.connection.close()  # no answer at all: the connection ends
        else:
            self.page_ok(head=False, query={"title": "Reset on HEAD"})

    def page_slow(self, *, head, query):
        time.sleep(float(query.get("s", 3)))
        self.page_ok(head=head, query={})

    def page_paced(self, *, head, query):
        """A page answered after 50 to 500 ms, as real sites are (the same delay for the same n)."""
        time.sleep(0.05 + (int(query.get("n", 0)) * 7919 % 451) / 1000)
        self.page_ok(head=head, query={"title": f"Page {query.get('n', 0)}"})

    def page_drip(self, *, head, query):
        """Headers at once, then a byte every 0.2 s, for ever."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(10**9))
        self.end_headers()
        if head:
            return
        try:
            while True:
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(0.2)
        except OSError:
            pass

    def page_endless(self, *, head, query):
        """A chunked body that never ends, as fast as it is read."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        if head:
            return
        chunk = b"<p>" + b"a" * 8000 + b"</p>"
        try:
            while True:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        except OSError:
            pass

    def page_huge(self, *, head, query):
        """A body announced as 200 MB."""
        size = 200 * 1024 * 1024
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(size))
        self.end_headers()
        if head:
            return
        block = b"\0" * 65536
        try:
            for _ in range(size // len(block)):
                self.wfile.write(block)
        except OSError:
            pass

    def page_busy(self, *, head, query):
        self.send(429, b"slow down", head=head, Retry_After=query.get("after", "120"))

    def page_echo(self, *, head, query):
        body = json.dumps(dict(self.headers)).encode()
        self.send(200, body, head=head, content_type="application/json")

    def page_cookie(self, *, head, query):
        self.send(302, head=head, Location="/echo", Set_Cookie="session=secret; Path=/")


class Server:
    """A threaded test server on 127.0.0.1 and a free port; `requests` records what it got."""

    def __init__(self, tls: ssl.SSLContext | None = None):
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.httpd.requests = []
        self.httpd.lock = threading.Lock()
        self.httpd.in_flight = self.httpd.most_in_flight = 0  # requests being answered at once
        if tls:
            self.httpd.socket = tls.wrap_socket(self.httpd.socket, server_side=True)
        self.port = self.httpd.server_address[1]
        self.netloc = f"127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    @property
    def requests(self) -> list:
        return self.httpd.requests

    @property
    def most_in_flight(self) -> int:
        return self.httpd.most_in_flight

    def url(self, path: str = "/ok", host: str = "127.0.0.1") -> str:
        scheme = "https" if isinstance(self.httpd.socket, ssl.SSLSocket) else "http"
        return f"{scheme}://{host}:{self.port}{path}"

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def self_signed(folder: Path, name: str) -> tuple[Path, Path]:
    """A certificate for `name` (its own authority) and its key, made with openssl."""
    cert, key = folder / f"{name}.pem", folder / f"{name}.key"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"]
        + ["-nodes", "-days", "2", "-subj", f"/CN={name}", "-addext", f"subjectAltName=DNS:{name}"]
        + ["-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )
    return cert, key
