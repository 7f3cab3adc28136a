"""What the workflow and publishing services share: the error of a refused transition, the
record of every transition (the audit trail, which also notifies), and the conditions an issue
must meet before it is approved, scheduled or published.

Both import this module and neither imports the other's private names; the workflow calls
publishing, never the reverse.
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from bulletin.models import Issue, WorkflowEvent
from bulletin.notifications.services import notifications_record
from bulletin.services.jobs import job_enqueue
from entries.models import Entry


class WorkflowError(Exception):
    """A transition that is not possible now (wrong state, missing comment, empty issue)."""


def event_record(
    *, obj: Entry | Issue, user, action: str, from_state: str, comment: str = ""
) -> WorkflowEvent:
    """Note a transition of an entry or an issue (to its state now), and who must hear of it
    (in this transaction); their emails go after the commit or in their digests."""
    subject = {"entry": obj} if isinstance(obj, Entry) else {"issue": obj}
    event = WorkflowEvent.objects.create(
        **subject,
        actor=user,
        action=action,
        from_state=from_state,
        to_state=obj.state,
        comment=comment.strip(),
    )
    notifications_record(event=event)
    job_enqueue(name="workflow.notify", payload={"event_id": event.pk})
    return event


def issue_check_entries_approved(*, issue: Issue) -> None:
    """An issue is approved or published only with entries, every one of them approved."""
    if not issue.entries.exists():
        raise WorkflowError(_("The issue has no entries yet."))
    pending = list(
        issue.entries.not_approved()
        .order_by("section__position", "position")
        .values_list("title", "state")
    )
    if pending:
        raise WorkflowError(
            ngettext(
                "%(count)s entry of this issue is not approved yet: %(entries)s.",
                "%(count)s entries of this issue are not approved yet: %(entries)s.",
                len(pending),
            )
            % {"count": len(pending), "entries": _entry_list(pending)}
        )


def _entry_list(entries: list[tuple[str, str]], limit: int = 10) -> str:
    """“Title” (state), … for a message; past the limit, how many more."""
    states = dict(Entry.State.choices)
    named = _(", ").join(
        _("“%(title)s” (%(state)s)") % {"title": title, "state": states.get(state, state)}
        for title, state in entries[:limit]
    )
    if len(entries) <= limit:
        return named
    return _("%(entries)s and %(more)s more") % {"entries": named, "more": len(entries) - limit}


def issue_check_schedule_time(*, when: datetime.datetime | None) -> None:
    """An issue is scheduled for a definite time in the future."""
    if when is None:
        raise WorkflowError(_("Give the date and time of publication."))
    if timezone.is_naive(when):
        raise WorkflowError(_("The time of publication needs its time zone."))
    if when <= timezone.now():
        raise WorkflowError(_("The time of publication must be in the future."))


def state_check(*, obj: Entry | Issue, sources: tuple[str, ...]) -> None:
    """A transition starts only from one of its source states."""
    if obj.state not in sources:
        raise WorkflowError(
            _("Not possible while the state is “%(state)s”.") % {"state": obj.get_state_display()}
        )
