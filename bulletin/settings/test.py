"""Settings for the test suite: the same as base, with fast hashing and quiet logs."""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import STORAGES, env

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
