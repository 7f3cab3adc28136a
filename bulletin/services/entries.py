"""Saving and deleting an entry: the admin, a script and a bulk action all save through
entry_save, so none of them can skip the rule that an edited approved entry is reviewed again."""

from collections.abc import Callable

from django.db import transaction

from bulletin.roles import Role, require
from bulletin.services.events import event_record
from bulletin.services.links import links_check_request
from bulletin.services.workflow import entry_check_delete, entry_check_edit
from bulletin.translation.services import translations_source_changed
from entries.catalogue import places
from entries.models import Entry, Jurisdiction

E = Entry.State


@transaction.atomic
def entry_save(
    *,
    entry: Entry,
    user,
    changed: bool = True,
    write_related: Callable[[], None] | None = None,
) -> Entry:
    """Save an entry written by the user, who must be allowed to edit it: its version goes up (a
    form opened before is out of date), the user is its last editor, and an approved entry that
    changed returns to draft. write_related writes what hangs on the entry (links, commentary)
    once it is saved; changed=False is a save that changed nothing (the version still goes up).
    Its links are checked after the commit, those not checked within LINK_CHECK_INTERVAL."""
    stored = _stored(entry, user=user)
    entry_check_edit(user=user, entry=stored)
    back_to_draft = changed and stored.state == E.APPROVED
    entry.state = E.DRAFT if back_to_draft else stored.state
    entry.version = stored.version + 1
    if changed or entry.pk is None:
        entry.last_edited_by = user
    entry.full_clean(exclude=["created_by", "last_edited_by"])
    entry.save()
    if write_related:
        write_related()
    links_check_request(entry=entry)
    if back_to_draft:
        event_record(obj=entry, user=user, action="edit", from_state=E.APPROVED)
    if changed:
        translations_source_changed(subject=entry, user=user)
    return entry


def _stored(entry: Entry, *, user) -> Entry:
    """The entry as the database holds it now (locked until the save), or, for a new entry, the
    user's new draft. Its state and version are the stored ones: a save never sets them."""
    if entry.pk is not None:
        return Entry.objects.select_for_update().select_related("issue").get(pk=entry.pk)
    entry.created_by, entry.state = user, E.DRAFT
    entry.issue = entry.section.issue  # what save() derives from the section; the check needs it
    return entry


@transaction.atomic
def entry_delete(*, entry: Entry, user) -> None:
    """Delete an entry (with its links and commentary), for an editor while its issue is open."""
    entry = Entry.objects.select_for_update().select_related("issue").get(pk=entry.pk)
    entry_check_delete(user=user, entry=entry)
    entry.delete()


@transaction.atomic
def jurisdictions_from_catalogue(*, codes: list[str], user) -> list[Jurisdiction]:
    """The catalogue's places (entries.catalogue) as jurisdictions, created where missing,
    parents first: whoever writes entries may tag them with any place of the catalogue."""
    require(user, Role.AUTHOR, Role.EDITOR)
    catalogue, rows = places(), []

    def row(code: str) -> Jurisdiction:
        place = catalogue[code]
        parent = row(place.parent) if place.parent else None
        fields = {"name": place.name, "name_en": place.name_en, "kind": place.kind}
        found, _created = Jurisdiction.objects.get_or_create(
            code=code, defaults={**fields, "parent": parent}
        )
        return found

    for code in codes:
        if code in catalogue:
            rows.append(row(code))
    return rows
