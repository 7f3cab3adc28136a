import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from bulletin.models import Issue
from tests.factories import EntryFactory, IssueFactory, SectionFactory

pytestmark = pytest.mark.django_db


def test_run_periodic_publishes_what_is_due():
    issue = IssueFactory(
        state=Issue.State.SCHEDULED, scheduled_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    EntryFactory(section=SectionFactory(issue=issue), state="approved")
    call_command("run_periodic")
    issue.refresh_from_db()
    assert issue.state == Issue.State.PUBLISHED


def test_every_periodic_task_is_a_registered_task(settings):
    from bulletin.celery import app

    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks
