"""The review page and the bulk-action pages at 1280 px, in both admin languages: they fit the
width under the CSP, and their screenshots go to var/screenshots/admin/ to be looked at."""

from pathlib import Path

import pytest

from bulletin.services.workflow import entry_transition
from entries.models import Entry
from tests.factories import (
    CommentaryFactory,
    EntryFactory,
    EntryLinkFactory,
    IssueFactory,
    SectionFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "admin"
E = Entry.State
SUMMARY = (
    "<p>国家网信办发布《人工智能生成合成内容标识办法》，自 2025 年 9 月 1 日起施行。"
    "办法要求服务提供者对生成内容添加<strong>显式标识</strong>和隐式标识：</p>"
    "<ol><li><p>文本、音频、图片、视频等内容的显式标识；</p></li>"
    "<li><p>文件元数据中的隐式标识。</p></li></ol>"
)


@pytest.fixture
def issue():
    editor = UserFactory(username="ed", roles=["Editor"])
    reviewer = UserFactory(username="rev", roles=["Reviewer"])
    issue = IssueFactory(title="2024 年 8 月刊", slug="2024-08")
    laws = SectionFactory(issue=issue, position=1, title="最新法律与监管动态")
    industry = SectionFactory(issue=issue, position=2, title="最新行业动态")
    rows = [
        (
            laws,
            "《人工智能生成合成内容标识办法》正式发布，明确生成内容的显式与隐式标识义务",
            E.IN_REVIEW,
        ),
        (laws, "欧盟《人工智能法》通用目的模型义务生效", E.IN_REVIEW),
        (laws, "美国加州通过前沿模型安全法案", E.DRAFT),
        (industry, "多家模型厂商发布训练数据透明度报告", E.IN_REVIEW),
        (industry, "Doe v. Example AI, Inc. 案进入证据开示阶段", E.APPROVED),
    ]
    for position, (section, title, state) in enumerate(rows, start=1):
        entry = EntryFactory(
            section=section,
            position=position,
            title=title,
            state=state,
            summary=SUMMARY,
            created_by=editor,
            last_edited_by=reviewer if position == 4 else editor,
        )
        EntryLinkFactory(entry=entry, url=f"https://www.example.gov.cn/zcfg/2024/{position}.html")
        if position == 1:
            CommentaryFactory(
                entry=entry, body="<p>企业应尽快梳理<em>生成内容</em>的标识流程。</p>"
            )
    second = issue.entries.get(position=2)
    entry_transition(
        entry=second,
        user=reviewer,
        action="request_changes",
        comment="请补充官方原文链接，并写明生效日期。",
    )
    Entry.objects.filter(pk=second.pk).update(state=E.IN_REVIEW)
    return issue


CSP_LISTEN = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e => window.__csp.push(
  e.violatedDirective + ' ' + (e.blockedURI || 'inline')
));
"""


def fits(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def shoot(page, name: str, language: str, full_page: bool = True) -> None:
    assert fits(page), f"{name} overflows at 1280 px"
    assert page.evaluate("window.__csp") == [], name
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-{language}.png"), full_page=full_page)


def log_in(browser, url, locale, username, path):
    context = browser.new_context(locale=locale, viewport={"width": 1280, "height": 900})
    context.add_init_script(CSP_LISTEN)
    page = context.new_page()
    page.goto(f"{url}/admin/login/?next={path}")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-for-tests-123")
    with page.expect_navigation():
        page.click("input[type=submit]")
    return context, page


def submit(page, selector):
    with page.expect_navigation():
        page.click(selector)


@pytest.mark.parametrize(("language", "locale"), [("zh-hans", "zh-CN"), ("en", "en-GB")])
def test_review_and_bulk_pages_fit_1280_px(browser, live_server, issue, language, locale):
    review = f"/admin/bulletin/issue/{issue.pk}/review/"
    context, page = log_in(browser, live_server.url, locale, "rev", review)
    assert page.locator("article.review-entry").count() == 5
    shoot(page, "issue-review", language)
    submit(page, ".review-batch--approve-all button")
    assert page.locator(".messagelist .warning").count() == 1
    shoot(page, "issue-review-approve-all", language, full_page=False)

    page.goto(f"{live_server.url}/admin/entries/entry/?issue__id__exact={issue.pk}")
    for entry in issue.entries.filter(position__in=[1, 4]):  # approved; in review (four-eyes)
        page.check(f"input[name=_selected_action][value='{entry.pk}']")
    page.select_option("select[name=action]", "request_changes_selected")
    submit(page, "button[name=index]")
    assert page.locator("#bulk-comment").count() == 1
    shoot(page, "entry-request-changes", language)
    page.fill("#bulk-comment", "请统一日期格式，并补充官方原文链接。")
    submit(page, ".bulk-action input[type=submit]")
    shoot(page, "entry-bulk-report", language, full_page=False)
    context.close()

    context, page = log_in(
        browser, live_server.url, locale, "ed", f"/admin/bulletin/issue/{issue.pk}/change/"
    )
    assert page.locator("#issue-pending li").count() == 2  # a draft, changes requested
    shoot(page, "issue-pending", language, full_page=False)
    context.close()


def box(page, selector):
    return page.locator(selector).first.bounding_box()


@pytest.mark.parametrize(("language", "locale"), [("zh-hans", "zh-CN"), ("en", "en-GB")])
def test_review_shows_both_languages_side_by_side_and_stacked_on_a_phone(
    browser, live_server, issue, language, locale
):
    from bulletin.translation.models import Translation

    first = issue.entries.get(position=1)
    link = first.links.get()
    Translation.objects.create(
        entry=first,
        language="en",
        state=Translation.State.IN_REVIEW,
        texts={
            "title": "Measures for Labelling AI-Generated Synthetic Content Published",
            "summary": "<p>The CAC published the Measures, in force from 1 September 2025: "
            "providers add <strong>explicit</strong> and implicit labels.</p>",
            f"link:{link.pk}": "Official text",
            "commentary": "<p>Businesses should review their labelling process.</p>",
        },
        machine={"commentary": "<p>Businesses should review their labelling process.</p>"},
    )
    section = issue.sections.order_by("position").first()
    Translation.objects.create(
        issue=issue,
        language="en",
        texts={"title": "AI Law Monthly, August 2025", f"section:{section.pk}": "Regulations"},
    )
    review = f"/admin/bulletin/issue/{issue.pk}/review/"
    context, page = log_in(browser, live_server.url, locale, "rev", review)
    page.click("a[href$='?beside=en']")
    page.wait_for_url("**?beside=en")
    assert page.locator(".review-side").count() == 6  # the issue's own texts, then each entry
    own = page.locator(".review-side--issue")
    assert own.locator(".review-state--draft").count() == 1
    assert "AI Law Monthly, August 2025" in own.locator(".review-side__target").first.inner_text()
    assert "Regulations" in own.locator(".review-side__target").nth(1).inner_text()  # section 1
    assert box(page, ".review-side--issue")["y"] < box(page, ".review-entry")["y"]
    title = f"#entry-{first.pk} .review-side"
    source, target = (
        box(page, f"{title} .review-side__source"),
        box(page, f"{title} .review-side__target"),
    )
    assert abs(source["y"] - target["y"]) < 2 and target["x"] > source["x"] + source["width"]
    assert (
        "Measures for Labelling" in page.locator(f"{title} .review-side__target").first.inner_text()
    )
    assert (
        "人工智能生成合成内容标识办法"
        in page.locator(f"{title} .review-side__source").first.inner_text()
    )
    assert page.locator(f"{title} .review-state--in_review").count() == 1
    assert page.locator(".review-state--missing").count() == 4
    shoot(page, "issue-review-side-1280", language)
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    source, target = (
        box(page, f"{title} .review-side__source"),
        box(page, f"{title} .review-side__target"),
    )
    assert target["y"] > source["y"] + source["height"] - 1 and abs(target["x"] - source["x"]) < 2
    assert page.evaluate("window.__csp") == []
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"issue-review-side-390-{language}.png"), full_page=True)
    context.close()
