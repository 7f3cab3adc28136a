"""What reaches people: the review comment, the reviewers told of a submission, each user's
queue on their admin home."""

import pytest
from django.core import mail
from django.urls import reverse

from bulletin.models import Issue
from entries.models import Entry
from people.services import notification_preference_set
from tests.bulletin.workflow.helpers import (
    issue_in,
    post_transition,
)

pytestmark = pytest.mark.django_db


def test_review_comment_reaches_the_author_by_email_and_on_the_page(
    client, users, entry, django_capture_on_commit_callbacks
):
    Entry.objects.filter(pk=entry.pk).update(state=Entry.State.IN_REVIEW)
    users["author"].email = "author@example-law.cn"
    users["author"].save()
    notification_preference_set(user=users["author"], delivery="immediate", language="en")
    with django_capture_on_commit_callbacks(execute=True):
        post_transition(
            client, users["reviewer"], entry, "request_changes", comment="第二段缺少出处。"
        )
    assert [m.to for m in mail.outbox] == [["author@example-law.cn"]]
    assert "第二段缺少出处。" in mail.outbox[0].body
    client.force_login(users["author"])
    page = client.get(reverse("admin:entries_entry_change", args=[entry.pk])).content.decode()
    assert "第二段缺少出处。" in page


def test_submitting_tells_the_reviewers(client, users, entry, django_capture_on_commit_callbacks):
    users["reviewer"].email = "reviewer@example-law.cn"
    users["reviewer"].save()
    notification_preference_set(user=users["reviewer"], delivery="immediate", language="en")
    with django_capture_on_commit_callbacks(execute=True):
        post_transition(client, users["author"], entry, "submit")
    assert [m.to for m in mail.outbox] == [["reviewer@example-law.cn"]]


def test_each_user_sees_what_waits_for_them(client, users, entry):
    Entry.objects.filter(pk=entry.pk).update(state=Entry.State.IN_REVIEW, title="待审条目")
    client.force_login(users["reviewer"])
    assert "待审条目" in client.get(reverse("admin:index")).content.decode()
    Entry.objects.filter(pk=entry.pk).update(state=Entry.State.CHANGES_REQUESTED)
    client.force_login(users["author"])
    page = client.get(reverse("admin:index")).content.decode()
    assert 'id="inbox-changes-requested"' in page and "待审条目" in page


def test_scheduled_this_week_is_listed_for_publishers(client, users):
    issue = issue_in(Issue.State.SCHEDULED, users)
    client.force_login(users["publisher"])
    page = client.get(reverse("admin:index")).content.decode()
    assert issue.title in page.split('id="inbox-scheduled"')[1]
