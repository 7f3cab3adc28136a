"""Handing work to the broker. The work is a row written first (a job, a PDF rendering, a send);
its task goes to the broker once that row is committed. A broker that is down fails nobody: the
row stays as it was, and the periodic sweep that looks for such rows sends the task again.

Tasks are named, not imported: a task module imports its services, so a service that imported
its task back would close a cycle (the import contracts forbid it)."""

import functools
import logging

from django.db import transaction

from bulletin.celery import app

logger = logging.getLogger(__name__)


def task_send(task: str, *args, what: str) -> bool:
    """Send the task named `task` with *args to the broker now; False (and logged) when the
    broker is down, the work then waiting in its row for the sweep."""
    try:
        app.signature(task).delay(*args)
    except Exception as exc:
        logger.warning("%s not dispatched (%s); the periodic sweep hands it over", what, exc)
        return False
    return True


def task_send_on_commit(task: str, *args, what: str) -> None:
    """task_send once the current transaction commits: the worker finds the row it is sent for
    (at once outside a transaction)."""
    transaction.on_commit(functools.partial(task_send, task, *args, what=what))
