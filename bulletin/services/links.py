"""Checking the links of entries on the desk: saving an entry asks for a check of each of its
URLs (one job per URL, through the outbox), unless that URL was checked within
LINK_CHECK_INTERVAL or a check of it is already on its way."""

import dataclasses
import datetime
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from bulletin.models import Issue, Job, PublishedEntry
from bulletin.roles import LINK_WATCHERS, require
from bulletin.services.captures import CAPTURE_JOB
from bulletin.services.jobs import job_enqueue, job_handler
from entries.capture import body_text
from entries.fetching import FetchDeferred, FetchFailed, FetchRefused, fetch
from entries.links import link_check
from entries.models import Entry, EntryLink, LinkCapture, LinkCheck, url_digest

CHECK_JOB = "links.check"
WAITING = (Job.Status.PENDING, Job.Status.RUNNING)


def links_check_request(*, entry: Entry) -> list[str]:
    """Ask for a check of each of the entry's URLs that is due; the URLs asked for. Called by
    entry_save (whose caller may edit the entry) in its transaction: the jobs go after commit."""
    urls = list(dict.fromkeys(entry.links.values_list("url", flat=True)))
    due = links_due(urls)
    for url in due:
        job_enqueue(name=CHECK_JOB, payload={"url": url, "asked_at": timezone.now().isoformat()})
    return due


def links_due(urls: list[str]) -> list[str]:
    """The URLs with no check within LINK_CHECK_INTERVAL and none on its way."""
    since = timezone.now() - datetime.timedelta(seconds=settings.LINK_CHECK_INTERVAL)
    latest, waiting = LinkCheck.objects.latest_for(urls), links_waiting(urls)
    return [
        url
        for url in urls
        if url not in waiting and (url not in latest or latest[url].checked_at < since)
    ]


def links_waiting(urls: list[str]) -> set[str]:
    """The URLs among these whose check is asked for and not done yet."""
    return set(
        Job.objects.filter(name=CHECK_JOB, status__in=WAITING, payload__url__in=urls).values_list(
            "payload__url", flat=True
        )
    )


@job_handler(CHECK_JOB)
def link_check_job(payload: dict) -> None:
    """Check one URL, unless it was checked since it was asked for (a job run twice checks
    once). A host that asks us to wait raises, and the outbox tries again later."""
    url, asked_at = payload["url"], datetime.datetime.fromisoformat(payload["asked_at"])
    latest = LinkCheck.objects.latest_for([url]).get(url)
    if latest is not None and latest.checked_at >= asked_at:
        return
    check = link_check(url=url)
    if payload.get("watch") and check.outcome in (
        LinkCheck.Outcome.OK,
        LinkCheck.Outcome.REDIRECTED,
    ):
        link_drift_measure(check)


# Watching published links --------------------------------------------------------------------


def published_urls() -> list[str]:
    """The URLs the published entries cite, in their published form (a draft's links, and links
    added to a published entry's draft, are not watched)."""
    urls: dict[str, None] = {}
    for links in PublishedEntry.objects.values_list("data__links", flat=True).iterator():
        for link in links or []:
            if isinstance(link, dict) and link.get("url"):
                urls[link["url"]] = None
    return list(urls)


def links_watch_periodic() -> list[str]:
    """The periodic run: links_watch, unless a periodic run asked for checks within
    LINK_WATCH_EVERY (run_periodic runs every minute; beat hourly): a batch an interval."""
    since = timezone.now() - datetime.timedelta(seconds=settings.LINK_WATCH_EVERY)
    recent = Job.objects.filter(name=CHECK_JOB, payload__periodic=True, created_at__gte=since)
    return [] if recent.exists() else links_watch(periodic=True)


def links_watch(*, periodic: bool = False) -> list[str]:
    """Ask for a check of the published URLs not checked within LINK_WATCH_INTERVAL and none on
    its way: never checked first, then the longest unchecked, at most LINK_WATCH_BATCH; the URLs
    asked for. Run periodically (the beat schedule, run_periodic)."""
    urls = published_urls()
    since = timezone.now() - datetime.timedelta(seconds=settings.LINK_WATCH_INTERVAL)
    latest, waiting = LinkCheck.objects.latest_for(urls), links_waiting(urls)
    never = datetime.datetime.min.replace(tzinfo=datetime.UTC)
    due = sorted(
        (
            url
            for url in urls
            if url not in waiting and (url not in latest or latest[url].checked_at < since)
        ),
        key=lambda url: latest[url].checked_at if url in latest else never,
    )[: settings.LINK_WATCH_BATCH]
    asked_at = timezone.now().isoformat()
    for url in due:
        payload = {"url": url, "asked_at": asked_at, "watch": True, "periodic": periodic}
        job_enqueue(name=CHECK_JOB, payload=payload)
    return due


WORD = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]|[^\W_]+", re.UNICODE)
SHINGLE = 3


def shingles(text: str) -> set[tuple[str, ...]]:
    """The runs of three words of a text (a Chinese character counts as a word), lower case."""
    words = WORD.findall(text.lower())
    if len(words) < SHINGLE:
        return {tuple(words)} if words else set()
    return {tuple(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}


def text_similarity(before: str, after: str) -> float:
    """How alike two texts are, 0 to 1: the Jaccard index of their sets of three-word shingles.
    Linear in the length of the texts (difflib's ratio is quadratic at worst, too slow for a
    long judgment), and blind to layout: a moved paragraph costs a few shingles, a rewritten
    one all of its own."""
    a, b = shingles(before), shingles(after)
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def link_drift_measure(check: LinkCheck) -> LinkCheck:
    """Compare the page a check found alive with the text of its URL's latest capture; record
    the similarity on the check and whether it drifted. No capture with text, or a page that
    cannot be read now: nothing recorded (the check stands)."""
    capture = LinkCapture.objects.kept().filter(url=check.url).exclude(text="").only("text").first()
    if capture is None:
        return check
    try:
        page = fetch(
            check.url,
            max_bytes=settings.LINK_DRIFT_MAX_BYTES,
            timeout=settings.LINK_CHECK_TIMEOUT,
            max_redirects=5,
        )
    except (FetchRefused, FetchFailed, FetchDeferred):
        return check
    if not 200 <= page.status < 300:
        return check
    text = body_text(page.body, page.content_type, page.header("Content-Type") or "")
    check.similarity = round(
        text_similarity(capture.text, text[: settings.LINK_CAPTURE_TEXT_CHARS]), 4
    )
    check.drifted = check.similarity < settings.LINK_DRIFT_THRESHOLD
    check.save(update_fields=["similarity", "drifted"])
    return check


def link_check_again(*, user, link_id: int) -> bool:
    """Ask for a check (with the drift measure) of a published entry's link now, whatever its
    last check (editors, reviewers, publishers); whether a job was asked for (False: one is on
    its way already; the link's row is locked while asking, so a double click asks once)."""
    require(user, *LINK_WATCHERS)
    with transaction.atomic():
        link = EntryLink.objects.select_for_update().filter(pk=link_id).first()
        if link is None or not PublishedEntry.objects.filter(entry_id=link.entry_id).exists():
            raise ValidationError(_("This link is not in a published entry."))
        if links_waiting([link.url]):
            return False
        payload = {"url": link.url, "asked_at": timezone.now().isoformat(), "watch": True}
        job_enqueue(name=CHECK_JOB, payload=payload)
    return True


@dataclasses.dataclass
class WatchedLink:
    link: EntryLink
    entry: PublishedEntry
    check: LinkCheck
    since: datetime.datetime
    capture: LinkCapture | None
    capturing: bool

    @property
    def state(self) -> str:
        return _("Drifted") if self.check.drifted else self.check.get_outcome_display()


def links_report() -> list[tuple[Issue, list[WatchedLink]]]:
    """The links of published entries whose latest check found them dead or drifted, by issue
    (the latest issue first), each with since when it has been so and its latest capture; in a
    fixed number of queries whatever the number of links."""
    problem = Q(outcome__in=LinkCheck.FAILING) | Q(drifted=True)
    latest_ids = LinkCheck.objects.values("url_digest").annotate(last=Max("pk")).values("last")
    checks = {c.url: c for c in LinkCheck.objects.filter(problem, pk__in=Subquery(latest_ids))}
    if not checks:
        return []
    since = _problem_since(list(checks))
    links = list(
        EntryLink.objects.filter(url__in=list(checks)).order_by("entry_id", "position", "pk")
    )
    published = {
        p.entry_id: p
        for p in PublishedEntry.objects.filter(
            entry_id__in={link.entry_id for link in links}
        ).select_related("issue", "issue__bulletin")
    }
    links = [
        link
        for link in links
        if link.entry_id in published
        and link.url in {d.get("url") for d in published[link.entry_id].data.get("links") or []}
    ]
    captures = LinkCapture.objects.latest_of(links)
    capturing = {
        payload.get("link")
        for payload in Job.objects.filter(
            name=CAPTURE_JOB, status__in=WAITING, payload__link__in=[link.pk for link in links]
        ).values_list("payload", flat=True)
    }
    issues: dict[int, tuple[Issue, list[WatchedLink]]] = {}
    for link in links:
        entry = published[link.entry_id]
        row = WatchedLink(
            link=link,
            entry=entry,
            check=checks[link.url],
            since=since.get(link.url, checks[link.url].checked_at),
            capture=captures.get(link.pk),
            capturing=link.pk in capturing,
        )
        issues.setdefault(entry.issue_id, (entry.issue, []))[1].append(row)
    for _issue, rows in issues.values():
        rows.sort(key=lambda row: (row.entry.section_position, row.entry.position, row.link.pk))
    return sorted(issues.values(), key=lambda pair: pair[0].pk, reverse=True)


def _problem_since(urls: list[str]) -> dict[str, datetime.datetime]:
    """When each URL's present trouble began: its earliest check after its last good one (one
    query: the checks of these URLs, newest first, read until a good one)."""
    since: dict[str, datetime.datetime] = {}
    done: set[str] = set()
    rows = (
        LinkCheck.objects.filter(url_digest__in={url_digest(url) for url in urls})
        .order_by("url_digest", "-checked_at", "-pk")
        .values_list("url", "checked_at", "outcome", "drifted")
    )
    for url, checked_at, outcome, drifted in rows.iterator():
        if url in done:
            continue
        if outcome in LinkCheck.FAILING or drifted:
            since[url] = checked_at
        else:
            done.add(url)
    return since
