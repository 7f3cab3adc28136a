"""Search result cards on /en/ in Chromium: an entry the English edition translates shows its
English title and summary, the others their Chinese marked lang="zh-Hans" with a note; at phone
and desktop widths, screenshots in var/screenshots/public/."""

from pathlib import Path

import pytest
from django.core.cache import cache

from bulletin.services.editions import issue_publish_edition
from tests.factories import (
    EntryFactory,
    IssueFactory,
    SectionFactory,
    UserFactory,
    approve_translation,
    publish,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "public"
CHINESE = [
    "《生成式人工智能服务管理暂行办法》施行一周年",
    "算法备案新规发布",
    "数据出境安全评估申报指南（第二版）",
]
ENGLISH = [
    "One Year of the Interim Measures on Generative AI Services",
    "New Algorithm Filing Rules",
]


def _approve(subject, texts, people):
    return approve_translation(subject, texts, translator=people[0], reviewer=people[1])


@pytest.fixture
def edition(settings):
    """A published issue of three entries and its English edition, two of them translated."""
    settings.BULLETIN_PUBLISH_OUTPUTS = ["web.invalidate"]
    cache.clear()
    people = [
        UserFactory(username="translator", roles=["Editor"]),
        UserFactory(username="reviewer", roles=["Reviewer"]),
    ]
    issue = IssueFactory(slug="2024-09", title="人工智能月刊第九期")
    section = SectionFactory(issue=issue, title="法规动态")
    entries = [
        EntryFactory(
            section=section,
            position=i + 1,
            title=title,
            summary=f"<p>{title}：监管部门发布相关文件，明确适用范围、申报材料和时限。</p>",
        )
        for i, title in enumerate(CHINESE)
    ]
    publish(issue)
    for entry, title in zip(entries, ENGLISH, strict=False):
        summary = f"<p>{title}: the regulator sets out the scope, the filing and the deadlines.</p>"
        _approve(entry, {"title": title, "summary": summary}, people)
    _approve(issue, {"title": "AI Monthly No. 9", f"section:{section.pk}": "Rules"}, people)
    issue_publish_edition(
        issue=issue, user=UserFactory(username="pub", roles=["Publisher"]), language="en"
    )
    return entries


@pytest.mark.parametrize("width", [390, 1280])
def test_english_search_cards_show_english_or_marked_chinese(browser, live_server, edition, width):
    context = browser.new_context(locale="en-GB", viewport={"width": width, "height": 900})
    page = context.new_page()
    kind = edition[0].kind
    page.goto(f"{live_server.url}/en/search/?kind={kind}")
    titles = page.locator(".search-results .entry-card__title")
    assert titles.count() == 3
    shown = {titles.nth(i).inner_text(): titles.nth(i).get_attribute("lang") for i in range(3)}
    assert shown == {ENGLISH[0]: "en", ENGLISH[1]: "en", CHINESE[2]: "zh-Hans"}
    notes = page.locator(".search-results .untranslated-note")
    assert notes.count() == 1 and notes.first.inner_text() == "Not yet translated"
    assert page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"search-cards-en-{width}.png"), full_page=True)
    page.goto(f"{live_server.url}/search/?kind={kind}")
    assert page.locator(".search-results .entry-card__title").first.get_attribute("lang") == (
        "zh-Hans"
    )
    assert page.locator(".search-results .untranslated-note").count() == 0
    page.screenshot(path=str(SHOTS / f"search-cards-zh-hans-{width}.png"), full_page=True)
    context.close()
