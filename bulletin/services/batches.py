"""One workflow transition on many entries at once: the issue review page and the entry list's
bulk actions call these, and they call entry_transition for each entry, so a batch obeys every
rule a single click does (roles, states, four-eyes).

The role is checked once, first: a user without it changes nothing. Then each entry moves in its
own savepoint, so an entry that is refused (four-eyes, a state that changed meanwhile) is reported
with the reason and does not undo the others."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from bulletin.models import Issue
from bulletin.roles import Role, require
from bulletin.services.events import WorkflowError
from bulletin.services.workflow import ENTRY_TRANSITIONS, entry_transition
from entries.models import Entry

E = Entry.State


@dataclass(frozen=True)
class EntryOutcome:
    """What a batch did to one entry: done, or skipped with the reason."""

    entry: Entry
    done: bool
    reason: str = ""


@transaction.atomic
def entries_transition(
    *,
    entries: Iterable[Entry],
    user,
    action: str,
    comment: str = "",
    seen: dict[int, int] | None = None,
) -> list[EntryOutcome]:
    """Run one transition on each entry, in the order given; report per entry what happened.
    seen, {entry id: version}, is what the user had in front of them: an entry missing from it
    or changed since is skipped, so nobody approves a text they have not read."""
    transition = ENTRY_TRANSITIONS.get(action)
    if transition is None:
        raise WorkflowError(_("Unknown action."))
    require(user, *transition.roles)
    if transition.needs_comment and not comment.strip():
        raise WorkflowError(_("Please give a comment or reason."))
    return [_one(entry, user=user, action=action, comment=comment, seen=seen) for entry in entries]


def _check_seen(entry: Entry, seen: dict[int, int] | None) -> None:
    if seen is None:
        return
    current = Entry.objects.select_for_update().values_list("version", flat=True).get(pk=entry.pk)
    if seen.get(entry.pk) != current:
        raise WorkflowError(
            _("It changed after you opened the page: read it again before you act on it.")
        )


def _one(entry: Entry, *, user, action: str, comment: str, seen) -> EntryOutcome:
    try:
        with transaction.atomic():  # a savepoint: a refusal undoes this entry only
            _check_seen(entry, seen)
            moved = entry_transition(entry=entry, user=user, action=action, comment=comment)
    except (PermissionDenied, WorkflowError) as exc:
        return EntryOutcome(entry, done=False, reason=str(exc) or _("Not allowed."))
    return EntryOutcome(moved, done=True)


def _entries_of(issue: Issue, state: str):
    """The issue's entries in one state, in reading order."""
    return (
        Entry.objects.filter(issue=issue, state=state)
        .select_related("section")
        .order_by("section__position", "position")
    )


def issue_entries_submit(*, issue: Issue, user) -> list[EntryOutcome]:
    """Submit every draft entry of the issue for review (an editor's shortcut)."""
    require(user, Role.EDITOR)
    return entries_transition(entries=_entries_of(issue, E.DRAFT), user=user, action="submit")


def issue_entries_approve(
    *, issue: Issue, user, comment: str = "", seen: dict[int, int] | None = None
) -> list[EntryOutcome]:
    """Approve every entry of the issue in review (that the user has seen, if seen is given);
    those the user may not approve (four-eyes, changed since) are skipped, each with the reason."""
    require(user, Role.REVIEWER)
    return entries_transition(
        entries=_entries_of(issue, E.IN_REVIEW),
        user=user,
        action="approve",
        comment=comment,
        seen=seen,
    )
