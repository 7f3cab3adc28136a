"""Celery tasks: each loads its rows by key, calls one service and owns its retry policy."""

from celery import shared_task

from bulletin.health import beat_heartbeat
from bulletin.services import jobs, links, publishing


@shared_task(acks_late=True)
def job_run_task(job_id: int) -> bool:
    """Run one recorded job; jobs retry themselves (backoff in the Job row), so no Celery retry."""
    return jobs.job_run(job_id=job_id)


@shared_task
def jobs_sweep_task() -> int:
    """Every minute: hand over pending jobs again, delete those done long ago, and record that
    beat is alive."""
    beat_heartbeat()
    jobs.jobs_purge()
    return jobs.jobs_sweep()


@shared_task
def issues_publish_due_task() -> list[int]:
    return publishing.issues_publish_due()


@shared_task
def links_watch_task() -> int:
    """Every LINK_WATCH_EVERY: ask for a check of the published links that are due (a batch)."""
    return len(links.links_watch_periodic())
