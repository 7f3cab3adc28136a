"""Checking the links of entries on the desk: saving an entry asks for a check of each of its
URLs (one job per URL, through the outbox), unless that URL was checked within
LINK_CHECK_INTERVAL or a check of it is already on its way."""

import datetime
import re

from django.conf import settings
from django.utils import timezone

from bulletin.models import Job, PublishedEntry
from bulletin.services.jobs import job_enqueue, job_handler
from entries.capture import body_text
from entries.fetching import FetchDeferred, FetchFailed, FetchRefused, fetch
from entries.links import link_check
from entries.models import Entry, LinkCapture, LinkCheck

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


def links_watch() -> list[str]:
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
        job_enqueue(name=CHECK_JOB, payload={"url": url, "asked_at": asked_at, "watch": True})
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
