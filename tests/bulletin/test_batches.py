"""Transitions on many entries at once: per-entry results, four-eyes, roles, savepoints."""

import pytest
import reversion
from django.core.exceptions import PermissionDenied

from bulletin.models import Issue, WorkflowEvent
from bulletin.services import workflow
from bulletin.services.batches import (
    entries_transition,
    issue_entries_approve,
    issue_entries_submit,
)
from bulletin.services.workflow import WorkflowError, issue_transition
from entries.models import Entry
from tests.factories import EntryFactory, IssueFactory, SectionFactory, UserFactory

pytestmark = pytest.mark.django_db
E = Entry.State


@pytest.fixture
def editor():
    return UserFactory(username="editor", roles=["Editor"])


@pytest.fixture
def reviewer():
    return UserFactory(username="reviewer", roles=["Reviewer"])


@pytest.fixture
def issue():
    return IssueFactory()


def entries_in(issue, editor, states: list[str], section=None) -> list[Entry]:
    section = section or SectionFactory(issue=issue, position=1)
    return [
        EntryFactory(
            section=section,
            position=position,
            state=state,
            created_by=editor,
            last_edited_by=editor,
            title=f"条目 {position}",
        )
        for position, state in enumerate(states, start=1)
    ]


def states(entries) -> list[str]:
    return [Entry.objects.get(pk=entry.pk).state for entry in entries]


def test_submitting_all_drafts_moves_only_the_drafts_and_reports_each(issue, editor):
    second = SectionFactory(issue=issue, position=2)
    later = entries_in(issue, editor, [E.DRAFT], section=second)
    first = entries_in(issue, editor, [E.DRAFT, E.APPROVED, E.IN_REVIEW, E.DRAFT])

    outcomes = issue_entries_submit(issue=issue, user=editor)

    assert [(o.entry.pk, o.done, o.reason) for o in outcomes] == [
        (first[0].pk, True, ""),
        (first[3].pk, True, ""),
        (later[0].pk, True, ""),
    ]
    assert states(first + later) == [E.IN_REVIEW, E.APPROVED, E.IN_REVIEW, E.IN_REVIEW, E.IN_REVIEW]
    assert WorkflowEvent.objects.filter(action="submit").count() == 3


def test_approving_all_skips_what_the_reviewer_edited_and_says_why(issue, editor, reviewer):
    entries = entries_in(issue, editor, [E.IN_REVIEW, E.IN_REVIEW, E.IN_REVIEW, E.DRAFT])
    Entry.objects.filter(pk=entries[1].pk).update(last_edited_by=reviewer)

    outcomes = issue_entries_approve(issue=issue, user=reviewer)

    assert [(o.entry.pk, o.done) for o in outcomes] == [
        (entries[0].pk, True),
        (entries[1].pk, False),
        (entries[2].pk, True),
    ]
    assert "Four-eyes" in outcomes[1].reason
    assert states(entries) == [E.APPROVED, E.IN_REVIEW, E.APPROVED, E.DRAFT]


def test_four_eyes_also_counts_a_saved_version_by_the_reviewer(issue, editor, reviewer):
    entries = entries_in(issue, editor, [E.IN_REVIEW, E.IN_REVIEW])
    with reversion.create_revision():
        reversion.set_user(reviewer)
        reversion.add_to_revision(entries[0])

    outcomes = issue_entries_approve(issue=issue, user=reviewer)

    assert [o.done for o in outcomes] == [False, True]
    assert "Four-eyes" in outcomes[0].reason


def test_approving_all_skips_what_changed_or_was_not_on_the_page(issue, editor, reviewer):
    entries = entries_in(issue, editor, [E.IN_REVIEW, E.IN_REVIEW, E.IN_REVIEW])
    shown = {entry.pk: entry.version for entry in entries[:2]}
    Entry.objects.filter(pk=entries[1].pk).update(version=entries[1].version + 2)

    outcomes = issue_entries_approve(issue=issue, user=reviewer, seen=shown)

    assert [o.done for o in outcomes] == [True, False, False]
    assert all("changed after you opened the page" in o.reason for o in outcomes[1:])
    assert states(entries) == [E.APPROVED, E.IN_REVIEW, E.IN_REVIEW]


def test_a_refused_entry_does_not_undo_the_others(issue, editor, reviewer, monkeypatch):
    entries = entries_in(issue, editor, [E.IN_REVIEW, E.IN_REVIEW, E.IN_REVIEW])
    record = workflow.event_record

    def refuse_the_second(*, obj, **kwargs):
        # Refused after its state was written: only its savepoint is rolled back.
        if obj.pk == entries[1].pk:
            raise WorkflowError("refused late")
        return record(obj=obj, **kwargs)

    monkeypatch.setattr(workflow, "event_record", refuse_the_second)
    outcomes = entries_transition(entries=entries, user=reviewer, action="approve")

    assert [(o.done, o.reason) for o in outcomes] == [
        (True, ""),
        (False, "refused late"),
        (True, ""),
    ]
    assert states(entries) == [E.APPROVED, E.IN_REVIEW, E.APPROVED]
    assert Entry.objects.get(pk=entries[1].pk).version == entries[1].version
    assert set(WorkflowEvent.objects.values_list("entry_id", flat=True)) == {
        entries[0].pk,
        entries[2].pk,
    }


def test_an_entry_in_the_wrong_state_is_skipped_with_its_state(issue, editor, reviewer):
    entries = entries_in(issue, editor, [E.IN_REVIEW, E.DRAFT])

    outcomes = entries_transition(entries=entries, user=reviewer, action="approve")

    assert [o.done for o in outcomes] == [True, False]
    assert "Draft" in outcomes[1].reason
    assert states(entries) == [E.APPROVED, E.DRAFT]


@pytest.mark.parametrize(
    ("role", "call"),
    [
        ("Author", lambda issue, user: issue_entries_approve(issue=issue, user=user)),
        ("Reviewer", lambda issue, user: issue_entries_submit(issue=issue, user=user)),
        ("Author", lambda issue, user: issue_entries_submit(issue=issue, user=user)),
        (
            "Publisher",
            lambda issue, user: entries_transition(
                entries=issue.entries.all(), user=user, action="request_changes", comment="x"
            ),
        ),
    ],
)
def test_a_batch_without_the_role_is_refused_before_any_entry(issue, editor, role, call):
    entries = entries_in(issue, editor, [E.DRAFT, E.IN_REVIEW])
    user = UserFactory(username="someone", roles=[role])

    with pytest.raises(PermissionDenied):
        call(issue, user)

    assert states(entries) == [E.DRAFT, E.IN_REVIEW]
    assert not WorkflowEvent.objects.exists()


def test_requesting_changes_in_bulk_needs_the_comment(issue, editor, reviewer):
    entries = entries_in(issue, editor, [E.IN_REVIEW, E.IN_REVIEW])

    with pytest.raises(WorkflowError, match="comment"):
        entries_transition(entries=entries, user=reviewer, action="request_changes", comment=" ")
    outcomes = entries_transition(
        entries=entries, user=reviewer, action="request_changes", comment="请补充来源。"
    )

    assert [o.done for o in outcomes] == [True, True]
    assert states(entries) == [E.CHANGES_REQUESTED, E.CHANGES_REQUESTED]
    assert set(WorkflowEvent.objects.values_list("comment", flat=True)) == {"请补充来源。"}


def test_a_batch_with_nothing_to_move_reports_nothing(issue, editor):
    entries_in(issue, editor, [E.APPROVED])
    assert issue_entries_submit(issue=issue, user=editor) == []


def test_an_issue_that_cannot_be_approved_names_its_entries(issue, editor, reviewer):
    entries_in(issue, editor, [E.APPROVED, E.DRAFT, E.IN_REVIEW])
    Issue.objects.filter(pk=issue.pk).update(state=Issue.State.IN_REVIEW)

    with pytest.raises(WorkflowError) as refused:
        issue_transition(issue=issue, user=reviewer, action="approve")

    assert str(refused.value) == (
        "2 entries of this issue are not approved yet: “条目 2” (Draft), “条目 3” (In review)."
    )


def test_a_long_list_of_unapproved_entries_is_cut_with_a_count(issue, editor, reviewer):
    entries_in(issue, editor, [E.DRAFT] * 13)
    Issue.objects.filter(pk=issue.pk).update(state=Issue.State.IN_REVIEW)

    with pytest.raises(WorkflowError) as refused:
        issue_transition(issue=issue, user=reviewer, action="approve")

    message = str(refused.value)
    assert message.startswith("13 entries of this issue are not approved yet: “条目 1” (Draft)")
    assert "“条目 10” (Draft) and 3 more." in message
    assert "条目 11" not in message
