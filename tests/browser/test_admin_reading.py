"""A reviewer reads an entry in the admin as its readers will: rendered, numbered "1)" like the
public page, and its changes marked in a comparison; in Chinese and English, at 1280 px.
Screenshots go to var/screenshots/admin/."""

from pathlib import Path

import pytest
import reversion
from django.conf import settings
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from entries.models import Entry
from tests.browser.test_public_pages import AXE, no_horizontal_overflow
from tests.factories import (
    AuthorFactory,
    CommentaryFactory,
    EntryFactory,
    EntryLinkFactory,
    IssueFactory,
    SectionFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "admin"
SUMMARY = (
    "<p>国家网信办等七部门联合发布《生成式人工智能服务管理暂行办法》，自2023年8月15日起施行。"
    '办法全文见<a href="https://www.cac.gov.cn/">网信办网站</a>。</p>'
    "<p>主要内容：</p><ol><li><p>提供者应当依法开展预训练、优化训练等训练数据处理活动；</p></li>"
    "<li><p>提供者应当对生成的图片、视频等内容进行标识；</p></li>"
    "<li><p>具有舆论属性的服务应当按照国家有关规定开展安全评估。</p></li></ol>"
)
COMMENTARY = (
    "<p>我们建议相关企业：</p><ul><li><p>梳理训练数据来源及其合法性基础；</p></li>"
    "<li><p>建立生成内容<strong>标识</strong>机制。</p></li></ul>"
)


@pytest.fixture
def entry():
    author = UserFactory(username="lin", roles=["Author"])
    reviewer = UserFactory(username="rev", roles=["Reviewer"])
    issue = IssueFactory(title="2024 年 8 月刊", slug="2024-08")
    entry = EntryFactory(
        section=SectionFactory(issue=issue, position=1, title="最新法律与监管动态"),
        title="《生成式人工智能服务管理暂行办法》施行",
        kind=Entry.Kind.REGULATION,
        summary=SUMMARY,
        created_by=author,
    )
    EntryLinkFactory(entry=entry, url="https://www.cac.gov.cn/2023-07/13/c_1690898327029107.htm")
    CommentaryFactory(entry=entry, body=COMMENTARY, authors=[AuthorFactory(name="林青山")])
    for summary in (SUMMARY, SUMMARY.replace("七部门", "八部门")):
        entry = Entry.objects.get(pk=entry.pk)
        entry.summary = summary
        with reversion.create_revision():
            reversion.set_user(author)
            entry.save()
    Entry.objects.filter(pk=entry.pk).update(state=Entry.State.IN_REVIEW)
    entry.reviewer = reviewer
    return entry


def serious_violations_in(page, selector: str) -> list[str]:
    """axe-core's serious findings within one part of an admin page (the admin's CSP refuses
    an added script tag; evaluating the script is not subject to it)."""
    if not AXE.exists():
        pytest.skip("needs axe-core: run `npm install` (make test does)")
    page.evaluate(AXE.read_text() + "\n;0")
    violations = page.evaluate(f"async () => (await axe.run({selector!r})).violations")
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])}×)"
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]


def open_as(browser, live_server, user, locale):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context = browser.new_context(locale=locale, viewport={"width": 1280, "height": 900})
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    return context, context.new_page()


def face(locator) -> str:
    return locator.evaluate("element => getComputedStyle(element).fontFamily")


def read_entry(page, live_server, entry, language) -> None:
    page.goto(live_server.url + reverse("admin:entries_entry_change", args=[entry.pk]))
    summary = page.locator(".field-summary .rich")
    assert summary.locator("ol > li").count() == 3
    marker = summary.locator("ol > li").first.evaluate(
        "li => getComputedStyle(li, '::before').content"
    )
    assert marker == 'counter(item) ")"'  # numbered "1)", as on the public page
    assert "提供者应当对生成的图片" in summary.inner_text()
    # The public page's face, not the admin's (which it sets on form paragraphs and items).
    assert face(summary.locator("p").first).startswith('"Noto Serif CJK SC"')
    commentary = page.locator(".field-body .rich")
    assert commentary.locator("ul > li strong").inner_text() == "标识"
    assert face(commentary.locator("li").first).startswith('"Noto Serif CJK SC"')
    text = page.locator("#content").inner_text()
    assert "<p>" not in text and "<li>" not in text
    assert no_horizontal_overflow(page)
    shot = SHOTS / f"entry-read-only-reviewer-1280-{language}.png"
    page.screenshot(path=str(shot), full_page=True)


def compare_versions(page, live_server, entry, language) -> None:
    older, newer = Version.objects.get_for_object(entry).order_by("pk")
    page.goto(
        live_server.url
        + reverse("admin:entries_entry_compare", args=[entry.pk])
        + f"?a={older.pk}&b={newer.pk}"
    )
    changed = page.locator("tr.changed .rich")
    assert changed.locator("del").all_inner_texts() == ["七"]
    assert changed.locator("ins").all_inner_texts() == ["八"]
    assert changed.locator("ol > li").count() == 3
    assert face(changed.locator("p").first).startswith('"Noto Serif CJK SC"')
    assert no_horizontal_overflow(page)
    page.screenshot(path=str(SHOTS / f"compare-reviewer-1280-{language}.png"), full_page=True)
    assert serious_violations_in(page, ".compare") == []


def test_a_reviewer_reads_an_entry_and_its_changes_rendered(browser, live_server, entry):
    SHOTS.mkdir(parents=True, exist_ok=True)
    for language, locale in [("zh-hans", "zh-CN"), ("en", "en-GB")]:
        context, page = open_as(browser, live_server, entry.reviewer, locale)
        try:
            read_entry(page, live_server, entry, language)
            compare_versions(page, live_server, entry, language)
        finally:
            context.close()
