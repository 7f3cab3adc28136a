"""The Chinese typesetting rules as a reader's browser lays the pages out: no title ends with
one character alone on its line, issues are named once, labels end with a full-width colon."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_titles_and_labels_as_each_language_writes_them(browser, live_server, demo):
    """No title ends with one character alone on its line, the issue is named once, and the
    subscribe form's labels end as the language writes them: both languages, both widths."""
    for prefix in ("", "/en"):
        for width in (390, 1280):
            context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
            try:
                check_titles(context.new_page(), live_server.url, prefix)
                check_labels(context.new_page(), live_server.url, prefix)
            finally:
                context.close()


def check_titles(page, url: str, prefix: str) -> None:
    page.goto(f"{url}{prefix}/")
    page.goto(url + page.get_attribute(".latest-issue h2 a", "href"))
    if not prefix:  # Chinese titles keep their last two characters together
        assert page.locator(".entry h3 .nowrap").count() >= 3
    else:  # the English edition's titles are English
        assert "1. Council of the EU adopts" in page.locator(".entry h3").first.inner_text()
    lines = page.evaluate(
        "[...document.querySelectorAll('.nowrap')].map(s => s.getClientRects().length)"
    )
    assert set(lines) == ({1} if not prefix else set())
    title = "2024 年 8 月刊" if not prefix else "August 2024"
    name = f"{title} · 第 1 期" if not prefix else f"{title} · No. 1"
    header = page.locator("article.issue header").inner_text()
    assert header.count(name) == 1 and header.count(title) == 1, header
    page.locator(".entry h3 a").first.click()
    page.wait_for_load_state()
    assert name in page.locator(".bulletin-name").inner_text()


def check_labels(page, url: str, prefix: str) -> None:
    page.goto(f"{url}{prefix}/")
    page.goto(url + page.get_attribute(".latest-issue h2 a", "href"))
    page.goto(url + page.get_attribute("a[href*='/mail/subscribe/']", "href"))
    email_label = page.locator("label[for=id_email]").inner_text()
    consent = page.locator("label[for=id_consent]").inner_text()
    assert email_label.endswith("：" if not prefix else ":")
    assert consent.endswith("。" if not prefix else ".")
