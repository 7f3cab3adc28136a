"""The PDF's pages: downloads (open, partners-only, signed links), the partners' list of PDFs and
the staff preview of a draft. The application checks access even when files live in S3."""

import logging

from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_safe

from bulletin.models import Issue
from bulletin.pdf import selectors, services
from bulletin.pdf.document import document_pdf
from bulletin.pdf.files import download_filename, pdf_storage
from bulletin.pdf.models import Rendering
from bulletin.roles import can_read_drafts
from bulletin.snapshot import hydrate, issue_snapshot_live

logger = logging.getLogger(__name__)

# Open PDFs sit at addresses that name their content, so caches may keep them; an hour bounds how
# long a shared cache serves one after its issue became partners-only.
OPEN_CACHE = "public, max-age=3600"
RESTRICTED_CACHE = "private, no-store"
S3_URL_SECONDS = 60


def _filename(rendering: Rendering) -> str:
    issue = rendering.issue
    name = download_filename(
        bulletin_slug=rendering.bulletin_slug, year=issue.year, month=issue.month
    )
    return name.replace(".pdf", f"-{rendering.language}.pdf") if rendering.language else name


def _serve(rendering: Rendering, cache_control: str) -> HttpResponse:
    """The file itself, or a short-lived signed address of it when it lives in S3."""
    storage, filename = pdf_storage(), _filename(rendering)
    try:
        path = storage.path(rendering.file_name)
    except NotImplementedError:
        url = storage.url(
            rendering.file_name,
            parameters={
                "ResponseContentType": "application/pdf",
                "ResponseContentDisposition": content_disposition_header(True, filename),
                "ResponseCacheControl": cache_control,
            },
            expire=S3_URL_SECONDS,
        )
        response = HttpResponseRedirect(url)
        response["Cache-Control"] = RESTRICTED_CACHE
        return response
    try:
        handle = open(path, "rb")  # noqa: SIM115 - FileResponse closes it
    except FileNotFoundError as exc:
        logger.error("PDF file of rendering %s is missing: %s", rendering.pk, path)
        raise Http404 from exc
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type="application/pdf"
    )
    response["Cache-Control"] = cache_control
    return response


def _denied(request, message: str) -> HttpResponse:
    return render(request, "pdf/denied.html", {"message": message}, status=403)


@require_safe
def download(request, bulletin, slug, key):
    """An issue's current PDF: open to all, or to partners when the issue is partners-only."""
    return _download(request, selectors.rendering_at(bulletin_slug=bulletin, slug=slug), key)


@require_safe
def edition_download(request, language, bulletin, slug, key):
    """The current PDF of an issue's edition in another language, under the same access rules."""
    rendering = selectors.rendering_edition_at(language=language, bulletin_slug=bulletin, slug=slug)
    return _download(request, rendering, key)


def _download(request, rendering, key: str) -> HttpResponse:
    if rendering is None:
        raise Http404
    if rendering.key != key:  # an older PDF: send the current one
        response = redirect(selectors.rendering_url(rendering))
        response["Cache-Control"] = RESTRICTED_CACHE
        return response
    if not selectors.user_may_download(request.user, rendering.issue):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return _denied(request, _("This PDF is for the firm's partners only."))
    if request.method == "GET":
        services.download_record(rendering=rendering, user=request.user)
    open_to_all = not rendering.issue.pdf_partners_only
    return _serve(rendering, OPEN_CACHE if open_to_all else RESTRICTED_CACHE)


@require_safe
def latest(request, bulletin, slug):
    """A lasting address (used in emails): it leads to the issue's current PDF once rendered."""
    return _latest(selectors.rendering_at(bulletin_slug=bulletin, slug=slug))


@require_safe
def edition_latest(request, language, bulletin, slug):
    """The lasting address of the PDF of an issue's edition in another language (used in that
    edition's email): it leads to the edition's current PDF once rendered."""
    rendering = selectors.rendering_edition_at(language=language, bulletin_slug=bulletin, slug=slug)
    return _latest(rendering)


def _latest(rendering) -> HttpResponse:
    if rendering is None:
        raise Http404
    response = redirect(selectors.rendering_url(rendering))
    response["Cache-Control"] = RESTRICTED_CACHE
    return response


@require_safe
def signed_download(request, token):
    """The current PDF of the issue a publisher's signed link names, until the link expires."""
    try:
        link = selectors.signed_link_resolve(token)
    except selectors.LinkExpired:
        return _denied(request, _("This link has expired. Ask us for a new one."))
    except selectors.LinkInvalid:
        return _denied(request, _("This link is not valid."))
    rendering = selectors.rendering_current(issue_id=link.issue_id)
    if rendering is None:
        raise Http404
    if request.method == "GET":
        services.download_record(rendering=rendering, user=request.user, link=link)
    return _serve(rendering, RESTRICTED_CACHE)


@require_GET
def pdf_list(request):
    """Every PDF the signed-in user may download, newest first, searchable by title."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    query = request.GET.get("q", "").strip()[:200]
    renderings = selectors.renderings_for_user(user=request.user, query=query)
    page = Paginator(renderings, 25).get_page(request.GET.get("page"))
    for rendering in page:
        rendering.url = selectors.rendering_url(rendering)
    context = {"page": page, "query": query}
    return render(request, "pdf/download_list.html", context)


@require_safe
def preview(request, pk):
    """The PDF a draft would become, made on request for staff and never stored."""
    if not can_read_drafts(request.user):
        raise Http404
    try:
        content = hydrate(issue_snapshot_live(pk))
    except Issue.DoesNotExist as exc:
        raise Http404 from exc
    try:
        pdf = document_pdf(content, preview=True)
    except Exception:
        logger.exception("PDF preview of issue %s failed", pk)
        message = _("The preview could not be made. The error is in the server's log.")
        return render(request, "pdf/denied.html", {"message": message}, status=503)
    response = HttpResponse(pdf.data, content_type="application/pdf")
    filename = download_filename(
        bulletin_slug=content["bulletin"]["slug"],
        year=content["year"],
        month=content["month"],
        preview=True,
    )
    response["Content-Disposition"] = content_disposition_header(False, filename)
    response["Cache-Control"] = RESTRICTED_CACHE
    response["X-Robots-Tag"] = "noindex"
    return response
