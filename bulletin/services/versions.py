"""Reverting an entry or an issue to one of its saved versions: the content comes back and is
saved as a new version, through the same save service as an edit, so only someone who may edit
the object now may revert it, and an approved entry reverted returns to draft."""

import reversion
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from reversion.models import Version

from bulletin.history import ENTRY_FIELDS, ISSUE_FIELDS
from bulletin.models import Issue
from bulletin.services.entries import entry_save
from bulletin.services.events import WorkflowError
from bulletin.services.issues import issue_save
from entries.models import Commentary, Entry, EntryLink

# The entry stays where it is now: its place is the issue's business, not its text's.
ENTRY_REVERTED = [name for name in ENTRY_FIELDS if name not in ("section", "position")]
LINK_FIELDS = ["position", "kind", "label", "url"]


@transaction.atomic
def entry_revert(*, entry: Entry, version: Version, user) -> Entry:
    """Bring back a saved version's text, links and commentary, saved as a new version."""
    fields = version.field_dict
    for name in ENTRY_REVERTED:
        attname = Entry._meta.get_field(name).attname
        setattr(entry, attname, fields[attname])
    with reversion.create_revision():
        _saving(entry_save, entry=entry, user=user, write_related=lambda: _related(entry, version))
        _note(version, user=user)
    return entry


@transaction.atomic
def issue_revert(*, issue: Issue, version: Version, user) -> Issue:
    """Bring back a saved version's content and writers, saved as a new version."""
    fields = version.field_dict
    for name in ISSUE_FIELDS:
        setattr(issue, name, fields[name])
    writers = fields.get("writers") or []
    with reversion.create_revision():
        _saving(
            issue_save, issue=issue, user=user, write_related=lambda: issue.writers.set(writers)
        )
        _note(version, user=user)
    return issue


def _saving(save, **kwargs) -> None:
    """A version may clash with what exists now (a number or slug taken since): say so."""
    try:
        save(**kwargs)
    except ValidationError as exc:
        raise WorkflowError(" ".join(exc.messages)) from exc


def _note(version: Version, *, user) -> None:
    reversion.set_user(user)
    reversion.set_comment(
        _("Reverted to the version of %(date)s")
        % {"date": version.revision.date_created.strftime("%Y-%m-%d %H:%M")}
    )


def _related(entry: Entry, version: Version) -> None:
    """The version's links and commentary replace the entry's."""
    entry.links.all().delete()
    commentary = None
    for other in version.revision.version_set.exclude(pk=version.pk):
        model = other.content_type.model
        if model == "entrylink":
            EntryLink.objects.create(entry=entry, **{f: other.field_dict[f] for f in LINK_FIELDS})
        elif model == "commentary":
            commentary = other.field_dict
    _commentary(entry, commentary)


def _commentary(entry: Entry, fields: dict | None) -> None:
    if fields is None:
        Commentary.objects.filter(entry=entry).delete()
        return
    commentary, _created = Commentary.objects.update_or_create(
        entry=entry, defaults={"body": fields["body"]}
    )
    commentary.authors.set(fields.get("authors") or [])
