"""Benchmark of the email output: does sending scale with the workers?

An issue goes to N subscribers through 1, 2 and 4 real Celery worker processes (PostgreSQL,
Redis; each worker a solo pool, as `make worker` runs one process per core) to a local SMTP
sink of several processes; in the same run, a plain smtplib loop sends the same number of
pre-built messages over one connection, and the same loop in 4 processes at once shows what the
sink takes (it must be well above the workers' rate, or the sink would be what is measured).

    DATABASE_URL=postgres://…/any REDIS_URL=redis://…/n .venv/bin/python bench/mail_send.py \
        [--count 3000] [--default-count 100] [--pairs 3] [--profile]

It creates a database of its own on DATABASE_URL's server (bench_mail_<pid>) and drops it at the
end; Redis: REDIS_URL's database (broker and cache). Two configurations:
- tuned: MAILING_RATE=0 (no rate limit), the shipped batch size: what the code can do;
- default: the settings as shipped (10 messages a second for all workers together, batches of
  100): every worker count gives about the rate limit.
Runs alternate worker counts (1, 2, 4, then 4, 2, 1, ...) after a warm-up round; each pair is one
round, and the ratio of each round (N workers against 1 worker of the same round; workers
against the plain loop of the same round) is printed with its min and median.

Targets: 2 workers >= 1.8x and 4 workers >= 3x one worker, tuned; each worker >= 0.8x the plain
loop. With fewer cores than workers, the CPU time per message (printed) bounds the rate.
"""

import argparse
import asyncio
import contextlib
import multiprocessing
import os
import signal
import smtplib
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
WORKER_COUNTS = (1, 2, 4)
SINK_PROCESSES = 4
TARGETS = {2: 1.8, 4: 3.0}
PER_WORKER_TARGET = 0.8


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- the sink: several processes on one port (SO_REUSEPORT), a minimal SMTP server each ------


class SinkProtocol(asyncio.Protocol):
    """Just enough SMTP to accept messages: every command answered, DATA read to the end mark
    (only the new bytes are searched, and the message is not kept)."""

    def __init__(self, counter):
        self.counter = counter
        self.commands = b""
        self.tail = None  # in DATA: the last bytes seen, for an end mark split across reads

    def connection_made(self, transport):
        self.transport = transport
        transport.write(b"220 sink ESMTP\r\n")

    def data_received(self, data):
        while data:
            if self.tail is not None:
                window = self.tail + data
                end = window.find(b"\r\n.\r\n")
                if end < 0:
                    self.tail = window[-4:]
                    return
                data, self.tail = window[end + 5 :], None
                self.counter.value += 1
                self.transport.write(b"250 2.0.0 OK\r\n")
                continue
            self.commands += data
            data = b""
            while self.tail is None and b"\r\n" in self.commands:
                line, _sep, self.commands = self.commands.partition(b"\r\n")
                self.command(line[:4].upper())
            if self.tail is not None:
                data, self.commands = self.commands, b""

    def command(self, verb: bytes) -> None:
        if verb == b"DATA":
            self.tail = b"\r\n"  # the end mark may come at once
            self.transport.write(b"354 go on\r\n")
        elif verb == b"QUIT":
            self.transport.write(b"221 bye\r\n")
            self.transport.close()
        elif verb == b"EHLO":
            self.transport.write(b"250-sink\r\n250 8BITMIME\r\n")
        else:
            self.transport.write(b"250 OK\r\n")


def sink_process(port: int, counter) -> None:
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind(("127.0.0.1", port))
    sock.listen(128)
    loop = asyncio.new_event_loop()
    loop.run_until_complete(loop.create_server(lambda: SinkProtocol(counter), sock=sock))
    loop.run_forever()


class Sink:
    def __init__(self, processes: int):
        context = multiprocessing.get_context("fork")
        self.port = free_port()
        self.counters = [context.Value("q", 0, lock=False) for _ in range(processes)]
        self.processes = [
            context.Process(target=sink_process, args=(self.port, c), daemon=True)
            for c in self.counters
        ]
        for process in self.processes:
            process.start()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port)):
                return
            time.sleep(0.05)
        raise SystemExit("the sink did not start")

    def received(self) -> int:
        return sum(c.value for c in self.counters)

    def stop(self) -> None:
        for process in self.processes:
            process.terminate()
            process.join(5)


# --- the worker: a real Celery worker that counts its database queries and CPU time ----------


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
        + ["-l", "WARNING", "-n", f"bench{os.getpid()}@%h"]
    )


# --- the content ------------------------------------------------------------------------------


def setup_content(slug: str, count: int):
    """A bulletin, an issue shaped like a real one (12 entries) and `count` subscribers."""
    import datetime

    from django.test.utils import override_settings
    from django.utils import timezone

    from bulletin.mailing.models import Subscriber, Subscription
    from bulletin.models import Bulletin, Issue
    from bulletin.services.publishing import issue_publish
    from entries.models import Commentary, Entry, Section

    bulletin = Bulletin.objects.create(
        name="人工智能法律月刊",
        slug=slug,
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
    with override_settings(BULLETIN_PUBLISH_OUTPUTS=[]):  # only the send is measured
        issue_publish(issue=issue, user=None)
    subscribers = Subscriber.objects.bulk_create(
        [Subscriber(email=f"{slug}{i}@example.com", name=f"读者{i}") for i in range(count)],
        batch_size=2000,
    )
    Subscription.objects.bulk_create(
        [Subscription(subscriber=s, bulletin=bulletin, status="confirmed") for s in subscribers],
        batch_size=2000,
    )
    return issue


# --- one timed send ---------------------------------------------------------------------------


def workers_ready(app, n: int) -> bool:
    try:
        return len(app.control.ping(timeout=0.5)) >= n
    except Exception:
        return False


def counted_slots() -> int | None:
    try:
        from bulletin.dispatch import worker_slots
    except ImportError:  # the code before workers counted themselves
        return None
    return worker_slots()


def cpu_seconds(processes) -> float:
    """User and system CPU time of the processes so far (Linux /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for process in processes:
        fields = Path(f"/proc/{process.pid}/stat").read_text().rpartition(")")[2].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def timed_send(issue, n: int, env: dict, sink: Sink) -> dict:
    """Start n workers, send the issue to every subscriber, stop them: seconds, queries and CPU
    seconds of the workers, the task chains the send found."""
    from bulletin.celery import app
    from bulletin.mailing.models import Delivery, Send
    from bulletin.mailing.services.sending import send_create, sends_resume

    Send.objects.filter(issue=issue).delete()  # this bench's own rows, from the last run
    files = [str(Path(tempfile.mkdtemp()) / "usage") for _ in range(n)]
    workers = [
        subprocess.Popen(
            [sys.executable, __file__, "--worker", f],
            env=env,
            cwd=BASE_DIR,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for f in files
    ]
    try:
        deadline = time.monotonic() + 60
        while not workers_ready(app, n):
            if time.monotonic() > deadline or any(w.poll() is not None for w in workers):
                raise SystemExit("the workers did not start")
        deadline = time.monotonic() + 25  # until each has counted itself (or the old code)
        while (slots := counted_slots()) is not None and slots < n:
            if time.monotonic() > deadline:
                break
            time.sleep(0.1)
        before, cpu_before = sink.received(), cpu_seconds(workers)
        started = time.perf_counter()
        send = send_create(issue=issue, user=None)  # commits, then dispatches to the workers
        swept = started
        while not Send.objects.filter(pk=send.pk, status=Send.Status.DONE).exists():
            time.sleep(0.02)
            if time.perf_counter() - swept > 5:  # what Celery beat does in production
                sends_resume()
                swept = time.perf_counter()
        elapsed = time.perf_counter() - started
        cpu = cpu_seconds(workers) - cpu_before
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        for worker in workers:
            worker.wait(timeout=60)
    sent = Delivery.objects.filter(send=send, status="sent").count()
    received = sink.received() - before
    in_doubt = Delivery.objects.filter(send=send, in_doubt=True).count()
    if sent != send.total or not sent <= received <= sent + in_doubt:
        raise SystemExit(f"{sent} of {send.total} recorded sent, {received} received")
    queries = sum(int(Path(f).read_text()) for f in files)
    restarts = Send.objects.get(pk=send.pk).generation - send.generation - 1  # 1: its start
    if restarts or in_doubt:
        print(
            f"    ({n} workers: the periodic resume restarted this send {restarts} times; "
            f"{in_doubt} messages in doubt sent again, {received - sent} arrived twice)"
        )
    return {
        "seconds": elapsed,
        "rate": sent / elapsed,
        "messages": sent,
        "queries": queries / sent,
        "cpu_ms": 1000 * cpu / sent,
        "slots": slots,
    }


# --- the plain loop ---------------------------------------------------------------------------


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
            composer.raw(Recipient(i, i, f"plain{i}@example.com", f"读者{i}", "zh-hans", "k")),
        )
        for i in range(count)
    ]


def plain_loop(port: int, messages) -> float:
    connection = smtplib.SMTP("127.0.0.1", port)
    started = time.perf_counter()
    for to, raw in messages:
        connection.sendmail("bulletin@example.com", [to], raw)
    elapsed = time.perf_counter() - started
    connection.quit()
    return elapsed


def _plain_child(port: int, messages, start, results) -> None:
    start.wait()
    results.put(plain_loop(port, messages))


def parallel_plain_loops(port: int, messages, processes: int) -> float:
    """The plain loop in several processes at once: messages per second in all."""
    context = multiprocessing.get_context("fork")
    start, results = context.Event(), context.Queue()
    children = [
        context.Process(target=_plain_child, args=(port, messages, start, results))
        for _ in range(processes)
    ]
    for child in children:
        child.start()
    time.sleep(0.5)
    started = time.perf_counter()
    start.set()
    for _ in children:
        results.get(timeout=600)
    elapsed = time.perf_counter() - started
    for child in children:
        child.join()
    return processes * len(messages) / elapsed


# --- the run ----------------------------------------------------------------------------------


def database_urls(server_url: str) -> tuple[str, str, str]:
    parsed = urlparse(server_url)
    name = f"bench_mail_{os.getpid()}"
    return (
        urlunparse(parsed._replace(path=f"/{parsed.path.lstrip('/') or 'postgres'}")),
        urlunparse(parsed._replace(path=f"/{name}")),
        name,
    )


def rounds(pairs: int):
    """Worker counts in alternating order: a warm-up round, then `pairs` measured rounds."""
    for number in range(pairs + 1):
        order = WORKER_COUNTS if number % 2 == 0 else tuple(reversed(WORKER_COUNTS))
        yield number, order


def measure(label: str, issue, env: dict, sink: Sink, pairs: int, messages) -> dict:
    from django.db import connections

    results = {n: [] for n in WORKER_COUNTS}
    plain = []
    for number, order in rounds(pairs):
        row = {}
        for n in order:
            row[n] = timed_send(issue, n, env, sink)
        connections.close_all()
        plain_rate = len(messages) / plain_loop(sink.port, messages)
        state = "warm-up" if number == 0 else f"round {number}"
        print(
            f"  {label} {state}: "
            + ", ".join(
                f"{n} worker{'s' * (n > 1)} {row[n]['rate']:.0f}/s ({row[n]['slots']} chains)"
                for n in WORKER_COUNTS
            )
            + f"; plain loop {plain_rate:.0f}/s",
            flush=True,
        )
        if number:
            plain.append(plain_rate)
            for n in WORKER_COUNTS:
                results[n].append({**row[n], "plain": plain_rate})
    return {"runs": results, "plain": plain}


def ratio_line(values: list[float]) -> str:
    return f"min {min(values):.2f}, median {statistics.median(values):.2f}"


def report(label: str, measured: dict, *, targets: bool) -> None:
    runs = measured["runs"]
    print(f"\n{label}")
    print(
        "  workers  msg/s (median)  scaling vs 1 worker     per worker vs plain loop     "
        "CPU ms/msg  queries/msg"
    )
    for n in WORKER_COUNTS:
        rates = [r["rate"] for r in runs[n]]
        scaling = [r["rate"] / one["rate"] for r, one in zip(runs[n], runs[1], strict=True)]
        per_worker = [r["rate"] / n / r["plain"] for r in runs[n]]
        target = f" (target {TARGETS[n]})" if targets and n in TARGETS else ""
        print(
            f"  {n:>7}  {statistics.median(rates):>14.0f}  {ratio_line(scaling)}{target:<14}"
            f"  {ratio_line(per_worker)}"
            f"  {statistics.median(r['cpu_ms'] for r in runs[n]):>9.2f}"
            f"  {statistics.median(r['queries'] for r in runs[n]):>11.2f}"
        )
    print(f"  plain smtplib loop, one connection: {statistics.median(measured['plain']):.0f}/s")


def profile_send(issue, sink: Sink) -> None:
    """One send handed over in this process under cProfile: where a message's CPU time goes."""
    import cProfile
    import pstats

    from bulletin.mailing.services.delivery import send_process
    from bulletin.mailing.services.sending import send_create

    send = send_create(issue=issue, user=None)  # no worker runs: the tasks wait in the queue
    profiler = cProfile.Profile()
    started = time.process_time()
    profiler.enable()
    send_process(send_id=send.pk, generation=send.generation + 1, budget=600)
    profiler.disable()
    cpu = time.process_time() - started
    print(f"in-process send: {send.total} messages, {1000 * cpu / send.total:.2f} ms CPU each")
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(30)
    stats.sort_stats("tottime").print_stats(20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=3000, help="messages per tuned send")
    parser.add_argument("--default-count", type=int, default=100, help="at the default rate")
    parser.add_argument("--pairs", type=int, default=3, help="measured rounds (tuned)")
    parser.add_argument("--profile", action="store_true", help="profile one in-process send")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return run_worker(args.worker)

    server_url = os.environ.get("DATABASE_URL", "")
    if not server_url.startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to a PostgreSQL server (a database of its own is made)")
    admin_url, bench_url, bench_db = database_urls(server_url)
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/12")
    sink = Sink(SINK_PROCESSES)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bulletin.settings.base",
        "DATABASE_URL": bench_url,
        "REDIS_URL": redis_url,
        "CELERY_BROKER_URL": redis_url,
        "EMAIL_URL": f"smtp://127.0.0.1:{sink.port}",
        "LOG_LEVEL": "WARNING",
    }
    for name in ("MAILING_RATE", "MAILING_BATCH_SIZE", "MAILING_LANES"):
        env.pop(name, None)  # as shipped, unless a configuration below sets it
    os.environ.update(env)
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{bench_db}"')
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connections

        call_command("migrate", verbosity=0)
        tuned_issue = setup_content("bench-tuned", args.count)
        default_issue = setup_content("bench-default", args.default_count)
        if args.profile:
            from django.test.utils import override_settings

            with override_settings(MAILING_RATE=0):
                return profile_send(tuned_issue, sink)
        messages = prebuilt_messages(tuned_issue, args.count)
        connections.close_all()
        print(
            f"{args.count} messages per tuned send ({args.default_count} at the default rate), "
            f"{len(messages[0][1]) / 1024:.0f} KiB each; {os.cpu_count()} CPUs; "
            f"sink: {SINK_PROCESSES} processes",
            flush=True,
        )
        capacity = parallel_plain_loops(sink.port, messages[: args.count // 2], 4)
        print(f"sink capacity (4 plain loops at once): {capacity:.0f}/s", flush=True)
        tuned = measure(
            "tuned", tuned_issue, {**env, "MAILING_RATE": "0"}, sink, args.pairs, messages
        )
        default = measure("default", default_issue, env, sink, 1, messages[: args.default_count])
    finally:
        sink.stop()
        from django.db import connections

        connections.close_all()
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{bench_db}"')

    report("tuned (MAILING_RATE=0, batches as shipped)", tuned, targets=True)
    report("default settings (MAILING_RATE=10 for all workers together)", default, targets=False)
    print(
        f"\ntargets: 2 workers >= {TARGETS[2]}x and 4 workers >= {TARGETS[4]}x one worker "
        f"(tuned); each worker >= {PER_WORKER_TARGET}x the plain loop. "
        f"Sink capacity {capacity:.0f}/s against the fastest send "
        f"{max(r['rate'] for rs in tuned['runs'].values() for r in rs):.0f}/s."
    )


if __name__ == "__main__":
    main()
