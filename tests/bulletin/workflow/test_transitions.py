"""Who may move an entry or an issue from one state to another: the permission matrices, refused
transitions that change nothing, an issue's conditions and the four-eyes rule."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from bulletin.models import Issue, Publication, WorkflowEvent
from bulletin.services.publishing import issue_publish
from bulletin.services.workflow import WorkflowError, entry_transition, issue_transition
from entries.models import Entry
from tests.bulletin.workflow.helpers import (
    ROLES,
    TOMORROW,
    issue_in,
    post_transition,
)
from tests.factories import EntryFactory, IssueFactory, UserFactory

pytestmark = pytest.mark.django_db


ENTRY_MATRIX = [
    ("submit", Entry.State.DRAFT, {"author", "editor"}, Entry.State.IN_REVIEW),
    ("request_changes", Entry.State.IN_REVIEW, {"reviewer"}, Entry.State.CHANGES_REQUESTED),
    ("approve", Entry.State.IN_REVIEW, {"reviewer"}, Entry.State.APPROVED),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("action", "source", "allowed", "target"), ENTRY_MATRIX)
def test_entry_permission_matrix(client, users, entry, role, action, source, allowed, target):
    Entry.objects.filter(pk=entry.pk).update(state=source)
    response = post_transition(client, users[role], entry, action)
    entry.refresh_from_db()
    if role in allowed:
        assert response.status_code == 302
        assert entry.state == target
    else:
        assert response.status_code == 403
        assert entry.state == source
        assert not WorkflowEvent.objects.exists()


ISSUE_MATRIX = [
    ("submit", Issue.State.DRAFT, {"editor"}, Issue.State.IN_REVIEW, {}),
    ("request_changes", Issue.State.IN_REVIEW, {"reviewer"}, Issue.State.DRAFT, {}),
    ("approve", Issue.State.IN_REVIEW, {"reviewer"}, Issue.State.APPROVED, {}),
    ("reopen", Issue.State.APPROVED, {"editor", "publisher"}, Issue.State.DRAFT, {}),
    ("schedule", Issue.State.APPROVED, {"publisher"}, Issue.State.SCHEDULED, {"when": TOMORROW}),
    ("unschedule", Issue.State.SCHEDULED, {"publisher"}, Issue.State.APPROVED, {}),
    ("publish", Issue.State.APPROVED, {"publisher"}, Issue.State.PUBLISHED, {}),
    ("publish", Issue.State.SCHEDULED, {"publisher"}, Issue.State.PUBLISHED, {}),
    ("withdraw", Issue.State.PUBLISHED, {"publisher"}, Issue.State.WITHDRAWN, {}),
    ("open_correction", Issue.State.PUBLISHED, {"publisher"}, Issue.State.PUBLISHED, {}),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("action", "source", "allowed", "target", "extra"), ISSUE_MATRIX)
def test_issue_permission_matrix(client, users, role, action, source, allowed, target, extra):
    issue = issue_in(source, users)
    events = WorkflowEvent.objects.count()
    response = post_transition(client, users[role], issue, action, **extra)
    issue.refresh_from_db()
    if role in allowed:
        assert response.status_code == 302
        assert issue.state == target
        assert WorkflowEvent.objects.count() == events + 1
    else:
        assert response.status_code == 403
        assert issue.state == source
        assert WorkflowEvent.objects.count() == events


def test_author_cannot_submit_someone_elses_entry(users):
    other = UserFactory(username="other-author", roles=["Author"])
    entry = EntryFactory(created_by=other)
    with pytest.raises(PermissionDenied):
        entry_transition(entry=entry, user=users["author"], action="submit")


@pytest.mark.parametrize(
    ("action", "state"),
    [
        ("approve", Entry.State.DRAFT),
        ("approve", Entry.State.APPROVED),
        ("request_changes", Entry.State.DRAFT),
        ("submit", Entry.State.IN_REVIEW),
        ("submit", Entry.State.APPROVED),
    ],
)
def test_invalid_entry_transitions_are_refused_and_change_nothing(users, entry, action, state):
    Entry.objects.filter(pk=entry.pk).update(state=state)
    user = users["reviewer"] if action != "submit" else users["editor"]
    with pytest.raises(WorkflowError):
        entry_transition(entry=entry, user=user, action=action, comment="x")
    entry.refresh_from_db()
    assert entry.state == state
    assert not WorkflowEvent.objects.exists()


@pytest.mark.parametrize(
    ("action", "state", "role", "comment", "when"),
    [
        ("publish", Issue.State.DRAFT, "publisher", "", None),
        ("publish", Issue.State.IN_REVIEW, "publisher", "", None),
        ("approve", Issue.State.DRAFT, "reviewer", "", None),
        ("schedule", Issue.State.DRAFT, "publisher", "", "future"),
        ("schedule", Issue.State.APPROVED, "publisher", "", "past"),
        ("schedule", Issue.State.APPROVED, "publisher", "", None),
        ("withdraw", Issue.State.PUBLISHED, "publisher", "", None),
        ("withdraw", Issue.State.APPROVED, "publisher", "reason", None),
        ("request_changes", Issue.State.IN_REVIEW, "reviewer", "  ", None),
        ("open_correction", Issue.State.APPROVED, "publisher", "note", None),
        ("publish_correction", Issue.State.PUBLISHED, "publisher", "", None),
        ("no_such_action", Issue.State.DRAFT, "editor", "", None),
    ],
)
def test_invalid_issue_transitions_are_refused_and_change_nothing(
    users, action, state, role, comment, when
):
    issue = issue_in(state, users)
    offsets = {"future": 1, "past": -1}
    when = timezone.now() + datetime.timedelta(days=offsets[when]) if when else None
    events, publications = WorkflowEvent.objects.count(), Publication.objects.count()
    with pytest.raises(WorkflowError):
        issue_transition(issue=issue, user=users[role], action=action, comment=comment, when=when)
    issue.refresh_from_db()
    assert issue.state == state
    assert WorkflowEvent.objects.count() == events
    assert Publication.objects.count() == publications


def test_an_empty_issue_cannot_be_submitted(users):
    issue = IssueFactory()
    with pytest.raises(WorkflowError, match="no entries"):
        issue_transition(issue=issue, user=users["editor"], action="submit")


def test_an_issue_is_approved_only_when_every_entry_is(users):
    issue = issue_in(Issue.State.IN_REVIEW, users, approved_entries=False)
    with pytest.raises(WorkflowError, match="not approved"):
        issue_transition(issue=issue, user=users["reviewer"], action="approve")


def test_an_issue_is_published_only_when_every_entry_is_approved(users):
    issue = issue_in(Issue.State.APPROVED, users, approved_entries=False)
    with pytest.raises(WorkflowError, match="not approved"):
        issue_publish(issue=issue, user=users["publisher"])
    assert not Publication.objects.exists()


@pytest.mark.parametrize("field", ["created_by", "last_edited_by"])
def test_reviewer_cannot_approve_what_they_wrote_or_last_edited(users, field):
    reviewer = users["reviewer"]
    entry = EntryFactory(state=Entry.State.IN_REVIEW, **{field: reviewer})
    with pytest.raises(PermissionDenied, match="Four-eyes"):
        entry_transition(entry=entry, user=reviewer, action="approve")
    issue = issue_in(Issue.State.IN_REVIEW, users)
    Issue.objects.filter(pk=issue.pk).update(**{field: reviewer})
    issue.refresh_from_db()
    with pytest.raises(PermissionDenied, match="Four-eyes"):
        issue_transition(issue=issue, user=reviewer, action="approve")


def test_relaxed_four_eyes_is_said_on_every_approval(client, users, settings):
    settings.WORKFLOW_FOUR_EYES = False
    entry = EntryFactory(state=Entry.State.IN_REVIEW, created_by=users["reviewer"])
    response = post_transition(client, users["reviewer"], entry, "approve")
    entry.refresh_from_db()
    assert entry.state == Entry.State.APPROVED
    page = client.get(response.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "four-eyes rule is relaxed" in page
