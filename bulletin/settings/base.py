"""Settings shared by every environment, read from the environment with django-environ.

With no environment at all the project runs on its own: SQLite under var/, Celery
tasks in-process, emails written to var/outbox/.
"""

import datetime
from pathlib import Path
from urllib.parse import urlsplit

import environ
from csp.constants import NONCE
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
# Only used when nothing is configured; production.py refuses to start without one.
SECRET_KEY = env("SECRET_KEY", default="insecure-local-development-key-change-me")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
CSRF_FAILURE_VIEW = "bulletin.views.csrf_failure"
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "bulletin.desk.DeskAdminConfig",  # django.contrib.admin, as the firm's editorial desk
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "csp",
    "django_prose_editor",
    "taggit",
    "reversion",
    "axes",
    "people",
    "entries",
    "bulletin",
    "bulletin.pdf",
    "bulletin.mailing",
    "bulletin.transfer",
    "bulletin.translation",
    "bulletin.notifications",
]

MIDDLEWARE = [
    "bulletin.observability.request_id_middleware",
    "django.middleware.security.SecurityMiddleware",
    "bulletin.middleware.reject_nul_bytes",
    "bulletin.captures.ArchiveOriginMiddleware",  # the archive host answers before sessions
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "bulletin.pages.PublishedPagesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "bulletin.middleware.BulletinLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "csp.middleware.CSPMiddleware",
    "bulletin.middleware.admin_csp",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "bulletin.urls"
WSGI_APPLICATION = "bulletin.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    VAR_DIR.mkdir(exist_ok=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "pdf:list"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Login throttling (django-axes): after AXES_FAILURE_LIMIT failures from one address, or for one
# user name, further attempts are refused for AXES_COOLOFF_MINUTES; staff unlock in the admin.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
# Trusted proxies in front that append to X-Forwarded-For: the client's address is read behind
# them (sign-in throttling, search and subscribe limits), by bulletin.addresses alone.
PROXY_COUNT = env.int("PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "bulletin.addresses.client_limit_key"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The admin speaks Chinese by default and English to browsers that ask for it.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
# Content is written and translated (bulletin.translation) in these languages too: a third is a
# line here (and its interface translation), no code and no migration. CONTENT_LANGUAGES, if
# set, narrows the content languages to some of them.
# locale/upstream carries the translations Django and the libraries lack for zh-hans.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale" / "upstream"]
FORMAT_MODULE_PATH = ["bulletin.formats"]
TIME_ZONE = env("TIME_ZONE", default="Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=VAR_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Static files straight from static/ (no collectstatic needed): `manage.py runserver` alone
# serves the site. Production collects them into hashed, compressed files instead.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
if env("AWS_STORAGE_BUCKET_NAME", default=""):
    # S3-compatible media storage (pip install '.[s3]'); files stay private and are
    # served through short-lived signed URLs.
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env("AWS_S3_ENDPOINT_URL", default=None),
            "region_name": env("AWS_S3_REGION_NAME", default=None),
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": 300,
        },
    }

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="filemail://")
if EMAIL_CONFIG["EMAIL_BACKEND"].endswith("filebased.EmailBackend") and not EMAIL_CONFIG.get(
    "EMAIL_FILE_PATH"
):
    EMAIL_CONFIG["EMAIL_FILE_PATH"] = str(VAR_DIR / "outbox")
vars().update({key: value for key, value in EMAIL_CONFIG.items() if value is not None})
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="bulletin@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: with no broker configured, tasks run in-process.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
# Tasks are idempotent, so a task whose worker died is delivered again (acks late, rejected on
# loss); each worker takes one task at a time; no task runs for ever.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=600)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=900)
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A broker that is down must not hold a request for long: the job stays in the database and the
# periodic sweep hands it over again.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 1,
}

# Content Security Policy: no inline script or style on our pages; the admin's own templates
# use inline style attributes, so the admin alone may (bulletin.middleware.admin_csp).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# The admin's name in its header and page titles; empty: "<firm> editorial desk", after the
# firm of the bulletins.
ADMIN_DESK_NAME = env("ADMIN_DESK_NAME", default="")

# Searches a minute from one address; more get a 429 page.
SEARCH_RATE_LIMIT = env.int("SEARCH_RATE_LIMIT", default=60)
# A search counts at most SEARCH_EXACT_COUNT matches (each costs a read of its words): above,
# it shows the planner's estimate ("about 160,000 results") and lists them newest first; below,
# the exact number, ranked by relevance when at most SEARCH_RANK_LIMIT.
SEARCH_EXACT_COUNT = env.int("SEARCH_EXACT_COUNT", default=1000)
SEARCH_RANK_LIMIT = env.int("SEARCH_RANK_LIMIT", default=1000)
# Related entries are chosen among the most recently published entries of each of the entry's
# tags and jurisdictions, this many of each, so the entry page never reads the whole archive.
RELATED_ENTRIES_WINDOW = env.int("RELATED_ENTRIES_WINDOW", default=200)

# Imports in the admin: the largest file accepted, and the size from which a worker imports it
# (the page shows its progress) instead of the request.
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=4 * 1024 * 1024)
IMPORT_ASYNC_BYTES = env.int("IMPORT_ASYNC_BYTES", default=512 * 1024)
# An import whose process has given no sign of life for this long died: it runs again (the
# periodic sweep), IMPORT_MAX_ATTEMPTS times in all.
IMPORT_LEASE = env.int("IMPORT_LEASE", default=60)  # seconds
IMPORT_MAX_ATTEMPTS = env.int("IMPORT_MAX_ATTEMPTS", default=3)

# Periodic tasks, all declared here. The PDF sweep and the resume of email sends run every
# RECOVERY_SWEEP_INTERVAL seconds: with the 30 s leases below, the work of a dead worker is handed
# over again well within a minute of its death.
RECOVERY_SWEEP_INTERVAL = env.float("RECOVERY_SWEEP_INTERVAL", default=20.0)
CELERY_BEAT_SCHEDULE = {
    "publish-due-issues": {"task": "bulletin.tasks.issues_publish_due_task", "schedule": 60.0},
    "sweep-jobs": {"task": "bulletin.tasks.jobs_sweep_task", "schedule": 60.0},
    "pdf-sweep": {
        "task": "bulletin.pdf.tasks.pdf_sweep_task",
        "schedule": RECOVERY_SWEEP_INTERVAL,
    },
    "mailing-resume-sends": {
        "task": "bulletin.mailing.tasks.sends_resume_task",
        "schedule": RECOVERY_SWEEP_INTERVAL,
    },
    "transfer-sweep": {
        "task": "bulletin.transfer.tasks.import_runs_sweep_task",
        "schedule": RECOVERY_SWEEP_INTERVAL,
    },
    "links-watch": {"task": "bulletin.tasks.links_watch_task", "schedule": 60.0},
    "workflow-notifications": {
        "task": "bulletin.notifications.tasks.notifications_send_due_task",
        "schedule": 60.0,
    },
}

# Bookkeeping kept after it is done, then deleted by the periodic tasks (in batches): jobs run
# (failed ones stay until retried or deleted by hand) and notifications sent. The audit trail
# (WorkflowEvent) and the deliveries of email sends are kept.
JOBS_KEEP_DONE_DAYS = env.int("JOBS_KEEP_DONE_DAYS", default=30)
NOTIFICATIONS_KEEP_SENT_DAYS = env.int("NOTIFICATIONS_KEEP_SENT_DAYS", default=90)
PURGE_BATCH = 5000

# What publishing an issue asks for, after commit: job names, handled in bulletin/caching.py
# (web.invalidate), bulletin/pages/ (web.pages) and in each output's handlers.py.
BULLETIN_PUBLISH_OUTPUTS = ["web.invalidate", "web.pages", "pdf.render"]
# What publishing an issue's edition in another language asks for (its pages, PDF and email).
BULLETIN_EDITION_OUTPUTS = ["web.pages", "pdf.render"]
# Public issue and entry pages, rendered once per publication (web.pages, bulletin/pages/), stored
# here as files a front server may serve (README); served by our own middleware too, except in
# development (DEBUG), where templates change under the stored pages.
PUBLISHED_PAGES_ROOT = env.path("PUBLISHED_PAGES_ROOT", default=VAR_DIR / "pages")
PUBLISHED_PAGES_SERVE = env.bool("PUBLISHED_PAGES_SERVE", default=not DEBUG)
# The four-eyes rule: nobody approves what they wrote or last edited. A one-person office may
# set WORKFLOW_FOUR_EYES=0; the admin then says so on every approval.
WORKFLOW_FOUR_EYES = env.bool("WORKFLOW_FOUR_EYES", default=True)

# Machine translation drafts on the translate screen (bulletin/translation/machine.py): off
# ("none") until a provider is named. "openai": an OpenAI-compatible chat-completions endpoint
# (TRANSLATION_API_URL is the whole URL, e.g. https://api.openai.com/v1/chat/completions, with
# TRANSLATION_MODEL); "deepl": the DeepL API (e.g. https://api.deepl.com/v2/translate).
TRANSLATION_PROVIDER = env("TRANSLATION_PROVIDER", default="none")
TRANSLATION_API_URL = env("TRANSLATION_API_URL", default="")
TRANSLATION_API_KEY = env("TRANSLATION_API_KEY", default="")
TRANSLATION_MODEL = env("TRANSLATION_MODEL", default="")
TRANSLATION_TIMEOUT = env.float("TRANSLATION_TIMEOUT", default=20.0)
# Workflow emails: a person who chose the digest gets at most one every this many minutes,
# listing what waits for them and what happened (bulletin/notifications/).
WORKFLOW_DIGEST_MINUTES = env.int("WORKFLOW_DIGEST_MINUTES", default=15)

# Rich text: what the editor offers is exactly what the server keeps (nh3 allow-list).
RICH_TEXT_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Underline": True,
    "Subscript": True,
    "Superscript": True,
    "HardBreak": True,
    "Heading": {"levels": [3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
}

TAGGIT_CASE_INSENSITIVE = True

FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "bulletin.observability.RequestIdFilter"}},
    "formatters": {
        "readable": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"},
        "json": {"()": "bulletin.observability.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": env("LOG_FORMAT", default="readable"),
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# Error reporting: off until SENTRY_DSN is set (pip install '.[sentry]').
if env("SENTRY_DSN", default=""):
    from bulletin.observability import sentry_init

    sentry_init(env("SENTRY_DSN"), env("SENTRY_ENVIRONMENT", default="production"))

# Share cards (og:image) are drawn in Noto Sans CJK (Debian's fonts-noto-cjk) from this folder.
CARD_FONT_DIR = env.path("CARD_FONT_DIR", default="/usr/share/fonts/opentype/noto")

# PDF: where the typeset PDFs are kept (never under MEDIA_ROOT, which may be served as is), how
# long an S3 download address and a publisher's signed link live, and the rendering's sweep.
PDF_STORAGE = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": env.path("PDF_ROOT", default=VAR_DIR / "private" / "pdf")},
}
if env("AWS_STORAGE_BUCKET_NAME", default=""):
    PDF_STORAGE = {
        **STORAGES["default"],
        "OPTIONS": {
            **STORAGES["default"]["OPTIONS"],
            "location": "pdf",
            "querystring_expire": 60,
            "signature_version": "s3v4",
        },
    }
PDF_VARIANT = env("PDF_VARIANT", default="pdf/ua-1")
PDF_SIGNED_LINK_MAX_DAYS = env.int("PDF_SIGNED_LINK_MAX_DAYS", default=30)
# A rendering's worker renews its heartbeat every third of this while it renders (however long
# a big issue takes); one that stopped is rendered again by the sweep soon after.
PDF_RENDER_STALE_AFTER = env.int("PDF_RENDER_STALE_AFTER", default=30)  # seconds
# An issue of at least PDF_PARALLEL_MIN_ENTRIES entries is typeset in parts (cover and contents,
# groups of sections, end matter) by PDF_PARALLEL_WORKERS processes, then joined; 1 turns it off.
# Off by default: on 2 shared cores the join (pypdf) and the fonts each part embeds again made
# a 160-entry issue slower and four times larger (make bench-pdf).
PDF_PARALLEL_WORKERS = env.int("PDF_PARALLEL_WORKERS", default=1)
PDF_PARALLEL_MIN_ENTRIES = env.int("PDF_PARALLEL_MIN_ENTRIES", default=60)

# Email delivery: subscribers and the email of each published issue (bulletin/mailing/).
BULLETIN_PUBLISH_OUTPUTS += ["mailing.send"]
BULLETIN_EDITION_OUTPUTS += ["mailing.edition"]
MAILING_FROM_EMAIL = env("MAILING_FROM_EMAIL", default=DEFAULT_FROM_EMAIL)
# The mailto: of List-Unsubscribe (read by a person, or by an anymail inbound webhook).
MAILING_UNSUBSCRIBE_EMAIL = env("MAILING_UNSUBSCRIBE_EMAIL", default=MAILING_FROM_EMAIL)
MAILING_RATE = env.float("MAILING_RATE", default=10.0)  # messages per second, 0: no limit
MAILING_BATCH_SIZE = env.int("MAILING_BATCH_SIZE", default=100)
# Task chains per send; 0: one per worker process alive (bulletin.dispatch.worker_slots).
MAILING_LANES = env.int("MAILING_LANES", default=0)
# Wait for the disk after recording each message sent (see bulletin/mailing/README.md).
MAILING_FSYNC_EACH_MESSAGE = env.bool("MAILING_FSYNC_EACH_MESSAGE", default=True)
MAILING_MAX_ATTEMPTS = env.int("MAILING_MAX_ATTEMPTS", default=5)
MAILING_RETRY_AFTER = env.int("MAILING_RETRY_AFTER", default=60)  # seconds, doubled each time
# A worker's batch is its own for this long after its last heartbeat (every third of it).
MAILING_CLAIM_LEASE = env.int("MAILING_CLAIM_LEASE", default=30)  # seconds
MAILING_TASK_BUDGET = env.int("MAILING_TASK_BUDGET", default=30)  # seconds per task run
MAILING_STALL_AFTER = env.int("MAILING_STALL_AFTER", default=30)  # seconds without a heartbeat
# A mark of this installation in every Message-ID (derived from SITE_URL and the database when
# empty); set it when two installations share both.
MAILING_INSTALLATION_ID = env("MAILING_INSTALLATION_ID", default="")
MAILING_HOLD_NEW_SENDS = env.bool("MAILING_HOLD_NEW_SENDS", default=False)  # start paused
MAILING_CONFIRM_MAX_AGE = env.int("MAILING_CONFIRM_MAX_AGE", default=7 * 24 * 3600)
MAILING_CONFIRM_RESEND_AFTER = env.int("MAILING_CONFIRM_RESEND_AFTER", default=600)
MAILING_SUBSCRIBE_LIMIT = env.int("MAILING_SUBSCRIBE_LIMIT", default=10)  # per IP and hour
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
# An email provider through django-anymail instead of SMTP, e.g. MAILING_ESP=amazon_ses,
# postmark or mailgun; its settings are the ANYMAIL_* variables without the prefix
# (ANYMAIL_POSTMARK_SERVER_TOKEN, ANYMAIL_WEBHOOK_SECRET, ...).
MAILING_ESP = env("MAILING_ESP", default="")
if MAILING_ESP:
    EMAIL_BACKEND = f"anymail.backends.{MAILING_ESP}.EmailBackend"
    INSTALLED_APPS += ["anymail"]
    ANYMAIL = {
        name.removeprefix("ANYMAIL_"): value
        for name, value in env.ENVIRON.items()
        if name.startswith("ANYMAIL_") and value
    }

# Fetching the pages entries cite (entries.fetching): public http(s) addresses only, on these
# ports; each host gets at most LINK_FETCH_HOST_CONCURRENCY requests at a time and
# LINK_FETCH_HOST_PER_MINUTE a minute from all workers together (counted in Redis).
LINK_FETCH_PORTS = env.list("LINK_FETCH_PORTS", cast=int, default=[80, 443, 8000, 8080, 8443])
LINK_FETCH_MAX_BYTES = env.int("LINK_FETCH_MAX_BYTES", default=25 * 1024 * 1024)
LINK_FETCH_CONNECT_TIMEOUT = env.float("LINK_FETCH_CONNECT_TIMEOUT", default=5.0)
LINK_FETCH_HOST_CONCURRENCY = env.int("LINK_FETCH_HOST_CONCURRENCY", default=2)
LINK_FETCH_HOST_PER_MINUTE = env.int("LINK_FETCH_HOST_PER_MINUTE", default=60)
LINK_FETCH_QUEUE_WAIT = env.float("LINK_FETCH_QUEUE_WAIT", default=30.0)  # seconds, then later
LINK_FETCH_MAX_PAUSE = env.int("LINK_FETCH_MAX_PAUSE", default=3600)  # longest Retry-After kept
# Only the test suite sets these: "127.0.0.1:PORT" of its own local servers, a resolver that
# answers its made-up names, and the certificate authority of its local TLS server.
LINK_FETCH_ALLOW: list[str] = []
LINK_FETCH_RESOLVER = ""
LINK_FETCH_CA_FILE = ""
# Checking the links of an entry when it is saved: each URL at most once per interval.
LINK_CHECK_TIMEOUT = env.float("LINK_CHECK_TIMEOUT", default=10.0)  # seconds per check
LINK_CHECK_INTERVAL = env.int("LINK_CHECK_INTERVAL", default=3600)  # seconds
# Watching the links of published entries: each URL checked again at most once per interval,
# the most overdue first, at most LINK_WATCH_BATCH asked for per LINK_WATCH_EVERY, so that a large
# archive spreads over the interval. A page still alive is compared with its latest capture
# (at most LINK_DRIFT_MAX_BYTES read): below LINK_DRIFT_THRESHOLD of similarity it has drifted.
LINK_WATCH_INTERVAL = env.int("LINK_WATCH_INTERVAL", default=7 * 24 * 3600)  # seconds
LINK_WATCH_BATCH = env.int("LINK_WATCH_BATCH", default=200)
LINK_WATCH_EVERY = env.int("LINK_WATCH_EVERY", default=3600)  # seconds between runs
LINK_DRIFT_THRESHOLD = env.float("LINK_DRIFT_THRESHOLD", default=0.8)
LINK_DRIFT_MAX_BYTES = env.int("LINK_DRIFT_MAX_BYTES", default=5 * 1024 * 1024)
# Capturing what entries cite when an entry is approved (entries.capture): each link's response
# (headers and body up to LINK_CAPTURE_MAX_BYTES) as a WARC file with its text and SHA-256, in a
# private storage of its own (never under MEDIA_ROOT or static); a link is captured again on a
# later approval when its URL changed or its last capture is older than LINK_CAPTURE_MAX_AGE.
LINK_CAPTURE_STORAGE = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {
        "location": env.path("LINK_CAPTURE_ROOT", default=VAR_DIR / "private" / "captures")
    },
}
if env("AWS_STORAGE_BUCKET_NAME", default=""):
    LINK_CAPTURE_STORAGE = {
        **STORAGES["default"],
        "OPTIONS": {**STORAGES["default"]["OPTIONS"], "location": "captures"},
    }
LINK_CAPTURE_MAX_BYTES = env.int("LINK_CAPTURE_MAX_BYTES", default=25 * 1024 * 1024)
LINK_CAPTURE_TIMEOUT = env.float("LINK_CAPTURE_TIMEOUT", default=60.0)  # seconds per capture
LINK_CAPTURE_MAX_AGE = env.int("LINK_CAPTURE_MAX_AGE", default=30 * 24 * 3600)  # seconds
LINK_CAPTURE_TEXT_CHARS = env.int("LINK_CAPTURE_TEXT_CHARS", default=1_000_000)
# Off by default: also render each captured HTML page in headless Chromium (for pages that need
# scripts) and keep a screenshot and a PDF of it beside the WARC file. Every request the page
# makes goes through the same fetcher (entries.rendering); the whole rendering stops after
# LINK_CAPTURE_BROWSER_TIMEOUT, and what it loads counts against LINK_CAPTURE_MAX_BYTES. Needs
# Playwright for Python and Chromium at LINK_CAPTURE_BROWSER_PATH.
LINK_CAPTURE_BROWSER = env.bool("LINK_CAPTURE_BROWSER", default=False)
LINK_CAPTURE_BROWSER_PATH = env("LINK_CAPTURE_BROWSER_PATH", default="/usr/bin/chromium")
LINK_CAPTURE_BROWSER_TIMEOUT = env.float("LINK_CAPTURE_BROWSER_TIMEOUT", default=30.0)  # seconds
# Browsers running at once on all workers together (each takes a core while it draws).
LINK_CAPTURE_BROWSER_CONCURRENCY = env.int("LINK_CAPTURE_BROWSER_CONCURRENCY", default=2)
# Archived copies are played back only from this origin (e.g. https://archive.example-law.com),
# never from the site's own: a captured page runs in a sandbox with no cookie of ours to read.
# Empty: no copy is served. Copies of these domains (and their subdomains) are public by default.
ARCHIVE_ORIGIN = env("ARCHIVE_ORIGIN", default="").rstrip("/")
if ARCHIVE_ORIGIN:
    ALLOWED_HOSTS = [*ALLOWED_HOSTS, urlsplit(ARCHIVE_ORIGIN).hostname]
ARCHIVE_PUBLIC_DOMAINS = env.list(
    "ARCHIVE_PUBLIC_DOMAINS",
    default=[
        ".gov",
        ".gov.cn",
        ".gov.hk",
        ".gov.uk",
        ".europa.eu",
        "courtlistener.com",
        "uscourts.gov",
        "court.gov.cn",
    ],
)
ARCHIVE_SIGNED_LINK_MAX_AGE = env.int("ARCHIVE_SIGNED_LINK_MAX_AGE", default=3600)  # seconds
