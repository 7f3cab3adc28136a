"""The content of an issue as plain data, read through the field lists of bulletin.content:
frozen at publication, read by every output (the public pages and their archive, the PDF, the
email), and built live for staff previews by the same function (issue_snapshot_live), so that a
preview shows what the publication will."""

import datetime

from django.db.models import Prefetch

from bulletin.content import (
    AUTHOR_FIELDS,
    BULLETIN_FIELDS,
    COMMENTARY_FIELDS,
    CORRECTION_FIELDS,
    ENTRY_FIELDS,
    ISSUE_FIELDS,
    JURISDICTION_FIELDS,
    LINK_FIELDS,
    SECTION_FIELDS,
    plain,
    row,
)
from bulletin.models import Issue
from entries.models import Entry, EntryLink, Section
from people.models import CONTACT_FIELDS

SNAPSHOT_FORMAT = 1


def _author(author) -> dict:
    """An author as the issue shows them: of the contact details, only those the author chose
    to show in the PDF are frozen, so a later change of mind never needs the old ones."""
    pdf_contact = author.contact("pdf")
    return {
        "id": author.pk,
        "slug": author.slug,
        **row(author, AUTHOR_FIELDS),
        **{name: pdf_contact.get(name, "") for name in CONTACT_FIELDS},
        "practice_areas": author.practice_area_list,
        "education": author.education_list,
        "photo": author.photo.name if author.photo else "",
    }


def _commentary(commentary) -> dict | None:
    if commentary is None:
        return None
    return {
        **row(commentary, COMMENTARY_FIELDS),
        "authors": [{"id": a.pk, "slug": a.slug, "name": a.name} for a in commentary.authors.all()],
    }


def _entry(entry: Entry) -> dict:
    return {
        "id": entry.pk,
        **row(entry, ENTRY_FIELDS),
        "links": [{"id": link.pk, **row(link, LINK_FIELDS)} for link in entry.links.all()],
        "tags": sorted(tag.name for tag in entry.tags.all()),
        "jurisdictions": [row(j, JURISDICTION_FIELDS) for j in entry.jurisdictions.all()],
        "commentary": _commentary(getattr(entry, "commentary", None)),
    }


def issue_for_snapshot(issue_id: int) -> Issue:
    """The issue with everything the snapshot reads, in a fixed number of queries."""
    entries = (
        Entry.objects.select_related("commentary")
        .prefetch_related(
            Prefetch("links", queryset=EntryLink.objects.order_by("position", "pk")),
            "commentary__authors",
            "jurisdictions",
            "tags",
        )
        .order_by("position")
    )
    sections = Section.objects.order_by("position").prefetch_related(
        Prefetch("entries", queryset=entries)
    )
    return (
        Issue.objects.select_related("bulletin")
        .prefetch_related(
            Prefetch("sections", queryset=sections),
            "writers",
            "bulletin__team",
            "corrections",
        )
        .get(pk=issue_id)
    )


def issue_snapshot(issue: Issue, *, published_at: datetime.datetime | None = None) -> dict:
    """Every part of the issue (loaded by issue_for_snapshot) as JSON-safe data."""
    return {
        "format": SNAPSHOT_FORMAT,
        "id": issue.pk,
        "bulletin": {
            **row(issue.bulletin, BULLETIN_FIELDS),
            "team": [_author(a) for a in issue.bulletin.team.all()],
        },
        **row(issue, ISSUE_FIELDS),
        "writers": [_author(a) for a in issue.writers.all()],
        "published_at": plain(published_at),
        "back_issue": issue.back_issue,
        "sections": [
            {
                "id": section.pk,
                **row(section, SECTION_FIELDS),
                "entries": [_entry(entry) for entry in section.entries.all()],
            }
            for section in issue.sections.all()
        ],
        "corrections": [
            row(c, CORRECTION_FIELDS) for c in issue.corrections.all() if c.published_at
        ],
    }


def issue_snapshot_live(issue_id: int) -> dict:
    """The snapshot that publishing the issue now would freeze. The publication and every
    preview (web, PDF, email) call this one function, so a preview shows what is published."""
    issue = issue_for_snapshot(issue_id)
    return issue_snapshot(issue, published_at=issue.published_at)


def hydrate(content: dict) -> dict:
    """Turn the snapshot's ISO dates back into dates and times for the templates, and name the
    heading the issue shows over its commentaries."""
    content = dict(content)
    if content.get("published_at"):
        content["published_at"] = datetime.datetime.fromisoformat(content["published_at"])
    content["corrections"] = [
        {**c, "published_at": datetime.datetime.fromisoformat(c["published_at"])}
        for c in content.get("corrections", [])
    ]
    content["sections"] = [
        {**section, "entries": [hydrate_entry(entry) for entry in section["entries"]]}
        for section in content["sections"]
    ]
    content["bulletin"] = {**content["bulletin"], "commentary_heading": commentary_heading(content)}
    return content


def commentary_heading(content: dict) -> str:
    """The heading shown over a snapshot's commentaries: the issue's own label (a back issue's),
    or the bulletin's."""
    return content.get("commentary_label") or content["bulletin"].get("commentary_label") or ""


def hydrate_entry(entry: dict) -> dict:
    """One entry of a snapshot (as the archive keeps it too) with its date as a date."""
    published_on = entry.get("published_on")
    if isinstance(published_on, str):
        entry = {**entry, "published_on": datetime.date.fromisoformat(published_on)}
    return entry
