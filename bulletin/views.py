"""Public pages read only what is published; previews are for staff and 404 for anyone else."""

import datetime

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import http_date
from django.views.decorators.http import require_GET

from bulletin import selectors
from bulletin.addresses import client_limit_key
from bulletin.caching import public_page
from bulletin.models import entry_slug
from bulletin.pdf.selectors import pdf_download
from bulletin.ratelimit import within_limit
from bulletin.roles import can_read_drafts
from bulletin.search import MAX_QUERY_LENGTH, highlight
from bulletin.snapshot import hydrate_entry
from entries.models import Entry


def _last_modified(response, when: datetime.datetime | None):
    if when:
        response["Last-Modified"] = http_date(when.timestamp())
    return response


@require_GET
@public_page
def home(request):
    context = {"latest": selectors.home_latest(), "recent": selectors.entries_recent()}
    return render(request, "bulletin/home.html", context)


@require_GET
@public_page
def archive(request):
    return render(request, "bulletin/archive.html", {"groups": selectors.archive_by_bulletin()})


@require_GET
@public_page
def issue_detail(request, bulletin, slug):
    content = selectors.issue_content_public(bulletin_slug=bulletin, slug=slug)
    context = {
        "issue": content,
        "pdf": pdf_download(content),
        "author_pages": selectors.author_pages(content),
    }
    response = render(request, "bulletin/issue_detail.html", context)
    corrections = content["corrections"]
    return _last_modified(
        response, corrections[-1]["published_at"] if corrections else content["published_at"]
    )


@require_GET
def issue_preview(request, pk):
    if not can_read_drafts(request.user):
        raise Http404
    content = selectors.issue_content_preview(issue_id=pk)
    return render(request, "bulletin/issue_detail.html", {"issue": content, "preview": True})


@require_GET
@public_page
def entry_detail(request, entry_id, slug=None):
    entry = selectors.entry_public(entry_id=entry_id)
    if slug != entry_slug(entry.title):
        return redirect(entry, permanent=True)
    previous, following = selectors.entry_neighbours(entry)
    data = hydrate_entry(entry.data)
    context = {
        "entry": entry,
        "data": data,
        "author_pages": selectors.author_pages(data),
        "previous": previous,
        "next": following,
        "related": selectors.entries_related(entry),
    }
    # No Last-Modified: a correction rebuilds the entry; the content's ETag answers for it.
    return render(request, "bulletin/entry_detail.html", context)


def _entry_list(request, *, title, entries, extra=None):
    page = selectors.page_of(entries, request.GET.get("page"))
    context = {"title": title, "page": page, **(extra or {})}
    return render(request, "bulletin/entry_list.html", context)


@require_GET
@public_page
def entries_by_kind(request, kind):
    entries = selectors.entries_of_kind(kind)
    return _entry_list(request, title=Entry.Kind(kind).label, entries=entries)


@require_GET
@public_page
def entries_by_tag(request, name):
    tag = selectors.tag_public(name)
    return _entry_list(request, title=tag.name, entries=selectors.entries_listed().filter(tags=tag))


@require_GET
@public_page
def entries_by_jurisdiction(request, code):
    place = selectors.jurisdiction_public(code)
    entries = selectors.entries_listed().filter(jurisdictions=place)
    return _entry_list(request, title=place.name, entries=entries)


@require_GET
@public_page
def author_detail(request, slug):
    author = selectors.author_public(slug)
    entries = selectors.entries_listed().filter(authors=author)
    return _entry_list(request, title=author.name, entries=entries, extra={"author": author})


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


@require_GET
def search(request):
    if not search_allowed(request):
        return too_many_requests(request)
    return _search(request)


@public_page
def _search(request):
    filters = _search_filters(request)
    if filters is None:
        return HttpResponseBadRequest("Bad search request.")
    page = selectors.page_of(selectors.entries_search(filters), request.GET.get("page"))
    for result in page.object_list:
        result.excerpt = highlight(result.data.get("summary", ""), filters.q)
        result.title_marked = highlight(result.title, filters.q, length=500, is_html=False)
    context = {"filters": filters, "page": page, "kinds": Entry.Kind.choices}
    return render(request, "bulletin/search.html", context)


@require_GET
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /preview/",
        f"Sitemap: {settings.SITE_URL}{reverse('sitemap')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")
