"""Published pages, rendered once: the page of each public issue and of each of its entries is
rendered, in each language, through the whole request stack as an anonymous reader gets it, and
stored as a file under PUBLISHED_PAGES_ROOT (/<bulletin>/<slug>/index.html for an issue,
/entries/<id>/<slug>/index.html for an entry, the same under /en/, a .gz beside each and the
response's headers in headers.json). A front server serves them as they are (README: "Serving
published pages from the front server"); so does PublishedPagesMiddleware (pages.serving).

Written by the web.pages job (one of BULLETIN_PUBLISH_OUTPUTS) after a publication, a correction
or a withdrawal (which removes them), the issue page again after the PDF is rendered (it links
to it), and every page when something every page shows changes (the firm, an author, a
bulletin). Each stored page's links to entries are recorded (PageLink): the pages that link to
an entry of an issue being corrected or withdrawn, such as another issue's entry that lists it
among its related entries, are rendered again with it, so none keeps a link to a withdrawn entry
or an entry's old title. What changes them is also removed at once on commit, so a page is never
served out of date while its job waits: the view answers meanwhile. The related entries of a
stored page are those of its rendering: a later publication shows up in them when the page is
next rendered (`manage.py pages_render` renders them all again)."""

import io
import logging
import re
from functools import partial
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.handlers.base import BaseHandler
from django.core.handlers.wsgi import WSGIRequest
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import HttpResponse
from django.urls import Resolver404, resolve, reverse
from django.utils import translation

from bulletin.caching import RENDER_FLAG, public_cache_drop
from bulletin.models import Bulletin, Issue, PageLink, PublishedEntry, entry_slug
from bulletin.pages.files import (
    ADDRESS,
    COMPRESSED,
    HEADERS,
    PAGE,
    page_folder,
    page_remove,
    page_store,
    pages_root,
    stored_addresses,
)
from bulletin.pages.serving import PublishedPagesMiddleware
from bulletin.services.jobs import job_enqueue, job_handler
from people.models import Author

__all__ = [
    "ADDRESS",
    "COMPRESSED",
    "HEADERS",
    "PAGE",
    "PublishedPagesMiddleware",
    "entry_addresses",
    "issue_addresses",
    "issue_pages_remove",
    "issue_pages_write",
    "page_folder",
    "page_remove",
    "page_render",
    "page_store",
    "pages_refresh_all",
    "pages_root",
    "pages_write_all",
    "stored_addresses",
]

logger = logging.getLogger(__name__)

# The views whose pages are stored.
STORED_VIEWS = {"issue", "entry"}
# A link to an entry's page (/entries/<id>/…, in either language), as an href of ours or an
# absolute address on SITE_URL: what a stored page links to. Another site's /entries/ is not.
ENTRY_LINK = rb'(?:href="|%s)(?:/en)?/entries/([0-9]{1,18})/'


def issue_addresses(issue: Issue) -> list[str]:
    """The public addresses of an issue's page, one per language."""
    kwargs = {"bulletin": issue.bulletin.slug, "slug": issue.slug}
    return _in_each_language("bulletin:issue", kwargs=kwargs)


def entry_addresses(*, entry_id: int, title: str) -> list[str]:
    """The public addresses of a published entry's page, one per language."""
    return _in_each_language("bulletin:entry", args=[entry_id, entry_slug(title)])


def _in_each_language(name: str, **arguments) -> list[str]:
    """The addresses as a request's path_info has them (an entry's Chinese slug unquoted)."""
    addresses = []
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            addresses.append(unquote(reverse(name, **arguments)))
    return addresses


# Rendering.


def _request(path: str) -> WSGIRequest:
    """An anonymous GET of a public address on SITE_URL, marked to be rendered afresh."""
    site = urlsplit(settings.SITE_URL)
    return WSGIRequest(
        {
            "REQUEST_METHOD": "GET",
            # WSGI's convention: the address's UTF-8 bytes, each as one latin-1 character.
            "PATH_INFO": path.encode().decode("iso-8859-1"),
            "SCRIPT_NAME": "",
            "QUERY_STRING": "",
            "SERVER_NAME": site.hostname or "localhost",
            "SERVER_PORT": str(site.port or (443 if site.scheme == "https" else 80)),
            "HTTP_HOST": site.netloc,
            "REMOTE_ADDR": "127.0.0.1",
            "wsgi.url_scheme": site.scheme,
            "wsgi.input": io.BytesIO(),
            RENDER_FLAG: True,
        }
    )


def _handler() -> BaseHandler:
    handler = BaseHandler()
    handler.load_middleware()
    return handler


def page_render(path: str, *, handler: BaseHandler | None = None) -> HttpResponse | None:
    """The response an anonymous reader gets at this address, through every middleware; None
    unless it is an issue's or an entry's page answered with 200 (an entry's old address is
    answered with a redirect)."""
    if page_folder(path) is None:
        return None
    # Addresses resolve in their own language (/en/… only while English is active).
    with translation.override(translation.get_language_from_path(path) or settings.LANGUAGE_CODE):
        try:
            if resolve(path).url_name not in STORED_VIEWS:
                return None  # another page's address (a bulletin named "tags", say)
        except Resolver404:
            return None
        response = (handler or _handler()).get_response(_request(path))
    if response.status_code != 200 or response.streaming:
        return None
    return response


def _links(response: HttpResponse) -> set[int]:
    site = re.escape(settings.SITE_URL.rstrip("/").encode())
    return {int(found) for found in re.findall(ENTRY_LINK % site, response.content)}


def _page_write(path: str, handler: BaseHandler) -> set[int] | None:
    """Store the page at this address with the entries it links to, or forget it if it is no
    longer public: the entries linked, None if forgotten."""
    response = page_render(path, handler=handler)
    if response is None:
        _page_forget(path)
        return None
    links = _links(response)
    PageLink.objects.filter(address=path).exclude(entry_id__in=links).delete()
    PageLink.objects.bulk_create(
        [PageLink(address=path, entry_id=entry_id) for entry_id in links], ignore_conflicts=True
    )
    page_store(path, response)
    return links


def _page_forget(path: str) -> None:
    page_remove(path)
    PageLink.objects.filter(address=path).delete()


def _addresses_of(issue: Issue, *, entries: bool = True) -> tuple[list[str], list[str]]:
    """The stored pages a publication, correction or withdrawal of this issue changes: its own
    and its entries' pages, then every other page that links to one of its entries (published
    now, or listed by its stored page: one a correction took out)."""
    own = issue_addresses(issue)
    if not entries:
        return own, []
    ids = set(PageLink.objects.filter(address__in=own).values_list("entry_id", flat=True))
    published = PublishedEntry.objects.filter(issue=issue).order_by("section_position", "position")
    for entry_id, title in published.values_list("entry_id", "title"):
        own += entry_addresses(entry_id=entry_id, title=title)
        ids.add(entry_id)
    linking = PageLink.objects.filter(entry_id__in=ids).values_list("address", flat=True)
    return own, sorted(set(linking) - set(own))


def issue_pages_write(
    *, issue_id: int, handler: BaseHandler | None = None, entries: bool = True, linking: bool = True
) -> list[str]:
    """Store the pages of a public issue and of its entries in every language (or forget them
    all if it is withdrawn) and render again the other pages that link to its entries: the
    addresses written. `entries=False`: its own pages only; `linking=False`: not the others."""
    issue = Issue.objects.select_related("bulletin").filter(pk=issue_id).first()
    if issue is None:
        return []
    handler = handler or _handler()
    own, others = _addresses_of(issue, entries=entries)
    written = {}
    for path in own:
        links = _page_write(path, handler) if issue.is_public else _page_forget(path)
        if links is not None:
            written[path] = links
    if written and not Issue.objects.published().filter(pk=issue_id).exists():
        # Withdrawn while it was rendered (after the withdrawal's own removal, perhaps): gone;
        # its withdrawal's own job renders the pages linking to it.
        for path in written:
            page_remove(path)
        return []
    for path in others if linking else []:
        links = _page_write(path, handler)
        if links is not None:
            written[path] = links
    # An entry withdrawn in another transaction while a page linking to it was rendered here:
    # that withdrawal cannot see this page's links before they are committed, so they are
    # checked once they are.
    transaction.on_commit(partial(_quietly, _links_check, pages=written))
    return list(written)


def _links_check(*, pages: dict[str, set[int]]) -> None:
    """Remove a stored page that links to an entry no longer public (the view answers for it)."""
    ids = set().union(*pages.values())
    public = set(PublishedEntry.objects.filter(entry_id__in=ids).values_list("entry_id", flat=True))
    for path, links in pages.items():
        if not links <= public:
            page_remove(path)


def issue_pages_remove(*, issue_id: int) -> None:
    """Remove every stored page a change of this issue changes (the web.pages job writes again
    those still public); their recorded links stay, for the job to find them."""
    issue = Issue.objects.select_related("bulletin").filter(pk=issue_id).first()
    own, others = _addresses_of(issue) if issue else ([], [])
    for path in own + others:
        page_remove(path)


def pages_write_all() -> int:
    """Store the pages of every public issue and entry afresh and remove every other stored
    page: what a deploy with new templates runs (manage.py pages_render). The number of pages
    written."""
    handler, written = _handler(), set()
    for issue_id in Issue.objects.published().values_list("pk", flat=True):
        written.update(issue_pages_write(issue_id=issue_id, handler=handler, linking=False))
    for path in stored_addresses() - written:
        page_remove(path)
    recorded = set(PageLink.objects.values_list("address", flat=True).distinct())
    PageLink.objects.filter(address__in=recorded - written).delete()
    return len(written)


def pages_remove_all() -> None:
    for path in stored_addresses():
        page_remove(path)


# What changes stored pages.


@job_handler("web.pages", coalesce=True)
def web_pages(payload: dict) -> None:
    """Write the pages of one issue ({"issue_id": …}; "entries": false for its own page only,
    "linking": false not the other pages linking to its entries), or of every issue ({})."""
    if payload.get("issue_id"):
        issue_pages_write(
            issue_id=payload["issue_id"],
            entries=payload.get("entries", True),
            linking=payload.get("linking", True),
        )
        return
    # One job per issue: every page of a large archive (two per entry) takes hours, far more
    # than one task may (CELERY_TASK_SOFT_TIME_LIMIT); each issue's pages take seconds.
    for issue_id in Issue.objects.published().values_list("pk", flat=True):
        job_enqueue(name="web.pages", payload={"issue_id": issue_id, "linking": False})


def pages_refresh_all() -> None:
    """Something every page shows changes with this transaction (the firm, an author, a
    bulletin): every stored page is removed on commit and written again by a job per issue."""
    if not any(pages_root().rglob(PAGE)):
        return  # nothing stored: nothing can go stale
    transaction.on_commit(partial(_quietly, pages_remove_all))
    job_enqueue(name="web.pages", payload={})


def _quietly(function, **kwargs) -> None:
    try:
        function(**kwargs)
    except Exception:
        logger.exception("stored pages could not be removed; the web.pages job writes them again")


@receiver(post_save, sender=Author)
@receiver(post_delete, sender=Author)
def author_pages_refresh(sender, **kwargs) -> None:
    """An author's public details changed (what they show, whether they have a page at all):
    no page may keep what they have since hidden, or link to a page they no longer have."""
    pages_refresh_all()


@receiver(post_save, sender=Bulletin)
@receiver(post_delete, sender=Bulletin)
def bulletin_pages_refresh(sender, **kwargs) -> None:
    """A bulletin's name, team or disclaimer show on its pages, and every page's footer lists
    the bulletins (read from the page cache's firm identity: dropped first)."""
    transaction.on_commit(partial(_quietly, public_cache_drop))
    pages_refresh_all()
