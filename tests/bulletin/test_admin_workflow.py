"""The workflow on the admin's pages: a step taken from an edited page saves the edit first or
keeps it, the open change request stands at the top, each comment box says what it is for, and
the steps that reach the public are confirmed on a page that says what will happen."""

import re

import pytest
from django.urls import reverse

from bulletin.mailing.services.sending import send_create
from bulletin.models import Issue, WorkflowEvent
from bulletin.services.entries import entry_save
from bulletin.services.workflow import entry_transition, issue_transition
from entries.models import Entry
from tests.factories import EntryFactory, IssueFactory, SectionFactory, publish
from tests.mailing.factories import SubscriptionFactory, confirmed_subscribers

pytestmark = pytest.mark.django_db


def change_url(obj) -> str:
    name = "entries_entry" if isinstance(obj, Entry) else "bulletin_issue"
    return reverse(f"admin:{name}_change", args=[obj.pk])


def transition_url(obj, action) -> str:
    name = "entries_entry" if isinstance(obj, Entry) else "bulletin_issue"
    return reverse(f"admin:{name}_transition", args=[obj.pk, action])


def _posted(value) -> object:
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, list | tuple):
        return [getattr(v, "pk", v) for v in value]
    return "" if value is None else value


def page_data(response, **changes) -> dict:
    """What a browser posts back from this change page as it stands, with some fields changed."""
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms:
        for name in form.fields:
            value = _posted(form[name].value())
            if value is True:
                value = "on"
            if value is not False:
                data[form.add_prefix(name)] = value
    data["tags"] = ""  # the tag widget shows its tags as text; the factories give none
    data.update(changes)
    return data


def open_as(client, user, obj):
    client.force_login(user)
    return client.get(change_url(obj), HTTP_ACCEPT_LANGUAGE="en")


def post_page(client, obj, data):
    return client.post(change_url(obj), data, HTTP_ACCEPT_LANGUAGE="en")


def issue_with_an_entry(users) -> Issue:
    issue = IssueFactory(created_by=users["editor"], last_edited_by=users["editor"])
    EntryFactory(section=SectionFactory(issue=issue), created_by=users["author"])
    return issue


# The service: an approval may carry a comment.


def test_an_entry_approval_records_its_comment(users, entry):
    entry_transition(entry=entry, user=users["author"], action="submit")
    entry_transition(
        entry=entry, user=users["reviewer"], action="approve", comment=" 来源齐全，可以发布。 "
    )
    event = entry.events.get(action="approve")
    assert (event.comment, event.actor) == ("来源齐全，可以发布。", users["reviewer"])


def test_an_issue_approval_records_its_comment(users):
    issue = issue_with_an_entry(users)
    issue.entries.update(state=Entry.State.APPROVED)
    issue_transition(issue=issue, user=users["editor"], action="submit")
    issue_transition(issue=issue, user=users["reviewer"], action="approve", comment="顺序很好。")
    assert issue.events.get(action="approve").comment == "顺序很好。"


def test_an_approval_needs_no_comment(users, entry):
    Entry.objects.filter(pk=entry.pk).update(state=Entry.State.IN_REVIEW)
    entry_transition(entry=entry, user=users["reviewer"], action="approve")
    assert entry.events.get(action="approve").comment == ""


# An edited page: save and take the step in one request, or keep the input.


def test_save_and_submit_saves_the_edit_and_submits_in_one_request(client, users, entry):
    response = open_as(client, users["author"], entry)
    data = page_data(response, title="改过的标题", _transition="submit")
    response = post_page(client, entry, data)
    assert response.status_code == 302
    assert response.url == change_url(entry)
    entry.refresh_from_db()
    assert (entry.title, entry.state) == ("改过的标题", Entry.State.IN_REVIEW)
    assert entry.events.get().action == "submit"
    page = client.get(response.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Your changes are saved and “Submit for review” is done." in page


def test_save_and_submit_an_issue_saves_it_and_submits_it(client, users):
    issue = issue_with_an_entry(users)
    response = open_as(client, users["editor"], issue)
    data = page_data(response, title="2024 年 8 月刊（改）", _transition="submit")
    assert post_page(client, issue, data).status_code == 302
    issue.refresh_from_db()
    assert (issue.title, issue.state) == ("2024 年 8 月刊（改）", Issue.State.IN_REVIEW)


def test_a_form_with_errors_takes_no_step_and_keeps_the_input(client, users, entry):
    response = open_as(client, users["author"], entry)
    data = page_data(response, title="改过的标题", position="-1", _transition="submit")
    response = post_page(client, entry, data)
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "position" in form.errors
    assert form["title"].value() == "改过的标题"
    assert 'value="改过的标题"' in response.content.decode()
    assert "Nothing was saved and “Submit for review” was not done" in response.content.decode()
    entry.refresh_from_db()
    assert entry.state == Entry.State.DRAFT and entry.title != "改过的标题"
    assert not WorkflowEvent.objects.exists()


def test_a_step_from_an_out_of_date_page_is_refused_and_keeps_the_input(client, users, entry):
    response = open_as(client, users["author"], entry)
    data = page_data(response, title="我的改动", _transition="submit")
    entry_save(entry=Entry.objects.get(pk=entry.pk), user=users["editor"])  # someone else saves
    response = post_page(client, entry, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Someone saved this entry while you were editing it" in page
    assert response.context["adminform"].form["title"].value() == "我的改动"
    entry.refresh_from_db()
    assert entry.state == Entry.State.DRAFT and entry.title != "我的改动"
    assert not WorkflowEvent.objects.exists()


def test_a_refused_step_keeps_the_saved_edit_and_says_why(client, users):
    issue = IssueFactory(created_by=users["editor"])  # no entries: it cannot be submitted
    response = open_as(client, users["editor"], issue)
    data = page_data(response, title="还没有条目的一期", _transition="submit")
    response = post_page(client, issue, data)
    assert response.status_code == 302
    issue.refresh_from_db()
    assert (issue.title, issue.state) == ("还没有条目的一期", Issue.State.DRAFT)
    page = client.get(response.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert (
        "Your changes are saved, but “Submit for review” was not done: "
        "The issue has no entries yet." in page
    )


def test_an_edit_page_has_its_workflow_buttons_inside_its_form(client, users, entry):
    page = open_as(client, users["author"], entry).content.decode()
    start = page.index('id="entry_form"')
    form = page[start : page.index("</form>", start)]
    assert '<button type="submit" name="_transition" value="submit"' in form
    assert "Save and submit for review" in form
    assert transition_url(entry, "submit") not in page
    assert "data-warn-unsaved" in form
    assert "js/admin-unsaved-changes.js" in page


def test_a_read_only_page_posts_its_steps_to_the_transition_view(client, users, entry):
    Entry.objects.filter(pk=entry.pk).update(state=Entry.State.IN_REVIEW)
    page = open_as(client, users["reviewer"], entry).content.decode()
    assert f'action="{transition_url(entry, "approve")}"' in page
    assert 'name="_transition"' not in page
    assert "data-warn-unsaved" not in page
    response = client.post(transition_url(entry, "approve"), {"comment": "可以。"})
    assert response.status_code == 302
    assert entry.events.get().comment == "可以。"


# The open change request, at the top of the page.


def test_the_open_change_request_stands_above_the_form_with_its_author_and_time(
    client, users, entry
):
    entry_transition(entry=entry, user=users["author"], action="submit")
    entry_transition(
        entry=entry, user=users["reviewer"], action="request_changes", comment="第二段缺少出处。"
    )
    page = open_as(client, users["author"], entry).content.decode()
    callout = re.search(r'<aside class="change-request".*?</aside>', page, re.S).group()
    assert "第二段缺少出处。" in callout
    assert "reviewer asked on" in callout
    event = entry.events.get(action="request_changes")
    assert f"{event.created_at:%Y}" in callout
    assert page.index('class="change-request"') < page.index('id="entry_form"')


def test_an_answered_change_request_leaves_the_top_of_the_page(client, users, entry):
    entry_transition(entry=entry, user=users["author"], action="submit")
    entry_transition(
        entry=entry, user=users["reviewer"], action="request_changes", comment="第二段缺少出处。"
    )
    entry_transition(entry=entry, user=users["author"], action="submit")
    page = open_as(client, users["reviewer"], entry).content.decode()
    assert "第二段缺少出处。" in page  # still in the audit trail
    assert 'class="change-request"' not in page


def test_an_issue_shows_its_open_change_request(client, users):
    issue = issue_with_an_entry(users)
    issue_transition(issue=issue, user=users["editor"], action="submit")
    issue_transition(
        issue=issue, user=users["reviewer"], action="request_changes", comment="导读太长。"
    )
    page = open_as(client, users["editor"], issue).content.decode()
    callout = re.search(r'<aside class="change-request".*?</aside>', page, re.S).group()
    assert "导读太长。" in callout and "reviewer asked on" in callout


# Each comment box says what it is for.


def comment_labels(page: str) -> list[str]:
    return re.findall(r'<label for="comment-[\w-]+">([^<]+)</label>', page)


def test_a_reviewer_sees_one_labelled_box_per_step(client, users, entry):
    Entry.objects.filter(pk=entry.pk).update(state=Entry.State.IN_REVIEW)
    page = open_as(client, users["reviewer"], entry).content.decode()
    assert comment_labels(page) == ["What needs to change", "Comment on the approval (optional)"]
    assert 'name="comment" rows="3" cols="60" maxlength="5000" required' in page


def test_a_published_issue_has_no_two_alike_comment_boxes(client, users):
    issue = publish(issue_with_an_entry(users))
    page = open_as(client, users["publisher"], issue).content.decode()
    assert comment_labels(page) == ["What the correction fixes"]
    assert f'href="{transition_url(issue, "withdraw")}"' in page
    assert f'action="{transition_url(issue, "withdraw")}"' not in page


# Publish now and withdraw: a confirmation page that says what will happen.


def test_publish_now_is_confirmed_with_the_number_of_subscribers_to_email(client, users):
    issue = issue_with_an_entry(users)
    issue.entries.update(state=Entry.State.APPROVED)
    Issue.objects.filter(pk=issue.pk).update(state=Issue.State.APPROVED)
    confirmed_subscribers(issue.bulletin, 1204)
    SubscriptionFactory(bulletin=issue.bulletin, status="pending")
    SubscriptionFactory(bulletin=issue.bulletin, status="unsubscribed")
    page = open_as(client, users["publisher"], issue).content.decode()
    assert f'href="{transition_url(issue, "publish")}"' in page
    assert f'action="{transition_url(issue, "publish")}"' not in page

    response = client.get(transition_url(issue, "publish"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    page = response.content.decode()
    assert "The issue and its 1 entry go online" in page
    assert (
        f"The issue is emailed to 1,204 confirmed subscribers of “{issue.bulletin.name}”." in page
    )
    issue.refresh_from_db()
    assert issue.state == Issue.State.APPROVED  # asking changes nothing
    client.post(transition_url(issue, "publish"))
    issue.refresh_from_db()
    assert issue.state == Issue.State.PUBLISHED


def test_publish_now_says_when_new_sends_are_held(client, users, settings):
    settings.MAILING_HOLD_NEW_SENDS = True
    issue = issue_with_an_entry(users)
    Issue.objects.filter(pk=issue.pk).update(state=Issue.State.APPROVED)
    confirmed_subscribers(issue.bulletin, 2)
    client.force_login(users["publisher"])
    page = client.get(transition_url(issue, "publish"), HTTP_ACCEPT_LANGUAGE="en")
    assert "An email to 2 confirmed subscribers" in page.content.decode()
    assert "held until a publisher resumes it" in page.content.decode()


def test_withdraw_is_confirmed_saying_the_public_pages_go_offline(client, users):
    issue = publish(issue_with_an_entry(users))
    client.force_login(users["publisher"])
    response = client.get(transition_url(issue, "withdraw"), HTTP_ACCEPT_LANGUAGE="en")
    page = response.content.decode()
    assert "The public pages go offline: the issue and its 1 entry leave the public site" in page
    assert comment_labels(page) == ["Why the issue is withdrawn"]
    issue.refresh_from_db()
    assert issue.state == Issue.State.PUBLISHED
    response = client.post(transition_url(issue, "withdraw"), {"comment": "误发。"})
    issue.refresh_from_db()
    assert issue.state == Issue.State.WITHDRAWN
    assert issue.events.get(action="withdraw").comment == "误发。"


@pytest.mark.parametrize(("role", "action"), [("editor", "publish"), ("publisher", "approve")])
def test_only_a_step_that_asks_for_it_and_that_the_user_may_take_has_a_confirmation_page(
    client, users, role, action
):
    issue = issue_with_an_entry(users)
    Issue.objects.filter(pk=issue.pk).update(
        state=Issue.State.APPROVED if action == "publish" else Issue.State.IN_REVIEW
    )
    client.force_login(users[role])
    assert client.get(transition_url(issue, action)).status_code == 404
    client.force_login(users["publisher" if action == "publish" else "reviewer"])
    expected = 200 if action == "publish" else 404  # approve asks for no confirmation
    assert client.get(transition_url(issue, action)).status_code == expected


def test_withdraw_says_how_many_emails_of_a_send_under_way_will_not_go_out(client, users):
    issue = publish(issue_with_an_entry(users))
    confirmed_subscribers(issue.bulletin, 3)
    send_create(issue=issue, user=users["publisher"])  # its workers start after the commit
    client.force_login(users["publisher"])
    page = client.get(transition_url(issue, "withdraw"), HTTP_ACCEPT_LANGUAGE="en")
    assert "Its email send under way stops: 3 messages not sent yet will not go out." in (
        page.content.decode()
    )


def test_a_step_from_a_page_opened_before_an_edit_is_refused(client, users, entry):
    """A reviewer approves what the page showed: if the entry was edited since (and sent back to
    review), the approval is refused and the entry waits, unapproved, for a fresh reading."""
    Entry.objects.filter(pk=entry.pk).update(state=Entry.State.IN_REVIEW)
    page = open_as(client, users["reviewer"], entry).content.decode()
    shown = entry.version
    assert f'name="version" value="{shown}"' in page
    Entry.objects.filter(pk=entry.pk).update(version=shown + 1, title="改过的标题")
    stale = {"comment": "可以。", "version": str(shown)}
    response = client.post(transition_url(entry, "approve"), stale, HTTP_ACCEPT_LANGUAGE="en")
    entry.refresh_from_db()
    assert entry.state == Entry.State.IN_REVIEW and not entry.events.exists()
    message = client.get(response.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "It changed after you opened the page" in message
    fresh = {"comment": "可以。", "version": str(shown + 1)}
    client.post(transition_url(entry, "approve"), fresh)
    entry.refresh_from_db()
    assert entry.state == Entry.State.APPROVED


def test_the_panel_says_scheduled_only_while_the_issue_waits_for_its_time(client, users):
    import datetime

    from django.utils import timezone

    when = timezone.now() + datetime.timedelta(days=2)
    issue = IssueFactory(title="排期的一期")
    Issue.objects.filter(pk=issue.pk).update(state=Issue.State.SCHEDULED, scheduled_at=when)
    page = open_as(client, users["publisher"], issue).content.decode()
    assert "<p>Scheduled for " in page and "排期的一期" in page
    Issue.objects.filter(pk=issue.pk).update(state=Issue.State.PUBLISHED, published_at=when)
    page = open_as(client, users["publisher"], issue).content.decode()
    assert "<p>Scheduled for " not in page and "排期的一期" in page
