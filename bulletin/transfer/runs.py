"""The admin's imports as recorded runs: the upload is kept with a status, a progress and the
report; a small file is imported at once, a large one (over IMPORT_ASYNC_BYTES) by a worker. An
import that would replace a draft stops, shows what it would replace, and waits to be confirmed."""

import datetime
import json

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from bulletin.dispatch import task_send, task_send_on_commit
from bulletin.heartbeat import heartbeat
from bulletin.models import Bulletin
from bulletin.transfer.models import ImportRun
from bulletin.transfer.services import (
    ImportFailed,
    ImportResult,
    check_can_import,
    issue_import_document,
    issue_import_file,
)

IMPORT_TASK = "bulletin.transfer.tasks.import_run_task"


def import_run_create(
    *,
    user,
    content: bytes,
    source: str,
    is_json: bool,
    bulletin: Bulletin | None = None,
    dry_run: bool = False,
) -> ImportRun:
    """Record an import of an uploaded file; a large one is handed to a worker after commit."""
    check_can_import(user)
    run = ImportRun.objects.create(
        created_by=user,
        bulletin=bulletin,
        source=source[:255],
        is_json=is_json,
        content=content,
        size=len(content),
        dry_run=dry_run,
    )
    _start(run)
    run.refresh_from_db()
    return run


def import_run_confirm(*, run: ImportRun, user) -> ImportRun:
    """The person who asked for the import confirms that it replaces the draft: it runs again."""
    check_can_import(user)
    updated = ImportRun.objects.filter(
        pk=run.pk, created_by=user, status=ImportRun.Status.NEEDS_CONFIRMATION
    ).update(replace=True, status=ImportRun.Status.PENDING, progress=0, report="")
    run.refresh_from_db()
    if updated:
        _start(run)
        run.refresh_from_db()
    return run


def is_large(run: ImportRun) -> bool:
    return run.size > settings.IMPORT_ASYNC_BYTES


def _start(run: ImportRun) -> None:
    if is_large(run):
        task_send_on_commit(IMPORT_TASK, run.pk, what=f"import {run.pk}")
    else:
        import_run_execute(run_id=run.pk)


# A large run waits this long for the task sent at its creation before the sweep sends another
# (the second finds the run claimed if the first arrived after all).
SWEEP_AFTER = datetime.timedelta(minutes=1)


def import_runs_sweep(*, now: datetime.datetime | None = None) -> int:
    """Hand over again the imports whose task never reached a worker (the broker was down when
    they were asked for), and those whose process died while importing (no heartbeat for
    IMPORT_LEASE seconds): an import writes in one transaction, so nothing of a dead one was
    saved, and it runs again, up to IMPORT_MAX_ATTEMPTS times in all."""
    now = now or timezone.now()
    lapsed = now - datetime.timedelta(seconds=settings.IMPORT_LEASE)
    dead = ImportRun.objects.filter(status=ImportRun.Status.RUNNING).filter(
        Q(heartbeat_at__lt=lapsed) | Q(heartbeat_at__isnull=True, started_at__lt=lapsed)
    )
    dead.filter(attempts__gte=settings.IMPORT_MAX_ATTEMPTS).update(
        status=ImportRun.Status.FAILED,
        progress=100,
        finished_at=now,
        content=b"",
        report=_(
            "The import stopped before it finished, %(attempts)s times (the process importing "
            "it ended), and is not tried again. Nothing of it was saved: try a smaller file, or "
            "ask an administrator to look at the workers' log."
        )
        % {"attempts": settings.IMPORT_MAX_ATTEMPTS},
    )
    revived = list(dead.values_list("pk", flat=True)[:100])
    ImportRun.objects.filter(pk__in=revived, status=ImportRun.Status.RUNNING).update(
        status=ImportRun.Status.PENDING, progress=0
    )
    waiting = ImportRun.objects.filter(
        status=ImportRun.Status.PENDING, created_at__lt=now - SWEEP_AFTER
    ).values_list("pk", flat=True)[:100]
    due = list(dict.fromkeys([*revived, *waiting]))
    for run_id in due:
        task_send(IMPORT_TASK, run_id, what=f"import {run_id}")
    return len(due)


def import_run_execute(*, run_id: int) -> bool:
    """Run a pending import once (safe to call twice: only one caller claims it)."""
    now = timezone.now()
    claimed = ImportRun.objects.filter(pk=run_id, status=ImportRun.Status.PENDING).update(
        status=ImportRun.Status.RUNNING,
        started_at=now,
        heartbeat_at=now,
        attempts=F("attempts") + 1,
        progress=5,
    )
    if not claimed:
        return False
    run = ImportRun.objects.select_related("bulletin", "created_by").get(pk=run_id)

    def renew() -> None:
        ImportRun.objects.filter(pk=run_id, status=ImportRun.Status.RUNNING).update(
            heartbeat_at=timezone.now()
        )

    try:
        with heartbeat(renew, lease=settings.IMPORT_LEASE, name=f"import {run_id}"):
            result = _import(run)
    except ImportFailed as exc:
        waits = exc.report.needs_replace
        _finish(run, ImportRun.Status.NEEDS_CONFIRMATION if waits else ImportRun.Status.FAILED)
        ImportRun.objects.filter(pk=run.pk).update(report=exc.report.as_text())
        return False
    except (PermissionDenied, ValueError) as exc:  # a role taken away; not JSON, a file unreadable
        _finish(run, ImportRun.Status.FAILED)
        ImportRun.objects.filter(pk=run.pk).update(report=str(exc))
        return False
    _finish(run, ImportRun.Status.DONE, issue=result.issue)
    ImportRun.objects.filter(pk=run.pk).update(report=result.report.as_text())
    return True


def _import(run: ImportRun) -> ImportResult:
    options = {"user": run.created_by, "source": run.source, "dry_run": run.dry_run}
    options["replace"] = run.replace
    if run.is_json:
        text = bytes(run.content).decode("utf-8-sig")
        return issue_import_document(data=json.loads(text), bulletin=run.bulletin, **options)

    def progress(percent: int) -> None:
        ImportRun.objects.filter(pk=run.pk).update(progress=percent)

    content = bytes(run.content)
    return issue_import_file(bulletin=run.bulletin, content=content, progress=progress, **options)


def _finish(run: ImportRun, status: str, issue=None) -> None:
    """The upload is kept only while the import may still be confirmed."""
    keep = status == ImportRun.Status.NEEDS_CONFIRMATION
    ImportRun.objects.filter(pk=run.pk).update(
        status=status,
        progress=100,
        issue=issue,
        finished_at=timezone.now(),
        **({} if keep else {"content": b""}),
    )


def status_text(run: ImportRun) -> str:
    """One line for the import page."""
    if run.status == ImportRun.Status.RUNNING:
        return _("Importing: %(progress)s%%") % {"progress": run.progress}
    return run.get_status_display()
