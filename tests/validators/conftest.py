"""The outside validators' fixtures: the demo bulletin served by gunicorn with the production
settings, and the tools, which must be installed (`make system-test-deps`): a missing tool fails
the test rather than skipping it."""

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from tests.validators.pages import public_pages

ROOT = Path(__file__).resolve().parents[2]
NODE_MODULES = ROOT / "node_modules"


def require(path: Path | str, how: str) -> str:
    """The tool's path; the test fails, naming how to install it, when it is missing."""
    found = shutil.which(str(path)) or (str(path) if Path(path).exists() else None)
    if not found:
        pytest.fail(f"{path} is missing: {how}", pytrace=False)
    return found


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def _served_environment(url: str, static_root: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.validators.served_settings",
        "DATABASE_URL": _database_url(),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": "https://127.0.0.1",
        "SERVED_URL": url,
        "STATIC_ROOT": str(static_root),
    }


def _wait_until_up(url: str, server: subprocess.Popen) -> None:
    for _ in range(150):
        if server.poll() is not None:
            pytest.fail(f"gunicorn stopped: {server.stderr.read()[-2000:]}", pytrace=False)
        try:
            urllib.request.urlopen(url + "/healthz", timeout=2)  # noqa: S310 - our server
            return
        except OSError:
            time.sleep(0.2)
    pytest.fail("gunicorn did not answer", pytrace=False)


@pytest.fixture(scope="module")
def served(browser, django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo bulletin, committed, served by gunicorn + WhiteNoise as in production; yields
    (base URL, {page name: path}). The database is emptied afterwards, as a transactional test
    leaves it. The browser starts first: Playwright's greenlet gives the code after its start a
    context, and so database connections, of its own, and a connection opened before it would
    be left open and outlive the test database."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (gunicorn reads the test database): set DATABASE_URL")
    if not os.environ.get("REDIS_URL"):
        pytest.skip("needs Redis (the production settings cache pages there): set REDIS_URL")
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = _served_environment(url, tmp_path_factory.mktemp("static"))
    # The stored issue pages, rendered with the server's own settings: what it serves.
    env["PUBLISHED_PAGES_ROOT"] = str(tmp_path_factory.mktemp("pages"))
    with django_db_blocker.unblock():
        call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
        pages = public_pages()
        manage = [sys.executable, str(ROOT / "manage.py")]
        # The public pages use none of the admin's files; collecting those takes half a minute.
        collect = ["collectstatic", "--noinput", "-v0", "-i", "admin", "-i", "django_prose_editor"]
        subprocess.run([*manage, *collect], env=env, check=True)
        subprocess.run([*manage, "pages_render", "-v0"], env=env, check=True)
        gunicorn = [sys.executable, "-m", "gunicorn", "bulletin.wsgi", "--workers", "2"]
        server = subprocess.Popen(
            [*gunicorn, "--bind", f"127.0.0.1:{port}"],
            env=env,
            cwd=ROOT,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            _wait_until_up(url, server)
            yield url, pages
        finally:
            server.terminate()
            server.wait(timeout=20)
            call_command("flush", interactive=False, verbosity=0)
            _wait_for_sessions_to_close()
            connection.close()


def _wait_for_sessions_to_close() -> None:
    """PostgreSQL notes the end of gunicorn's sessions a moment after they close; the test
    database can only be dropped at the end of the run once they have."""
    query = (
        "SELECT count(*) FROM pg_stat_activity"
        " WHERE datname = current_database() AND pid <> pg_backend_pid()"
    )
    with connection.cursor() as cursor:
        for _ in range(50):
            cursor.execute(query)
            if cursor.fetchone()[0] == 0:
                return
            time.sleep(0.1)
