"""Editions of an issue in another language than its own (the English edition of a Chinese
issue): the source publication's content with every approved translation put in, each text
left untranslated listed under its object's "untranslated" (it keeps the source's value, in the
source language: pages mark it lang="zh-Hans" and "Not yet translated"). Drafts never enter:
only approved translation rows are read.

An edition is built from the frozen source publication, never from the live issue, so an open
correction's unpublished edits stay out of it. publication_in() is what every output asks for
the content of an issue in a language."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from taggit.models import Tag

from bulletin.models import Edition, Issue, Publication, PublishedEntry
from bulletin.translation.languages import source_language, target_languages
from bulletin.translation.models import Translation
from entries.models import EntryLink, Jurisdiction, Section
from people.models import Author


def publication_in(issue: Issue, language: str) -> Publication | Edition | None:
    """The published content of a public issue in a language: its publication in its own
    language, the latest edition in another, or None (withdrawn, unpublished, untranslated).
    Both have .content and .published_at (the hook for the email per language)."""
    if not issue.is_public:
        return None
    if language == source_language(issue):
        return issue.current_publication()
    return issue.current_edition(language)


def edition_languages(issue_id: int) -> set[str]:
    """The languages of the published editions of an issue besides its own."""
    return set(
        Edition.objects.filter(issue_id=issue_id).values_list("language", flat=True).distinct()
    )


class _Approved:
    """The approved translations into a language of the units an issue's content names, read in
    one query per kind."""

    def __init__(self, language: str, **ids_by_kind: set):
        self.texts: dict[tuple[str, object], dict] = {}
        for kind, ids in ids_by_kind.items():
            ids = {i for i in ids if i is not None}
            if not ids:
                continue
            rows = Translation.objects.approved().filter(
                Q(**{f"{kind}_id__in": ids}), language=language
            )
            for row in rows.only(f"{kind}_id", "texts"):
                self.texts[(kind, getattr(row, f"{kind}_id"))] = row.texts or {}

    def text(self, kind: str, pk, key: str) -> str:
        return (self.texts.get((kind, pk)) or {}).get(key) or ""

    def apply(self, data: dict, kind: str, pk, keys: dict[str, str]) -> None:
        """Put each field's translation (keys: field → translation key) into data, or list the
        field under data["untranslated"] when its source text is not empty."""
        untranslated = list(data.get("untranslated", []))
        for field, key in keys.items():
            if not str(data.get(field) or "").strip():
                continue
            value = self.text(kind, pk, key)
            if value:
                data[field] = value
            elif field not in untranslated:
                untranslated.append(field)
        data["untranslated"] = untranslated


AUTHOR_TEXTS = ["title", "office_city", "experience", "representative_matters", "honours"]


def _author(author: dict, approved: _Approved) -> dict:
    author = dict(author)
    texts = approved.texts.get(("author", author["id"])) or {}
    name = texts.get("name") or author.get("name_latin") or ""
    untranslated = []
    if name:
        author["name"] = name
    elif author.get("name"):
        untranslated.append("name")
    author["untranslated"] = untranslated
    approved.apply(author, "author", author["id"], {f: f for f in AUTHOR_TEXTS})
    for field, split in (("practice_areas", "practice_area_list"), ("education", "education_list")):
        if author.get(field) and texts.get(field):
            author[field] = getattr(Author(**{field: texts[field]}), split)
        elif author.get(field):
            author["untranslated"].append(field)
    return author


def _ids(content: dict) -> dict[str, set]:
    entries = [e for s in content["sections"] for e in s["entries"]]
    authors = [*content["bulletin"].get("team", []), *content.get("writers", [])]
    authors += [a for e in entries for a in (e.get("commentary") or {}).get("authors", [])]
    return {
        "entries": entries,
        "authors": {a["id"] for a in authors},
        "tags": {t for e in entries for t in e["tags"]},
        "codes": {j["code"] for e in entries for j in e["jurisdictions"]},
    }


def _part_ids(issue: Issue, content: dict) -> tuple[dict, dict]:
    """The ids of sections and links by position, for a publication frozen before its snapshot
    named them."""
    sections = dict(Section.objects.filter(issue=issue).values_list("position", "pk"))
    links = {
        (entry_id, position): pk
        for entry_id, position, pk in EntryLink.objects.filter(entry__issue=issue).values_list(
            "entry_id", "position", "pk"
        )
    }
    return sections, links


def edition_snapshot(*, issue: Issue, publication: Publication, language: str) -> dict:
    """The content of the publication in the language (see the module's docstring)."""
    out = edition_content(issue=issue, content=publication.content, language=language)
    out["edition"]["source_publication"] = publication.pk
    out["edition"]["source_published_at"] = publication.published_at.isoformat()
    return out


def languages_in_work(issue: Issue) -> list[str]:
    """The languages the issue has an edition in or approved translations into (its own texts,
    its sections' or its entries'): those its email can be previewed in as an edition."""
    approved = Translation.objects.approved().filter(Q(issue=issue) | Q(entry__issue=issue))
    editions = Edition.objects.filter(issue=issue).order_by().values_list("language", flat=True)
    languages = approved.order_by().values_list("language", flat=True)
    found = set(languages.union(editions))  # one query
    return [code for code in target_languages(issue) if code in found]


def edition_content(*, issue: Issue, content: dict, language: str) -> dict:
    """A snapshot of the issue (a publication's, or the live one for a preview) in the language,
    with the translations approved now."""
    found = _ids(content)
    tags = dict(Tag.objects.filter(name__in=found["tags"]).values_list("name", "pk"))
    places = dict(Jurisdiction.objects.filter(code__in=found["codes"]).values_list("code", "pk"))
    approved = _Approved(
        language,
        entry={e["id"] for e in found["entries"]},
        issue={issue.pk},
        bulletin={issue.bulletin_id},
        author=found["authors"],
        tag=set(tags.values()),
        jurisdiction=set(places.values()),
    )
    section_ids, link_ids = _part_ids(issue, content)
    out = dict(content)
    bulletin = dict(content["bulletin"])
    approved.apply(bulletin, "bulletin", issue.bulletin_id, {f: f for f in BULLETIN_TEXTS})
    bulletin["team"] = [_author(a, approved) for a in bulletin.get("team", [])]
    bulletin["language"] = language
    out["bulletin"] = bulletin
    out["untranslated"] = []
    approved.apply(out, "issue", issue.pk, {f: f for f in ISSUE_TEXTS})
    out["writers"] = [_author(a, approved) for a in content.get("writers", [])]
    out["sections"] = []
    for section in content["sections"]:
        section = dict(section)
        section_id = section.get("id") or section_ids.get(section["position"])
        approved.apply(section, "issue", issue.pk, {"title": f"section:{section_id}"})
        section["entries"] = [
            _entry(entry, approved, tags=tags, places=places, link_ids=link_ids)
            for entry in section["entries"]
        ]
        out["sections"].append(section)
    out["edition"] = {
        "language": language,
        "source_language": content["bulletin"].get("language") or source_language(issue),
    }
    return out


BULLETIN_TEXTS = ["name", "disclaimer", "commentary_label"]
ISSUE_TEXTS = ["title", "editors_note", "commentary_label"]
ENTRY_TEXTS = ["title", "source", "summary", "case_caption"]


def _entry(entry: dict, approved: _Approved, *, tags: dict, places: dict, link_ids: dict) -> dict:
    entry = dict(entry)
    entry["untranslated"] = []
    approved.apply(entry, "entry", entry["id"], {f: f for f in ENTRY_TEXTS})
    links = []
    for link in entry["links"]:
        link = dict(link)
        link_id = link.get("id") or link_ids.get((entry["id"], link["position"]))
        link["untranslated"] = []
        approved.apply(link, "entry", entry["id"], {"label": f"link:{link_id}"})
        links.append(link)
    entry["links"] = links
    if entry.get("commentary"):
        commentary = dict(entry["commentary"])
        commentary["untranslated"] = []
        approved.apply(commentary, "entry", entry["id"], {"body": "commentary"})
        commentary["authors"] = [
            {**a, "name": _author(a, approved)["name"]} for a in commentary["authors"]
        ]
        entry["commentary"] = commentary
    entry["tag_items"] = [
        {
            "name": name,
            "label": approved.text("tag", tags.get(name), "name") or name,
            "translated": bool(approved.text("tag", tags.get(name), "name")),
        }
        for name in entry["tags"]
    ]
    jurisdictions = []
    for place in entry["jurisdictions"]:
        place = dict(place)
        name = approved.text("jurisdiction", places.get(place["code"]), "name")
        name = name or place.get("name_en") or ""
        place["untranslated"] = [] if name else ["name"]
        place["name"] = name or place["name"]
        jurisdictions.append(place)
    entry["jurisdictions"] = jurisdictions
    return entry


def entry_untranslated(entry: dict) -> bool:
    """Whether any text of an edition's entry (its links and commentary too) is untranslated."""
    parts = [entry, *entry.get("links", []), entry.get("commentary") or {}]
    return any(part.get("untranslated") for part in parts)


@dataclass(frozen=True)
class CardTexts:
    """A published entry's title and summary as a reader of one language sees them in a list,
    each with the language it is in (its source language when no edition translates it)."""

    title: str
    title_language: str
    summary: str
    summary_language: str
    untranslated: bool


def entry_card_texts(entry: PublishedEntry, language: str) -> CardTexts:
    """The entry's title and summary in its edition of the language where they are translated,
    else its own, marked untranslated (read from entry.editions: no query but the bulletin's)."""
    source = entry.bulletin.language or settings.LANGUAGE_CODE
    summary = entry.data.get("summary", "")
    if language == source:
        return CardTexts(entry.title, source, summary, source, False)
    edition = (entry.editions or {}).get(language) or {}
    kept = set(edition.get("untranslated", ())) if edition else {"title", "summary"}
    title_kept = "title" in kept or not edition.get("title")
    summary_kept = "summary" in kept or not summary
    return CardTexts(
        title=entry.title if title_kept else edition["title"],
        title_language=source if title_kept else language,
        summary=summary if summary_kept else edition.get("summary", ""),
        summary_language=source if summary_kept else language,
        untranslated=title_kept or (summary_kept and bool(summary)),
    )
