"""Writes of the PDF output: asking for a rendering, running it, retrying and sweeping it, the
publishers' signed links and the download log."""

import datetime
import hashlib
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.signing import TimestampSigner
from django.db import transaction
from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from bulletin.caching import public_cache_drop
from bulletin.dispatch import task_send, task_send_on_commit
from bulletin.heartbeat import heartbeat
from bulletin.models import Edition, Issue, Publication
from bulletin.pdf.document import document_pdf
from bulletin.pdf.files import content_hash, pdf_storage, storage_name
from bulletin.pdf.models import Download, Rendering, SignedLink
from bulletin.roles import Role, require
from bulletin.services.jobs import job_enqueue
from bulletin.snapshot import hydrate

logger = logging.getLogger(__name__)

RUN_TASK = "bulletin.pdf.tasks.rendering_run_task"
MAX_ATTEMPTS = 3
LINK_SALT = "bulletin.pdf.signed-link"


@transaction.atomic
def rendering_request(*, issue_id: int) -> Rendering | None:
    """Ask for the PDF of the issue's current publication; content rendered before is skipped."""
    issue = Issue.objects.select_for_update().filter(pk=issue_id).first()
    if issue is None or not issue.is_public:
        return None
    publication = issue.current_publication()
    if publication is None:
        return None
    rendering = _request(issue, publication=publication, language="", content=publication.content)
    for language in Edition.objects.filter(issue=issue).values_list("language", flat=True):
        edition = issue.current_edition(language)
        _request(issue, publication=edition.source, edition=edition, content=edition.content)
    return rendering


def _request(issue: Issue, *, publication, content: dict, language="", edition=None) -> Rendering:
    """The rendering of this content of the issue (its own language's, or an edition's)."""
    language = edition.language if edition else language
    rendering, created = Rendering.objects.get_or_create(
        issue=issue,
        language=language,
        content_hash=content_hash(content),
        defaults={"publication": publication, "edition": edition},
    )
    if not created and (
        rendering.publication_id != publication.pk
        or rendering.edition_id != getattr(edition, "pk", None)
    ):
        rendering.publication, rendering.edition = publication, edition
        rendering.save(update_fields=["publication", "edition"])
    if rendering.status == Rendering.Status.FAILED:
        # A new publication of content that failed before is worth another round.
        Rendering.objects.filter(pk=rendering.pk).update(
            status=Rendering.Status.PENDING, attempts=0
        )
    if rendering.status != Rendering.Status.DONE:
        task_send_on_commit(RUN_TASK, rendering.pk, what=f"PDF rendering {rendering.pk}")
    return rendering


def rendering_dispatch(*, rendering_id: int) -> bool:
    """Hand a rendering to a worker now; a broker that is down leaves it for the sweep."""
    return task_send(RUN_TASK, rendering_id, what=f"PDF rendering {rendering_id}")


def rendering_run(*, rendering_id: int) -> bool:
    """Render and store one pending PDF; safe to call twice (only one caller claims it)."""
    now = timezone.now()
    claimed = Rendering.objects.filter(pk=rendering_id, status=Rendering.Status.PENDING).update(
        status=Rendering.Status.RUNNING,
        started_at=now,
        heartbeat_at=now,
        finished_at=None,
        attempts=F("attempts") + 1,
    )
    if not claimed:
        return False
    rendering = Rendering.objects.select_related("publication", "edition").get(pk=rendering_id)
    try:
        with heartbeat(
            lambda: _rendering_alive(rendering_id),
            lease=settings.PDF_RENDER_STALE_AFTER,
            name=f"PDF rendering {rendering_id}",
        ):
            done = _render_and_store(rendering)
    except Exception as exc:
        logger.exception("PDF rendering %s failed", rendering_id)
        Rendering.objects.filter(pk=rendering_id, status=Rendering.Status.RUNNING).update(
            status=Rendering.Status.FAILED,
            error=f"{type(exc).__name__}: {exc}"[:4000],
            finished_at=timezone.now(),
        )
        return False
    Rendering.objects.filter(pk=rendering_id, status=Rendering.Status.RUNNING).update(
        status=Rendering.Status.DONE, error="", finished_at=timezone.now(), **done
    )
    public_cache_drop()  # the issue page now links to this PDF
    # Only the issue page links to the PDF: its entries' pages stay as they are.
    job_enqueue(name="web.pages", payload={"issue_id": rendering.issue_id, "entries": False})
    took = (timezone.now() - rendering.started_at).total_seconds() * 1000
    logger.info(
        "PDF rendering %s done: %s pages",
        rendering_id,
        done["pages"],
        extra={"issue_id": rendering.issue_id, "duration_ms": round(took)},
    )
    return True


def _rendering_alive(rendering_id: int) -> None:
    """The heartbeat: this rendering's worker is alive, the sweep leaves it alone."""
    Rendering.objects.filter(pk=rendering_id, status=Rendering.Status.RUNNING).update(
        heartbeat_at=timezone.now()
    )


def _render_and_store(rendering: Rendering) -> dict:
    frozen = rendering.edition if rendering.edition_id else rendering.publication
    content = hydrate(frozen.content)
    pdf = document_pdf(content)  # typeset in the content's language (an edition's own)
    name = storage_name(
        bulletin_slug=content["bulletin"]["slug"],
        issue_slug=content["slug"] + (f"-{rendering.language}" if rendering.language else ""),
        digest=rendering.content_hash,
    )
    storage = pdf_storage()
    if storage.exists(name):  # left by a worker that died before recording it
        storage.delete(name)
    saved = storage.save(name, ContentFile(pdf.data))
    return {
        "file_name": saved,
        "pages": pdf.pages,
        "size": len(pdf.data),
        "sha256": hashlib.sha256(pdf.data).hexdigest(),
    }


@transaction.atomic
def rendering_retry(*, rendering: Rendering, user) -> bool:
    """Another round of attempts for a failed rendering (the admin's retry button)."""
    require(user, Role.PUBLISHER, Role.EDITOR)
    retried = Rendering.objects.filter(pk=rendering.pk, status=Rendering.Status.FAILED).update(
        status=Rendering.Status.PENDING, attempts=0
    )
    if retried:
        task_send_on_commit(RUN_TASK, rendering.pk, what=f"PDF rendering {rendering.pk}")
    return bool(retried)


def _current_publication():
    latest = Publication.objects.filter(issue=OuterRef("issue")).order_by("-published_at", "-pk")
    return Subquery(latest.values("pk")[:1])


def renderings_sweep(*, now: datetime.datetime | None = None) -> int:
    """Free renderings whose worker died (no heartbeat for PDF_RENDER_STALE_AFTER seconds),
    retry recent failures, hand pending ones over again."""
    now = now or timezone.now()
    stale = Rendering.objects.alias(alive_at=Coalesce("heartbeat_at", "started_at")).filter(
        status=Rendering.Status.RUNNING,
        alive_at__lt=now - datetime.timedelta(seconds=settings.PDF_RENDER_STALE_AFTER),
    )
    stale.filter(attempts__gte=MAX_ATTEMPTS).update(
        status=Rendering.Status.FAILED,
        finished_at=now,
        error=_("The rendering stopped %(count)s times without finishing.")
        % {"count": MAX_ATTEMPTS},
    )
    stale.update(status=Rendering.Status.PENDING)
    _retry_recent_failures(now)
    due = list(
        Rendering.objects.filter(status=Rendering.Status.PENDING).values_list("pk", flat=True)[:100]
    )
    for rendering_id in due:
        rendering_dispatch(rendering_id=rendering_id)
    return len(due)


def _retry_recent_failures(now: datetime.datetime) -> None:
    """A failed PDF of current content is tried again after 1, then 4 minutes; then it waits
    for someone to press retry."""
    failed = Rendering.objects.filter(
        status=Rendering.Status.FAILED,
        attempts__lt=MAX_ATTEMPTS,
        publication_id=_current_publication(),
        issue__state__in=Issue.PUBLIC_STATES,
    )
    for rendering in failed.only("pk", "attempts", "finished_at"):
        wait = datetime.timedelta(minutes=4 ** (rendering.attempts - 1))
        if rendering.finished_at is None or rendering.finished_at <= now - wait:
            Rendering.objects.filter(pk=rendering.pk, status=Rendering.Status.FAILED).update(
                status=Rendering.Status.PENDING
            )


def _signer() -> TimestampSigner:
    return TimestampSigner(salt=LINK_SALT)


@transaction.atomic
def signed_link_create(*, issue: Issue, user, valid_days: int, note: str = "") -> SignedLink:
    """A link to the issue's current PDF for someone without an account; it expires."""
    require(user, Role.PUBLISHER)
    issue = Issue.objects.get(pk=issue.pk)
    if not issue.is_public:
        raise ValidationError(_("Only a published issue has a PDF to share."))
    if not 1 <= valid_days <= settings.PDF_SIGNED_LINK_MAX_DAYS:
        raise ValidationError(
            _("A link is valid for 1 to %(days)s days.")
            % {"days": settings.PDF_SIGNED_LINK_MAX_DAYS}
        )
    link = SignedLink.objects.create(
        issue=issue, created_by=user, valid_days=valid_days, note=note.strip()[:200]
    )
    link.token = _signer().sign_object({"link": link.pk, "issue": issue.pk})
    link.save(update_fields=["token"])
    return link


def signed_link_revoke(*, link: SignedLink, user) -> None:
    """Stop a link before it expires."""
    require(user, Role.PUBLISHER)
    SignedLink.objects.filter(pk=link.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


def download_record(*, rendering: Rendering, user=None, link: SignedLink | None = None) -> Download:
    """Log one download: who (or which link), when, which issue."""
    user = user if getattr(user, "is_authenticated", False) else None
    return Download.objects.create(
        issue_id=rendering.issue_id, rendering=rendering, user=user, link=link
    )
