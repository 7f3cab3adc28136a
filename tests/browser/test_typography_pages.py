"""The Chinese typesetting rules as a reader's browser lays the pages out: no title ends with
one character alone on its line, issues are named once, labels end with a full-width colon."""

from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "typography"


@pytest.fixture
def demo():
    cache.clear()
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("prefix", ["", "/en"])
def test_titles_keep_their_last_two_characters_on_one_line(
    browser, live_server, demo, width, prefix
):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}{prefix}/")
        page.goto(live_server.url + page.get_attribute(".latest-issue h2 a", "href"))
        kept = page.locator(".entry h3 .nowrap")
        assert kept.count() >= 3
        lines = page.evaluate(
            "[...document.querySelectorAll('.nowrap')].map(s => s.getClientRects().length)"
        )
        assert set(lines) == {1}
        name = "2024 年 8 月刊 · 第 1 期" if not prefix else "August 2024 · No. 1"
        assert page.locator(".issue-meta").inner_text() == name
        language = "zh" if not prefix else "en"
        shoot(page, f"issue-{language}-{width}")
        page.locator(".entry h3 a").first.click()
        page.wait_for_load_state()
        assert name in page.locator(".bulletin-name").inner_text()
        shoot(page, f"entry-{language}-{width}")
        page.goto(f"{live_server.url}{prefix}/archive/")
        shoot(page, f"archive-{language}-{width}")
        page.goto(f"{live_server.url}{prefix}/")
        shoot(page, f"home-{language}-{width}")
    finally:
        context.close()


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("prefix", ["", "/en"])
def test_the_subscribe_form_labels_end_as_the_language_writes_them(
    browser, live_server, demo, width, prefix
):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}{prefix}/")
        page.goto(live_server.url + page.get_attribute(".latest-issue h2 a", "href"))
        page.goto(live_server.url + page.get_attribute("a[href*='/mail/subscribe/']", "href"))
        email_label = page.locator("label[for=id_email]").inner_text()
        consent = page.locator("label[for=id_consent]").inner_text()
        assert email_label.endswith("：" if not prefix else ":")
        assert consent.endswith("。" if not prefix else ".")
        shoot(page, f"subscribe-{'zh' if not prefix else 'en'}-{width}")
    finally:
        context.close()
