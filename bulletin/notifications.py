"""Emails to the people who must act next after a workflow event, with the comment itself."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from bulletin.models import Issue, WorkflowEvent
from bulletin.roles import Role
from bulletin.services.jobs import job_handler
from entries.models import Entry

# The roles to tell when an object reaches a state; the object's own writers are told of the rest.
ROLES_TO_TELL = {
    ("entry", Entry.State.IN_REVIEW): [Role.REVIEWER],
    ("issue", Issue.State.IN_REVIEW): [Role.REVIEWER],
    ("issue", Issue.State.APPROVED): [Role.PUBLISHER],
}


def event_recipients(event: WorkflowEvent) -> list[str]:
    """Email addresses of who must act next; never the person who acted."""
    subject = event.entry or event.issue
    kind = "entry" if event.entry_id else "issue"
    roles = ROLES_TO_TELL.get((kind, event.to_state))
    if event.action == "publish_failed":
        roles = [Role.PUBLISHER]
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    if roles:
        users = users.filter(groups__name__in=roles)
    else:
        users = users.filter(pk__in=[subject.created_by_id, subject.last_edited_by_id])
    if event.actor_id:
        users = users.exclude(pk=event.actor_id)
    return sorted(set(users.values_list("email", flat=True)))


def _admin_url(event: WorkflowEvent) -> str:
    if event.entry_id:
        path = reverse("admin:entries_entry_change", args=[event.entry_id])
    else:
        path = reverse("admin:bulletin_issue_change", args=[event.issue_id])
    return settings.SITE_URL + path


@job_handler("workflow.notify")
def workflow_notify(payload: dict) -> None:
    event = WorkflowEvent.objects.select_related("entry", "issue", "actor").get(
        pk=payload["event_id"]
    )
    recipients = event_recipients(event)
    if not recipients:
        return
    context = {"event": event, "subject": event.entry or event.issue, "url": _admin_url(event)}
    subject = render_to_string("email/workflow_event_subject.txt", context).strip()
    body = render_to_string("email/workflow_event.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
