"""Publishing: one atomic, idempotent service for the admin button and the scheduler alike.

It freezes the issue's content into a Publication (what the public, the PDF and the email read)
and records one job per output, run after the commit; see BULLETIN_PUBLISH_OUTPUTS.
"""

import datetime
import logging
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bulletin.caching import public_cache_drop
from bulletin.models import Issue, Publication
from bulletin.pages import issue_pages_remove
from bulletin.roles import Role, require
from bulletin.services.archive import published_entries_rebuild
from bulletin.services.events import (
    WorkflowError,
    event_record,
    issue_check_entries_approved,
    state_check,
)
from bulletin.services.jobs import job_enqueue
from bulletin.snapshot import issue_snapshot_live

logger = logging.getLogger(__name__)
LATE_AFTER = datetime.timedelta(minutes=2)


def issue_outputs_enqueue(*, issue: Issue) -> None:
    """The hook for the outputs of an issue (web cache and pages, PDF, email): one job each,
    after commit. Cached public pages are also dropped at once on commit, not a sweep later."""
    transaction.on_commit(public_cache_drop, robust=True)
    # Its stored pages too (written again by the web.pages job): none is served out of date.
    transaction.on_commit(partial(issue_pages_remove, issue_id=issue.pk), robust=True)
    for name in settings.BULLETIN_PUBLISH_OUTPUTS:
        job_enqueue(name=name, payload={"issue_id": issue.pk})


def _freeze(issue: Issue, *, user, now) -> Publication:
    """Copy the issue's content into a new publication, and its entries into the archive."""
    content = issue_snapshot_live(issue.pk)
    publication = Publication.objects.create(
        issue=issue, published_at=now, published_by=user, content=content
    )
    published_entries_rebuild(issue=issue, publication=publication)
    return publication


@transaction.atomic
def issue_publish(*, issue: Issue, user, now: datetime.datetime | None = None) -> Issue:
    """Publish an approved or scheduled issue. user=None is the scheduler. Publishing twice
    publishes once: the second call finds the issue published and does nothing."""
    now = now or timezone.now()
    if user is not None:  # None: the scheduler
        require(user, Role.PUBLISHER)
    issue = Issue.objects.select_for_update().get(pk=issue.pk)
    if issue.is_public:
        return issue
    if user is None and not (
        issue.state == Issue.State.SCHEDULED and issue.scheduled_at and issue.scheduled_at <= now
    ):
        return issue  # unscheduled or reopened meanwhile: the scheduler leaves it alone
    state_check(obj=issue, sources=(Issue.State.APPROVED, Issue.State.SCHEDULED))
    issue_check_entries_approved(issue=issue)
    from_state = issue.state
    issue.state = Issue.State.PUBLISHED
    issue.published_at = now
    issue.version += 1
    issue.save()
    _freeze(issue, user=user, now=now)
    comment = ""
    if user is None and issue.scheduled_at and now - issue.scheduled_at > LATE_AFTER:
        late = now - issue.scheduled_at
        comment = _("Published %(minutes)s minutes after its scheduled time.") % {
            "minutes": int(late.total_seconds() // 60)
        }
        logger.warning("issue %s published %s late", issue.pk, late)
    event_record(obj=issue, user=user, action="publish", from_state=from_state, comment=comment)
    issue_outputs_enqueue(issue=issue)
    logger.info("issue %s published", issue.pk)
    return issue


@transaction.atomic
def issue_publish_correction(*, issue: Issue, user) -> Issue:
    """Republish a published issue with its open correction, once every entry is approved."""
    require(user, Role.PUBLISHER)
    issue = Issue.objects.select_for_update().get(pk=issue.pk)
    correction = issue.corrections.filter(published_at__isnull=True).first()
    if correction is None or not issue.is_public:
        raise WorkflowError(_("There is no open correction to publish."))
    issue_check_entries_approved(issue=issue)
    now = timezone.now()
    correction.published_at = now
    correction.save(update_fields=["published_at"])
    from_state = issue.state
    issue.state = Issue.State.CORRECTED
    issue.version += 1
    issue.save()
    _freeze(issue, user=user, now=now)
    event_record(
        obj=issue,
        user=user,
        action="publish_correction",
        from_state=from_state,
        comment=correction.note,
    )
    issue_outputs_enqueue(issue=issue)
    return issue


def back_issue_default_date(issue: Issue) -> datetime.datetime:
    """When a back issue first appeared, as far as its content tells: the day of its latest
    entry, else the last day of the month it covers (noon, the firm's time)."""
    latest = issue.entries.exclude(published_on=None).order_by("-published_on")
    day = latest.values_list("published_on", flat=True).first()
    if day is None:
        following = datetime.date(issue.year + issue.month // 12, issue.month % 12 + 1, 1)
        day = following - datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


@transaction.atomic
def issue_publish_back(
    *, issue: Issue, user, published_at: datetime.datetime | None = None
) -> Issue:
    """Publish an approved imported issue as history: dated when it first appeared (given, or
    from its content), never emailed, and never the home page's lead while a current issue
    exists. Publishing twice publishes once."""
    require(user, Role.PUBLISHER)
    issue = Issue.objects.select_for_update().get(pk=issue.pk)
    if issue.is_public:
        return issue
    if issue.imported_by_id is None:
        raise WorkflowError(_("Only an imported issue is published as a back issue."))
    state_check(obj=issue, sources=(Issue.State.APPROVED,))
    issue_check_entries_approved(issue=issue)
    when = published_at or back_issue_default_date(issue)
    if when > timezone.now():
        raise WorkflowError(_("A back issue first appeared in the past: give a date before today."))
    from_state = issue.state
    issue.state, issue.published_at, issue.back_issue = Issue.State.PUBLISHED, when, True
    issue.version += 1
    issue.save()
    _freeze(issue, user=user, now=when)
    comment = _("First published on %(date)s; not emailed.") % {
        "date": timezone.localtime(when).date().isoformat()
    }
    event_record(
        obj=issue, user=user, action="publish_back", from_state=from_state, comment=comment
    )
    issue_outputs_enqueue(issue=issue)
    return issue


def issues_publish_due(*, now: datetime.datetime | None = None) -> list[int]:
    """Publish every scheduled issue whose time has come (also those a stopped beat missed)."""
    now = now or timezone.now()
    published = []
    due = Issue.objects.filter(state=Issue.State.SCHEDULED, scheduled_at__lte=now)
    for issue in due.order_by("scheduled_at"):
        try:
            issue_publish(issue=issue, user=None, now=now)
        except Exception as exc:  # one failing issue must not hold back the others
            _schedule_failed(issue, exc)
            continue
        issue.refresh_from_db(fields=["state"])
        if issue.is_public:
            published.append(issue.pk)
    return published


@transaction.atomic
def _schedule_failed(issue: Issue, exc: Exception) -> None:
    """Never fail silently: take the issue off the schedule and tell the publishers why."""
    logger.error("scheduled issue %s not published: %s", issue.pk, exc)
    issue = Issue.objects.select_for_update().get(pk=issue.pk)
    if issue.state != Issue.State.SCHEDULED:
        return
    issue.state, issue.scheduled_at = Issue.State.APPROVED, None
    issue.version += 1
    issue.save()
    event_record(
        obj=issue,
        user=None,
        action="publish_failed",
        from_state=Issue.State.SCHEDULED,
        comment=str(exc),
    )
