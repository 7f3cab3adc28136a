"""A large import handed to a real Celery worker that is killed while it imports: nothing of
it is written, and the sweep has another worker import it, once."""

import signal
from pathlib import Path

import pytest
import redis

from bulletin.models import Issue
from bulletin.transfer.models import ImportRun
from bulletin.transfer.runs import import_run_create, import_runs_sweep
from tests.conftest import (
    _needs_postgres,
    celery_broker,
    start_worker,
    stop_worker,
    wait_until,
    worker_env,
)
from tests.factories import BulletinFactory, UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.redis]
SEED = Path(__file__).resolve().parents[2].parent / "shared" / "seed" / "000_23cbc9795de2381b.txt"


def status(run: ImportRun) -> str:
    return ImportRun.objects.values_list("status", flat=True).get(pk=run.pk)


def test_an_import_whose_worker_is_killed_is_imported_once_by_another(
    redis_url, transactional_db, short_leases, settings
):
    _needs_postgres()
    redis.Redis.from_url(redis_url).delete("celery")
    settings.IMPORT_ASYNC_BYTES = 1_000  # the seed (over a second to import) goes to a worker
    editor, bulletin = UserFactory(roles=["Editor"]), BulletinFactory()
    worker = start_worker(worker_env(redis_url), "import-killed")
    try:
        with celery_broker(redis_url):
            run = import_run_create(
                user=editor,
                content=SEED.read_bytes(),
                source=SEED.name,
                is_json=False,
                bulletin=bulletin,
            )
            wait_until(lambda: status(run) == ImportRun.Status.RUNNING, timeout=60, interval=0.02)
            worker.send_signal(signal.SIGKILL)
            worker.wait()
            assert status(run) == ImportRun.Status.RUNNING  # killed while importing
            assert not Issue.objects.exists()  # and nothing of it written
            worker = start_worker(worker_env(redis_url), "import-second")

            def swept_until_done() -> bool:
                import_runs_sweep()  # what the periodic task does every 20 s
                return status(run) == ImportRun.Status.DONE

            wait_until(swept_until_done, timeout=120, interval=0.5)
    finally:
        stop_worker(worker)
    run.refresh_from_db()
    assert run.attempts == 2 and run.issue.entries.count() == 42
    assert Issue.objects.count() == 1
