"""Celery task of the admin's imports: a large file is imported by a worker."""

from celery import shared_task

from bulletin.transfer import runs


@shared_task(acks_late=True)
def import_run_task(run_id: int) -> bool:
    """Run one recorded import; no Celery retry (an import that failed says why in its report)."""
    return runs.import_run_execute(run_id=run_id)


@shared_task
def import_runs_sweep_task() -> int:
    return runs.import_runs_sweep()
