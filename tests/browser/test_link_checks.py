"""In a real browser: an author saves an entry with three links (one working, one redirecting,
one dead); its page then shows each link's state, and the issue's review page lists the dead
one before anyone approves. Screenshots go to var/screenshots/links/."""

from pathlib import Path

import pytest

from entries.models import Entry, LinkCheck
from tests.entries.servers import Server
from tests.factories import SectionFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "links"


@pytest.fixture
def cited_site(settings):
    server = Server()
    settings.LINK_FETCH_ALLOW = [server.netloc]
    yield server
    server.stop()


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-for-tests-123")
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")


def shoot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)


def test_author_sees_the_state_of_each_link_and_the_review_lists_the_dead_one(
    browser, live_server, cited_site
):
    UserFactory(username="author", roles=["Author"])
    UserFactory(username="reviewer", roles=["Reviewer"])
    section = SectionFactory(title="最新法律与监管动态")
    urls = [cited_site.url(p) for p in ("/ok?title=Official+notice", "/moved", "/gone")]
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    log_in(page, live_server, "author")

    page.goto(f"{live_server.url}/admin/entries/entry/add/")
    page.select_option("#id_section", str(section.pk))
    page.fill("#id_position", "1")
    page.fill("#id_title", "示例法规发布")
    page.locator(".field-summary [contenteditable=true]").click()
    page.keyboard.type("法规今日发布。")
    for row, url in enumerate(urls):
        if row:
            page.click("#links-group .add-row a")
        page.fill(f"#id_links-{row}-url", url)
    page.click("input[name=_continue]")
    page.wait_for_url("**/change/")

    entry = Entry.objects.get()
    assert LinkCheck.objects.count() == 3  # checked after the save's commit
    page.reload()  # the page as it reads once the checks are in
    states = page.locator("#links-group .field-link_state")
    assert "200" in states.nth(0).locator(".link-check--ok").inner_text()
    assert "Official notice" in states.nth(0).inner_text()
    assert states.nth(1).locator(".link-check--redirected").is_visible()
    assert states.nth(1).locator(".link-check__final").inner_text() == cited_site.url(
        "/ok?title=Moved+here"
    )
    assert "410" in states.nth(2).locator(".link-check--broken").inner_text()
    shoot(page, "entry-zh")

    english = browser.new_context(locale="en-GB")
    page_en = english.new_page()
    log_in(page_en, live_server, "reviewer")
    page_en.goto(f"{live_server.url}/admin/entries/entry/{entry.pk}/change/")
    assert page_en.locator(".link-check--ok").inner_text() == "Works · 200"
    shoot(page_en, "entry-en")

    page_en.goto(f"{live_server.url}/admin/bulletin/issue/{entry.issue_id}/review/")
    failing = page_en.locator(".failing-links")
    assert failing.locator("h3").inner_text() == "1 link does not work"
    assert failing.locator("li").count() == 1
    assert cited_site.url("/gone") in failing.inner_text()
    assert "示例法规发布" in failing.inner_text()
    shoot(page_en, "review-en")
    page.goto(f"{live_server.url}/admin/bulletin/issue/{entry.issue_id}/review/")
    shoot(page, "review-zh")
    context.close()
    english.close()
