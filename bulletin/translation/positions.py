"""An issue's translation into one language as a document keyed by positions, not database ids
(format "bulletin-cms.translation", as bulletin/demo/ai-monthly-2024-08.en.json): sections and
entries by their positions, links by theirs, authors by their key (slug), tags by their name in
the source, places by their code. The JSON transfer writes and reads it; the demo loader reads
it. Translation rows are keyed by ids ("link:12", "section:3"): this module turns one into the
other, so the document survives an export to another site."""

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from taggit.models import Tag

from bulletin.models import Issue
from bulletin.translation.models import Translation
from bulletin.translation.units import FIELDS
from entries.models import Commentary, Entry, Jurisdiction
from people.models import Author

FORMAT = "bulletin-cms.translation"
VERSION = 1
# The texts of a unit's own columns under the same names in the document.
ENTRY_TEXTS = FIELDS[Entry]
ISSUE_TEXTS = ["title", "editors_note", "commentary_label"]


@dataclass
class Unit:
    """One unit of the document, found on this site: its subject and its texts by the
    translation's keys (ids), with the review facts the document gives (an export's)."""

    subject: object
    texts: dict[str, str]
    where: str
    review: dict = field(default_factory=dict)


@dataclass
class Matched:
    units: list[Unit]
    unmatched: list[str]  # where the document names something this issue does not have


def _review(translation: Translation | None) -> dict:
    if translation is None:
        return {}
    return {
        "state": translation.state,
        "outdated": translation.outdated,
        "translator": _name(translation.translator),
        "reviewer": _name(translation.reviewer),
        "approved_at": translation.approved_at.isoformat() if translation.approved_at else None,
        "history": [
            {
                "action": event.action,
                "by": _name(event.actor),
                "from": event.from_state,
                "to": event.to_state,
                "comment": event.comment,
                "at": event.created_at.isoformat(),
            }
            for event in translation.events.all()
        ],
    }


def _name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _rows(language: str, **filters) -> dict:
    """The translations of many subjects of one kind, by subject id."""
    ((kind, values),) = filters.items()
    rows = (
        Translation.objects.filter(**{f"{kind}__in": values}, language=language)
        .select_related("translator", "reviewer")
        .prefetch_related("events__actor")
    )
    return {getattr(row, f"{kind}_id"): row for row in rows}


def issue_translation_document(*, issue: Issue, language: str) -> dict | None:
    """The issue's translation into the language, with each unit's state, outdated mark,
    translator, reviewer and history under "review"; None if nothing of it is translated."""
    sections = list(issue.sections.order_by("position"))
    entries = list(
        issue.entries.order_by("section__position", "position").prefetch_related("links")
    )
    links = {e.pk: {link.pk: link.position for link in e.links.all()} for e in entries}
    entry_rows = _rows(language, entry=[e.pk for e in entries])
    issue_row = _rows(language, issue=[issue.pk]).get(issue.pk)
    bulletin_row = _rows(language, bulletin=[issue.bulletin_id]).get(issue.bulletin_id)
    if not entry_rows and issue_row is None:
        return None
    texts = issue_row.texts if issue_row else {}
    document = {
        "format": FORMAT,
        "version": VERSION,
        "language": language,
        "bulletin": _with_review(dict(bulletin_row.texts) if bulletin_row else {}, bulletin_row),
        "issue": _with_review({k: texts[k] for k in ISSUE_TEXTS if k in texts}, issue_row),
    }
    document["issue"]["sections"] = [
        {"position": s.position, "title": texts.get(f"section:{s.pk}", ""), "entries": []}
        for s in sections
    ]
    by_section = {
        s.pk: part for s, part in zip(sections, document["issue"]["sections"], strict=True)
    }
    for entry in entries:
        row = entry_rows.get(entry.pk)
        if row is not None:
            by_section[entry.section_id]["entries"].append(
                _entry_document(entry, row, links[entry.pk])
            )
    document |= _named_units(issue, entries, language)
    return document


def _with_review(texts: dict, row: Translation | None) -> dict:
    return texts | ({"review": _review(row)} if row is not None else {})


def _entry_document(entry: Entry, row: Translation, links: dict[int, int]) -> dict:
    data = {"position": entry.position}
    data |= {name: row.texts[name] for name in ENTRY_TEXTS if name in row.texts}
    if "commentary" in row.texts:
        data["commentary"] = row.texts["commentary"]
    data["links"] = [
        {"position": links[int(key.split(":")[1])], "label": value}
        for key, value in row.texts.items()
        if key.startswith("link:") and int(key.split(":")[1]) in links
    ]
    return data | {"review": _review(row)}


def _named_units(issue: Issue, entries: list[Entry], language: str) -> dict:
    """The authors, tags and places the issue names, translated."""
    authors = Author.objects.filter(
        Q(issues=issue) | Q(commentaries__entry__in=entries) | Q(bulletins=issue.bulletin_id)
    ).distinct()
    author_rows = _rows(language, author=[a.pk for a in authors])
    tags = Tag.objects.filter(
        taggit_taggeditem_items__content_type=ContentType.objects.get_for_model(Entry),
        taggit_taggeditem_items__object_id__in=[e.pk for e in entries],
    ).distinct()
    tag_rows = _rows(language, tag=[t.pk for t in tags])
    places = Jurisdiction.objects.filter(entries__in=entries).distinct()
    place_rows = _rows(language, jurisdiction=[j.pk for j in places])
    return {
        "authors": {
            a.slug: _with_review(dict(author_rows[a.pk].texts), author_rows[a.pk])
            for a in authors
            if a.pk in author_rows
        },
        "tags": {t.name: tag_rows[t.pk].texts.get("name", "") for t in tags if t.pk in tag_rows},
        "jurisdictions": {
            j.code: place_rows[j.pk].texts.get("name", "") for j in places if j.pk in place_rows
        },
    }


def match_document(*, issue: Issue, document: dict) -> Matched:
    """The document's units found on this issue (by positions, keys, names and codes), with
    their texts under the translations' keys; what is not found is listed, not guessed."""
    units, unmatched = [], []
    data = _object(document.get("issue"))
    sections = {s.position: s for s in issue.sections.order_by("position")}
    entries = {
        (e.section.position, e.position): e
        for e in issue.entries.select_related("section").prefetch_related("links")
    }
    issue_texts = {k: data[k] for k in ISSUE_TEXTS if isinstance(data.get(k), str)}
    for part in _objects(data.get("sections")):
        section = sections.get(part.get("position"))
        if section is None:
            unmatched.append(f"section {part.get('position')}")
            continue
        if part.get("title"):
            issue_texts[f"section:{section.pk}"] = part["title"]
        for item in _objects(part.get("entries")):
            key = (section.position, item.get("position"))
            entry = entries.get(key)
            if entry is None:
                unmatched.append("entry {}.{}".format(*key))
                continue
            units.append(_entry_unit(entry, item, unmatched))
    if issue_texts:
        units.insert(0, Unit(issue, issue_texts, "issue", _object(data.get("review"))))
    if bulletin := _object(document.get("bulletin")):
        texts = {k: v for k, v in bulletin.items() if k != "review"}
        units.insert(0, Unit(issue.bulletin, texts, "bulletin", _object(bulletin.get("review"))))
    units += _named(document, unmatched)
    return Matched(units, unmatched)


def _entry_unit(entry: Entry, item: dict, unmatched: list[str]) -> Unit:
    where = f"entry {entry.section.position}.{entry.position}"
    texts = {k: item[k] for k in ENTRY_TEXTS if isinstance(item.get(k), str)}
    if isinstance(item.get("commentary"), str) and Commentary.objects.filter(entry=entry).exists():
        texts["commentary"] = item["commentary"]
    links = {link.position: link for link in entry.links.all()}
    for part in _objects(item.get("links")):
        link = links.get(part.get("position"))
        if link is None:
            unmatched.append(f"{where} link {part.get('position')}")
        else:
            texts[f"link:{link.pk}"] = part.get("label") or ""
    return Unit(entry, texts, where, _object(item.get("review")))


def _named(document: dict, unmatched: list[str]) -> list[Unit]:
    units = []
    authors = _object(document.get("authors"))
    found = {a.slug: a for a in Author.objects.filter(slug__in=list(authors))}
    for key, texts in authors.items():
        if key not in found or not isinstance(texts, dict):
            unmatched.append(f"author {key}")
            continue
        data = {k: v for k, v in texts.items() if k != "review"}
        units.append(Unit(found[key], data, f"author {key}", _object(texts.get("review"))))
    for kind, model, lookup in (("tags", Tag, "name"), ("jurisdictions", Jurisdiction, "code")):
        names = _object(document.get(kind))
        rows = {
            getattr(r, lookup): r for r in model.objects.filter(**{f"{lookup}__in": list(names)})
        }
        for key, name in names.items():
            if key not in rows:
                unmatched.append(f"{kind[:-1]} {key}")
            elif isinstance(name, str) and name:
                units.append(Unit(rows[key], {"name": name}, f"{kind[:-1]} {key}"))
    return units


def _object(value) -> dict:
    """A part of a document read from a file: an object, or nothing (never a crash)."""
    return value if isinstance(value, dict) else {}


def _objects(value) -> list[dict]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []
