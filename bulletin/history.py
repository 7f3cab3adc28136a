"""Every saved version of an entry (with its links and commentary) and of an issue, and a
readable comparison of two versions (reverting to one is a service: bulletin.services.versions)."""

from typing import NamedTuple

import reversion
from django.utils.translation import gettext as _
from reversion.models import Version

from bulletin import content
from bulletin.models import Issue
from core import richtext
from core.fields import RichTextField
from entries.models import Commentary, Entry, EntryLink

# Workflow bookkeeping is not content: it is neither versioned nor reverted.
NOT_CONTENT = ["state", "version", "created_by", "last_edited_by", "created_at", "updated_at"]
# A version of an entry shows its content and where it sat (its section).
ENTRY_FIELDS = ["section", *content.ENTRY_FIELDS]
ISSUE_FIELDS = content.ISSUE_FIELDS


class Shown(NamedTuple):
    """A field's value in a saved version: rich text (HTML) or plain text."""

    value: str
    rich: bool = False


def register() -> None:
    reversion.register(EntryLink)
    reversion.register(Commentary, exclude=["updated_at"])
    reversion.register(Entry, follow=["links", "commentary"], exclude=NOT_CONTENT)
    reversion.register(Issue, exclude=[*NOT_CONTENT, "scheduled_at", "published_at"])


def versions_of(obj) -> list[Version]:
    """Newest first."""
    return list(
        Version.objects.get_for_object(obj).select_related("revision__user").order_by("-pk")
    )


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _labelled(model, fields: dict, names: list[str]) -> dict[str, Shown]:
    """Each named field of a saved version, under its label: rich text as its HTML, the rest as
    text."""
    model_fields = [model._meta.get_field(name) for name in names]
    values = content.row(fields, [field.attname for field in model_fields])
    return {
        str(field.verbose_name): Shown(
            _text(values[field.attname]), rich=isinstance(field, RichTextField)
        )
        for field in model_fields
    }


def _link_text(fields: dict) -> str:
    link = content.row(fields, content.LINK_FIELDS)
    return " ".join(str(value) for name, value in link.items() if name != "position" and value)


def _snapshot(version: Version) -> dict[str, Shown]:
    """The readable content of one saved version."""
    if version.content_type.model == "issue":
        return _labelled(Issue, version.field_dict, ISSUE_FIELDS)
    data = _labelled(Entry, version.field_dict, ENTRY_FIELDS)
    links, commentary = [], _labelled(Commentary, {}, content.COMMENTARY_FIELDS)
    for other in version.revision.version_set.exclude(pk=version.pk):
        if other.content_type.model == "entrylink":
            links.append((other.field_dict.get("position") or 0, _link_text(other.field_dict)))
        elif other.content_type.model == "commentary":
            commentary = _labelled(Commentary, other.field_dict, content.COMMENTARY_FIELDS)
    data[_("links")] = Shown("\n".join(text for _, text in sorted(links)))
    return {**data, **commentary}


def compare(older: Version, newer: Version) -> list[dict]:
    """One row per field: its name, both values, whether it is rich text, whether it changed
    and the newer value shown with the characters inserted and deleted marked."""
    old, new = _snapshot(older), _snapshot(newer)
    rows = []
    for name, before in old.items():
        after = new.get(name, Shown("", rich=before.rich))
        diff = richtext.diff_rich_text if before.rich else richtext.diff_text
        rows.append(
            {
                "field": name,
                "old": before.value,
                "new": after.value,
                "rich": before.rich,
                "changed": before.value != after.value,
                "diff": diff(before.value, after.value),
            }
        )
    return rows
