"""No lost work, in a real browser: every workflow button on an edited page saves the edit first
(or keeps it, with the errors, when the form is not valid), and leaving a changed form warns."""

import pytest

from bulletin.models import Issue
from entries.models import Entry
from tests.factories import EntryFactory, IssueFactory, SectionFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def desk(browser, live_server):
    """An editor's browser, logged in."""
    UserFactory(username="ed", roles=["Editor"])
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "ed")
    page.fill("#id_password", "pw-for-tests-123")
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    yield page
    context.close()


def workflow_buttons(page) -> list[str]:
    return page.locator("button[name=_transition]").evaluate_all("bs => bs.map(b => b.value)")


def test_every_workflow_button_saves_or_keeps_the_edit(desk, live_server):
    page = desk
    editor = UserFactory(username="ed")
    issue = IssueFactory(created_by=editor, title="2024 年 8 月刊")
    entry = EntryFactory(
        section=SectionFactory(issue=issue, position=1),
        position=1,
        created_by=editor,
        last_edited_by=editor,
    )
    entry_url = f"{live_server.url}/admin/entries/entry/{entry.pk}/change/"
    issue_url = f"{live_server.url}/admin/bulletin/issue/{issue.pk}/change/"

    # Leaving an unchanged form asks nothing (its widgets, editors and inlines included), even
    # after a click (a browser asks only on a page the user has interacted with).
    asked = []

    def note_and_leave(dialog):
        asked.append(dialog.type)
        dialog.accept()

    page.on("dialog", note_and_leave)
    for url in [issue_url, entry_url]:
        page.goto(url)
        page.locator("[data-warn-unsaved=on]").wait_for(state="attached")
        page.click("#content h1")
    assert asked == []
    page.remove_listener("dialog", note_and_leave)

    # Leaving a changed form asks first; staying keeps the edit.
    page.goto(entry_url)
    page.locator("[data-warn-unsaved=on]").wait_for(state="attached")
    page.fill("#id_title", "改过的标题")
    with page.expect_event("dialog") as leaving:
        page.close(run_before_unload=True)
    assert leaving.value.type == "beforeunload"
    leaving.value.dismiss()
    assert not page.is_closed()
    assert page.input_value("#id_title") == "改过的标题"

    buttons = workflow_buttons(page)
    assert buttons == ["submit"]
    for action in buttons:
        Entry.objects.filter(pk=entry.pk).update(state=Entry.State.DRAFT)
        page.goto(entry_url)
        # A form with an error: nothing moves, and the edit is still on the page.
        page.fill("#id_title", f"改过的标题（{action}）")
        page.fill("#id_position", "-1")
        page.click(f"button[name=_transition][value={action}]")
        page.wait_for_load_state()
        assert page.locator(".errornote").count() > 0
        assert page.input_value("#id_title") == f"改过的标题（{action}）"
        entry.refresh_from_db()
        assert entry.state == Entry.State.DRAFT and entry.title != f"改过的标题（{action}）"
        # Corrected: the same button saves the edit, then takes the step.
        page.fill("#id_position", "1")
        page.click(f"button[name=_transition][value={action}]")
        page.wait_for_url(entry_url)
        entry.refresh_from_db()
        assert entry.title == f"改过的标题（{action}）"
        assert entry.state == Entry.State.IN_REVIEW

    page.goto(issue_url)
    buttons = workflow_buttons(page)
    assert buttons == ["submit"]
    for action in buttons:
        Issue.objects.filter(pk=issue.pk).update(state=Issue.State.DRAFT)
        page.goto(issue_url)
        page.fill("#id_title", f"2024 年 8 月刊（{action}）")
        page.click(f"button[name=_transition][value={action}]")
        page.wait_for_url(issue_url)
        issue.refresh_from_db()
        assert issue.title == f"2024 年 8 月刊（{action}）"
        assert issue.state == Issue.State.IN_REVIEW
