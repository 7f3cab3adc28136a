"""Fixtures of the mailing tests: a real SMTP server (aiosmtpd on loopback) that counts what
arrives and can answer with failures, and real Celery worker processes that send to it."""

import asyncio
import contextlib
import email
import email.policy
import os
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller


@dataclass
class Received:
    sender: str
    recipients: list[str]
    data: bytes

    @property
    def message(self) -> email.message.EmailMessage:
        return email.message_from_bytes(self.data, policy=email.policy.default)


@dataclass
class SmtpSink:
    """An SMTP server's handler: keeps every accepted message; `replies` holds, per address,
    the answers to give to its next DATA commands instead of accepting (e.g. "451 4.3.0 ...");
    a slow server takes `delay` seconds over each message, `delays` per address."""

    received: list[Received] = field(default_factory=list)
    replies: dict[str, list[str]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    port: int = 0
    delay: float = 0
    delays: dict[str, float] = field(default_factory=dict)

    async def handle_DATA(self, server, session, envelope):
        recipient = envelope.rcpt_tos[0]
        await asyncio.sleep(self.delays.get(recipient, self.delay))
        with self.lock:
            planned = self.replies.get(recipient)
            if planned:
                return planned.pop(0)
            self.received.append(
                Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.content)
            )
        return "250 2.0.0 OK"

    def per_recipient(self) -> Counter:
        with self.lock:
            return Counter(rcpt for r in self.received for rcpt in r.recipients)

    def to(self, address: str) -> list[Received]:
        with self.lock:
            return [r for r in self.received if address in r.recipients]

    def clear(self) -> None:
        with self.lock:
            self.received.clear()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_sink():
    sink = SmtpSink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    sink.port = controller.port
    yield sink
    controller.stop()


@pytest.fixture
def smtp(smtp_sink, settings):
    """Django sends through real SMTP to the sink; no rate limit, small batches."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = smtp_sink.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.MAILING_RATE = 0
    settings.MAILING_RETRY_AFTER = 0
    return smtp_sink


# One task at a time in the worker's own process, without the broadcast chatter of a fleet.
SOLO = ["--pool=solo", "--without-heartbeat", "--without-gossip", "--without-mingle"]
# As `make worker` runs it in production: child processes, gossip and mingle.
PRODUCTION = ["--concurrency=2"]


@pytest.fixture
def mail_workers(redis_url, transactional_db, smtp_sink):
    """Start real Celery worker processes on the real Redis and this test's database, sending
    to the sink, with the tests' short leases (tests.conftest.worker_env); each can be killed.
    Returns a function start(*, options=SOLO, **env) -> Popen (its log at `.log_path`);
    options=PRODUCTION runs the worker as `make worker` does (prefork, gossip, mingle)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: a worker process cannot see an in-memory SQLite database")
    import redis

    from tests.conftest import worker_env

    redis.Redis.from_url(redis_url).delete("celery")
    started = []

    def start(*, options: list[str] = SOLO, **extra_env) -> subprocess.Popen:
        env = worker_env(
            redis_url,
            DJANGO_SETTINGS_MODULE="tests.mailing.worker_settings",
            MAILING_TEST_SMTP_PORT=str(smtp_sink.port),
            **extra_env,
        )
        logs = Path(__file__).resolve().parents[2] / "var" / "test-workers"
        logs.mkdir(parents=True, exist_ok=True)
        name = f"mail-{os.getpid()}-{len(started)}.log"
        log = open(logs / name, "w")  # noqa: SIM115 - closed with the process
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "bulletin", "worker", *options, "-l", "INFO"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        worker.log_path = logs / name
        started.append(worker)
        return worker

    yield start
    for worker in started:
        with contextlib.suppress(ProcessLookupError):
            worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()


@dataclass
class PrivateRedis:
    """A Redis server of this test alone, which it may kill and start again (empty)."""

    port: int
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        from tests.conftest import wait_until

        wait_until(lambda: _answers(self.port), timeout=10, interval=0.05)

    def restart(self, *, down: float = 0) -> None:
        """SIGKILL, stay away `down` seconds, and start again: every queued and unacknowledged
        task is lost."""
        self.process.kill()
        self.process.wait()
        time.sleep(down)
        self.start()


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), 0.2):
            return True
    except OSError:
        return False


@pytest.fixture
def private_redis():
    import shutil

    if not shutil.which("redis-server"):
        pytest.skip("needs redis-server (apt-get install redis-server)")
    server = PrivateRedis(port=free_port())
    server.start()
    yield server
    server.process.kill()
    server.process.wait()
