"""A reader follows a dead citation to its archived copy: approved (captured), published, the
cited page then gone; the public entry page offers the copy, served from the archive origin in
a sandbox. Screenshots go to var/screenshots/captures/."""

import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.urls import reverse
from warcio.archiveiterator import ArchiveIterator

from bulletin.models import Bulletin
from bulletin.services.workflow import entry_transition
from entries.capture import capture_storage, link_capture, pdf_text
from entries.links import link_check
from entries.models import Entry, LinkCapture
from entries.rendering import capture_render
from tests.conftest import CHROMIUM
from tests.factories import (
    BulletinFactory,
    EntryFactory,
    EntryLinkFactory,
    IssueFactory,
    SectionFactory,
    UserFactory,
    publish,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "captures"
NOTICE = (
    b"<!doctype html><html><head><meta charset=utf-8><title>Notice</title></head><body>"
    b"<h1>Interim Measures for the Management of Generative AI Services</h1>"
    b"<p>Providers shall label generated content.</p>"
    b"<script>document.body.insertAdjacentHTML('beforeend', '<p id=ran>script ran</p>')</script>"
    b"</body></html>"
)


@pytest.fixture
def archive_origin(live_server, settings):
    port = urlsplit(live_server.url).port
    settings.ARCHIVE_ORIGIN = f"http://archive.localhost:{port}"
    return settings.ARCHIVE_ORIGIN


def test_a_dead_link_leads_to_its_archived_copy_on_the_archive_origin(
    page, live_server, archive_origin, page_server
):
    cache.clear()
    page_server.pages["/notice"] = (200, "text/html; charset=utf-8", NOTICE)
    issue = IssueFactory(bulletin=BulletinFactory(archive_copies=Bulletin.ArchiveCopies.PUBLIC))
    author = UserFactory(roles=["Author"])
    entry = EntryFactory(
        section=SectionFactory(issue=issue), state=Entry.State.IN_REVIEW, created_by=author
    )
    link = EntryLinkFactory(entry=entry, url=page_server.url("/notice"))
    entry_transition(entry=entry, user=UserFactory(roles=["Reviewer"]), action="approve")
    capture = LinkCapture.objects.kept().get(link=link)  # captured on approval
    publish(issue)
    entry_url = live_server.url + reverse("bulletin:entry_short", args=[entry.pk])

    page.goto(entry_url)
    assert page.locator(f'a.url[href="{link.url}"]').is_visible()
    assert page.locator("a.archived-copy").count() == 0  # alive: no copy offered

    page_server.pages["/notice"] = (410, "text/html", b"<!doctype html><title>Gone</title>")
    assert link_check(url=link.url).failing
    page.goto(entry_url)
    english = (
        page.url
        if "/en/" in page.url
        else page.url.replace(live_server.url, live_server.url + "/en")
    )
    pages = {"en": english, "zh-hans": english.replace("/en/", "/", 1)}
    for language, address in pages.items():
        page.goto(address)
        assert "archived copy" in page.locator("a.archived-copy").inner_text() or (
            "存档" in page.locator("a.archived-copy").inner_text()
        )
        for width in (390, 1280):
            page.set_viewport_size({"width": width, "height": 900})
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=SHOTS / f"entry-{language}-{width}.png", full_page=True)

    with page.expect_response(lambda r: "/captures/" in r.url) as served:
        page.locator("a.archived-copy").click()
    response = served.value
    assert urlsplit(page.url).hostname == "archive.localhost"
    assert page.url.startswith(f"{archive_origin}/captures/{capture.pk}/")
    assert response.headers["content-security-policy"].startswith("sandbox")
    assert "set-cookie" not in response.headers
    assert page.get_by_text("Providers shall label generated content.").is_visible()
    assert page.locator("#ran").count() == 0  # the captured script did not run
    banner = page.locator("[data-archive-banner]").inner_text()
    assert banner.startswith("Archived copy of") or "存档副本" in banner, banner  # as last read
    assert link.url in banner
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 700})
        page.screenshot(path=SHOTS / f"banner-en-{width}.png")
    page.set_extra_http_headers({"Accept-Language": "zh-CN,zh;q=0.9"})
    page.reload()
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 700})
        page.screenshot(path=SHOTS / f"banner-zh-hans-{width}.png")


def responses_of(capture: LinkCapture) -> dict[str, bytes]:
    """A capture's WARC response records by target address, read back with their digests
    checked."""
    with capture_storage().open(capture.warc_name, "rb") as warc:
        return {
            r.rec_headers.get_header("WARC-Target-URI"): r.content_stream().read()
            for r in ArchiveIterator(warc, check_digests="raise")
            if r.rec_type == "response"
        }


def _shots(page, address: str, language: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(address)
        page.screenshot(path=SHOTS / f"capture-admin-{language}-{width}.png", full_page=True)


def test_staff_open_a_rendered_pages_screenshot_and_pdf_from_the_admin(
    browser, open_admin_as, live_server, archive_origin, page_server, settings
):
    settings.LINK_CAPTURE_BROWSER, settings.LINK_CAPTURE_BROWSER_PATH = True, CHROMIUM
    page_server.pages["/notice"] = (200, "text/html; charset=utf-8", NOTICE)
    UserFactory(username="rev", roles=["Reviewer"])
    issue = IssueFactory(bulletin=BulletinFactory(archive_copies=Bulletin.ArchiveCopies.STAFF))
    link = EntryLinkFactory(
        entry=EntryFactory(section=SectionFactory(issue=issue)), url=page_server.url("/notice")
    )
    capture = capture_render(capture=link_capture(link=link))
    change = f"{live_server.url}/admin/entries/linkcapture/{capture.pk}/change/"
    zh = browser.new_context(locale="zh-CN")  # the admin speaks the browser's language
    try:
        chinese = zh.new_page()
        chinese.goto(f"{live_server.url}/admin/login/?next={change}")
        chinese.fill("#id_username", "rev")
        chinese.fill("#id_password", "pw-for-tests-123")
        chinese.click("input[type=submit]")
        chinese.wait_for_url(change)
        opened = chinese.locator(".field-open a")  # "Screenshot" and its kin await translation
        assert opened.first.inner_text() == "打开" and opened.count() == 3
        _shots(chinese, change, "zh-hans")
    finally:
        zh.close()
    admin = open_admin_as("rev")
    _shots(admin, change, "en")
    with admin.context.expect_page() as opened:
        admin.get_by_role("link", name="Screenshot").click()
    shot = opened.value
    shot.wait_for_load_state()
    assert shot.url.startswith(f"{archive_origin}/captures/{capture.pk}/screenshot.png?key=")
    # Shown as an image under the sandbox policy, the picture of the page as drawn.
    assert shot.evaluate("document.images.length && document.images[0].naturalWidth") == 1280
    shot.screenshot(path=SHOTS / "capture-screenshot-1280.png")
    pdf_link = admin.get_by_role("link", name="PDF", exact=True).get_attribute("href")
    redirect = admin.request.get(live_server.url + pdf_link, max_redirects=0)
    location = redirect.headers["location"]
    assert location.startswith(f"{archive_origin}/captures/{capture.pk}/rendered.pdf?key=")
    # Fetched as the browser would (Playwright's own client does not resolve *.localhost).
    archive = urlsplit(archive_origin)
    address = location.replace(archive.hostname, "127.0.0.1", 1)
    request = urllib.request.Request(address, headers={"Host": archive.netloc})  # noqa: S310
    with urllib.request.urlopen(request) as served:  # noqa: S310 - the live server
        assert served.headers["Content-Disposition"].startswith("attachment;")
        assert served.headers["Content-Security-Policy"].startswith("sandbox")
        # Rendered with its script (the archived copy itself runs none).
        assert "script ran" in pdf_text(served.read())


def test_an_authors_three_links_are_checked_captured_and_the_dead_one_read_in_the_archive(
    browser, open_admin_as, live_server, archive_origin, page_server
):
    """The whole path: an author cites a working, a redirecting and a dead page in the admin and
    sees each state; once approved, the two that answer are captured as WARCs that warcio reads
    back with valid digests; published, the working page then dies, and the public page leads
    to its copy on the archive origin, in a sandbox."""
    cache.clear()
    page_server.pages["/notice"] = (200, "text/html; charset=utf-8", NOTICE)
    page_server.pages["/old"] = (301, "", b"/new")
    page_server.pages["/new"] = (200, "text/html; charset=utf-8", b"<title>Moved here</title>")
    page_server.pages["/gone"] = (410, "text/html", b"<!doctype html><title>Gone</title>")
    urls = [page_server.url(path) for path in ("/notice", "/old", "/gone")]
    UserFactory(username="author", roles=["Author"])
    UserFactory(username="reviewer", roles=["Reviewer"])
    issue = IssueFactory(bulletin=BulletinFactory(archive_copies=Bulletin.ArchiveCopies.PUBLIC))
    section = SectionFactory(issue=issue)

    author = open_admin_as("author")
    author.goto(f"{live_server.url}/admin/entries/entry/add/")
    author.select_option("#id_section", str(section.pk))
    author.fill("#id_position", "1")
    author.fill("#id_title", "生成式人工智能服务标识办法发布")
    author.locator(".field-summary [contenteditable=true]").click()
    author.keyboard.type("办法要求标识生成内容。")
    for row, url in enumerate(urls):
        if row:
            author.click("#links-group .add-row a")
        author.fill(f"#id_links-{row}-url", url)
    author.click("input[name=_continue]")
    author.wait_for_url("**/change/")
    author.reload()  # as it reads once the checks are in
    states = author.locator("#links-group .field-link_state")
    assert states.nth(0).locator(".link-check--ok").is_visible()
    assert states.nth(1).locator(".link-check--redirected").is_visible()
    assert "410" in states.nth(2).locator(".link-check--broken").inner_text()
    author.locator(".workflow-action--submit button").click()
    author.wait_for_load_state()

    entry = Entry.objects.get()
    reviewer = open_admin_as("reviewer")
    reviewer.goto(f"{live_server.url}/admin/entries/entry/{entry.pk}/change/")
    reviewer.locator(".workflow-action--approve button").click()
    reviewer.wait_for_load_state()
    entry.refresh_from_db()
    assert entry.state == Entry.State.APPROVED

    kept = {c.link.url: c for c in LinkCapture.objects.kept().select_related("link")}
    assert set(kept) == set(urls[:2])  # a dead page has nothing worth keeping
    notice, moved = (responses_of(kept[url]) for url in urls[:2])
    assert b"Providers shall label generated content." in notice[urls[0]]
    assert b"Moved here" in moved[page_server.url("/new")]  # the redirect's target, kept

    publish(issue)
    page_server.pages["/notice"] = (404, "text/html", b"<!doctype html><title>404</title>")
    assert link_check(url=urls[0]).failing
    context = browser.new_context(locale="en-GB")
    reader = context.new_page()
    reader.goto(live_server.url + reverse("bulletin:entry_short", args=[entry.pk]))
    offered = reader.locator("a.archived-copy")
    assert offered.count() == 1  # only the dead one, the others still answer
    with reader.expect_response(lambda r: "/captures/" in r.url) as served:
        offered.click()
    response = served.value
    assert reader.url.startswith(f"{archive_origin}/captures/{kept[urls[0]].pk}/")
    assert response.headers["content-security-policy"].startswith("sandbox")
    assert "set-cookie" not in response.headers
    assert reader.get_by_text("Providers shall label generated content.").is_visible()
    assert urls[0] in reader.locator("[data-archive-banner]").inner_text()
    context.close()
