"""A local server whose pages a test sets and changes (a page that dies after its capture),
optionally slow (a delay drawn from a range, as real sites answer)."""

import random
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from entries.fetching import hosts_forget


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_HEAD(self):
        self.answer(head=True)

    def do_GET(self):
        self.answer(head=False)

    def answer(self, *, head):
        self.server.requests.append(self.path)
        low, high = self.server.latency
        if high:
            time.sleep(random.uniform(low, high))
        status, content_type, body = self.server.pages.get(
            self.path.split("?")[0], (404, "text/html", b"<!doctype html><title>404</title>")
        )
        self.send_response(status)
        if 300 <= status < 400:  # a redirect's "body" is where it leads
            self.send_header("Location", body.decode())
            body = b""
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Set-Cookie", "tracker=1; Path=/")
        self.end_headers()
        if not head:
            self.wfile.write(body)


class PageServer:
    """pages["/notice"] = (200, "text/html; charset=utf-8", b"...") sets a page, (301, "", b"/new")
    a redirect; a path not set answers 404."""

    def __init__(self, latency: tuple[float, float] = (0, 0)):
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.daemon_threads = True
        self.httpd.pages = self.pages = {}
        self.httpd.requests = self.requests = []  # the paths asked for, in order
        self.httpd.latency = latency
        self.port = self.httpd.server_address[1]
        self.netloc = f"127.0.0.1:{self.port}"
        threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True).start()

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def capture_root(settings, tmp_path):
    """Captures go to a folder of this test's own."""
    root = tmp_path / "captures"
    settings.LINK_CAPTURE_STORAGE = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(root)},
    }
    return root


@pytest.fixture
def page_server(settings, capture_root):
    """A PageServer the fetcher may reach (its port alone on LINK_FETCH_ALLOW)."""
    server = PageServer()
    settings.LINK_FETCH_ALLOW = [server.netloc]
    hosts_forget(["127.0.0.1"])
    yield server
    server.stop()
    hosts_forget(["127.0.0.1"])
