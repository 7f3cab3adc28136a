"""Rendering a captured page in headless Chromium, for pages that need scripts: a screenshot
(PNG) and a PDF of the page as the browser drew it, kept beside the capture's WARC file.

The browser reaches nothing by itself. Every request of the page (the page, its scripts,
styles, images, frames, pop-ups, navigations) is intercepted and answered by us: the page with
the body its WARC file holds, anything else through entries.fetching (the same vetting of every
address and redirect, the same host limits, no cookies or credentials), and refused when the
policy refuses it, when it is not a GET, or when the rendering's time or size budget is spent.
WebSockets are closed before they open, service workers and downloads are off, and, as a second
wall, Chromium is launched with a proxy that does not exist and a resolver that knows no name,
so that anything slipping past the interception has nowhere to go."""

import concurrent.futures
import contextlib
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone

from entries.capture import file_store, warc_response
from entries.fetching import USER_AGENT, FetchError, fetch, host_slot
from entries.models import LinkCapture

# Port 9 (discard): nothing listens there, so a request that escapes interception fails.
LAUNCH_ARGS = [
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--no-first-run",
    "--no-pings",
    "--proxy-server=http://127.0.0.1:9",
    "--proxy-bypass-list=<-loopback>",  # Chromium otherwise sends loopback addresses direct
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--force-webrtc-ip-handling-policy=disable_non_proxied_udp",
]
# Not passed on to the browser: cookies (nothing is sent back, but nothing is kept either) and
# the framing our fetcher has already undone.
DROPPED_HEADERS = {"set-cookie", "set-cookie2", "transfer-encoding", "content-length", "connection"}
VIEWPORT = {"width": 1280, "height": 900}
# The top of the page at most (a full-page picture is trimmed to the page when shorter): a page
# that grows without end makes a picture of bounded size.
CLIP = {"x": 0, "y": 0, "width": VIEWPORT["width"], "height": 16_000}
LOAD_MS = 15_000  # the most a page's "load" is waited for, within the rendering's time
SETTLE_MS = 3000  # after "load", how long scripts may still fetch before the picture is taken
RENDER_SLOT = "rendering:chromium"  # not a host name: the count of browsers running


@dataclass
class Rendered:
    """What the browser made of a page, and the requests it was refused (URL, reason)."""

    png: bytes
    pdf: bytes
    refused: list[tuple[str, str]] = field(default_factory=list)


class _Gate:
    """Answers every request of the rendered page: the document from its capture, the rest
    through the safe fetcher while the time and byte budgets last."""

    def __init__(self, status: int, headers: dict, body: bytes, deadline: float):
        self.status, self.headers, self.body = status, headers, body
        self.deadline = deadline
        self.bytes_left = settings.LINK_CAPTURE_MAX_BYTES - len(body)
        self.document_served = False
        self.refused: list[tuple[str, str]] = []

    def answer(self, route) -> None:
        request = route.request
        if request.is_navigation_request() and _frame_of_popup(request):
            return self.refuse(route, "a pop-up")
        if request.is_navigation_request() and request.frame.parent_frame is None:
            # The first is ours (page.goto, to the URL as Chromium spells it); any later one
            # (a script's redirect, a pop-up) would draw another page than the one captured.
            # It is answered "204 No Content", which leaves the page as it is (refused, the
            # browser would show its error page in the page's place).
            if self.document_served:
                self.refused.append((request.url, "a navigation away from the captured page"))
                return route.fulfill(status=204)
            self.document_served = True
            return route.fulfill(status=self.status, headers=self.headers, body=self.body)
        if request.method not in ("GET", "HEAD"):
            return self.refuse(route, f"a {request.method} request")
        if urlsplit(request.url).scheme not in ("http", "https"):
            return self.refuse(route, "not an http or https address")
        left = self.deadline - time.monotonic()
        if left <= 1 or self.bytes_left <= 0:
            return self.refuse(route, "the rendering's time or size budget is spent")
        try:
            fetched = fetch(
                request.url,
                method=request.method,
                max_bytes=self.bytes_left,
                timeout=min(left - 1, settings.LINK_CHECK_TIMEOUT),
            )
        except FetchError as exc:
            return self.refuse(route, exc.reason)
        if fetched.truncated:
            self.bytes_left = 0
            return self.refuse(route, "the rendering's size budget is spent")
        self.bytes_left -= len(fetched.body)
        route.fulfill(
            status=fetched.status, headers=browser_headers(fetched.headers), body=fetched.body
        )

    def left_ms(self) -> float:
        """What is left of the rendering's time, in milliseconds (at least one)."""
        return max((self.deadline - time.monotonic()) * 1000, 1)

    def refuse(self, route, reason: str) -> None:
        self.refused.append((route.request.url, reason))
        route.abort("blockedbyclient")

    def close_socket(self, socket_route) -> None:
        self.refused.append((socket_route.url, "a WebSocket"))
        socket_route.close()


def _frame_of_popup(request) -> bool:
    """Whether a navigation opens a pop-up (its first request comes before its frame exists)."""
    from playwright.sync_api import Error as BrowserError  # noqa: PLC0415 - as in _render

    try:
        request.frame  # noqa: B018 - reading it is the test
    except BrowserError:
        return True
    return False


def browser_headers(headers: list[tuple[str, str]]) -> dict[str, str]:
    """Response headers as the browser gets them: no cookies, no framing (joined by name)."""
    kept: dict[str, str] = {}
    for name, value in headers:
        key = name.lower()
        if key not in DROPPED_HEADERS:
            kept[key] = f"{kept[key]}, {value}" if key in kept else value
    return kept


def page_render(url: str, *, status: int, headers: list, body: bytes) -> Rendered:
    """Draw the page at `url`, whose document is `body`, in headless Chromium: a full-page PNG
    and a PDF. Raises playwright's Error (a time-out is one) when the browser fails."""
    # Playwright's synchronous API refuses to start in a thread that already runs an event loop
    # (a test's browser, an async worker): the browser gets a thread of its own.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(_render, url, status, headers, body).result()


def _render(url: str, status: int, headers: list, body: bytes) -> Rendered:
    from playwright.sync_api import Error as BrowserError  # noqa: PLC0415 - only when rendering
    from playwright.sync_api import sync_playwright  # noqa: PLC0415 - is on

    timeout = settings.LINK_CAPTURE_BROWSER_TIMEOUT
    gate = _Gate(status, browser_headers(headers), body, time.monotonic() + timeout)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=settings.LINK_CAPTURE_BROWSER_PATH,
            args=LAUNCH_ARGS,
            timeout=timeout * 1000,
        )
        try:
            context = browser.new_context(
                user_agent=USER_AGENT,
                viewport=VIEWPORT,
                service_workers="block",
                accept_downloads=False,
            )
            context.route("**/*", gate.answer)
            context.route_web_socket("**/*", gate.close_socket)
            page = context.new_page()
            page.goto(url, wait_until="domcontentloaded", timeout=gate.left_ms())
            # A page still loading when its time is up (or whose script started a navigation
            # that was refused, which Chromium may count as never loaded) is drawn as it is.
            with contextlib.suppress(BrowserError):
                page.wait_for_load_state("load", timeout=min(LOAD_MS, gate.left_ms()))
            with contextlib.suppress(BrowserError):  # nor wait for a page that keeps polling
                page.wait_for_load_state("networkidle", timeout=min(SETTLE_MS, gate.left_ms()))
            # Drawing gets a few seconds more than the budget: the page's loading is what ran out.
            png = page.screenshot(full_page=True, clip=CLIP, timeout=gate.left_ms() + 10_000)
            pdf = page.pdf(print_background=True)
        finally:
            browser.close()
    return Rendered(png=png, pdf=pdf, refused=gate.refused)


def capture_render(*, capture: LinkCapture) -> LinkCapture:
    """Render a kept HTML capture and store its screenshot and PDF beside its WARC file (each
    written whole, then named on the row); a failure is recorded as the rendering's error.
    FetchDeferred when LINK_CAPTURE_BROWSER_CONCURRENCY renderings run already: try later."""
    http_headers, body = warc_response(capture)
    url = capture.final_url or capture.url
    status = int(http_headers.get_statuscode() or 200)
    from playwright.sync_api import Error as BrowserError  # noqa: PLC0415 - as above

    timeout = settings.LINK_CAPTURE_BROWSER_TIMEOUT
    at_once = (settings.LINK_CAPTURE_BROWSER_CONCURRENCY, 1_000_000)
    try:
        # Counted in Redis like a host's requests: at most so many browsers on all workers.
        with host_slot(RENDER_SLOT, lease=timeout + 60, wait=timeout, limits=at_once):
            rendered = page_render(url, status=status, headers=http_headers.headers, body=body)
    except BrowserError as exc:
        capture.render_error = (str(exc).splitlines() or ["the browser failed"])[0][:300]
        capture.rendered_at = timezone.now()
        capture.save(update_fields=["render_error", "rendered_at"])
        return capture
    stem = capture.warc_name.removesuffix(".warc.gz")
    capture.screenshot_name, capture.rendered_pdf_name = f"{stem}.png", f"{stem}.pdf"
    capture.screenshot_size = file_store(
        capture.screenshot_name, lambda out: out.write(rendered.png)
    )
    capture.rendered_pdf_size = file_store(
        capture.rendered_pdf_name, lambda out: out.write(rendered.pdf)
    )
    capture.render_blocked = len(rendered.refused)
    capture.render_error = ""
    capture.rendered_at = timezone.now()
    capture.save(
        update_fields=[
            "screenshot_name",
            "screenshot_size",
            "rendered_pdf_name",
            "rendered_pdf_size",
            "render_blocked",
            "render_error",
            "rendered_at",
        ]
    )
    return capture
