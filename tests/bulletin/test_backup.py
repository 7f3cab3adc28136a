"""A backup restored into a fresh database serves the same issue."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection

from tests.factories import CommentaryFactory, EntryFactory, IssueFactory, SectionFactory, publish

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]
RENDER = (
    "from django.test import Client; import hashlib, os; "
    "r = Client().get(os.environ['PAGE'], HTTP_HOST='127.0.0.1'); "
    "print(r.status_code, hashlib.sha256(r.content).hexdigest())"
)


def database_url(name):
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{name}"


def serve(url_of_database, path, tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": url_of_database,
        "DJANGO_SETTINGS_MODULE": "bulletin.settings.test",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "PDF_ROOT": str(tmp_path / "pdf"),
        "REDIS_URL": "",
        # Rendered from this database, not read from the pages stored for the original.
        "PUBLISHED_PAGES_SERVE": "0",
        "PAGE": path,
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v0", "-c", RENDER],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return result.stdout.split()[-2:]


def test_a_restored_backup_serves_the_same_issue(tmp_path):
    issue = IssueFactory(title="备份测试期")
    CommentaryFactory(entry=EntryFactory(section=SectionFactory(issue=issue), title="恢复后的条目"))
    publish(issue)
    path = issue.get_absolute_url()
    original = database_url(connection.settings_dict["NAME"])
    env = {
        **os.environ,
        "DATABASE_URL": original,
        "MEDIA_ROOT": str(tmp_path / "media"),
        "PDF_ROOT": str(tmp_path / "pdf"),
    }
    subprocess.run(
        ["bin/backup", str(tmp_path / "backup")],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )

    restored_name = f"restore_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{restored_name}"')
    try:
        restored = database_url(restored_name)
        restore_env = {**env, "DATABASE_URL": restored, "MEDIA_ROOT": str(tmp_path / "restored")}
        subprocess.run(
            ["bin/restore", str(tmp_path / "backup")],
            cwd=ROOT,
            env=restore_env,
            check=True,
            capture_output=True,
            timeout=180,
        )
        before = serve(original, path, tmp_path)
        after = serve(restored, path, tmp_path)
        assert before[0] == "200" and before == after
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{restored_name}" WITH (FORCE)')
