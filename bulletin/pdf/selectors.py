"""Reads of the PDF output: the current PDF of public issues, who may download it, the signed
links. Titles shown come from the frozen publication, never from the live issue."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.signing import BadSignature, SignatureExpired, TimestampSigner
from django.db.models import F, OuterRef, QuerySet, Subquery
from django.db.models.fields.json import KeyTextTransform
from django.urls import reverse

from bulletin.models import Edition, Issue, Publication
from bulletin.pdf.models import Rendering, SignedLink
from bulletin.pdf.services import LINK_SALT
from bulletin.roles import Role, has_role


class LinkInvalid(Exception):
    """A signed link that was forged, altered, revoked or names something else."""


class LinkExpired(LinkInvalid):
    """A signed link whose time is up."""


@dataclass(frozen=True)
class PdfDownload:
    url: str
    partners_only: bool
    pages: int
    size: int


def _current_publication():
    latest = Publication.objects.filter(issue=OuterRef("issue")).order_by("-published_at", "-pk")
    return Subquery(latest.values("pk")[:1])


def renderings_current() -> QuerySet[Rendering]:
    """The finished PDF of each public issue's current publication, with its published titles."""
    return (
        Rendering.objects.filter(
            status=Rendering.Status.DONE,
            issue__state__in=Issue.PUBLIC_STATES,
            issue__published_at__isnull=False,
            language="",
            publication_id=_current_publication(),
        )
        .select_related("issue__bulletin")
        .annotate(
            title=KeyTextTransform("title", "publication__content"),
            issue_slug=KeyTextTransform("slug", "publication__content"),
            # The bulletin is configuration, not reviewed content: its live name is the public one
            # (and a JSON path two levels deep is not portable to SQLite).
            bulletin_slug=F("issue__bulletin__slug"),
            bulletin_name=F("issue__bulletin__name"),
        )
    )


def _current_edition():
    latest = Edition.objects.filter(
        issue=OuterRef("issue"), language=OuterRef("language")
    ).order_by("-published_at", "-pk")
    return Subquery(latest.values("pk")[:1])


def renderings_edition_current(language: str) -> QuerySet[Rendering]:
    """The finished PDF of each public issue's current edition in the language."""
    return (
        Rendering.objects.filter(
            status=Rendering.Status.DONE,
            issue__state__in=Issue.PUBLIC_STATES,
            language=language,
            edition_id=_current_edition(),
        )
        .exclude(language="")
        .select_related("issue__bulletin")
        .annotate(
            title=KeyTextTransform("title", "edition__content"),
            issue_slug=KeyTextTransform("slug", "edition__content"),
            bulletin_slug=F("issue__bulletin__slug"),
            bulletin_name=F("issue__bulletin__name"),
        )
    )


def rendering_edition_at(*, language: str, bulletin_slug: str, slug: str) -> Rendering | None:
    """The current PDF of the issue's edition in the language at this published address."""
    return (
        renderings_edition_current(language)
        .filter(issue__bulletin__slug=bulletin_slug, edition__content__slug=slug)
        .first()
    )


def rendering_current(*, issue_id: int) -> Rendering | None:
    return renderings_current().filter(issue_id=issue_id).first()


def rendering_at(*, bulletin_slug: str, slug: str) -> Rendering | None:
    """The current PDF of the issue at this published address."""
    return (
        renderings_current()
        .filter(issue__bulletin__slug=bulletin_slug, publication__content__slug=slug)
        .first()
    )


def rendering_url(rendering: Rendering) -> str:
    """The download address of a rendering; it names the content, so it never goes stale."""
    if rendering.language:
        return reverse(
            "pdf:edition_download",
            kwargs={
                "language": rendering.language,
                "bulletin": rendering.bulletin_slug,
                "slug": rendering.issue_slug,
                "key": rendering.key,
            },
        )
    return reverse(
        "pdf:download",
        kwargs={
            "bulletin": rendering.bulletin_slug,
            "slug": rendering.issue_slug,
            "key": rendering.key,
        },
    )


def pdf_download(issue: Issue | dict) -> PdfDownload | None:
    """The current PDF of an issue (an Issue or a publication's content), or None."""
    issue_id = issue.pk if isinstance(issue, Issue) else issue["id"]
    edition = None if isinstance(issue, Issue) else issue.get("edition")
    if edition:  # an edition in another language: its own PDF
        rendering = (
            renderings_edition_current(edition["language"]).filter(issue_id=issue_id).first()
        )
    else:
        rendering = rendering_current(issue_id=issue_id)
    if rendering is None:
        return None
    return PdfDownload(
        url=rendering_url(rendering),
        partners_only=rendering.issue.pdf_partners_only,
        pages=rendering.pages,
        size=rendering.size,
    )


def user_may_download(user, issue: Issue) -> bool:
    """Anyone, unless the issue or its bulletin is for partners only."""
    return not issue.pdf_partners_only or has_role(user, Role.PARTNER)


def renderings_for_user(*, user, query: str = "") -> QuerySet[Rendering]:
    """Every current PDF this user may download, newest first, searchable by title."""
    renderings = renderings_current()
    if not has_role(user, Role.PARTNER):
        renderings = renderings.filter(
            issue__partners_only=False, issue__bulletin__partners_only=False
        )
    query = query.strip()
    if query:
        renderings = renderings.filter(title__icontains=query)
    return renderings.order_by("-issue__published_at", "-pk")


def signed_link_resolve(token: str) -> SignedLink:
    """The link a token stands for; LinkExpired or LinkInvalid otherwise."""
    signer = TimestampSigner(salt=LINK_SALT)
    longest = datetime.timedelta(days=settings.PDF_SIGNED_LINK_MAX_DAYS)
    try:
        data = signer.unsign_object(token, max_age=longest)
    except SignatureExpired as exc:
        raise LinkExpired from exc
    except BadSignature as exc:
        raise LinkInvalid from exc
    link = (
        SignedLink.objects.select_related("issue__bulletin")
        .filter(pk=data.get("link"), issue_id=data.get("issue"), revoked_at__isnull=True)
        .first()
    )
    if link is None:
        raise LinkInvalid
    try:
        signer.unsign_object(token, max_age=datetime.timedelta(days=link.valid_days))
    except SignatureExpired as exc:
        raise LinkExpired from exc
    return link
