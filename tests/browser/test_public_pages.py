"""The public site in a real browser: reading, searching, switching language, following the feed.
Every page type at phone and desktop widths, with axe-core, is in tests/validators/."""

from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


def no_horizontal_overflow(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def test_reader_finds_reads_and_switches_language(page, live_server, demo):
    page.goto(live_server.url + "/")
    page.click(".latest-issue h2 a")
    assert page.locator("h1").inner_text() == "2024 年 8 月刊 · 第 1 期"
    page.locator(".entry h3 a").first.click()
    assert page.locator("article.entry-page h1").is_visible()

    page.fill("#site-search", "版权")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=*")
    results = page.locator(".search-results .entry-card__title")
    assert results.count() >= 1
    assert "版权" in results.first.inner_text() or page.locator("mark").count() >= 1

    page.click(".language-switch a")
    page.wait_for_url("**/en/**")
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.url.startswith(live_server.url + "/en/")

    page.goto(live_server.url + "/")
    feed_url = page.get_attribute(".latest-issue a[type='application/atom+xml']", "href")
    response = page.request.get(live_server.url + feed_url)
    assert response.ok and "<feed" in response.text()


def test_keyboard_reaches_the_content_through_the_skip_link(page, live_server, demo):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
