"""Settings for the test suite: the same as base, with fast hashing and quiet logs."""

import os
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from django.core.exceptions import ImproperlyConfigured


def _xdist_worker_environment(worker: str) -> None:
    """pytest-xdist runs the suite in several processes at once (`make test`): process gwN takes
    the Redis database N after REDIS_URL's (its cache, broker and counters; a test's
    cache.clear() empties only its own) and folders of its own for media and PDFs (the same
    slugs and ids are made in every process's database). The processes a test starts (Celery
    workers, gunicorn, manage.py) inherit the environment, so they share them with their test."""
    index = int(worker.removeprefix("gw"))
    # TEST_REDIS_DATABASES ("5,8") names them instead, when the next ones are someone else's.
    chosen = [int(n) for n in os.environ.get("TEST_REDIS_DATABASES", "").split(",") if n.strip()]
    for name in ("REDIS_URL", "CELERY_BROKER_URL"):
        url = urlsplit(os.environ.get(name, ""))
        if url.scheme not in ("redis", "rediss"):
            continue
        if chosen and index >= len(chosen):
            raise ImproperlyConfigured(
                f"TEST_REDIS_DATABASES names {len(chosen)} databases; xdist worker {worker} needs"
                " one more: name more or run fewer workers (-n)."
            )
        database = chosen[index] if chosen else int(url.path.strip("/") or 0) + index
        if database > 15:
            raise ImproperlyConfigured(
                f"{name}: xdist worker {worker} needs Redis database {database}; Redis has 16"
                " (0-15): give a lower database or run fewer workers (-n)."
            )
        os.environ[name] = urlunsplit(url._replace(path=f"/{database}"))
    var = Path(__file__).resolve().parents[2] / "var" / f"test-{worker}"
    os.environ["MEDIA_ROOT"] = str(var / "media")
    os.environ["PDF_ROOT"] = str(var / "private" / "pdf")
    os.environ["LINK_CAPTURE_ROOT"] = str(var / "private" / "captures")
    pages = Path(tempfile.gettempdir()) / f"bulletin-test-pages-{os.getpid()}-{worker}"
    os.environ["BULLETIN_TEST_PAGES_ROOT"] = str(pages)
    os.environ["TEST_ENVIRONMENT_OF"] = worker


# Once per worker: a process started by a test already has its worker's environment.
_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if _worker and os.environ.get("TEST_ENVIRONMENT_OF") != _worker:
    _xdist_worker_environment(_worker)

from .base import *  # noqa: E402, F403
from .base import STORAGES, env  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
STORAGES = {**STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
LOGGING = {"version": 1, "disable_existing_loggers": False}
WHITENOISE_AUTOREFRESH = True
# Stored pages of this test run only (emptied before each test and removed after the run by
# tests/conftest.py), never a folder of the environment's; the processes a test starts (a Celery
# worker) inherit the same folder. Served as in production.
PUBLISHED_PAGES_ROOT = Path(
    os.environ.setdefault(
        "BULLETIN_TEST_PAGES_ROOT",
        str(Path(tempfile.gettempdir()) / f"bulletin-test-pages-{os.getpid()}"),
    )
)
PUBLISHED_PAGES_SERVE = env.bool("PUBLISHED_PAGES_SERVE", default=True)
# The suite's local servers (tests/entries/servers.py) may be fetched only where a test allows
# them; a worker process a test starts learns them from its environment. Names resolve only
# through the suite's own resolver (localhost, and what a test records): a saved entry's links
# are checked, and no test may reach the network.
LINK_FETCH_ALLOW = env.list("LINK_FETCH_ALLOW", default=[])
LINK_FETCH_RESOLVER = env("LINK_FETCH_RESOLVER", default="tests.entries.fake_dns.resolve")
LINK_FETCH_CA_FILE = env("LINK_FETCH_CA_FILE", default="")
# Archived copies are played back from their own host (Chromium resolves *.localhost to
# 127.0.0.1); the browser tests give it their live server's port.
ARCHIVE_ORIGIN = env("ARCHIVE_ORIGIN", default="http://archive.localhost:8000").rstrip("/")
ALLOWED_HOSTS = [*ALLOWED_HOSTS, urlsplit(ARCHIVE_ORIGIN).hostname]  # noqa: F405
