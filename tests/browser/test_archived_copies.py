"""A reader follows a dead citation to its archived copy: approved (captured), published, the
cited page then gone; the public entry page offers the copy, served from the archive origin in
a sandbox. Screenshots go to var/screenshots/captures/."""

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.urls import reverse

from bulletin.models import Bulletin
from bulletin.services.workflow import entry_transition
from entries.links import link_check
from entries.models import Entry, LinkCapture
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
