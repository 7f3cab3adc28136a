"""The public archive's read model: one PublishedEntry per entry of a public issue, rebuilt from
the issue's current publication whenever it is published, corrected or withdrawn."""

from django.db import transaction
from taggit.models import Tag

from bulletin import search
from bulletin.models import Edition, Issue, Publication, PublishedEntry
from bulletin.snapshot import commentary_heading, hydrate_entry
from entries.models import Jurisdiction


def _search_document(entry: dict) -> str:
    commentary = entry.get("commentary") or {}
    return search.document(
        entry["title"],
        entry["source"],
        entry["case_caption"],
        entry["docket_number"],
        " ".join(item["label"] for item in entry.get("tag_items", [])) or " ".join(entry["tags"]),
        " ".join(j["name"] + " " + (j.get("name_en") or "") for j in entry["jurisdictions"]),
        html_parts=(entry["summary"], commentary.get("body", "")),
    )


def _row(issue: Issue, publication: Publication, section: dict, entry: dict) -> PublishedEntry:
    heading = commentary_heading(publication.content)  # frozen with the entry, as its editions'
    return PublishedEntry(
        entry_id=entry["id"],
        issue=issue,
        bulletin_id=issue.bulletin_id,
        section_title=section["title"],
        section_position=section["position"],
        position=entry["position"],
        kind=entry["kind"],
        title=entry["title"],
        published_on=hydrate_entry(entry)["published_on"],
        issue_published_at=issue.published_at,
        data={**entry, "commentary_heading": heading},
        search_text=_search_document(entry),
    )


@transaction.atomic
def published_entries_rebuild(*, issue: Issue, publication: Publication) -> int:
    """Replace the issue's public entries with those of its current publication."""
    PublishedEntry.objects.filter(issue=issue).delete()
    pairs = [
        (entry, _row(issue, publication, section, entry))
        for section in publication.content["sections"]
        for entry in section["entries"]
    ]
    # An entry moved from another issue leaves that issue's archive.
    PublishedEntry.objects.filter(entry_id__in=[e["id"] for e, _ in pairs]).delete()
    rows = PublishedEntry.objects.bulk_create([row for _, row in pairs])
    names = {name for entry, _ in pairs for name in entry["tags"]}
    codes = {j["code"] for entry, _ in pairs for j in entry["jurisdictions"]}
    tags = dict(Tag.objects.filter(name__in=names).values_list("name", "pk"))
    places = dict(Jurisdiction.objects.filter(code__in=codes).values_list("code", "pk"))
    links = {"tags": [], "jurisdictions": [], "authors": []}
    for (entry, _), row in zip(pairs, rows, strict=True):
        commentary = entry.get("commentary") or {}
        links["tags"] += [(row.pk, tags[n]) for n in entry["tags"] if n in tags]
        links["jurisdictions"] += [
            (row.pk, places[j["code"]]) for j in entry["jurisdictions"] if j["code"] in places
        ]
        links["authors"] += [(row.pk, a["id"]) for a in commentary.get("authors", [])]
    for name, pairs_of_ids in links.items():
        through = getattr(PublishedEntry, name).through
        target = getattr(PublishedEntry, name).field.m2m_reverse_field_name() + "_id"
        through.objects.bulk_create(
            [through(publishedentry_id=a, **{target: b}) for a, b in pairs_of_ids],
            ignore_conflicts=True,
        )
    published_entries_editions(issue=issue)
    return len(rows)


def published_entries_editions(*, issue: Issue) -> int:
    """Give the issue's public entries their text in each published edition in another
    language (the latest of each), searchable in every language: the rows updated. An entry a
    correction added since an edition was published has none in that edition."""
    editions = {}
    for edition in Edition.objects.filter(issue=issue).order_by("language", "-published_at", "-pk"):
        editions.setdefault(edition.language, edition)
    by_entry: dict[int, dict] = {}
    for language, edition in editions.items():
        for section in edition.content["sections"]:
            for entry in section["entries"]:
                data = {
                    **entry,
                    "section_title": section["title"],
                    "bulletin_name": edition.content["bulletin"]["name"],
                    "commentary_heading": commentary_heading(edition.content),
                }
                by_entry.setdefault(entry["id"], {})[language] = data
    rows = list(PublishedEntry.objects.filter(issue=issue, entry_id__in=by_entry))
    for row in rows:
        row.editions = by_entry[row.entry_id]
        extra = " ".join(_search_document(data) for data in row.editions.values())
        row.search_text = f"{_search_document(row.data)} {extra}".strip()
    PublishedEntry.objects.bulk_update(rows, ["editions", "search_text"])
    return len(rows)


def published_entries_remove(*, issue: Issue) -> None:
    """A withdrawn issue leaves every list, search and feed."""
    PublishedEntry.objects.filter(issue=issue).delete()
