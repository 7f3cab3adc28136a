import datetime

import pytest
from django.conf import settings
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


def test_every_periodic_task_runs_in_a_fresh_process(tmp_path):
    """A fresh process (no test module imported) knows every task of the schedule."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "REDIS_URL": ""}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    root = Path(__file__).resolve().parents[2]
    run = lambda *args: subprocess.run(  # noqa: E731
        [sys.executable, "manage.py", *args],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run("migrate", "-v0").returncode == 0
    result = run("run_periodic")
    assert result.returncode == 0
    for name in settings.CELERY_BEAT_SCHEDULE:
        assert f"{name}:" not in result.stderr, result.stderr
