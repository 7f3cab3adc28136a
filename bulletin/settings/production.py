"""Production settings: no default for secrets, HTTPS everywhere."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import ARCHIVE_ORIGIN, LOGGING, STORAGES, env, urlsplit

DEBUG = False
try:
    SECRET_KEY = env("SECRET_KEY")
except ImproperlyConfigured as exc:
    raise ImproperlyConfigured(
        "SECRET_KEY must be set in the environment for production (see .env.example)."
    ) from exc
if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("insecure"):
    raise ImproperlyConfigured("SECRET_KEY must be a random string of at least 50 characters.")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
if ARCHIVE_ORIGIN:  # archived copies are served from their own host (bulletin/captures.py)
    ALLOWED_HOSTS = [*ALLOWED_HOSTS, urlsplit(ARCHIVE_ORIGIN).hostname]
if not env("REDIS_URL", default=""):
    # Without a shared cache each web process keeps its own pages, and a withdrawal would drop
    # the cached copies of one process only.
    raise ImproperlyConfigured("REDIS_URL must be set for production (see .env.example).")

# Hashed, compressed static files built by collectstatic (make collectstatic), served from there.
STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}
WHITENOISE_USE_FINDERS = False
WHITENOISE_AUTOREFRESH = False

# Every absolute address (emails, feeds, sitemap, canonical links, PDFs) is built from SITE_URL,
# never from a request's Host header; one-click unsubscribe (RFC 8058) needs it on HTTPS.
SITE_URL = env("SITE_URL", default="").rstrip("/")
if not SITE_URL.startswith("https://") or len(SITE_URL) <= len("https://"):
    raise ImproperlyConfigured(
        "SITE_URL must be set to the site's https:// address for production (see .env.example)."
    )

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# JSON log lines, with the request id, for the log system.
LOGGING["handlers"]["console"]["formatter"] = env("LOG_FORMAT", default="json")
