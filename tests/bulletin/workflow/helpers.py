"""What the workflow tests share: the roles, a transition posted in the admin, an issue in a
given state, an entry form's data."""

import datetime

from django.urls import reverse
from django.utils import timezone

from bulletin.models import Issue
from entries.models import Entry
from tests.factories import EntryFactory, IssueFactory, SectionFactory, publish

ROLES = ["author", "editor", "reviewer", "publisher", "partner"]
TOMORROW = (timezone.localtime() + datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")


def post_transition(client, user, obj, action, **data):
    client.force_login(user)
    app = "entries_entry" if isinstance(obj, Entry) else "bulletin_issue"
    url = reverse(f"admin:{app}_transition", args=[obj.pk, action])
    return client.post(url, {"comment": "请补充来源。", **data})


def issue_in(state, users, approved_entries=True):
    issue = IssueFactory(created_by=users["editor"], last_edited_by=users["editor"])
    EntryFactory(
        section=SectionFactory(issue=issue),
        state=Entry.State.APPROVED if approved_entries else Entry.State.DRAFT,
    )
    fields = {"state": state}
    if state == Issue.State.SCHEDULED:
        fields["scheduled_at"] = timezone.now() + datetime.timedelta(days=1)
    if state in (Issue.State.PUBLISHED, Issue.State.CORRECTED):
        Issue.objects.filter(pk=issue.pk).update(state=Issue.State.APPROVED)
        issue = publish(issue)
        fields = {"state": state}
    Issue.objects.filter(pk=issue.pk).update(**fields)
    issue.refresh_from_db()
    return issue


def entry_form_data(form, **changes):
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if hasattr(value, "pk"):
            value = value.pk
        if isinstance(value, list):
            value = [getattr(v, "pk", v) for v in value]
        data[name] = "" if value is None else value
    data["tags"] = ""
    for prefix in ("links", "commentary"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    data.update(changes)
    return data
