"""Settings read from the environment: the embedded default, production, and the services."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "bulletin.settings.production",
    "SECRET_KEY": "k" * 20 + "-production-secret-for-the-deploy-check-0123456789",
    "ALLOWED_HOSTS": "bulletin.example-law.cn",
    "DATABASE_URL": "sqlite:////tmp/deploy-check.sqlite3",
    "REDIS_URL": "redis://127.0.0.1:6379/15",
    "SITE_URL": "https://bulletin.example-law.cn",
}


def manage(*args, env):
    dropped = {"SECRET_KEY", "DATABASE_URL", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in dropped}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_a_shared_cache():
    result = manage("check", env={**PRODUCTION_ENV, "REDIS_URL": ""})
    assert result.returncode != 0
    assert "REDIS_URL must be set" in result.stderr


@pytest.mark.parametrize(
    "site_url", ["", "http://bulletin.example-law.cn", "bulletin.example-law.cn"]
)
def test_production_refuses_to_start_without_an_https_site_url(site_url):
    result = manage("check", env={**PRODUCTION_ENV, "SITE_URL": site_url})
    assert result.returncode != 0
    assert "SITE_URL must be set to the site's https:// address" in result.stderr


def test_production_refuses_a_short_secret_key():
    result = manage("check", env={**PRODUCTION_ENV, "SECRET_KEY": "short"})
    assert result.returncode != 0
    assert "at least 50 characters" in result.stderr


def test_production_passes_the_deploy_check_without_warnings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_with_no_environment_tasks_run_in_process_and_mail_goes_to_a_folder():
    code = (
        "from django.conf import settings as s;"
        "print(s.CELERY_TASK_ALWAYS_EAGER, s.EMAIL_BACKEND, s.EMAIL_FILE_PATH,"
        " s.DATABASES['default']['ENGINE'], sep='|')"
    )
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.endswith("_URL") and k != "DJANGO_SETTINGS_MODULE"
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    eager, backend, path, engine = result.stdout.strip().splitlines()[-1].split("|")
    assert eager == "True"
    assert backend.endswith("filebased.EmailBackend")
    assert path.endswith("var/outbox")
    assert engine.endswith("sqlite3")


def test_cache_works_against_the_real_redis(redis_url, settings):
    from django.core.cache.backends.redis import RedisCache

    cache = RedisCache(redis_url, {})
    cache.set("bulletin-test-key", {"issue": 8}, 30)
    assert cache.get("bulletin-test-key") == {"issue": 8}
    cache.delete("bulletin-test-key")


@pytest.mark.django_db
@pytest.mark.postgres
def test_database_is_postgresql_with_psycopg3():
    from django.db import connection

    assert connection.vendor == "postgresql"
    assert connection.Database.__name__ == "psycopg"


def test_with_no_environment_runserver_serves_pages_and_static_files(tmp_path):
    """`manage.py runserver` alone (no DEBUG, no variables): pages render and the stylesheet is
    served, without a collectstatic manifest (which production alone uses)."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.endswith("_URL") and k not in {"DJANGO_SETTINGS_MODULE", "DEBUG", "SECRET_KEY"}
    }
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env={**clean, "STATIC_ROOT": str(tmp_path / "static")},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        login = _get_when_up(f"http://127.0.0.1:{port}/accounts/login/")
        assert login.status == 200
        page = login.read().decode()
        assert 'name="password"' in page
        stylesheet = re.search(r'href="(/static/css/site\.css[^"]*)"', page)[1]
        css = urllib.request.urlopen(f"http://127.0.0.1:{port}{stylesheet}", timeout=10)
        assert css.status == 200
        assert b"{" in css.read()
    finally:
        server.terminate()
        server.wait(timeout=10)


def _get_when_up(url: str):
    for _ in range(100):
        try:
            return urllib.request.urlopen(url, timeout=10)  # noqa: S310 (loopback)
        except urllib.error.HTTPError as error:
            raise AssertionError(f"{url}: {error.code} {error.read()[:300]!r}") from error
        except urllib.error.URLError:
            time.sleep(0.2)
    raise AssertionError(f"{url} never answered")
