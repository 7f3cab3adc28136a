"""Handing work to the broker. The work is a row written first (a job, a PDF rendering, a send);
its task goes to the broker once that row is committed. A broker that is down fails nobody: the
row stays as it was, and the periodic sweep that looks for such rows sends the task again.

Tasks are named, not imported: a task module imports its services, so a service that imported
its task back would close a cycle (the import contracts forbid it).

Workers count themselves here too (worker_slots), for work that is split among them."""

import contextlib
import functools
import logging
import threading
import time

from celery import signals
from django.core.cache import cache
from django.db import transaction

from bulletin.celery import app

logger = logging.getLogger(__name__)
# Every worker counts its pool processes in the shared cache (Redis in production) once per
# window of this many seconds, so work that splits (a send's task chains) can be split in as
# many parts as there are processes to run them, without asking the workers: a busy solo
# worker cannot answer a broadcast.
WORKER_WINDOW = 10


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


def _slots_key(window: int) -> str:
    return f"worker-slots:{window}"


def worker_slots(*, now: float | None = None) -> int:
    """The pool processes of the workers alive now (counted in this window or the last one);
    0 when none is known or the cache is down, and when tasks run in-process."""
    if app.conf.task_always_eager:
        return 0
    window = int((time.time() if now is None else now) // WORKER_WINDOW)
    try:
        counts = cache.get_many([_slots_key(window), _slots_key(window - 1)])
    except Exception:
        logger.warning("worker count unavailable")
        return 0
    return max([0, *counts.values()])


class WorkerCount:
    """A worker's own entry in the count: added in each window while it runs, taken back from
    the windows that still hold it when it stops (a killed worker drops out in two windows)."""

    def __init__(self, slots: int):
        self.slots = slots
        self.windows: set[int] = set()
        self.stopped = threading.Event()

    def add(self, *, now: float | None = None) -> None:
        window = int((time.time() if now is None else now) // WORKER_WINDOW)
        if window in self.windows:
            return
        key = _slots_key(window)
        cache.add(key, 0, timeout=3 * WORKER_WINDOW)
        try:
            cache.incr(key, self.slots)
        except ValueError:  # expired between add and incr
            cache.add(key, self.slots, timeout=3 * WORKER_WINDOW)
        self.windows = {w for w in self.windows if w >= window - 1} | {window}

    def remove(self) -> None:
        self.stopped.set()
        for window in self.windows:
            with contextlib.suppress(ValueError):  # that window has expired already
                cache.decr(_slots_key(window), self.slots)
        self.windows.clear()

    def run(self) -> None:
        while not self.stopped.is_set():
            try:
                self.add()
            except Exception:  # the cache is down; counted again once it is back
                logger.warning("this worker could not count itself in the cache")
            self.stopped.wait(WORKER_WINDOW - time.time() % WORKER_WINDOW + 0.1)


_this_worker: list[WorkerCount] = []


@signals.worker_ready.connect
def _count_this_worker(sender=None, **kwargs):
    count = WorkerCount(getattr(getattr(sender, "pool", None), "limit", None) or 1)
    _this_worker.append(count)
    threading.Thread(target=count.run, name="worker count", daemon=True).start()


@signals.worker_shutdown.connect
def _uncount_this_worker(**kwargs):
    for count in _this_worker:
        try:
            count.remove()
        except Exception:  # the cache is down: the entry lapses by itself
            logger.warning("this worker could not take itself out of the count")
