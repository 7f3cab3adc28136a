"""Writes that touch several rows of the publishing domain: saving and deleting an issue as an
editor does, its default sections, and the order of its entries."""

from collections import Counter
from collections.abc import Callable

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from bulletin.models import Issue
from bulletin.services.events import WorkflowError
from bulletin.services.workflow import issue_check_edit
from bulletin.translation.services import translations_source_changed
from entries.models import Entry, Section

# Moved entries park here while positions are swapped, clear of the unique constraint.
PARKING_OFFSET = 10_000
WORKFLOW_FIELDS = ["state", "scheduled_at", "published_at"]


@transaction.atomic
def issue_save(
    *,
    issue: Issue,
    user,
    changed: bool = True,
    write_related: Callable[[], None] | None = None,
) -> Issue:
    """Save an issue written by an editor while it is a draft: its version goes up (a form opened
    before is out of date) and the user is its last editor; its state and dates change through
    the workflow only. write_related writes what hangs on the issue (sections, the order of its
    entries) once it is saved; a new issue without sections then gets its bulletin's defaults."""
    adding = issue.pk is None
    stored = _stored(issue, user=user)
    issue_check_edit(user=user, issue=stored)
    for name in WORKFLOW_FIELDS:
        setattr(issue, name, getattr(stored, name))
    issue.version = stored.version + 1
    if changed or adding:
        issue.last_edited_by = user
    issue.full_clean(exclude=["created_by", "last_edited_by"])
    issue.save()
    if write_related:
        write_related()
    if adding:
        issue_create_default_sections(issue=issue)
    elif changed:
        translations_source_changed(subject=issue, user=user)
    return issue


@transaction.atomic
def issue_delete(*, issue: Issue, user) -> None:
    """Delete a draft issue with its sections and entries, for an editor."""
    issue = Issue.objects.select_for_update().get(pk=issue.pk)
    issue_check_edit(user=user, issue=issue)
    issue.delete()


def _stored(issue: Issue, *, user) -> Issue:
    """The issue as the database holds it now (locked until the save), or the user's new draft."""
    if issue.pk is not None:
        return Issue.objects.select_for_update().get(pk=issue.pk)
    issue.created_by, issue.state = user, Issue.State.DRAFT
    issue.scheduled_at = issue.published_at = None
    return issue


@transaction.atomic
def issue_create_default_sections(*, issue: Issue) -> list[Section]:
    """Give a new issue its bulletin's default sections, unless it already has sections."""
    if issue.sections.exists():
        return []
    return Section.objects.bulk_create(
        Section(issue=issue, title=title, position=position)
        for position, title in enumerate(issue.bulletin.default_section_titles, start=1)
    )


@transaction.atomic
def issue_entries_reorder(*, issue: Issue, user, places: dict[int, tuple[int, int]]) -> list[Entry]:
    """Move entries of a draft issue to new places, {entry id: (section id, position)}, swaps
    included. Only the order changes (an approval or an edit made meanwhile is kept); each moved
    entry's version goes up, so an edit form opened before the move is out of date."""
    issue = Issue.objects.select_for_update().get(pk=issue.pk)
    issue_check_edit(user=user, issue=issue)
    moved = list(Entry.objects.select_for_update().filter(issue=issue, pk__in=places))
    _check_places(issue, places, found={entry.pk for entry in moved})
    Entry.objects.filter(pk__in=places).update(position=F("position") + PARKING_OFFSET)
    for entry in moved:
        entry.section_id, entry.position = places[entry.pk]
        entry.version += 1
        entry.save(update_fields=["section", "issue", "position", "version"])
    return moved


def _check_places(issue: Issue, places: dict[int, tuple[int, int]], *, found: set[int]) -> None:
    """Every entry and section named belongs to the issue, and no two entries share a place."""
    sections = set(issue.sections.values_list("pk", flat=True))
    if found != set(places) or not {section for section, _pos in places.values()} <= sections:
        raise WorkflowError(_("Entries move only within their issue's sections."))
    stay = issue.entries.exclude(pk__in=places).values_list("section_id", "position")
    taken = Counter([*stay, *places.values()])
    clash = next((place for place, count in taken.items() if count > 1), None)
    if clash:
        raise WorkflowError(
            _("Two entries of “%(section)s” have position %(position)s.")
            % {"section": Section.objects.get(pk=clash[0]), "position": clash[1]}
        )
