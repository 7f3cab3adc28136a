"""Checking the links of entries on the desk: saving an entry asks for a check of each of its
URLs (one job per URL, through the outbox), unless that URL was checked within
LINK_CHECK_INTERVAL or a check of it is already on its way."""

import datetime

from django.conf import settings
from django.utils import timezone

from bulletin.models import Job
from bulletin.services.jobs import job_enqueue, job_handler
from entries.links import link_check
from entries.models import Entry, LinkCheck

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
    link_check(url=url)
