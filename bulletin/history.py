"""Every saved version of an entry (with its links and commentary) and of an issue, and a
readable comparison of two versions (reverting to one is a service: bulletin.services.versions)."""

import difflib

import reversion
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from reversion.models import Version

from bulletin import content
from bulletin.models import Issue
from entries.models import Commentary, Entry, EntryLink

# Workflow bookkeeping is not content: it is neither versioned nor reverted.
NOT_CONTENT = ["state", "version", "created_by", "last_edited_by", "created_at", "updated_at"]
# A version of an entry shows its content and where it sat (its section).
ENTRY_FIELDS = ["section", *content.ENTRY_FIELDS]
ISSUE_FIELDS = content.ISSUE_FIELDS


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
    return strip_tags(str(value or "")).strip() if value is not None else ""


def _labelled(model, fields: dict, names: list[str]) -> dict[str, str]:
    """Each named field of a saved version, under its label, as text."""
    attnames = {name: model._meta.get_field(name).attname for name in names}
    values = content.row(fields, list(attnames.values()))
    return {
        str(model._meta.get_field(name).verbose_name): _text(values[attname])
        for name, attname in attnames.items()
    }


def _link_text(fields: dict) -> str:
    link = content.row(fields, content.LINK_FIELDS)
    return " ".join(str(value) for name, value in link.items() if name != "position" and value)


def _snapshot(version: Version) -> dict[str, str]:
    """The readable content of one saved version."""
    if version.content_type.model == "issue":
        return _labelled(Issue, version.field_dict, ISSUE_FIELDS)
    data = _labelled(Entry, version.field_dict, ENTRY_FIELDS)
    links, commentary = [], ""
    for other in version.revision.version_set.exclude(pk=version.pk):
        if other.content_type.model == "entrylink":
            links.append((other.field_dict.get("position") or 0, _link_text(other.field_dict)))
        elif other.content_type.model == "commentary":
            body = content.row(other.field_dict, content.COMMENTARY_FIELDS)
            commentary = "\n".join(_text(value) for value in body.values())
    data[_("links")] = "\n".join(text for _, text in sorted(links))
    data[_("commentary")] = commentary
    return data


def _diff(old: str, new: str) -> str:
    """Character-level differences (Chinese has no spaces between words)."""
    parts = []
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(None, old, new).get_opcodes():
        if op == "equal":
            parts.append(escape(old[a1:a2]))
        if op in ("delete", "replace"):
            parts.append(f"<del>{escape(old[a1:a2])}</del>")
        if op in ("insert", "replace"):
            parts.append(f"<ins>{escape(new[b1:b2])}</ins>")
    return mark_safe("".join(parts))  # noqa: S308 - every piece is escaped above


def compare(older: Version, newer: Version) -> list[dict]:
    """One row per field: its name, both values, whether it changed and the marked difference."""
    old, new = _snapshot(older), _snapshot(newer)
    return [
        {
            "field": name,
            "old": old[name],
            "new": new.get(name, ""),
            "changed": old[name] != new.get(name, ""),
            "diff": _diff(old[name], new.get(name, "")),
        }
        for name in old
    ]
