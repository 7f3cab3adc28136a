"""The production settings, served over plain HTTP on 127.0.0.1 for the validators (Lighthouse,
axe-core, the Nu checker): the same middleware, WhiteNoise with hashed compressed static files,
DEBUG off. Production insists on an https SITE_URL; the test server has no certificate."""

from bulletin.settings.production import *  # noqa: F403
from bulletin.settings.production import env

SITE_URL = env("SERVED_URL").rstrip("/")
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
