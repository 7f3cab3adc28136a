"""Leases kept alive by the process that holds them.

Work a worker claims (a batch of deliveries, a PDF rendering) carries a short lease in the
database. While the worker lives, a background thread renews it every third of the lease,
however long one step takes (a slow SMTP server, a big PDF); when the worker dies the renewals
stop, the lease lapses within one lease, and the periodic sweep hands the work over again.
"""

import contextlib
import logging
import threading
from collections.abc import Callable, Iterator

from django.db import connection

logger = logging.getLogger(__name__)


@contextlib.contextmanager
def heartbeat(renew: Callable[[], object], *, lease: float, name: str) -> Iterator[None]:
    """Call renew() every lease/3 seconds in a background thread while the block runs."""
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(lease / 3):
                try:
                    renew()
                except Exception:  # the next beat tries again; the lease has two more thirds
                    logger.exception("heartbeat of %s failed", name)
        finally:
            connection.close()  # this thread's own database connection

    thread = threading.Thread(target=beat, name=f"heartbeat {name}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        # A beat stuck on the database must not hold up the task; it ends by itself.
        thread.join(timeout=lease / 3)
