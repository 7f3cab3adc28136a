"""Settings of the Celery worker processes the mailing tests start: the test settings, with
real SMTP to the test's aiosmtpd server on loopback."""

import os

from bulletin.settings.test import *  # noqa: F403

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = "127.0.0.1"
EMAIL_PORT = int(os.environ["MAILING_TEST_SMTP_PORT"])
EMAIL_USE_TLS = EMAIL_USE_SSL = False
EMAIL_HOST_USER = EMAIL_HOST_PASSWORD = ""
MAILING_RATE = float(os.environ.get("MAILING_RATE", "0"))
MAILING_BATCH_SIZE = int(os.environ.get("MAILING_BATCH_SIZE", "100"))
