"""The issue email as a browser engine lays it out (web mail clients are browsers): no
horizontal scrolling at the widths of a desktop client's pane and of a phone."""

from pathlib import Path

import pytest
from django.conf import settings

from bulletin.mailing.rendering import GREETING, PREFERENCES_URL, UNSUBSCRIBE_URL, email_render
from tests.mailing.factories import long_issue

pytestmark = [pytest.mark.browser, pytest.mark.django_db]
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots" / "email"


def filled(html: str) -> str:
    return (
        html.replace(GREETING, "尊敬的王律师：")
        .replace(PREFERENCES_URL, "https://bulletin.example.com/mail/preferences/x/")
        .replace(UNSUBSCRIBE_URL, "https://bulletin.example.com/mail/unsubscribe/x/")
    )


@pytest.fixture
def emails():
    issue = long_issue(entries=8, sections=2, title="人工智能与数据合规月度观察")
    content = issue.current_publication().content
    return {
        language: filled(email_render(content, issue=issue, language=language)["html"])
        for language in ("zh-hans", "en")
    }


def test_the_email_does_not_scroll_sideways(browser, emails):
    for language in ("zh-hans", "en"):
        for width in (600, 360):
            check_the_width(browser, emails[language], language, width)


def check_the_width(browser, html: str, language: str, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        page.set_content(html)
        scroll, client = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert page.get_by_text("网信办就生成式人工智能服务").first.is_visible()
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOTS / f"issue-{language}-{width}.png", full_page=True)
        assert scroll <= client, f"{scroll} > {client}"
    finally:
        context.close()
