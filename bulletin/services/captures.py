"""Capturing the pages an entry cites when it is approved: one job per link through the outbox,
unless the link's URL was captured within LINK_CAPTURE_MAX_AGE or a capture of it is on its
way. A job run twice captures once; an edited link is captured on the next approval."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bulletin.models import Job, PublishedEntry
from bulletin.roles import LINK_WATCHERS, require
from bulletin.services.jobs import job_enqueue, job_handler
from entries.capture import capture_text_extract, link_capture
from entries.models import Entry, EntryLink, LinkCapture
from entries.rendering import capture_render

CAPTURE_JOB = "links.capture"
TEXT_JOB = "links.capture_text"
RENDER_JOB = "links.capture_render"
WAITING = (Job.Status.PENDING, Job.Status.RUNNING)


def links_capture_request(*, entries: list[Entry]) -> list[int]:
    """Ask for a capture of each link of these entries that is due; the link ids asked for.
    Called by the approval (whose caller may approve) in its transaction."""
    links = list(EntryLink.objects.filter(entry__in=entries).only("pk", "url"))
    due = links_capture_due(links)
    asked_at = timezone.now().isoformat()
    for link in due:
        job_enqueue(
            name=CAPTURE_JOB, payload={"link": link.pk, "url": link.url, "asked_at": asked_at}
        )
    return [link.pk for link in due]


def links_capture_due(links: list[EntryLink]) -> list[EntryLink]:
    """The links whose URL has no kept capture within LINK_CAPTURE_MAX_AGE and none on its way."""
    since = timezone.now() - datetime.timedelta(seconds=settings.LINK_CAPTURE_MAX_AGE)
    latest = LinkCapture.objects.latest_of(links)
    waiting = {
        (payload.get("link"), payload.get("url"))
        for payload in Job.objects.filter(
            name=CAPTURE_JOB, status__in=WAITING, payload__link__in=[link.pk for link in links]
        ).values_list("payload", flat=True)
    }
    return [
        link
        for link in links
        if (link.pk, link.url) not in waiting
        and (link.pk not in latest or latest[link.pk].captured_at < since)
    ]


@job_handler(CAPTURE_JOB)
def link_capture_job(payload: dict) -> None:
    """Capture one link, unless it was removed or edited since (the next approval asks again)
    or captured since it was asked for. A host that asks us to wait raises: the outbox tries
    again later."""
    link = EntryLink.objects.filter(pk=payload["link"]).first()
    if link is None or link.url != payload["url"]:
        return
    asked_at = datetime.datetime.fromisoformat(payload["asked_at"])
    if link.captures.filter(url=link.url, captured_at__gte=asked_at).exists():
        return
    capture = link_capture(link=link, pdf_text_later=True)
    if capture.content_type == "application/pdf" and capture.warc_name:
        job_enqueue(name=TEXT_JOB, payload={"capture": capture.pk})
    if settings.LINK_CAPTURE_BROWSER and capture.is_html and capture.is_kept:
        job_enqueue(name=RENDER_JOB, payload={"capture": capture.pk})


@job_handler(TEXT_JOB)
def capture_text_job(payload: dict) -> None:
    """Read a captured PDF's text, apart from its capture: pypdf takes seconds a page, and the
    copy itself should not wait for it. Run twice, it reads the text twice (the same text)."""
    capture = LinkCapture.objects.filter(pk=payload["capture"]).exclude(warc_name="").first()
    if capture is not None and not capture.text:
        capture_text_extract(capture=capture)


@job_handler(RENDER_JOB)
def capture_render_job(payload: dict) -> None:
    """Draw a captured page in Chromium (LINK_CAPTURE_BROWSER), apart from its capture: the
    browser takes seconds, and the WARC copy should not wait for it. A capture already drawn, or
    the option turned off since, is left as it is."""
    if not settings.LINK_CAPTURE_BROWSER:
        return
    capture = LinkCapture.objects.kept().filter(pk=payload["capture"], rendered_at__isnull=True)
    capture = capture.first()
    if capture is not None and capture.is_html:
        capture_render(capture=capture)


# From the report of dead and drifted links ---------------------------------------------------


def link_capture_again(*, user, link_id: int) -> bool:
    """Ask for a new capture of a published entry's link (editors, reviewers, publishers);
    whether a job was asked for (False: one is already on its way; a double click asks once).
    The link's row is locked while asking, so two clicks at once queue one job."""
    require(user, *LINK_WATCHERS)
    with transaction.atomic():
        link = EntryLink.objects.select_for_update().filter(pk=link_id).first()
        if link is None or not PublishedEntry.objects.filter(entry_id=link.entry_id).exists():
            raise ValidationError(_("This link is not in a published entry."))
        if Job.objects.filter(
            name=CAPTURE_JOB, status__in=WAITING, payload__link=link.pk, payload__url=link.url
        ).exists():
            return False
        payload = {"link": link.pk, "url": link.url, "asked_at": timezone.now().isoformat()}
        job_enqueue(name=CAPTURE_JOB, payload=payload)
    return True
