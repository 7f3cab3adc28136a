"""Shared fixtures. Tests that need a service skip with a reason when it is missing; CI runs with
FAIL_ON_SKIP=1, which turns every such skip into a failure."""

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# Playwright's sync API runs an event loop in the test thread; the ORM calls made there are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _reachable(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection(
            (parsed.hostname or "127.0.0.1", parsed.port or default_port), 1
        ):
            return True
    except OSError:
        return False


# The local page server and capture folder of the capture and archived-copy tests.
pytest_plugins = ["tests.entries.capture_server"]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("FAIL_ON_SKIP") == "1" and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped, but FAIL_ON_SKIP=1: {report.longrepr}"


def pytest_collection_modifyitems(config, items):
    from django.db import connection

    for item in items:
        if item.get_closest_marker("postgres") and connection.vendor != "postgresql":
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL"))


@pytest.fixture
def redis_url():
    url = os.environ.get("REDIS_URL", "")
    if not url or not _reachable(url, 6379):
        pytest.skip("needs Redis: set REDIS_URL to a running server")
    return url


@pytest.fixture(autouse=True)
def fresh_page_cache():
    """Every test starts with no cached public page: the database is rolled back between tests,
    but a shared cache (Redis) would otherwise keep the pages an earlier test rendered."""
    from bulletin.caching import public_cache_drop

    with contextlib.suppress(Exception):
        public_cache_drop()


@pytest.fixture(autouse=True, scope="session")
def stored_pages_folder():
    """The run's folder of stored pages (bulletin.settings.test) goes with the run."""
    from django.conf import settings

    yield
    shutil.rmtree(settings.PUBLISHED_PAGES_ROOT, ignore_errors=True)


@pytest.fixture(autouse=True)
def no_stored_pages(settings):
    """Every test starts with no stored page (bulletin.pages): an earlier test's published issue
    may have had the same address."""
    shutil.rmtree(settings.PUBLISHED_PAGES_ROOT, ignore_errors=True)


@pytest.fixture(autouse=True)
def fresh_content_types():
    """Every test reads content types from the database: a transactional test's flush gives
    them new ids, and the cache would keep the old ones (an admin log row then names a content
    type that no longer exists)."""
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()


@pytest.fixture(autouse=True)
def english():
    """Code outside a request speaks English in tests; requests follow their Accept-Language."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.skip(f"needs Chromium at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("needs Playwright for Python (pip install playwright)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def open_admin_as(browser, live_server):
    """open_admin_as(username) -> a page of the admin home, logged in as that user (its own
    browser context, English), closed after the test."""
    contexts = []

    def login(username):
        context = browser.new_context(locale="en-GB")
        contexts.append(context)
        page = context.new_page()
        page.goto(f"{live_server.url}/admin/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", "pw-for-tests-123")
        page.click("input[type=submit]")
        page.wait_for_url(f"{live_server.url}/admin/")
        return page

    yield login
    for context in contexts:
        context.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def admin_user(db):
    from tests.factories import UserFactory

    return UserFactory(username="boss", is_superuser=True)


@pytest.fixture
def admin_client(client, admin_user):
    """A superuser whose browser asks for English (the admin's default is Chinese)."""
    client.force_login(admin_user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@contextlib.contextmanager
def celery_broker(url: str):
    """Send tasks from this process to a real broker (or a dead one) instead of running them."""
    from bulletin.celery import app

    def use(broker, eager):
        # Celery reads the CELERY_ names that came from the Django settings before the plain ones.
        app.conf.update(
            broker_url=broker,
            CELERY_BROKER_URL=broker,
            task_always_eager=eager,
            CELERY_TASK_ALWAYS_EAGER=eager,
        )
        app._pool = None  # the next send opens connections to this broker
        app.amqp._producer_pool = None

    use(url, False)
    try:
        yield app
    finally:
        use("", True)


# The leases of the worker processes tests start (their heartbeats renew them every third),
# instead of production's 30 s: a test that kills a worker waits this long for its work to be
# taken back. A test that runs the sweeps in its own process asks for the same (short_leases).
TEST_LEASE = 6
LEASES = ("MAILING_CLAIM_LEASE", "MAILING_STALL_AFTER", "PDF_RENDER_STALE_AFTER", "IMPORT_LEASE")


def worker_env(redis_url: str, **extra) -> dict:
    """The environment of a worker process on this test's database and the real Redis."""
    from django.db import connection

    db = connection.settings_dict
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bulletin.settings.test",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "CELERY_BROKER_URL": redis_url,
        "REDIS_URL": redis_url,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        **dict.fromkeys(LEASES, str(TEST_LEASE)),
        **extra,
    }


@pytest.fixture
def short_leases(settings):
    """This process's sweeps take back a dead worker's work after the workers' TEST_LEASE."""
    for name in LEASES:
        setattr(settings, name, TEST_LEASE)
    return TEST_LEASE


def start_worker(env: dict, name: str) -> subprocess.Popen:
    """A real Celery worker process; its log goes to var/test-workers/NAME.log (NAME-gwN.log
    under pytest-xdist, where each process starts its own)."""
    logs = Path(__file__).resolve().parents[1] / "var" / "test-workers"
    logs.mkdir(parents=True, exist_ok=True)
    suffix = f"-{os.environ['PYTEST_XDIST_WORKER']}" if "PYTEST_XDIST_WORKER" in os.environ else ""
    log = open(logs / f"{name}{suffix}.log", "w")  # noqa: SIM115 - closed with the process
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "bulletin",
            "worker",
            "--pool=solo",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "-l",
            "WARNING",
            "-n",
            f"{name}@%h",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def stop_worker(worker: subprocess.Popen) -> None:
    worker.terminate()
    try:
        worker.wait(timeout=20)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()


def _needs_postgres():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: a worker process cannot see an in-memory SQLite database")


@pytest.fixture
def celery_worker_process(redis_url, transactional_db):
    """A real Celery worker in its own process, on the real Redis and this test's database."""
    import redis

    _needs_postgres()
    redis.Redis.from_url(redis_url).delete("celery")
    worker = start_worker(worker_env(redis_url), "worker")
    yield worker
    stop_worker(worker)


@pytest.fixture
def two_celery_workers(redis_url, transactional_db):
    """Two real worker processes on one broker, as on two machines."""
    import redis

    _needs_postgres()
    redis.Redis.from_url(redis_url).delete("celery")
    workers = [start_worker(worker_env(redis_url), f"worker{n}") for n in (1, 2)]
    yield workers
    for worker in workers:
        stop_worker(worker)


def wait_until(condition, timeout=30.0, interval=0.2):
    """Poll until condition() is true; fail after timeout seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    raise AssertionError(f"not true after {timeout} s: {condition}")


@pytest.fixture
def people():
    """The people of an edition: a translator (an editor), a reviewer and a publisher."""
    from tests.factories import UserFactory

    return {
        "translator": UserFactory(username="translator", roles=["Editor"]),
        "reviewer": UserFactory(username="reviewer", roles=["Reviewer"]),
        "publisher": UserFactory(username="publisher", roles=["Publisher"]),
    }
