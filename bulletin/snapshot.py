"""The content of an issue as plain data: frozen at publication, read by every output (the public
pages and their archive, the PDF, the email), and built live for staff previews so that a
preview shows what the publication will."""

import datetime

from django.db.models import Prefetch

from bulletin.models import Issue
from entries.models import Entry, EntryLink, Section

SNAPSHOT_FORMAT = 1


def _author(author) -> dict:
    return {
        "id": author.pk,
        "slug": author.slug,
        "name": author.name,
        "name_latin": author.name_latin,
        "title": author.title,
        "office_city": author.office_city,
        "phone": author.phone,
        "mobile": author.mobile,
        "email": author.email,
        "practice_areas": author.practice_area_list,
        "experience": author.experience,
        "representative_matters": author.representative_matters,
        "honours": author.honours,
        "education": author.education_list,
        "photo": author.photo.name if author.photo else "",
    }


def _entry(entry: Entry) -> dict:
    commentary = getattr(entry, "commentary", None)
    return {
        "id": entry.pk,
        "position": entry.position,
        "kind": entry.kind,
        "title": entry.title,
        "published_on": entry.published_on.isoformat() if entry.published_on else None,
        "source": entry.source,
        "case_caption": entry.case_caption,
        "docket_number": entry.docket_number,
        "court": entry.court,
        "summary": entry.summary,
        "links": [
            {"kind": link.kind, "label": link.label, "url": link.url} for link in entry.links.all()
        ],
        "tags": sorted(tag.name for tag in entry.tags.all()),
        "jurisdictions": [
            {"code": j.code, "name": j.name, "name_en": j.name_en}
            for j in entry.jurisdictions.all()
        ],
        "commentary": {
            "body": commentary.body,
            "authors": [
                {"id": a.pk, "slug": a.slug, "name": a.name} for a in commentary.authors.all()
            ],
        }
        if commentary
        else None,
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
    """Every part of the issue as JSON-safe data."""
    bulletin = issue.bulletin
    return {
        "format": SNAPSHOT_FORMAT,
        "id": issue.pk,
        "bulletin": {
            "slug": bulletin.slug,
            "name": bulletin.name,
            "language": bulletin.language,
            "firm_name": bulletin.firm_name,
            "team_name": bulletin.team_name,
            "commentary_label": bulletin.commentary_label,
            "disclaimer": bulletin.disclaimer,
            "contact_email": bulletin.contact_email,
            "team": [_author(a) for a in bulletin.team.all()],
        },
        "number": issue.number,
        "volume": issue.volume,
        "year": issue.year,
        "month": issue.month,
        "title": issue.title,
        "slug": issue.slug,
        "editors_note": issue.editors_note,
        "writers": [_author(a) for a in issue.writers.all()],
        "published_at": published_at.isoformat() if published_at else None,
        "sections": [
            {
                "position": section.position,
                "title": section.title,
                "entries": [_entry(entry) for entry in section.entries.all()],
            }
            for section in issue.sections.all()
        ],
        "corrections": [
            {"published_at": c.published_at.isoformat(), "note": c.note}
            for c in issue.corrections.all()
            if c.published_at
        ],
    }


def hydrate(content: dict) -> dict:
    """Turn the snapshot's ISO dates back into dates and times for the templates."""
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
    return content


def hydrate_entry(entry: dict) -> dict:
    """One entry of a snapshot (as the archive keeps it too) with its date as a date."""
    published_on = entry.get("published_on")
    if isinstance(published_on, str):
        entry = {**entry, "published_on": datetime.date.fromisoformat(published_on)}
    return entry
