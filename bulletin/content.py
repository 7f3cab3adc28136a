"""What an issue's content is, listed once: the fields of each model that make it up, and the
reader that turns a row of one of them into plain data.

The snapshot a publication freezes (bulletin.snapshot) is built from these lists; the transfer
document, the version history and the PDF derive from the same lists and the same reader, so a
field added here reaches every one of them (tests/bulletin/test_content.py checks it). Each list
holds plain fields only (no relations: those are the snapshot's structure), so a field's name is
also its attribute and its key in a saved version.
"""

import datetime
from collections.abc import Mapping

BULLETIN_FIELDS = [
    "slug",
    "name",
    "language",
    "firm_name",
    "team_name",
    "commentary_label",
    "disclaimer",
    "contact_email",
]
# Below an author's name and role, a profile shows these under their labels.
AUTHOR_PROFILE_FIELDS = [
    "phone",
    "mobile",
    "email",
    "practice_areas",
    "experience",
    "representative_matters",
    "honours",
    "education",
]
AUTHOR_FIELDS = ["name", "name_latin", "title", "office_city", *AUTHOR_PROFILE_FIELDS]
ISSUE_FIELDS = [
    "number",
    "volume",
    "year",
    "month",
    "title",
    "slug",
    "editors_note",
    "commentary_label",
]
SECTION_FIELDS = ["position", "title"]
ENTRY_FIELDS = [
    "position",
    "kind",
    "title",
    "published_on",
    "source",
    "case_caption",
    "docket_number",
    "court",
    "summary",
]
LINK_FIELDS = ["position", "kind", "label", "url"]
COMMENTARY_FIELDS = ["body"]
JURISDICTION_FIELDS = ["code", "name", "name_en"]
CORRECTION_FIELDS = ["published_at", "note"]


def plain(value):
    """A field's value as JSON-safe data: dates and times in ISO form."""
    if isinstance(value, datetime.date):  # a datetime is a date too
        return value.isoformat()
    return value


def row(source, names: list[str]) -> dict:
    """The named fields of a model row as plain data; also of data already keyed by field name
    (a saved version's values, a part of a snapshot)."""
    if isinstance(source, Mapping):
        return {name: plain(source.get(name)) for name in names}
    return {name: plain(getattr(source, name)) for name in names}
