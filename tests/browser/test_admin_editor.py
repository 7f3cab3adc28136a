"""The admin in a real browser: a lawyer writes an entry with the rich-text editor."""

import pytest

from entries.models import Entry
from tests.factories import AuthorFactory, SectionFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-for-tests-123")
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")


def test_lawyer_writes_an_entry_with_the_rich_text_editor(page, live_server):
    UserFactory(username="lawyer", is_superuser=True)
    section = SectionFactory(title="最新法律与监管动态")
    author = AuthorFactory(name="林青山")
    log_in(page, live_server, "lawyer")
    assert "工作台" in page.content()

    page.goto(f"{live_server.url}/admin/entries/entry/add/")
    page.select_option("#id_section", str(section.pk))
    page.fill("#id_position", "1")
    page.select_option("#id_kind", "law")
    page.fill("#id_title", "示例法案正式生效")
    page.fill("#id_published_on", "2024-08-01")

    summary = page.locator(".field-summary [contenteditable=true]")
    summary.click()
    page.keyboard.type("法案于今日生效。")
    page.keyboard.press("Enter")
    page.keyboard.press("Control+b")
    page.keyboard.type("重点")

    page.fill("#id_links-0-url", "https://example.org/news/2024-08-01")
    page.click("#commentary-group .add-row a")
    page.locator("#commentary-0 [contenteditable=true]").click()
    page.keyboard.type("值得关注。")
    page.select_option("#id_commentary-0-authors_from", str(author.pk))
    page.click("#id_commentary-0-authors_add")
    page.click("input[name=_save]")
    page.wait_for_url(f"{live_server.url}/admin/entries/entry/")

    entry = Entry.objects.get()
    assert entry.summary == "<p>法案于今日生效。</p><p><strong>重点</strong></p>"
    assert entry.links.get().url == "https://example.org/news/2024-08-01"
    assert entry.commentary.body == "<p>值得关注。</p>"
    assert list(entry.commentary.authors.all()) == [author]
