"""What waits for a user on their admin home page."""

import datetime

from django.db.models import Q
from django.utils import timezone

from bulletin.models import Issue, WorkflowEvent
from bulletin.roles import Role, has_role
from entries.models import Entry

LIMIT = 20


def inbox_for(user) -> dict[str, list]:
    """Lists of entries and issues that need this user, by what they need."""
    inbox = {}
    if has_role(user, Role.REVIEWER):
        waiting = Q(created_by=user) | Q(last_edited_by=user)
        inbox["entries_to_review"] = list(
            Entry.objects.filter(state=Entry.State.IN_REVIEW)
            .exclude(waiting)
            .select_related("issue__bulletin")[:LIMIT]
        )
        inbox["issues_to_review"] = list(
            Issue.objects.filter(state=Issue.State.IN_REVIEW).exclude(waiting)[:LIMIT]
        )
    if has_role(user, Role.AUTHOR, Role.EDITOR):
        inbox["changes_requested"] = list(
            Entry.objects.filter(state=Entry.State.CHANGES_REQUESTED)
            .filter(Q(created_by=user) | Q(last_edited_by=user))
            .select_related("issue__bulletin")[:LIMIT]
        )
    if has_role(user, Role.PUBLISHER):
        inbox["issues_to_publish"] = list(Issue.objects.filter(state=Issue.State.APPROVED)[:LIMIT])
    if has_role(user, Role.PUBLISHER, Role.EDITOR):
        now = timezone.now()
        inbox["scheduled_this_week"] = list(
            Issue.objects.filter(
                state=Issue.State.SCHEDULED,
                scheduled_at__lt=now + datetime.timedelta(days=7),
            ).order_by("scheduled_at")[:LIMIT]
        )
    return inbox


def change_request_open(obj: Entry | Issue) -> WorkflowEvent | None:
    """The latest request for changes to an entry or an issue while it waits for an answer (it
    is answered by submitting again; edits in between record no event)."""
    latest = obj.events.exclude(action=WorkflowEvent.Action.EDIT).select_related("actor").first()
    if latest and latest.action == WorkflowEvent.Action.REQUEST_CHANGES:
        return latest
    return None
