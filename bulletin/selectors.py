"""Reads for the public pages; every query a page needs is made here."""

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from bulletin.models import Issue
from entries.models import Entry, EntryLink, Section


def issue_list_published() -> QuerySet[Issue]:
    """Published issues, newest first, with their bulletin."""
    return Issue.objects.published().select_related("bulletin").order_by("-published_at")


def issue_get_published(*, bulletin_slug: str, slug: str) -> Issue:
    """One published issue with everything its page shows, in a fixed number of queries."""
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
    queryset = (
        Issue.objects.published()
        .select_related("bulletin")
        .prefetch_related(Prefetch("sections", queryset=sections), "writers", "bulletin__team")
    )
    return get_object_or_404(queryset, bulletin__slug=bulletin_slug, slug=slug)
