"""The whole editorial path through the admin, in a real browser, one role after another."""

import datetime

import pytest
from django.utils import timezone

from bulletin.models import Issue
from bulletin.services.publishing import issues_publish_due
from entries.models import Entry
from tests.factories import AuthorFactory, IssueFactory, SectionFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def as_user(open_admin_as):
    return open_admin_as


def click_transition(page, action, comment=None, when=None):
    # A small form of its own on a read-only page; on an edit page, part of the edit form.
    form = page.locator(f".workflow-action--{action}")
    if comment:
        form.locator("textarea").fill(comment)
    if when:
        form.locator("input[type=datetime-local]").fill(when)
    form.locator("button").click()
    page.wait_for_load_state()


def test_from_draft_to_the_public_page(as_user, live_server):
    for name, role in [
        ("lin", "Author"),
        ("rev", "Reviewer"),
        ("ed", "Editor"),
        ("pub", "Publisher"),
    ]:
        UserFactory(username=name, roles=[role])
    issue = IssueFactory(title="2024 年 8 月刊", slug="2024-08")
    SectionFactory(issue=issue, position=1, title="最新法律与监管动态")
    AuthorFactory(name="林青山")

    # An author drafts an entry with a commentary and submits it.
    author = as_user("lin")
    author.goto(f"{live_server.url}/admin/entries/entry/add/")
    author.select_option("#id_section", label="2024 年 8 月刊 · 一、最新法律与监管动态")
    author.fill("#id_position", "1")
    author.fill("#id_title", "示例法案正式生效")
    author.locator(".field-summary [contenteditable=true]").click()
    author.keyboard.type("法案于八月一日生效。")
    author.fill("#id_links-0-url", "https://example.org/news/1")
    author.click("#commentary-group .add-row a")
    author.locator("#commentary-0 [contenteditable=true]").click()
    author.keyboard.type("值得关注。")
    author.select_option("#id_commentary-0-authors_from", label="林青山")
    author.click("#id_commentary-0-authors_add")
    author.click("input[name=_continue]")
    click_transition(author, "submit")
    entry = Entry.objects.get()
    assert entry.state == Entry.State.IN_REVIEW

    # A reviewer asks for changes, with a comment.
    reviewer = as_user("rev")
    assert "示例法案正式生效" in reviewer.content()
    reviewer.goto(f"{live_server.url}/admin/entries/entry/{entry.pk}/change/")
    click_transition(reviewer, "request_changes", comment="请写明生效日期的出处。")

    # The author sees the comment, edits and resubmits.
    author.goto(f"{live_server.url}/admin/")
    assert "示例法案正式生效" in author.locator("#inbox-changes-requested").inner_text()
    author.goto(f"{live_server.url}/admin/entries/entry/{entry.pk}/change/")
    assert "请写明生效日期的出处。" in author.locator(".workflow-events").inner_text()
    author.locator(".field-summary [contenteditable=true]").click()
    author.keyboard.press("End")
    author.keyboard.type("（来源：官方公报）")
    author.click("input[name=_continue]")
    click_transition(author, "submit")

    # The reviewer approves.
    reviewer.goto(f"{live_server.url}/admin/entries/entry/{entry.pk}/change/")
    click_transition(reviewer, "approve")
    entry.refresh_from_db()
    assert entry.state == Entry.State.APPROVED
    assert "来源：官方公报" in entry.summary

    # An editor submits the issue; the reviewer approves it.
    editor = as_user("ed")
    editor.goto(f"{live_server.url}/admin/bulletin/issue/{issue.pk}/change/")
    click_transition(editor, "submit")
    reviewer.goto(f"{live_server.url}/admin/bulletin/issue/{issue.pk}/change/")
    click_transition(reviewer, "approve")

    # A publisher schedules it; the scheduler publishes it when the time comes.
    publisher = as_user("pub")
    publisher.goto(f"{live_server.url}/admin/bulletin/issue/{issue.pk}/change/")
    at = timezone.localtime() + datetime.timedelta(hours=1)
    click_transition(publisher, "schedule", when=at.strftime("%Y-%m-%dT%H:%M"))
    issue.refresh_from_db()
    assert issue.state == Issue.State.SCHEDULED
    assert "Scheduled for" in publisher.content()
    issues_publish_due(now=issue.scheduled_at)

    # The public page shows it.
    public = publisher.context.browser.new_page()
    public.goto(f"{live_server.url}/")
    public.click("text=2024 年 8 月刊")
    body = public.locator("main").inner_text()
    assert "示例法案正式生效" in body and "值得关注。" in body and "来源：官方公报" in body
    public.close()
