"""Reading translations: what the later outputs (pages, snapshot, PDF, email, transfer) ask for,
and what the admin shows. Each function reads a fixed number of queries, however many objects.

    text_in(obj, "title", "en")  -> Text(value, language, translated, outdated)

gives the text a reader of that language should see: the approved translation when there is
one, else the source text with translated=False and its own language (for lang="…" and a "not
yet translated" note). For many objects at once, load the approved rows first with
approved_translations(objects, language) and pass them in (one query per kind)."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bulletin.translation.languages import language_name, source_language, target_languages
from bulletin.translation.models import Translation
from bulletin.translation.units import kind_of, source_texts
from core import richtext
from entries.models import Commentary, EntryLink, Jurisdiction, Section


@dataclass(frozen=True)
class Text:
    value: str
    language: str
    translated: bool
    outdated: bool = False


# A part of a unit is translated in its unit's row, under its own key.
_PARTS = {
    EntryLink: ("entry", lambda link, field: f"link:{link.pk}"),
    Commentary: ("entry", lambda commentary, field: "commentary"),
    Section: ("issue", lambda section, field: f"section:{section.pk}"),
}


def _unit_and_key(obj, field: str):
    part = _PARTS.get(type(obj))
    if part is None:
        return obj, field
    unit_name, key = part
    return getattr(obj, unit_name), key(obj, field)


def approved_translations(objects, language: str) -> dict[tuple[str, int], Translation]:
    """The approved translations of these units (entries, issues, …) into the language, by
    (kind, id), in one query per kind."""
    by_kind: dict[str, list[int]] = {}
    for obj in objects:
        by_kind.setdefault(kind_of(obj), []).append(obj.pk)
    found = {}
    for kind, ids in by_kind.items():
        rows = Translation.objects.approved().filter(**{f"{kind}_id__in": ids}, language=language)
        for row in rows:
            found[(kind, getattr(row, f"{kind}_id"))] = row
    return found


def text_in(obj, field: str, language: str, *, translations=None) -> Text:
    """The text of obj's field for a reader of the language (see the module's docstring). obj
    may be a unit or a part of one (a link, a commentary, a section)."""
    source = str(getattr(obj, field) or "")
    unit, key = _unit_and_key(obj, field)
    original = source_language(unit)
    if language == original:
        return Text(source, original, translated=True)
    if translations is None:
        translations = approved_translations([unit], language)
    row = translations.get((kind_of(unit), unit.pk))
    value = row.texts.get(key) if row else None
    if value:
        return Text(value, language, translated=True, outdated=row.outdated)
    if isinstance(obj, Jurisdiction) and field == "name" and language == "en" and obj.name_en:
        return Text(obj.name_en, language, translated=True)  # the catalogue's English name
    return Text(source, original, translated=False)


def unit_texts(subject, language: str) -> dict[str, Text]:
    """Every text of a unit for a reader of the language, by key (bulletin.translation.units)."""
    translations = approved_translations([subject], language)
    row = translations.get((kind_of(subject), subject.pk))
    original = source_language(subject)
    texts = {}
    for source in source_texts(subject):
        value = row.texts.get(source.key) if row else None
        texts[source.key] = (
            Text(value, language, translated=True, outdated=row.outdated)
            if value
            else Text(source.value, original, translated=False)
        )
    return texts


# The entry list's filter: a state of a translation, or its absence, or "outdated".
FILTER_CHOICES = [
    ("missing", _("Missing")),
    ("draft", _("Draft")),
    ("changes_requested", _("Changes requested")),
    ("in_review", _("In review")),
    ("approved", _("Approved")),
    ("outdated", _("Outdated")),
]


def filter_by_translation(queryset: QuerySet, *, kind: str, language: str, value: str):
    """The units of the queryset whose translation into the language is in this state (one
    subquery, no query per row)."""
    rows = Translation.objects.filter(**{kind: OuterRef("pk")}, language=language)
    if value == "missing":
        return queryset.filter(~Exists(rows))
    if value == "outdated":
        return queryset.filter(Exists(rows.filter(outdated=True)))
    if value == "approved":
        return queryset.filter(Exists(rows.filter(state=value, outdated=False)))
    if value in Translation.State.values:
        return queryset.filter(Exists(rows.filter(Q(state=value))))
    return queryset


def translation_rows(subject) -> list[dict]:
    """Each target language of a unit with its translation (or None), for the admin's panel."""
    found = {
        row.language: row
        for row in Translation.objects.filter(**{kind_of(subject): subject}).select_related(
            "translator", "reviewer", "last_edited_by"
        )
    }
    kind = kind_of(subject)
    return [
        {
            "language": code,
            "name": language_name(code),
            "translation": found.get(code),
            "url": reverse(
                "admin:translation_translation_translate", args=[kind, subject.pk, code]
            ),
        }
        for code in target_languages(subject)
    ]


def source_diff(translation: Translation) -> list[dict]:
    """What changed in the source since the translation was approved, text by text: its label
    and the current source with the characters inserted and deleted marked (escaped)."""
    if not translation.approved_source:
        return []
    old, rows = translation.approved_source, []
    current = source_texts(translation.subject)
    seen = set()
    for source in current:
        seen.add(source.key)
        before = old.get(source.key, "")
        if before != source.value:
            diff = richtext.diff_rich_text if source.rich else richtext.diff_text
            rows.append({"label": source.label, "diff": diff(before, source.value)})
    for key, before in old.items():
        if key not in seen:
            label = _("Removed text")
            rows.append({"label": label, "diff": richtext.diff_text(before, "")})
    return rows
