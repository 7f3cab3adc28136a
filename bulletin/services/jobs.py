"""A small outbox: work to do after a commit is written to the database first, then handed to
Celery; if the broker is down or a worker dies, the periodic sweep hands it over again."""

import datetime
import logging
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from bulletin.dispatch import task_send, task_send_on_commit
from bulletin.models import Job
from bulletin.roles import Role, require

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
STALE_AFTER = datetime.timedelta(minutes=15)
RUN_TASK = "bulletin.tasks.job_run_task"
HANDLERS: dict[str, Callable[[dict], None]] = {}
# Jobs whose payload holds personal data (a subscriber's address): emptied once done, so that
# the record of the work does not outlive the person's right to be forgotten.
PRIVATE: set[str] = set()
# Jobs that read all they need when they run (a refresh): one run stands for every job of the
# same name and payload that was waiting when it started.
COALESCED: set[str] = set()


def job_handler(name: str, *, private: bool = False, coalesce: bool = False):
    """Register the function that runs jobs of this name (`private`: empty the payload once
    the job is done; `coalesce`: see COALESCED)."""

    def register(function):
        HANDLERS[name] = function
        if private:
            PRIVATE.add(name)
        if coalesce:
            COALESCED.add(name)
        return function

    return register


def job_enqueue(*, name: str, payload: dict) -> Job:
    """Record a job in the current transaction; hand it to a worker once committed."""
    job = Job.objects.create(name=name, payload=payload, run_after=timezone.now())
    task_send_on_commit(RUN_TASK, job.pk, what=f"job {job.pk}")
    return job


def job_dispatch(*, job_id: int) -> bool:
    """Send a job to the broker now; a broker that is down leaves it pending for the sweep."""
    return task_send(RUN_TASK, job_id, what=f"job {job_id}")


def job_run(*, job_id: int) -> bool:
    """Run a pending job once; safe to call twice (only one caller claims it)."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=Job.Status.PENDING, run_after__lte=now).update(
        status=Job.Status.RUNNING, started_at=now, attempts=F("attempts") + 1
    )
    if not claimed:
        return False
    job = Job.objects.get(pk=job_id)
    # Those committed before this run reads anything: what they were asked for is in its reads.
    covered = _same_waiting(job) if job.name in COALESCED else []
    try:
        with transaction.atomic():
            HANDLERS[job.name](job.payload)
    except Exception as exc:
        _job_failed(job, exc)
        return False
    erased = {"payload": {}} if job.name in PRIVATE else {}
    finished = timezone.now()
    Job.objects.filter(pk=job_id).update(
        status=Job.Status.DONE, finished_at=finished, last_error="", **erased
    )
    if covered:  # one still waiting now is done; one another worker took runs once more
        Job.objects.filter(pk__in=covered, status=Job.Status.PENDING).update(
            status=Job.Status.DONE, finished_at=finished, last_error=f"done by job {job_id}"
        )
    return True


def _same_waiting(job: Job) -> list[int]:
    return list(
        Job.objects.filter(name=job.name, payload=job.payload, status=Job.Status.PENDING)
        .exclude(pk=job.pk)
        .values_list("pk", flat=True)[:1000]
    )


def _job_failed(job: Job, exc: Exception) -> None:
    logger.exception("job %s (%s) failed on attempt %s", job.pk, job.name, job.attempts)
    final = job.attempts >= MAX_ATTEMPTS or job.name not in HANDLERS
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.FAILED if final else Job.Status.PENDING,
        run_after=timezone.now() + datetime.timedelta(seconds=30 * 2**job.attempts),
        last_error=f"{type(exc).__name__}: {exc}"[:2000],
        finished_at=timezone.now() if final else None,
    )


def job_retry(*, job: Job, user) -> None:
    """Give a failed job another round of attempts (from the admin), as for a failed PDF."""
    require(user, Role.PUBLISHER, Role.EDITOR)
    Job.objects.filter(pk=job.pk, status=Job.Status.FAILED).update(
        status=Job.Status.PENDING, attempts=0, run_after=timezone.now()
    )
    task_send_on_commit(RUN_TASK, job.pk, what=f"job {job.pk}")


def jobs_sweep(*, now: datetime.datetime | None = None) -> int:
    """Hand over every due pending job again, and free jobs whose worker died."""
    now = now or timezone.now()
    Job.objects.filter(status=Job.Status.RUNNING, started_at__lt=now - STALE_AFTER).update(
        status=Job.Status.PENDING
    )
    due = list(
        Job.objects.filter(status=Job.Status.PENDING, run_after__lte=now).values_list(
            "pk", flat=True
        )[:500]
    )
    for job_id in due:
        job_dispatch(job_id=job_id)
    return len(due)


def jobs_purge(*, now: datetime.datetime | None = None) -> int:
    """Delete the jobs done more than JOBS_KEEP_DONE_DAYS ago, a batch at a time; the count."""
    now = now or timezone.now()
    before = now - datetime.timedelta(days=settings.JOBS_KEEP_DONE_DAYS)
    old = Job.objects.filter(status=Job.Status.DONE, finished_at__lt=before)
    ids = list(old.values_list("pk", flat=True)[: settings.PURGE_BATCH])
    return Job.objects.filter(pk__in=ids).delete()[0]
