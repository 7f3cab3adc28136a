"""The optional Chromium rendering of a captured page: a screenshot and a PDF of the page as
drawn with its scripts, every request of the page vetted like any fetch (private addresses
refused), and no rendering at all unless LINK_CAPTURE_BROWSER is on."""

import time

import pytest
from django.utils import timezone

from bulletin.models import Job
from bulletin.services.captures import RENDER_JOB, capture_render_job, link_capture_job
from entries.capture import link_capture, pdf_text
from entries.fetching import FetchDeferred, host_slot, hosts_forget
from entries.models import LinkCapture
from entries.rendering import RENDER_SLOT, capture_render
from tests.conftest import CHROMIUM
from tests.entries.capture_server import PageServer
from tests.factories import EntryLinkFactory

pytestmark = pytest.mark.django_db

SCRIPTED = """<!doctype html><html><head><title>Notice</title>
<script src="/app.js"></script></head>
<body><h1>Notice No. 5</h1><p id="filled">waiting for the script</p><p id="probe">not probed</p>
<img src="http://169.254.169.254/latest/meta-data/icon.png" alt="">
<img src="http://{private}/private.png" alt="">
<iframe src="http://internal.test:{private_port}/frame"></iframe>
</body></html>"""
SCRIPT = """
document.addEventListener("DOMContentLoaded", function () {
  document.getElementById("filled").textContent = "Filled in by the page script";
  try { new WebSocket("ws://%(private)s/socket"); } catch (e) {}
  fetch("http://%(private)s/secret").then(function (r) { return r.text(); }).then(
    function (t) { document.getElementById("probe").textContent = "LEAKED " + t; },
    function () { document.getElementById("probe").textContent = "Probe BLOCKED"; });
  window.open("http://%(private)s/popup");
  setTimeout(function () { location.href = "http://%(private)s/away"; }, 100);
});
"""


@pytest.fixture
def browser_on(settings):
    settings.LINK_CAPTURE_BROWSER = True
    settings.LINK_CAPTURE_BROWSER_PATH = CHROMIUM
    settings.LINK_CAPTURE_BROWSER_TIMEOUT = 30
    return settings


@pytest.fixture
def private_server(fake_dns_records):
    """A server on a loopback port the policy does not allow: what it is asked for is kept in
    `requests`, which must stay empty. internal.test resolves to it."""
    server = PageServer()
    server.pages["/secret"] = (200, "text/plain", b"the metadata secret")
    fake_dns_records["internal.test"] = ["127.0.0.1"]
    yield server
    server.stop()


def _scripted(page_server, private_server) -> LinkCapture:
    page = SCRIPTED.format(private=private_server.netloc, private_port=private_server.port)
    page_server.pages["/notice"] = (200, "text/html; charset=utf-8", page.encode())
    script = SCRIPT % {"private": private_server.netloc}
    page_server.pages["/app.js"] = (200, "text/javascript", script.encode())
    return link_capture(link=EntryLinkFactory(url=page_server.url("/notice")))


def test_rendering_keeps_a_screenshot_and_pdf_of_the_scripted_page_beside_its_warc(
    page_server, private_server, capture_root, browser_on
):
    capture = capture_render(capture=_scripted(page_server, private_server))
    assert capture.render_error == "" and capture.rendered_at is not None
    stem = capture.warc_name.removesuffix(".warc.gz")
    assert (capture.screenshot_name, capture.rendered_pdf_name) == (f"{stem}.png", f"{stem}.pdf")
    png = (capture_root / capture.screenshot_name).read_bytes()
    pdf = (capture_root / capture.rendered_pdf_name).read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and capture.screenshot_size == len(png)
    assert pdf.startswith(b"%PDF-") and capture.rendered_pdf_size == len(pdf)
    text = pdf_text(pdf)
    assert "Notice No. 5" in text and "Filled in by the page script" in text
    # The script came through the fetcher; the page itself from the WARC file, not again.
    assert page_server.requests.count("/app.js") == 1
    assert page_server.requests.count("/notice") == 1
    # No temporary file is left beside them.
    assert sorted(p.suffix for p in capture_root.rglob("*") if p.is_file()) == [
        ".gz",
        ".pdf",
        ".png",
    ]


def test_the_rendered_page_reaches_no_private_address(
    page_server, private_server, capture_root, browser_on
):
    capture = capture_render(capture=_scripted(page_server, private_server))
    assert capture.render_error == ""
    text = pdf_text((capture_root / capture.rendered_pdf_name).read_bytes())
    assert "Filled in by the page script" in text and "Probe BLOCKED" in text
    assert "LEAKED" not in text
    # Not the metadata address, not the loopback port (by address, by a name resolving to it,
    # by WebSocket, pop-up or navigation): the private server was asked for nothing at all.
    assert private_server.requests == []
    assert capture.render_blocked >= 4


def test_a_subresource_over_the_size_budget_is_refused_and_the_page_still_drawn(
    page_server, capture_root, browser_on
):
    browser_on.LINK_CAPTURE_MAX_BYTES = 50_000
    page = b'<!doctype html><h1>Notice No. 6</h1><img src="/huge.png" alt="">'
    page_server.pages["/notice"] = (200, "text/html", page)
    page_server.pages["/huge.png"] = (200, "image/png", b"\x89PNG" + b"0" * 200_000)
    capture = capture_render(
        capture=link_capture(link=EntryLinkFactory(url=page_server.url("/notice")))
    )
    assert capture.render_blocked == 1 and capture.screenshot_name
    assert "Notice No. 6" in pdf_text((capture_root / capture.rendered_pdf_name).read_bytes())


def _payload(link) -> dict:
    return {"link": link.pk, "url": link.url, "asked_at": timezone.now().isoformat()}


def test_no_rendering_is_asked_for_while_the_option_is_off(
    page_server, capture_root, settings, django_capture_on_commit_callbacks
):
    assert settings.LINK_CAPTURE_BROWSER is False  # the default
    page_server.pages["/notice"] = (200, "text/html", b"<!doctype html><h1>Notice</h1>")
    link = EntryLinkFactory(url=page_server.url("/notice"))
    with django_capture_on_commit_callbacks(execute=True):
        link_capture_job(_payload(link))
    capture = LinkCapture.objects.kept().get(link=link)
    assert capture.warc_name and (capture_root / capture.warc_name).is_file()
    assert not Job.objects.filter(name=RENDER_JOB).exists()
    assert (capture.rendered_at, capture.screenshot_name) == (None, "")
    assert sorted(p.suffix for p in capture_root.rglob("*") if p.is_file()) == [".gz"]


def test_a_capture_asks_for_its_rendering_when_the_option_is_on(
    page_server, capture_root, browser_on, django_capture_on_commit_callbacks
):
    page_server.pages["/notice"] = (200, "text/html", b"<!doctype html><h1>Notice</h1>")
    page_server.pages["/plain"] = (200, "text/plain", b"plain text needs no browser")
    urls = ("/notice", "/plain", "/gone")  # /gone answers 404: no copy kept, nothing to draw
    link, plain, gone = (EntryLinkFactory(url=page_server.url(p)) for p in urls)
    with django_capture_on_commit_callbacks(execute=True):
        for each in (link, plain, gone):
            link_capture_job(_payload(each))
    assert LinkCapture.objects.get(link=gone).warc_name  # captured, as a dead page
    job = Job.objects.get(name=RENDER_JOB)
    capture = LinkCapture.objects.get(link=link)
    assert job.payload == {"capture": capture.pk} and job.status == "done"
    capture.refresh_from_db()
    assert capture.screenshot_name and (capture_root / capture.screenshot_name).is_file()
    assert LinkCapture.objects.get(link=plain).rendered_at is None
    assert LinkCapture.objects.get(link=gone).rendered_at is None


def test_a_rendering_job_does_nothing_once_the_option_is_turned_off(
    page_server, capture_root, settings
):
    page_server.pages["/notice"] = (200, "text/html", b"<!doctype html><h1>Notice</h1>")
    capture = link_capture(link=EntryLinkFactory(url=page_server.url("/notice")))
    settings.LINK_CAPTURE_BROWSER = False
    capture_render_job({"capture": capture.pk})
    capture.refresh_from_db()
    assert capture.warc_name and (capture.rendered_at, capture.screenshot_name) == (None, "")
    settings.LINK_CAPTURE_BROWSER, settings.LINK_CAPTURE_BROWSER_PATH = True, CHROMIUM
    capture_render_job({"capture": capture.pk})
    capture.refresh_from_db()
    assert capture.rendered_at is not None and capture.screenshot_name
    rendered_at = capture.rendered_at
    capture_render_job({"capture": capture.pk})  # run twice, drawn once
    capture.refresh_from_db()
    assert capture.rendered_at == rendered_at


def _png_size(png: bytes) -> tuple[int, int]:
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def test_a_screenshot_is_the_whole_page_up_to_a_bounded_height(
    page_server, capture_root, browser_on
):
    short = b'<!doctype html><body style="margin:0"><div style="height:2000px">Short</div>'
    tall = b'<!doctype html><body style="margin:0"><div style="height:90000px">Tall</div>'
    page_server.pages["/short"], page_server.pages["/tall"] = (
        (200, "text/html", short),
        (200, "text/html", tall),
    )
    sizes = {}
    for path in ("/short", "/tall"):
        capture = link_capture(link=EntryLinkFactory(url=page_server.url(path)))
        capture = capture_render(capture=capture)
        sizes[path] = _png_size((capture_root / capture.screenshot_name).read_bytes())
    assert sizes == {"/short": (1280, 2000), "/tall": (1280, 16_000)}


def test_a_page_whose_script_hangs_is_given_up_after_the_time_limit(
    page_server, capture_root, browser_on
):
    browser_on.LINK_CAPTURE_BROWSER_TIMEOUT = 4
    page = b"<!doctype html><h1>Hangs</h1><script>setTimeout(() => { for (;;) {} }, 200)</script>"
    page_server.pages["/hangs"] = (200, "text/html", page)
    capture = link_capture(link=EntryLinkFactory(url=page_server.url("/hangs")))
    started = time.monotonic()
    capture = capture_render(capture=capture)
    assert time.monotonic() - started < 4 + 10 + 10  # the budget, the drawing's grace, the exit
    assert capture.render_error and capture.rendered_at is not None
    assert (capture.screenshot_name, capture.rendered_pdf_name) == ("", "")
    assert capture.warc_name and (capture_root / capture.warc_name).is_file()  # the copy stands


def test_no_more_browsers_run_at_once_than_the_setting_allows(
    page_server, capture_root, browser_on
):
    browser_on.LINK_CAPTURE_BROWSER_CONCURRENCY = 1
    browser_on.LINK_FETCH_QUEUE_WAIT = 0.5
    page_server.pages["/notice"] = (200, "text/html", b"<!doctype html><h1>Notice</h1>")
    capture = link_capture(link=EntryLinkFactory(url=page_server.url("/notice")))
    hosts_forget([RENDER_SLOT])
    try:
        with host_slot(RENDER_SLOT, lease=30, wait=0, limits=(1, 1_000_000)):  # another worker's
            with pytest.raises(FetchDeferred):
                capture_render(capture=capture)
            capture.refresh_from_db()
            assert (capture.rendered_at, capture.screenshot_name) == (None, "")
        capture_render(capture=capture)  # the job's next attempt
    finally:
        hosts_forget([RENDER_SLOT])
    assert capture.rendered_at is not None and capture.screenshot_name
