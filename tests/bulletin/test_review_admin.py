"""The issue review page and the entry list's bulk actions, through real requests."""

import re

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bulletin.models import Issue, WorkflowEvent
from bulletin.services.workflow import entry_transition
from entries.models import Entry
from tests.factories import (
    CommentaryFactory,
    EntryFactory,
    IssueFactory,
    SectionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
E = Entry.State
ROLES = ["Author", "Editor", "Reviewer", "Publisher", "Partner"]


@pytest.fixture
def users():
    return {role: UserFactory(username=role.lower(), roles=[role]) for role in ROLES}


@pytest.fixture
def issue():
    return IssueFactory(title="2024 年 8 月刊")


def add_entry(issue, users, *, section, position, state=E.IN_REVIEW, **fields):
    return EntryFactory(
        section=section,
        position=position,
        state=state,
        created_by=users["Editor"],
        last_edited_by=users["Editor"],
        **fields,
    )


@pytest.fixture
def entries(issue, users):
    """Two sections, created out of reading order, with rich text and a commentary."""
    second = SectionFactory(issue=issue, position=2, title="最新行业动态")
    first = SectionFactory(issue=issue, position=1, title="最新法律与监管动态")
    late = add_entry(issue, users, section=second, position=1, title="行业条目")
    b = add_entry(issue, users, section=first, position=2, title="监管条目乙", state=E.DRAFT)
    a = add_entry(
        issue,
        users,
        section=first,
        position=1,
        title="监管条目甲",
        summary="<p>第一段<strong>重点</strong></p><ol><li><p>第一项</p></li></ol>",
    )
    CommentaryFactory(entry=a, body="<p>本所<em>短评</em></p>")
    return [a, b, late]


def as_user(client, user):
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def review_url(issue):
    return reverse("admin:bulletin_issue_review", args=[issue.pk])


def entry_action_url(issue, entry):
    return reverse("admin:bulletin_issue_review_entry", args=[issue.pk, entry.pk])


def seen(*entries) -> str:
    """What the review page sends: the entries and versions it showed."""
    return ",".join(f"{e.pk}:{Entry.objects.get(pk=e.pk).version}" for e in entries)


def test_review_page_shows_every_entry_in_reading_order_rendered(client, users, issue, entries):
    entry_transition(
        entry=entries[0], user=users["Reviewer"], action="request_changes", comment="请补充出处。"
    )
    html = as_user(client, users["Reviewer"]).get(review_url(issue)).content.decode()

    titles = re.findall(r'id="entry-\d+-title">.*?<a [^>]*>([^<]+)</a>', html)
    assert titles == ["监管条目甲", "监管条目乙", "行业条目"]
    assert html.index("1. 最新法律与监管动态") < html.index("2. 最新行业动态")
    assert "<p>第一段<strong>重点</strong></p><ol><li><p>第一项</p></li></ol>" in html
    assert "<p>本所<em>短评</em></p>" in html
    assert "&lt;strong&gt;" not in html and "&lt;p&gt;" not in html
    assert "请补充出处。" in html  # the latest comment, with its author
    assert "Latest comment: reviewer" in html
    assert reverse("admin:entries_entry_history", args=[entries[0].pk]) in html
    assert re.search(r'review-state--changes_requested">Changes requested<', html)


def test_a_user_without_a_role_to_act_sees_no_action_buttons(client, users, issue, entries):
    reviewer_page = as_user(client, users["Reviewer"]).get(review_url(issue)).content.decode()
    partner_page = as_user(client, users["Partner"]).get(review_url(issue)).content.decode()

    assert 'value="approve"' in reviewer_page and "review-batch--approve-all" in reviewer_page
    assert "监管条目甲" in partner_page and "<strong>重点</strong>" in partner_page
    for marker in ("<form", "review-entry__actions", "review-batch", 'name="action"'):
        assert marker not in partner_page.split('id="content-main"')[1]


def test_each_role_is_offered_its_own_moves(client, users, issue, entries):
    editor_page = as_user(client, users["Editor"]).get(review_url(issue)).content.decode()
    reviewer_page = as_user(client, users["Reviewer"]).get(review_url(issue)).content.decode()

    assert "Submit all draft entries of this issue" in editor_page
    assert "Submit the issue for review" in editor_page
    assert "Approve all entries in review" not in editor_page
    assert "Approve all entries in review that I may approve" in reviewer_page
    assert "Submit all draft entries" not in reviewer_page


def test_the_review_page_reads_a_fixed_number_of_queries(client, users, issue, entries):
    as_user(client, users["Reviewer"])
    with CaptureQueriesContext(connection) as few:
        assert client.get(review_url(issue)).status_code == 200
    section = issue.sections.get(position=2)
    for position in range(2, 12):
        CommentaryFactory(entry=add_entry(issue, users, section=section, position=position))
    with CaptureQueriesContext(connection) as many:
        assert client.get(review_url(issue)).status_code == 200
    assert len(many) == len(few)


def test_approving_one_entry_comes_back_to_it_with_what_happened(client, users, issue, entries):
    as_user(client, users["Reviewer"])
    response = client.post(
        entry_action_url(issue, entries[2]),
        {"action": "approve", "comment": "可以。", "seen": seen(entries[2])},
    )

    assert response.status_code == 302
    assert response["Location"] == f"{review_url(issue)}#entry-{entries[2].pk}"
    entries[2].refresh_from_db()
    assert entries[2].state == E.APPROVED
    assert WorkflowEvent.objects.get(entry=entries[2]).comment == "可以。"
    html = client.get(review_url(issue)).content.decode()
    article = html.split(f'id="entry-{entries[2].pk}"')[1].split("</article>")[0]
    assert "1 entry approved." in article


def test_requesting_changes_without_a_comment_is_refused_beside_the_entry(
    client, users, issue, entries
):
    as_user(client, users["Reviewer"])
    client.post(
        entry_action_url(issue, entries[0]),
        {"action": "request_changes", "comment": "", "seen": seen(entries[0])},
    )

    entries[0].refresh_from_db()
    assert entries[0].state == E.IN_REVIEW
    html = client.get(review_url(issue)).content.decode()
    article = html.split(f'id="entry-{entries[0].pk}"')[1].split("</article>")[0]
    assert "Please give a comment or reason." in article


def test_approve_all_lists_the_skipped_entries_with_the_reason(client, users, issue, entries):
    Entry.objects.filter(pk=entries[2].pk).update(last_edited_by=users["Reviewer"])
    as_user(client, users["Reviewer"])
    url = reverse("admin:bulletin_issue_review_batch", args=[issue.pk, "approve-all"])

    html = client.post(url, {"seen": seen(entries[0], entries[2])}, follow=True).content.decode()

    assert [Entry.objects.get(pk=e.pk).state for e in entries] == [E.APPROVED, E.DRAFT, E.IN_REVIEW]
    assert "1 entry approved." in html
    assert "1 entry was skipped:" in html
    assert re.search(rf'href="#entry-{entries[2].pk}">行业条目</a>: Four-eyes rule', html)


def test_the_review_page_sends_what_it_shows(client, users, issue, entries):
    html = as_user(client, users["Reviewer"]).get(review_url(issue)).content.decode()
    assert f'name="seen" value="{seen(entries[0], entries[2])}"' in html
    assert f'name="seen" value="{seen(entries[2])}"' in html


def test_an_entry_changed_since_the_page_was_loaded_is_not_approved(client, users, issue, entries):
    shown = seen(entries[2])
    Entry.objects.filter(pk=entries[2].pk).update(version=entries[2].version + 1)  # resubmitted
    as_user(client, users["Reviewer"])

    client.post(entry_action_url(issue, entries[2]), {"action": "approve", "seen": shown})

    assert Entry.objects.get(pk=entries[2].pk).state == E.IN_REVIEW
    html = client.get(review_url(issue)).content.decode()
    article = html.split(f'id="entry-{entries[2].pk}"')[1].split("</article>")[0]
    assert "It changed after you opened the page" in article


def test_editor_submits_every_draft_of_the_issue(client, users, issue, entries):
    as_user(client, users["Editor"])
    url = reverse("admin:bulletin_issue_review_batch", args=[issue.pk, "submit-drafts"])

    html = client.post(url, follow=True).content.decode()

    assert Entry.objects.get(pk=entries[1].pk).state == E.IN_REVIEW
    assert "1 entry submitted for review." in html and "监管条目乙" in html


@pytest.mark.parametrize(
    ("role", "batch"), [("Author", "approve-all"), ("Reviewer", "submit-drafts")]
)
def test_a_batch_without_the_role_is_forbidden(client, users, issue, entries, role, batch):
    as_user(client, users[role])
    url = reverse("admin:bulletin_issue_review_batch", args=[issue.pk, batch])

    assert client.post(url).status_code == 403
    assert [Entry.objects.get(pk=e.pk).state for e in entries] == [
        E.IN_REVIEW,
        E.DRAFT,
        E.IN_REVIEW,
    ]


def test_approving_the_issue_too_early_names_the_entries(client, users, issue, entries):
    Issue.objects.filter(pk=issue.pk).update(state=Issue.State.IN_REVIEW)
    as_user(client, users["Reviewer"])
    url = reverse("admin:bulletin_issue_review_issue", args=[issue.pk, "approve"])

    html = client.post(url, follow=True).content.decode()

    assert "3 entries of this issue are not approved yet: “监管条目甲” (In review)" in html
    assert Issue.objects.get(pk=issue.pk).state == Issue.State.IN_REVIEW


def test_submitting_the_issue_says_what_comes_next(client, users, issue, entries):
    as_user(client, users["Editor"])
    url = reverse("admin:bulletin_issue_review_issue", args=[issue.pk, "submit"])

    html = client.post(url, follow=True).content.decode()

    assert Issue.objects.get(pk=issue.pk).state == Issue.State.IN_REVIEW
    assert "3 entries are not approved yet: a reviewer can approve the issue once they are." in html


def test_the_issue_page_lists_the_entries_not_approved_before_submitting(
    client, users, issue, entries
):
    Entry.objects.filter(pk=entries[0].pk).update(state=E.APPROVED)
    html = (
        as_user(client, users["Editor"])
        .get(reverse("admin:bulletin_issue_change", args=[issue.pk]))
        .content.decode()
    )

    panel = html.split('class="issue-pending"')[1].split("</div>")[0]
    assert "2 entries are not approved yet." in panel
    assert "The issue may be submitted now" in panel
    assert f'href="{review_url(issue)}"' in panel
    assert reverse("admin:entries_entry_change", args=[entries[1].pk]) in panel
    assert reverse("admin:entries_entry_change", args=[entries[2].pk]) in panel
    assert "监管条目甲" not in panel
    assert 'class="issue-review-link"' in html  # among the page's tools too


def test_the_issue_list_links_each_issues_entry_counts_to_its_review_page(
    client, users, issue, entries
):
    html = (
        as_user(client, users["Reviewer"])
        .get(reverse("admin:bulletin_issue_changelist"))
        .content.decode()
    )
    assert f'href="{review_url(issue)}"' in html


# The entry list's bulk actions.


def changelist_post(client, action, entries, **data):
    return client.post(
        reverse("admin:entries_entry_changelist"),
        {"action": action, ACTION_CHECKBOX_NAME: [e.pk for e in entries], **data},
        follow=True,
    )


def test_bulk_submit_reports_each_entry(client, users, issue, entries):
    as_user(client, users["Editor"])
    html = changelist_post(client, "submit_selected", entries).content.decode()

    assert [Entry.objects.get(pk=e.pk).state for e in entries] == [
        E.IN_REVIEW,
        E.IN_REVIEW,
        E.IN_REVIEW,
    ]
    assert "1 entry submitted for review." in html
    assert "2 entries were skipped:" in html
    change = reverse("admin:entries_entry_change", args=[entries[0].pk])
    assert re.search(
        rf'href="{change}">监管条目甲</a>: Not possible while the state is “In review”', html
    )


def test_bulk_approve_goes_through_four_eyes(client, users, issue, entries):
    Entry.objects.filter(pk=entries[0].pk).update(created_by=users["Reviewer"])
    as_user(client, users["Reviewer"])
    html = changelist_post(client, "approve_selected", [entries[0], entries[2]]).content.decode()

    assert Entry.objects.get(pk=entries[0].pk).state == E.IN_REVIEW
    assert Entry.objects.get(pk=entries[2].pk).state == E.APPROVED
    assert "1 entry approved." in html and "Four-eyes rule" in html


def test_bulk_request_changes_asks_for_one_comment_first(client, users, issue, entries):
    as_user(client, users["Reviewer"])
    selected = [entries[0], entries[2]]

    page = changelist_post(client, "request_changes_selected", selected).content.decode()
    assert 'name="comment"' in page and "监管条目甲" in page and "行业条目" in page
    assert [Entry.objects.get(pk=e.pk).state for e in selected] == [E.IN_REVIEW, E.IN_REVIEW]

    empty = changelist_post(client, "request_changes_selected", selected, post="yes", comment=" ")
    assert "Please give a comment or reason." in empty.content.decode()
    assert not WorkflowEvent.objects.exists()

    done = changelist_post(
        client, "request_changes_selected", selected, post="yes", comment="请统一日期格式。"
    ).content.decode()
    assert "Changes requested on 2 entries." in done
    assert [Entry.objects.get(pk=e.pk).state for e in selected] == [E.CHANGES_REQUESTED] * 2
    assert set(WorkflowEvent.objects.values_list("comment", flat=True)) == {"请统一日期格式。"}


@pytest.mark.parametrize(
    ("role", "offered", "not_offered"),
    [
        ("Author", ["submit_selected"], ["approve_selected", "request_changes_selected"]),
        ("Reviewer", ["approve_selected", "request_changes_selected"], ["submit_selected"]),
        ("Partner", [], ["submit_selected", "approve_selected", "request_changes_selected"]),
    ],
)
def test_bulk_actions_are_offered_by_role(client, users, entries, role, offered, not_offered):
    html = (
        as_user(client, users[role]).get(reverse("admin:entries_entry_changelist")).content.decode()
    )
    assert "监管条目甲" in html
    for action in offered:
        assert f'value="{action}"' in html
    for action in not_offered:
        assert f'value="{action}"' not in html


def test_a_bulk_action_without_the_role_changes_nothing(client, users, issue, entries):
    as_user(client, users["Author"])
    changelist_post(client, "approve_selected", entries)
    assert [Entry.objects.get(pk=e.pk).state for e in entries] == [
        E.IN_REVIEW,
        E.DRAFT,
        E.IN_REVIEW,
    ]
