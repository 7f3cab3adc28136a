"""Reads for the public pages: they read frozen publications only, never the live drafts."""

from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404

from bulletin.models import Issue, Publication
from bulletin.snapshot import hydrate, issue_for_snapshot, issue_snapshot


def _latest_publication_ids():
    latest = Publication.objects.filter(issue=OuterRef("pk")).order_by("-published_at", "-pk")
    return Issue.objects.published().annotate(current=Subquery(latest.values("pk")[:1]))


def publication_list_current() -> QuerySet[Publication]:
    """The current publication of every public issue, newest first."""
    ids = _latest_publication_ids().values("current")
    return (
        Publication.objects.filter(pk__in=ids)
        .select_related("issue__bulletin")
        .order_by("-issue__published_at")
    )


def issue_content_public(*, bulletin_slug: str, slug: str) -> dict:
    """The published content of one public issue, or 404."""
    issue = (
        _latest_publication_ids()
        .filter(bulletin__slug=bulletin_slug, slug=slug)
        .values("current")
        .first()
    )
    if not issue or not issue["current"]:
        raise Http404
    return hydrate(Publication.objects.values_list("content", flat=True).get(pk=issue["current"]))


def issue_content_preview(*, issue_id: int) -> dict:
    """The live content of any issue, drafts included, exactly as it would be published."""
    try:
        issue = issue_for_snapshot(issue_id)
    except Issue.DoesNotExist as exc:
        raise Http404 from exc
    return hydrate(issue_snapshot(issue, published_at=issue.published_at))
