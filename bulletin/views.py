"""Public pages read only what is published; previews are for staff and 404 for anyone else."""

import datetime
import hashlib
from pathlib import Path

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import http_date
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from bulletin import cards, identity, selectors
from bulletin.addresses import client_limit_key
from bulletin.caching import public_page
from bulletin.captures import archived_copies
from bulletin.editions import entry_card_texts
from bulletin.models import entry_slug
from bulletin.pdf.selectors import pdf_download
from bulletin.ratelimit import within_limit
from bulletin.roles import can_read_drafts
from bulletin.search import MAX_QUERY_LENGTH, highlight
from bulletin.snapshot import hydrate_entry
from bulletin.translation.selectors import text_in
from entries.models import Entry


def _last_modified(response, when: datetime.datetime | None):
    if when:
        response["Last-Modified"] = http_date(when.timestamp())
    return response


@require_safe
@public_page
def home(request):
    lead = selectors.home_lead(get_language())
    context = {
        "lead": lead,
        "earlier": selectors.home_earlier(lead, language=get_language()),
        "topics": selectors.topics_public(),
    }
    return render(request, "bulletin/home.html", context)


@require_safe
@public_page
def archive(request):
    return render(
        request, "bulletin/archive.html", {"groups": selectors.archive_by_bulletin(get_language())}
    )


@require_safe
@public_page
def issue_detail(request, bulletin, slug):
    language = get_language()
    content = selectors.issue_content_public(bulletin_slug=bulletin, slug=slug, language=language)
    context = {
        "issue": content,
        "pdf": pdf_download(content),
        "author_pages": selectors.author_pages(content),
        **_edition_context(content),
    }
    response = render(request, "bulletin/issue_detail.html", context)
    corrections = content["corrections"]
    return _last_modified(
        response, corrections[-1]["published_at"] if corrections else content["published_at"]
    )


@require_safe
def issue_preview(request, pk):
    if not can_read_drafts(request.user):
        raise Http404
    content = selectors.issue_content_preview(issue_id=pk)
    return render(request, "bulletin/issue_detail.html", {"issue": content, "preview": True})


@require_safe
@public_page
def entry_detail(request, entry_id, slug=None):
    entry = selectors.entry_public(entry_id=entry_id)
    if slug != entry_slug(entry.title):
        return redirect(entry, permanent=True)
    previous, following = selectors.entry_neighbours(entry, language=get_language())
    data = hydrate_entry(entry.data)
    # As published (rows published before the heading was kept: the live labels).
    heading = data.get("commentary_heading") or (
        entry.issue.commentary_label or entry.bulletin.commentary_label
    )
    languages = sorted({entry.bulletin.language, *entry.editions})
    edition = {"languages": languages}
    language = get_language()
    if language != entry.bulletin.language:
        if language in entry.editions:
            data = hydrate_entry(entry.editions[language])
            heading = data.get("commentary_heading") or heading
            edition["edition"] = {"source_language": entry.bulletin.language}
        else:
            edition["edition_missing"] = language
    context = {
        "entry": entry,
        "data": data,
        **_edition_context(edition),
        "author_pages": selectors.author_pages(data),
        "previous": previous,
        "next": following,
        "related": selectors.entries_related(entry),
        # The commentary's heading: the issue's own (a back issue's), or the bulletin's.
        "labels": {"commentary_heading": heading, "commentary_label": heading},
        "archived": archived_copies(entry),
    }
    # No Last-Modified: a correction rebuilds the entry; the content's ETag answers for it.
    return render(request, "bulletin/entry_detail.html", context)


def _edition_context(content: dict) -> dict:
    """What a page of an issue or an entry says of its editions: the languages it is published
    in (the hreflang alternates: only when there is another), and in which language a text kept
    untranslated is written."""
    edition = content.get("edition") or {}
    return {
        "page_languages": content["languages"],
        "source_language": edition.get("source_language"),
        "edition_missing": content.get("edition_missing"),
        "edition_behind": content.get("edition_behind"),
    }


def _entry_list(request, *, title, entries, extra=None):
    page = selectors.page_of(entries, request.GET.get("page"))
    context = {"title": title, "page": page, **(extra or {})}
    return render(request, "bulletin/entry_list.html", context)


# A kind's page is titled as the site's menu names it (templates/includes/site_header.html).
KIND_PAGES = {
    Entry.Kind.LAW: _("Laws"),
    Entry.Kind.REGULATION: _("Regulation"),
    Entry.Kind.CASE: _("Cases"),
    Entry.Kind.INDUSTRY: _("Industry"),
}


@require_safe
@public_page
def entries_by_kind(request, kind):
    entries = selectors.entries_of_kind(kind)
    return _entry_list(request, title=KIND_PAGES[Entry.Kind(kind)], entries=entries)


@require_safe
@public_page
def entries_by_tag(request, name):
    tag = selectors.tag_public(name)
    title = text_in(tag, "name", get_language()).value
    return _entry_list(request, title=title, entries=selectors.entries_listed().filter(tags=tag))


@require_safe
@public_page
def entries_by_jurisdiction(request, code):
    place = selectors.jurisdiction_public(code)
    entries = selectors.entries_listed().filter(jurisdictions=place)
    return _entry_list(request, title=text_in(place, "name", get_language()).value, entries=entries)


@require_safe
@public_page
def author_detail(request, slug):
    author = selectors.author_public(slug)
    entries = selectors.entries_listed().filter(authors=author)
    contact = author.contact("web")
    extra = {
        "author": author,
        "author_contact": contact,
        "firm_contact": None
        if contact
        else selectors.firm_contact(author, english=request.LANGUAGE_CODE == "en"),
    }
    return _entry_list(request, title=author.name, entries=entries, extra=extra)


def _search_filters(request) -> selectors.SearchFilters | None:
    get = request.GET
    if len(get.get("q", "")) > MAX_QUERY_LENGTH * 5:
        return None
    try:
        dates = [
            datetime.date.fromisoformat(get[name]) if get.get(name) else None
            for name in ("from", "to")
        ]
    except ValueError:
        return None
    kind = get.get("kind", "")
    return selectors.SearchFilters(
        q=get.get("q", "").strip()[:MAX_QUERY_LENGTH],
        kind=kind if kind in Entry.Kind.values else "",
        tag=get.get("tag", "")[:100],
        jurisdiction=get.get("jurisdiction", "")[:20],
        bulletin=get.get("bulletin", "")[:100],
        date_from=dates[0],
        date_to=dates[1],
    )


def search_allowed(request) -> bool:
    """At most SEARCH_RATE_LIMIT searches a minute from one address (counted in the cache; a
    cache that is down refuses no reader)."""
    key = f"search:{client_limit_key(request)}"
    return within_limit(key, limit=settings.SEARCH_RATE_LIMIT, window=60)


def too_many_requests(request):
    response = render(request, "429.html", status=429)
    response["Retry-After"] = "60"
    return response


@require_safe
def search(request):
    if not search_allowed(request):
        return too_many_requests(request)
    return _search(request)


@public_page
def _search(request):
    filters = _search_filters(request)
    if filters is None:
        return HttpResponseBadRequest("Bad search request.")
    number = selectors.page_number(request.GET.get("page"))
    results = selectors.entries_search(filters, reach=number * selectors.PAGE_SIZE)
    page = selectors.page_of(results, number)
    language = get_language()
    for result in page.object_list:
        # The reader's edition where it translates the entry, else its own text, marked.
        result.shown = entry_card_texts(result, language)
        result.excerpt = highlight(result.shown.summary, filters.q)
        result.title_marked = highlight(result.shown.title, filters.q, length=500, is_html=False)
    context = {
        "filters": filters,
        "page": page,
        "results": results,
        "kinds": Entry.Kind.choices,
    }
    return render(request, "bulletin/search.html", context)


@require_safe
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /preview/",
        f"Sitemap: {settings.SITE_URL}{reverse('sitemap')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


@require_safe
def issue_card(request, bulletin, slug, key):
    """A public issue's share card; its address names its content, so it never changes (an
    outdated address is sent on to the current one)."""
    source = cards.card_source(bulletin__slug=bulletin, slug=slug)
    current, png = cards.card_png(source)
    if key != current:
        return redirect("issue_card", bulletin=bulletin, slug=slug, key=current)
    etag = f'"{current}"'
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(png, content_type="image/png")
    response["ETag"] = etag
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


# The firm's mark, colour and icons, at addresses without a language. A request that names the
# current version (?v=, as the pages link them) may be cached for a year; the bare address for an
# hour, and revalidated by its ETag (ConditionalGetMiddleware answers 304).
YEAR = 60 * 60 * 24 * 365
DEFAULT_ICONS = Path(settings.BASE_DIR) / "static" / "icons"


def _brand_response(request, content: bytes, content_type: str, *, version: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["ETag"] = f'"{hashlib.sha256(content).hexdigest()[:32]}"'
    versioned = version and request.GET.get("v") == version
    response["Cache-Control"] = (
        f"public, max-age={YEAR}, immutable" if versioned else "public, max-age=3600"
    )
    response["X-Content-Type-Options"] = "nosniff"
    if content_type == identity.SVG_TYPE:
        # An SVG opened on its own is a document: nothing in it may run or load.
        response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response


@require_safe
def brand_mark(request):
    mark = selectors.firm_mark()
    if mark is None:
        raise Http404
    content, content_type, sha256 = mark
    return _brand_response(request, content, content_type, version=sha256[:12])


@require_safe
def brand_colour(request):
    firm = selectors.firm_public()
    css = f":root {{ --accent: {firm.colour}; }}\n".encode()
    return _brand_response(request, css, "text/css", version=firm.colour.lstrip("#"))


def _icon_source(firm) -> dict | None:
    """What the firm's icons are drawn from, or None for the default icons."""
    if not firm.name:
        return None
    mark = selectors.firm_mark() if firm.mark_type == identity.PNG_TYPE else None
    return {"colour": firm.colour, "name": firm.name, "png_mark": mark[0] if mark else None}


@require_safe
def favicon_svg(request):
    firm = selectors.firm_public()
    if firm.mark_type == identity.SVG_TYPE:
        content, content_type, sha256 = selectors.firm_mark()
        return _brand_response(request, content, content_type, version=sha256[:12])
    content = (DEFAULT_ICONS / "favicon.svg").read_bytes()
    return _brand_response(request, content, identity.SVG_TYPE, version="")


@require_safe
def favicon_ico(request):
    source = _icon_source(selectors.firm_public())
    if source is None:
        content = (DEFAULT_ICONS / "favicon.ico").read_bytes()
    else:
        content = identity.icon_ico(**source)
    return _brand_response(request, content, "image/x-icon", version="")


@require_safe
def apple_touch_icon(request):
    source = _icon_source(selectors.firm_public())
    if source is None:
        content = (DEFAULT_ICONS / "apple-touch-icon.png").read_bytes()
    else:
        content = identity.icon_png(size=180, **source)
    return _brand_response(request, content, identity.PNG_TYPE, version="")


def csrf_failure(request, reason=""):
    """A form sent without a valid CSRF token: our page in the reader's language, saying what to
    do (Django's own page is English and speaks to developers)."""
    return render(request, "403_csrf.html", status=403)
