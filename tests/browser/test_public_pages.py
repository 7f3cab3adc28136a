"""The public site in a real browser: reading, searching, switching language, following the feed,
at phone and desktop widths, with an accessibility check (axe-core)."""

from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


@pytest.fixture
def demo():
    cache.clear()
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def no_horizontal_overflow(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def serious_violations(page) -> list[str]:
    if not AXE.exists():
        pytest.skip("needs axe-core: run `npm install` (make test does)")
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate("async () => (await axe.run(document)).violations")
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])}×)"
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]


def test_reader_finds_reads_and_switches_language(page, live_server, demo):
    page.goto(live_server.url + "/")
    page.click(".latest-issue h2 a")
    assert page.locator("h1").inner_text() == "2024 年 8 月刊"
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


@pytest.mark.parametrize("width", [360, 1280])
def test_pages_fit_the_screen_and_pass_the_accessibility_check(browser, live_server, demo, width):
    SHOTS.mkdir(parents=True, exist_ok=True)
    # axe-core is injected as an inline script, which our CSP forbids (test_csp.py checks it).
    context = browser.new_context(
        viewport={"width": width, "height": 900}, locale="zh-CN", bypass_csp=True
    )
    page = context.new_page()
    page.goto(live_server.url + "/")
    issue_url = page.get_attribute(".latest-issue h2 a", "href")
    page.goto(live_server.url + issue_url)
    entry_url = page.get_attribute(".entry h3 a", "href")
    pages = {
        "home": "/",
        "issue": issue_url,
        "entry": entry_url,
        "search": "/search/?q=%E7%89%88%E6%9D%83",
        "archive": "/archive/",
        "english": "/en/",
    }
    for name, path in pages.items():
        page.goto(live_server.url + path)
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=name != "issue")
        assert no_horizontal_overflow(page), f"{name} overflows at {width}px"
        assert serious_violations(page) == [], name
    context.close()


def test_keyboard_reaches_the_content_through_the_skip_link(page, live_server, demo):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
