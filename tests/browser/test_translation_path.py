"""An entry's English translation through the admin, in a real browser: an author translates it,
a reviewer approves it, the source is edited, and the list and the translate screen say so."""

import os
from pathlib import Path

import pytest
from django.conf import settings

from bulletin.translation.models import Translation
from tests.factories import (
    CommentaryFactory,
    EntryFactory,
    EntryLinkFactory,
    IssueFactory,
    SectionFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(settings.BASE_DIR) / "var" / "screenshots" / "translation"


def shoot(page, name):
    """Screenshots of the screens, at both widths, for people to look at (not compared)."""
    if not os.environ.get("TRANSLATION_SCREENSHOTS"):
        return
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=SHOTS / f"{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def field(page, name):
    return page.locator(".translate-target", has=page.locator(f"#id_t_{name}"))


def test_translate_review_edit_the_source_and_find_it_outdated(open_admin_as, live_server):
    author = UserFactory(username="lin", roles=["Author"])
    UserFactory(username="rev", roles=["Reviewer"])
    UserFactory(username="ed", roles=["Editor"])
    issue = IssueFactory(title="2024 年 8 月刊", slug="2024-08")
    section = SectionFactory(issue=issue, position=1, title="最新法律与监管动态")
    entry = EntryFactory(
        section=section,
        position=1,
        title="生成式人工智能服务管理办法生效",
        source="国家网信办",
        summary="<p>办法于八月一日起施行。</p>",
        created_by=author,
        last_edited_by=author,
    )
    EntryLinkFactory(entry=entry, label="官方原文", position=1)
    CommentaryFactory(entry=entry, body="<p>值得关注。</p>")
    EntryFactory(section=section, position=2, title="另一条动态", created_by=author)
    translate = f"{live_server.url}/admin/translation/translation/translate/entry/{entry.pk}/en/"
    change = f"{live_server.url}/admin/entries/entry/{entry.pk}/change/"

    # The author opens the entry, finds its English translation missing, and translates it.
    page = open_admin_as("lin")
    page.goto(change)
    panel = page.locator(".translation-panel .translation-row--en")
    assert "Missing" in panel.inner_text()
    panel.locator("a").click()
    page.wait_for_load_state()
    assert page.url == translate
    assert "生成式人工智能服务管理办法生效" in page.locator(".translate-source").first.inner_text()
    page.fill("#id_t_title", "Measures on generative AI services take effect")
    page.fill("#id_t_source", "Cyberspace Administration of China")
    field(page, "summary").locator("[contenteditable=true]").click()
    page.keyboard.type("The measures apply from 1 August.")
    link_key = entry.links.get().pk
    page.fill(f"#id_t_link\\:{link_key}", "Official text")
    field(page, "commentary").locator("[contenteditable=true]").click()
    page.keyboard.type("Worth watching.")
    shoot(page, "translate-en-form")
    page.click("button[value=save_submit]")
    page.wait_for_load_state()
    assert "In review" in page.locator(".translate-status h2").inner_text()
    translation = Translation.objects.get()
    assert translation.state == Translation.State.IN_REVIEW
    assert translation.texts["summary"] == "<p>The measures apply from 1 August.</p>"

    # A reviewer reads it side by side and approves it.
    reviewer = open_admin_as("rev")
    reviewer.goto(translate)
    assert reviewer.locator("#id_t_title").count() == 0
    assert "Official text" in reviewer.locator(".translate-grid").inner_text()
    reviewer.click(".workflow-action--approve button")
    reviewer.wait_for_load_state()
    assert "Approved" in reviewer.locator(".translate-status h2").inner_text()

    # The author edits the Chinese title: the translation is outdated.
    page.goto(change)
    page.fill("#id_title", "生成式人工智能服务管理暂行办法生效")
    page.click("input[name=_continue]")
    page.wait_for_load_state()
    assert "Outdated" in page.locator(".translation-panel .translation-row--en").inner_text()
    shoot(page, "entry-panel-en")

    # The editor finds it with the list's filter, and the translate screen shows what changed.
    editor = open_admin_as("ed")
    editor.goto(f"{live_server.url}/admin/entries/entry/?translation_en=outdated")
    listed = editor.locator("#result_list tbody tr")
    assert listed.count() == 1
    assert "生成式人工智能服务管理暂行办法生效" in listed.inner_text()
    editor.goto(f"{live_server.url}/admin/entries/entry/?translation_en=missing")
    assert "另一条动态" in editor.locator("#result_list").inner_text()
    editor.goto(translate)
    diff = editor.locator(".translate-diff")
    assert diff.locator("ins").first.inner_text() == "暂行"
    shoot(editor, "translate-en-outdated")


def test_screens_in_chinese(browser, live_server):
    """The Chinese admin's translate screen and panel speak Chinese (and are kept as screenshots
    for people to look at)."""
    user = UserFactory(username="zh", roles=["Author"])
    entry = EntryFactory(created_by=user, last_edited_by=user, summary="<p>办法施行。</p>")
    CommentaryFactory(entry=entry, body="<p>值得关注。</p>")
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "zh")
    page.fill("#id_password", "pw-for-tests-123")
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    page.goto(f"{live_server.url}/admin/translation/translation/translate/entry/{entry.pk}/en/")
    shoot(page, "translate-zh-form")
    screen = page.content()
    assert "办法施行。" in screen and "英文" in screen and "Translate into" not in screen
    page.goto(f"{live_server.url}/admin/entries/entry/{entry.pk}/change/")
    shoot(page, "entry-panel-zh")
    assert "译者" in page.content() and "Translator" not in page.content()
    context.close()
