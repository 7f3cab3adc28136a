"""Benchmark of the email output: one issue to 10,000 subscribers through a real Celery worker
(PostgreSQL, Redis) to a local aiosmtpd sink, against the same number of pre-built messages
sent by a plain smtplib loop over one connection to the same sink, in the same run.

    .venv/bin/python bench/mail_send.py [--count 10000]

It needs PostgreSQL (DATABASE_URL names the server; a database `bulletin_bench_mail` is created
and dropped) and Redis (REDIS_URL, default redis://127.0.0.1:6379/12). It prints messages per
second of both, their ratio (target: 0.5 or more), the worker's database queries per message
and its peak memory.
"""

import argparse
import os
import signal
import smtplib
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
BENCH_DB = "bulletin_bench_mail"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), 0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise SystemExit(f"nothing answers on port {port}")


# --- the sink: its own process, counting what it accepts --------------------------------------


def run_sink(port: int) -> None:
    from aiosmtpd.controller import Controller

    class Counter:
        count = 0

        async def handle_DATA(self, server, session, envelope):
            Counter.count += 1
            return "250 2.0.0 OK"

    controller = Controller(Counter(), hostname="127.0.0.1", port=port)
    controller.start()
    signal.signal(signal.SIGTERM, lambda *_: None)
    signal.pause()
    controller.stop()
    print(Counter.count, flush=True)


# --- the worker: a real Celery worker that counts its database queries ------------------------


def run_worker(count_file: str) -> None:
    import django

    django.setup()
    from celery.signals import worker_shutdown
    from django.db.backends.signals import connection_created

    queries = [0]

    def counter(execute, sql, params, many, context):
        queries[0] += 1
        return execute(sql, params, many, context)

    def install(sender, connection, **kwargs):
        if counter not in connection.execute_wrappers:
            connection.execute_wrappers.append(counter)

    connection_created.connect(install, weak=False)

    @worker_shutdown.connect(weak=False)
    def write_count(**kwargs):
        Path(count_file).write_text(str(queries[0]))

    from bulletin.celery import app

    app.worker_main(
        ["worker", "--pool=solo", "--without-heartbeat", "--without-gossip", "--without-mingle"]
        + ["-l", "WARNING"]
    )


# --- the bench itself ---------------------------------------------------------------------------


def database_urls(server_url: str) -> tuple[str, str]:
    parsed = urlparse(server_url)
    return (
        urlunparse(parsed._replace(path="/postgres")),
        urlunparse(parsed._replace(path=f"/{BENCH_DB}")),
    )


def recreate_database(admin_url: str, drop_only: bool = False) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
        if not drop_only:
            conn.execute(f'CREATE DATABASE "{BENCH_DB}"')


def setup_content(count: int):
    """A bulletin, an issue shaped like a real one (12 entries) and `count` subscribers."""
    import datetime

    from django.core.management import call_command
    from django.utils import timezone

    from bulletin.mailing.models import Subscriber, Subscription
    from bulletin.models import Bulletin, Issue
    from bulletin.services.publishing import issue_publish
    from entries.models import Commentary, Entry, Section

    call_command("migrate", verbosity=0)
    bulletin = Bulletin.objects.create(
        name="人工智能法律月刊",
        slug="ai-monthly",
        firm_name="示例律师事务所",
        commentary_label="本所短评",
        disclaimer="<p>本刊物仅供参考，不构成法律意见。</p>",
        contact_email="bulletin@example-law.cn",
    )
    issue = Issue.objects.create(
        bulletin=bulletin,
        number=8,
        year=2024,
        month=8,
        title="2024 年 8 月刊",
        slug="2024-08",
        editors_note="<p>" + "本月要点：监管动态与行业发展。" * 8 + "</p>",
        state=Issue.State.APPROVED,
    )
    for position, title in enumerate(["最新法律与监管动态", "最新行业动态"], start=1):
        section = Section.objects.create(issue=issue, title=title, position=position)
        for n in range(1, 7):
            entry = Entry.objects.create(
                issue=issue,
                section=section,
                position=(position - 1) * 6 + n,
                kind=Entry.Kind.REGULATION,
                title=f"示例监管动态第 {n} 条：数据与人工智能",
                published_on=datetime.date(2024, 8, n),
                source="示例监管机构官网",
                summary="<p>" + "该文件对生成式人工智能服务提出了新的合规要求。" * 10 + "</p>",
                state=Entry.State.APPROVED,
            )
            Commentary.objects.create(entry=entry, body="<p>" + "企业应尽早评估。" * 6 + "</p>")
    Issue.objects.filter(pk=issue.pk).update(state="scheduled", scheduled_at=timezone.now())
    issue_publish(issue=issue, user=None)
    subscribers = Subscriber.objects.bulk_create(
        [Subscriber(email=f"reader{i}@example.com", name=f"读者{i}") for i in range(count)],
        batch_size=2000,
    )
    Subscription.objects.bulk_create(
        [Subscription(subscriber=s, bulletin=bulletin, status="confirmed") for s in subscribers],
        batch_size=2000,
    )
    return issue


def peak_memory_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def worker_ready(app) -> bool:
    try:
        return bool(app.control.ping(timeout=0.5))
    except Exception:
        return False


def time_worker(issue, count: int, env: dict, count_file: str) -> tuple[float, int, int]:
    """Seconds from the send's start to its end, queries, and peak memory (KiB) of the worker."""
    from bulletin.celery import app
    from bulletin.mailing.models import Send
    from bulletin.mailing.services.sending import send_create

    worker = subprocess.Popen(
        [sys.executable, __file__, "--worker", count_file],
        env=env,
        cwd=BASE_DIR,
        stdout=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while not worker_ready(app):
            if time.monotonic() > deadline or worker.poll() is not None:
                raise SystemExit("the worker did not start")
        started = time.perf_counter()
        send = send_create(issue=issue, user=None)  # commits, then dispatches to the worker
        while Send.objects.filter(pk=send.pk, status=Send.Status.DONE).count() == 0:
            time.sleep(0.02)
        elapsed = time.perf_counter() - started
        peak = peak_memory_kib(worker.pid)
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=60)
    sent = send.deliveries.filter(status="sent").count()
    if sent != count:
        raise SystemExit(f"the worker sent {sent} of {count}")
    return elapsed, int(Path(count_file).read_text()), peak


def prebuilt_messages(issue, count: int) -> list[tuple[str, bytes]]:
    """The same email, built beforehand for every recipient, for the plain loop."""
    from bulletin.mailing.compose import Composer, Recipient
    from bulletin.mailing.rendering import email_render_all

    publication = issue.current_publication()
    composer = Composer(
        rendered=email_render_all(publication.content, issue=issue),
        send_id=0,
        bulletin_id=issue.bulletin_id,
        bulletin=publication.content["bulletin"],
    )
    return [
        (
            f"plain{i}@example.com",
            composer.raw(Recipient(i, i, f"plain{i}@example.com", "", "zh-hans", "k")),
        )
        for i in range(count)
    ]


def time_plain_loop(port: int, messages: list[tuple[str, bytes]]) -> float:
    connection = smtplib.SMTP("127.0.0.1", port)
    started = time.perf_counter()
    for to, raw in messages:
        connection.sendmail("bulletin@example.com", [to], raw)
    elapsed = time.perf_counter() - started
    connection.quit()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--sink", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.sink:
        return run_sink(args.sink)
    if args.worker:
        return run_worker(args.worker)

    admin_url, bench_url = database_urls(
        os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    )
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/12")
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bulletin.settings.base",
        "DATABASE_URL": bench_url,
        "REDIS_URL": redis_url,
        "CELERY_BROKER_URL": redis_url,
        "EMAIL_URL": f"smtp://127.0.0.1:{port}",
        "MAILING_RATE": "0",
        "MAILING_BATCH_SIZE": "200",
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    recreate_database(admin_url)
    sink = subprocess.Popen(
        [sys.executable, __file__, "--sink", str(port)], stdout=subprocess.PIPE, text=True
    )
    try:
        wait_for_port(port)
        import django

        django.setup()
        import redis

        from bulletin.models import Job

        issue = setup_content(args.count)
        # Only the send is measured: the publication's own jobs (PDF, web cache) are dropped.
        redis.Redis.from_url(redis_url).delete("celery")
        Job.objects.all().delete()
        count_file = str(Path(tempfile.mkdtemp()) / "queries")
        worker_s, queries, peak_kib = time_worker(issue, args.count, env, count_file)
        plain_s = time_plain_loop(port, prebuilt_messages(issue, args.count))
    finally:
        sink.send_signal(signal.SIGTERM)
        received = int((sink.communicate(timeout=30)[0] or "0").strip() or 0)
        from django.db import connections

        connections.close_all()
        recreate_database(admin_url, drop_only=True)

    worker_rate, plain_rate = args.count / worker_s, args.count / plain_s
    print(f"messages: {args.count} per run; the sink accepted {received} in all")
    print(f"worker (Celery, PostgreSQL, Redis): {worker_s:.1f} s, {worker_rate:.0f} messages/s")
    print(f"plain smtplib loop, pre-built messages: {plain_s:.1f} s, {plain_rate:.0f} messages/s")
    print(f"ratio worker / plain loop: {worker_rate / plain_rate:.2f} (target 0.5 or more)")
    print(f"database queries per message (worker): {queries / args.count:.2f}")
    print(f"worker peak memory: {peak_kib / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
