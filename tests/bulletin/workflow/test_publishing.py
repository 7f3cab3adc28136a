"""Publishing: once only, on schedule, with the broker down, withdrawn, and corrected."""

import datetime

import pytest
from django.utils import timezone

from bulletin.models import Issue, Job, Publication
from bulletin.services.entries import entry_save
from bulletin.services.publishing import issue_publish, issues_publish_due
from bulletin.services.workflow import WorkflowError, entry_transition, issue_transition
from tests.bulletin.workflow.helpers import (
    issue_in,
    post_transition,
)
from tests.factories import EntryFactory, IssueFactory, SectionFactory, publish

pytestmark = pytest.mark.django_db


def test_publishing_twice_publishes_once(users):
    issue = issue_in(Issue.State.APPROVED, users)
    issue_publish(issue=issue, user=users["publisher"])
    issue_publish(issue=issue, user=users["publisher"])
    assert Publication.objects.filter(issue=issue).count() == 1
    assert issue.events.filter(action="publish").count() == 1


def test_double_click_on_publish_publishes_once(client, users):
    issue = issue_in(Issue.State.APPROVED, users)
    for _ in range(2):
        assert post_transition(client, users["publisher"], issue, "publish").status_code == 302
    assert Publication.objects.filter(issue=issue).count() == 1
    assert Job.objects.filter(name="web.invalidate").count() == 1


def test_scheduled_issue_is_published_when_its_time_comes(users):
    issue = issue_in(Issue.State.APPROVED, users)
    at = timezone.now() + datetime.timedelta(hours=2)
    issue_transition(issue=issue, user=users["publisher"], action="schedule", when=at)
    assert issues_publish_due(now=at - datetime.timedelta(minutes=1)) == []
    assert issues_publish_due(now=at) == [issue.pk]
    issue.refresh_from_db()
    assert (issue.state, issue.published_at) == (Issue.State.PUBLISHED, at)
    assert issues_publish_due(now=at + datetime.timedelta(minutes=1)) == []


def test_a_missed_beat_publishes_on_the_next_run_and_logs_the_delay(users, caplog):
    issue = issue_in(Issue.State.APPROVED, users)
    at = timezone.now() + datetime.timedelta(minutes=5)
    issue_transition(issue=issue, user=users["publisher"], action="schedule", when=at)
    later = at + datetime.timedelta(hours=3)
    assert issues_publish_due(now=later) == [issue.pk]
    event = issue.events.get(action="publish")
    assert "180 minutes" in event.comment
    assert "late" in caplog.text


def test_a_scheduled_issue_that_cannot_be_published_is_not_silently_dropped(users):
    issue = issue_in(Issue.State.SCHEDULED, users, approved_entries=False)
    assert issues_publish_due(now=issue.scheduled_at) == []
    issue.refresh_from_db()
    assert issue.state == Issue.State.APPROVED
    assert issue.events.filter(action="publish_failed").exists()


def test_publishing_while_the_broker_is_down_loses_nothing(
    users, settings, django_capture_on_commit_callbacks
):
    from bulletin.services.jobs import jobs_sweep
    from tests.conftest import celery_broker

    issue = issue_in(Issue.State.APPROVED, users)
    with celery_broker("redis://127.0.0.1:9/0"):  # nothing listens there
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            issue_publish(issue=issue, user=users["publisher"])
        assert callbacks, "the publication asked for its outputs after commit"
    issue.refresh_from_db()
    assert issue.state == Issue.State.PUBLISHED
    job = Job.objects.get(name="web.invalidate")
    assert job.status == Job.Status.PENDING
    assert job.attempts == 0
    assert jobs_sweep() >= 1
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.last_error


def test_withdrawn_issue_leaves_the_public_site(client, users, django_capture_on_commit_callbacks):
    issue = issue_in(Issue.State.PUBLISHED, users)
    assert client.get(issue.get_absolute_url()).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        issue_transition(
            issue=issue, user=users["publisher"], action="withdraw", comment="内容有误"
        )
    assert client.get(issue.get_absolute_url()).status_code == 404
    assert issue.events.get(action="withdraw").comment == "内容有误"


def test_correction_goes_through_review_and_is_shown_dated(
    client, users, django_capture_on_commit_callbacks
):
    issue = IssueFactory(created_by=users["editor"])
    entry = EntryFactory(
        section=SectionFactory(issue=issue),
        summary="<p>原文：罚款 3%。</p>",
        created_by=users["author"],
    )
    publish(issue)
    publisher, reviewer = users["publisher"], users["reviewer"]
    issue_transition(
        issue=issue, user=publisher, action="open_correction", comment="更正罚款比例。"
    )

    entry.refresh_from_db()
    entry.summary = "<p>更正：罚款 7%。</p>"
    entry_save(entry=entry, user=users["author"])
    assert "原文：罚款 3%" in client.get(issue.get_absolute_url()).content.decode()
    with pytest.raises(WorkflowError, match="not approved"):
        issue_transition(issue=issue, user=publisher, action="publish_correction")

    entry_transition(entry=entry, user=users["author"], action="submit")
    entry_transition(entry=entry, user=reviewer, action="approve")
    with django_capture_on_commit_callbacks(execute=True):
        issue_transition(issue=issue, user=publisher, action="publish_correction")

    html = client.get(issue.get_absolute_url()).getvalue().decode()  # a stored page is streamed
    assert "更正：罚款 7%" in html and "原文：罚款 3%" not in html
    assert "更正罚款比例。" in html
    issue.refresh_from_db()
    assert issue.state == Issue.State.CORRECTED
    first = Publication.objects.filter(issue=issue).order_by("pk").first()
    assert "原文：罚款 3%" in str(first.content)


def test_the_scheduler_leaves_an_issue_unscheduled_meanwhile_alone(users):
    issue = issue_in(Issue.State.APPROVED, users)
    assert issue_publish(issue=issue, user=None).state == Issue.State.APPROVED
    assert not Publication.objects.filter(issue=issue).exists()


def test_an_impossible_schedule_date_is_refused_not_a_crash(client, users):
    issue = issue_in(Issue.State.APPROVED, users)
    response = post_transition(
        client, users["publisher"], issue, "schedule", when="2030-02-30T10:00"
    )
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.state == Issue.State.APPROVED
