"""The author page and the "My contact details" page in a real browser, at phone and desktop
widths and in both languages, with screenshots to look at."""

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from people.models import Author
from tests.factories import AuthorFactory, IssueFactory, UserFactory, publish

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "people-contact"
MOBILE = "+86 139 0000 1234"
PREFIX = {"zh-hans": "", "en": "/en"}


@pytest.fixture
def authors(settings):
    settings.BULLETIN_PUBLISH_OUTPUTS = ["web.invalidate"]
    shown = AuthorFactory(
        name="林青山",
        slug="lin",
        phone="010-5550 0101",
        mobile=MOBILE,
        practice_areas="知识产权、数据合规",
        experience="<p>执业十五年，专注于知识产权与数据合规。</p>",
    )
    hidden = AuthorFactory(
        name="周映雪",
        slug="zhou",
        mobile=MOBILE,
        show_phone_web=False,
        show_email_web=False,
        experience="<p>专注于跨境数据与并购。</p>",
    )
    issue = IssueFactory()
    issue.bulletin.team.set([shown, hidden])
    publish(issue)
    return shown, hidden


def shoot(browser, url, name, width, *, cookie=None):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
    if cookie:
        context.add_cookies([cookie])
    page = context.new_page()
    page.goto(url)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
    text = page.locator("body").inner_text()
    fits = page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
    context.close()
    return text, fits


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("language", ["zh-hans", "en"])  # Chinese has no prefix
def test_author_pages_show_only_what_the_authors_chose(
    browser, live_server, authors, width, language
):
    shown, hidden = authors
    text, fits = shoot(
        browser, f"{live_server.url}{PREFIX[language]}/authors/lin/", f"lin-{language}", width
    )
    assert "010-5550 0101" in text and shown.email in text and "执业十五年" in text
    assert MOBILE not in text and fits
    text, fits = shoot(
        browser, f"{live_server.url}{PREFIX[language]}/authors/zhou/", f"zhou-{language}", width
    )
    assert "专注于跨境数据与并购" in text and "bulletin@example-law.cn" in text
    assert MOBILE not in text and hidden.email not in text and fits


@pytest.mark.parametrize("width", [390, 1280])
def test_an_author_sets_their_contact_details_in_the_admin(browser, live_server, authors, width):
    user = UserFactory(roles=["Author"])
    Author.objects.filter(slug="zhou").update(user=user)
    client = Client()
    client.force_login(user)
    cookie = {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": live_server.url,
    }
    text, _ = shoot(
        browser,
        f"{live_server.url}/admin/people/author/my-contact-details/",
        "admin",
        width,
        cookie=cookie,
    )
    assert MOBILE in text
