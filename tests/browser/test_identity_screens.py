"""The firm's chrome in a real browser: header, footer, subscribe band and the 404 page, at phone
and desktop widths in both languages, with the brand stylesheet and mark loaded under the CSP.
(The validators save a screenshot of every public page type, tests/validators/test_pages.py.)"""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_firms_chrome_on_home_issue_and_404(browser, live_server, demo):
    for width in (390, 1280):
        check_the_chrome(browser, live_server, width)


def check_the_chrome(browser, live_server, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
    page = context.new_page()
    refused = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security" in m.text else None)
    page.goto(live_server.url + "/")
    issue_url = page.get_attribute(".latest-issue h2 a", "href")
    pages = {
        "home-zh": "/",
        "issue-zh": issue_url,
        "404-zh": "/nonexistent/",
        "home-en": "/en/",
        "issue-en": "/en" + issue_url,
        "404-en": "/en/nonexistent/",
    }
    for name, path in pages.items():
        page.goto(live_server.url + path)
        name_text = page.locator(".site-name").inner_text()
        assert name_text == ("Hengchuan Law Offices" if name.endswith("en") else "衡川律师事务所")
        # The mark loaded (an image that failed has no natural width).
        assert page.evaluate("document.querySelector('.site-brand__mark').naturalWidth") > 0
        accent = page.evaluate(
            "getComputedStyle(document.documentElement).getPropertyValue('--accent').trim()"
        )
        assert accent == "#7a1f2b", name
        assert page.locator(".site-footer").get_by_text("+86 10 5555 0100").count() == 1
        assert page.evaluate(
            "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
        ), f"{name} overflows at {width}px"
    assert refused == []
    context.close()
