"""The editorial workflow: who may move an entry or an issue from one state to another.

Every transition is checked here, on the server, before anything is written: the role, the
state, the four-eyes rule and the issue's own conditions. A refused transition changes nothing.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from reversion.models import Version

from bulletin.models import Correction, Issue, WorkflowEvent
from bulletin.roles import Role, has_role, require
from bulletin.services import publishing
from bulletin.services.archive import published_entries_remove
from bulletin.services.captures import links_capture_request
from bulletin.services.events import (
    WorkflowError,
    event_record,
    issue_check_entries_approved,
    issue_check_schedule_time,
    state_check,
)
from entries.models import Entry

E, S = Entry.State, Issue.State


@dataclass(frozen=True)
class Transition:
    label: str
    sources: tuple[str, ...]
    target: str | None  # None: the state does not change
    roles: tuple[str, ...]
    needs_comment: bool = False
    # The label of its own comment box, which says what the comment is for ("" takes none).
    comment_label: str = ""
    # Its button's label where the button also saves the form the user is editing.
    save_label: str = ""
    # Asked again on a page that says what will happen (publishing emails every subscriber).
    confirm: bool = False
    four_eyes: bool = False
    # Its date input: the input's type ("datetime-local", "date"; "" takes none) and label.
    when: str = ""
    when_label: str = ""
    extra: dict = field(default_factory=dict)


SAVE_AND_SUBMIT = gettext_lazy("Save and submit for review")
WHAT_TO_CHANGE = gettext_lazy("What needs to change")
APPROVAL_COMMENT = gettext_lazy("Comment on the approval (optional)")

ENTRY_TRANSITIONS = {
    "submit": Transition(
        gettext_lazy("Submit for review"),
        (E.DRAFT, E.CHANGES_REQUESTED),
        E.IN_REVIEW,
        (Role.AUTHOR, Role.EDITOR),
        save_label=SAVE_AND_SUBMIT,
    ),
    "request_changes": Transition(
        gettext_lazy("Request changes"),
        (E.IN_REVIEW,),
        E.CHANGES_REQUESTED,
        (Role.REVIEWER,),
        needs_comment=True,
        comment_label=WHAT_TO_CHANGE,
    ),
    "approve": Transition(
        gettext_lazy("Approve"),
        (E.IN_REVIEW,),
        E.APPROVED,
        (Role.REVIEWER,),
        comment_label=APPROVAL_COMMENT,
        four_eyes=True,
    ),
}

ISSUE_TRANSITIONS = {
    "submit": Transition(
        gettext_lazy("Submit for review"),
        (S.DRAFT,),
        S.IN_REVIEW,
        (Role.EDITOR,),
        save_label=SAVE_AND_SUBMIT,
    ),
    "request_changes": Transition(
        gettext_lazy("Request changes"),
        (S.IN_REVIEW,),
        S.DRAFT,
        (Role.REVIEWER,),
        needs_comment=True,
        comment_label=WHAT_TO_CHANGE,
    ),
    "approve": Transition(
        gettext_lazy("Approve"),
        (S.IN_REVIEW,),
        S.APPROVED,
        (Role.REVIEWER,),
        comment_label=APPROVAL_COMMENT,
        four_eyes=True,
    ),
    # An imported back issue: a second person checks it against its source and approves it whole.
    "confirm_import": Transition(
        gettext_lazy("Approve it whole, checked against its source"),
        (S.DRAFT, S.IN_REVIEW),
        S.APPROVED,
        (Role.REVIEWER,),
        comment_label=APPROVAL_COMMENT,
        confirm=True,
        four_eyes=True,
    ),
    "reopen": Transition(
        gettext_lazy("Reopen for editing"),
        (S.APPROVED,),
        S.DRAFT,
        (Role.EDITOR, Role.PUBLISHER),
    ),
    "schedule": Transition(
        gettext_lazy("Schedule"),
        (S.APPROVED,),
        S.SCHEDULED,
        (Role.PUBLISHER,),
        when="datetime-local",
    ),
    "unschedule": Transition(
        gettext_lazy("Unschedule"), (S.SCHEDULED,), S.APPROVED, (Role.PUBLISHER,)
    ),
    "publish": Transition(
        gettext_lazy("Publish now"),
        (S.APPROVED, S.SCHEDULED),
        S.PUBLISHED,
        (Role.PUBLISHER,),
        confirm=True,
    ),
    "publish_back": Transition(
        gettext_lazy("Publish as a back issue"),
        (S.APPROVED,),
        S.PUBLISHED,
        (Role.PUBLISHER,),
        confirm=True,
        when="date",
        when_label=gettext_lazy("First published on"),
    ),
    "withdraw": Transition(
        gettext_lazy("Withdraw"),
        (S.PUBLISHED, S.CORRECTED),
        S.WITHDRAWN,
        (Role.PUBLISHER,),
        needs_comment=True,
        comment_label=gettext_lazy("Why the issue is withdrawn"),
        confirm=True,
    ),
    "open_correction": Transition(
        gettext_lazy("Open a correction"),
        (S.PUBLISHED, S.CORRECTED),
        None,
        (Role.PUBLISHER,),
        needs_comment=True,
        comment_label=gettext_lazy("What the correction fixes"),
    ),
    "publish_correction": Transition(
        gettext_lazy("Publish the correction"),
        (S.PUBLISHED, S.CORRECTED),
        S.CORRECTED,
        (Role.PUBLISHER,),
    ),
}


def four_eyes_relaxed() -> bool:
    """A one-person office may relax the rule in settings; the admin then says so each time."""
    return not getattr(settings, "WORKFLOW_FOUR_EYES", True)


def _check(transition: Transition, *, user, obj, comment: str) -> None:
    if user is not None:  # None: the system (a command, the scheduler)
        require(user, *transition.roles)
    state_check(obj=obj, sources=transition.sources)
    if transition.needs_comment and not comment.strip():
        raise WorkflowError(_("Please give a comment or reason."))
    wrote_it = user is not None and user.pk in _contributors(obj)
    if transition.four_eyes and wrote_it and not four_eyes_relaxed():
        raise PermissionDenied(
            _("Four-eyes rule: you cannot approve what you wrote or last edited.")
        )


def _contributors(obj) -> set[int]:
    """Who wrote this: its creator, its last editor, and everyone who saved a version of it
    since it was last approved (a no-op save by someone else does not launder an edit)."""
    ids = {obj.created_by_id, obj.last_edited_by_id}
    last_approval = (
        obj.events.filter(action="approve").order_by("-created_at").values("created_at")[:1]
    )
    versions = Version.objects.get_for_object(obj)
    if last_approval:
        versions = versions.filter(revision__date_created__gt=last_approval[0]["created_at"])
    ids |= set(versions.values_list("revision__user_id", flat=True))
    return ids - {None}


def entry_check_edit(*, user, entry: Entry) -> None:
    """Refuse unless the user may edit the entry now: authors their own, editors any, while the
    entry is not in review and its issue is open to edits."""
    require(user, Role.AUTHOR, Role.EDITOR)
    if entry.created_by_id != user.pk:
        require(user, Role.EDITOR)
    state_check(obj=entry, sources=(E.DRAFT, E.CHANGES_REQUESTED, E.APPROVED))
    if not issue_accepts_entry_edits(issue=entry.issue):
        raise WorkflowError(_("The issue is not open to changes."))


def entry_can_edit(*, user, entry: Entry) -> bool:
    """Whether entry_check_edit lets the user through (for the admin's permissions)."""
    return _passes(entry_check_edit, user=user, entry=entry)


def issue_accepts_entry_edits(*, issue: Issue) -> bool:
    if issue.state in (S.DRAFT, S.IN_REVIEW):
        return True
    return issue.is_public and issue.corrections.filter(published_at__isnull=True).exists()


def issue_check_edit(*, user, issue: Issue) -> None:
    """Refuse unless the user may edit the issue: an editor, while the issue is a draft (a
    correction changes entries, which are reviewed again, not the issue)."""
    require(user, Role.EDITOR)
    state_check(obj=issue, sources=(S.DRAFT,))


def issue_can_edit(*, user, issue: Issue) -> bool:
    """Whether issue_check_edit lets the user through (for the admin's permissions)."""
    return _passes(issue_check_edit, user=user, issue=issue)


def entry_check_delete(*, user, entry: Entry) -> None:
    """Refuse unless the user may delete the entry: an editor, while its issue is being put
    together (a draft or in review)."""
    require(user, Role.EDITOR)
    state_check(obj=entry.issue, sources=(S.DRAFT, S.IN_REVIEW))


def entry_can_delete(*, user, entry: Entry) -> bool:
    """Whether entry_check_delete lets the user through (for the admin's permissions)."""
    return _passes(entry_check_delete, user=user, entry=entry)


def _passes(check, **kwargs) -> bool:
    try:
        check(**kwargs)
    except (PermissionDenied, WorkflowError):
        return False
    return True


def entry_transitions(*, user, entry: Entry) -> list[tuple[str, Transition]]:
    """The transitions this user may offer on this entry now (for the buttons)."""
    return [
        (name, t)
        for name, t in ENTRY_TRANSITIONS.items()
        if entry.state in t.sources
        and has_role(user, *t.roles)
        and (name != "submit" or entry_can_submit(user=user, entry=entry))
    ]


def entry_can_submit(*, user, entry: Entry) -> bool:
    return has_role(user, Role.EDITOR) or entry.created_by_id == user.pk


@transaction.atomic
def entry_transition(*, entry: Entry, user, action: str, comment: str = "") -> Entry:
    """Move an entry (with its commentary) through the review."""
    transition = ENTRY_TRANSITIONS.get(action)
    if transition is None:
        raise WorkflowError(_("Unknown action."))
    entry = Entry.objects.select_for_update().select_related("issue").get(pk=entry.pk)
    _check(transition, user=user, obj=entry, comment=comment)
    if action == "submit" and not entry_can_submit(user=user, entry=entry):
        raise PermissionDenied(_("Authors submit only their own entries."))
    if action == "submit" and not issue_accepts_entry_edits(issue=entry.issue):
        raise WorkflowError(_("The issue is not open to changes."))
    from_state = entry.state
    entry.state = transition.target
    entry.version += 1  # an edit form opened before this change is now out of date
    entry.save(update_fields=["state", "version", "updated_at"])
    event_record(obj=entry, user=user, action=action, from_state=from_state, comment=comment)
    if action == "approve":  # keep a copy of what the approved entry cites, as it is now
        links_capture_request(entries=[entry])
    return entry


def issue_transitions(*, user, issue: Issue) -> list[tuple[str, Transition]]:
    has_open = issue.corrections.filter(published_at__isnull=True).exists()
    hidden = {"publish_correction"} if not has_open else {"open_correction", "withdraw"}
    if issue.imported_by_id is None:
        hidden |= {"confirm_import", "publish_back"}
    return [
        (name, t)
        for name, t in ISSUE_TRANSITIONS.items()
        if issue.state in t.sources and has_role(user, *t.roles) and name not in hidden
    ]


@transaction.atomic
def issue_transition(*, issue: Issue, user, action: str, comment: str = "", when=None) -> Issue:
    """Move an issue through review, scheduling and publication (publishing has its own service)."""
    transition = ISSUE_TRANSITIONS.get(action)
    if transition is None:
        raise WorkflowError(_("Unknown action."))
    if action == "publish":
        return publishing.issue_publish(issue=issue, user=user)
    if action == "publish_back":
        return publishing.issue_publish_back(issue=issue, user=user, published_at=when)
    if action == "confirm_import":
        return issue_confirm_import(issue=issue, user=user, comment=comment)
    issue = Issue.objects.select_for_update().get(pk=issue.pk)
    _check(transition, user=user, obj=issue, comment=comment)
    if action == "publish_correction":
        return publishing.issue_publish_correction(issue=issue, user=user)
    from_state = issue.state
    _issue_prepare(issue, action=action, user=user, comment=comment, when=when)
    if transition.target:
        issue.state = transition.target
    issue.version += 1
    issue.save()
    event_record(obj=issue, user=user, action=action, from_state=from_state, comment=comment)
    if action == "withdraw":
        published_entries_remove(issue=issue)
        publishing.issue_outputs_enqueue(issue=issue)
    return issue


@transaction.atomic
def issue_confirm_import(*, issue: Issue, user, comment: str = "") -> Issue:
    """A second person has checked an imported issue against its source: every entry and the
    issue are approved in one step, each recorded as imported by one person and checked by
    the other (four-eyes at the issue's level, instead of an approval per entry)."""
    locked = Issue.objects.select_for_update(of=("self",)).select_related("imported_by")
    issue = locked.get(pk=issue.pk)
    if issue.imported_by_id is None:
        raise WorkflowError(_("Only an imported issue is checked against its source."))
    _check(ISSUE_TRANSITIONS["confirm_import"], user=user, obj=issue, comment=comment)
    entries = list(issue.entries.select_for_update().order_by("pk"))
    if not entries:
        raise WorkflowError(_("The issue has no entries yet."))
    if not four_eyes_relaxed() and (
        user.pk == issue.imported_by_id or any(user.pk in _contributors(e) for e in entries)
    ):
        raise PermissionDenied(
            _("Four-eyes rule: who imported or edited an issue does not also check it.")
        )
    note = _("Imported by %(importer)s, checked against the source by %(checker)s.") % {
        "importer": _name(issue.imported_by),
        "checker": _name(user),
    }
    pending = [entry for entry in entries if entry.state != E.APPROVED]
    Entry.objects.filter(pk__in=[entry.pk for entry in pending]).update(
        state=E.APPROVED, version=F("version") + 1, updated_at=timezone.now()
    )
    WorkflowEvent.objects.bulk_create(
        WorkflowEvent(
            entry=entry,
            actor=user,
            action="approve",
            from_state=entry.state,
            to_state=E.APPROVED,
            comment=note,
        )
        for entry in pending
    )
    links_capture_request(entries=pending)
    from_state = issue.state
    issue.state = S.APPROVED
    issue.version += 1
    issue.save()
    event_record(
        obj=issue,
        user=user,
        action="confirm_import",
        from_state=from_state,
        comment=f"{note} {comment.strip()}".strip(),
    )
    return issue


def _name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else _("someone")


def _issue_prepare(issue: Issue, *, action: str, user, comment: str, when) -> None:
    """The conditions and the side effects of one transition, before the issue's state moves."""
    has_open_correction = issue.corrections.filter(published_at__isnull=True).exists
    if action == "submit" and not issue.entries.exists():
        raise WorkflowError(_("The issue has no entries yet."))
    if action == "approve":
        issue_check_entries_approved(issue=issue)
    if action == "schedule":
        issue_check_schedule_time(when=when)
    if action in ("schedule", "unschedule"):
        issue.scheduled_at = when if action == "schedule" else None
    if action == "withdraw" and has_open_correction():
        raise WorkflowError(_("Publish or close the open correction first."))
    if action == "open_correction":
        if has_open_correction():
            raise WorkflowError(_("This issue already has an open correction."))
        Correction.objects.create(issue=issue, note=comment.strip(), created_by=user)
