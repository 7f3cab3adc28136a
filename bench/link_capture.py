"""Benchmark of checking and capturing what an issue cites: one issue's 51 links, each checked
(HEAD, GET for the title) and captured (GET, WARC file) by a real Celery worker through the
outbox, as saving and approving the entries ask for them, against a local page server in a
process of its own that answers like real sites: 50-500 ms of latency per request (seeded
random), pages of 20-150 KB, a few PDFs, some redirects and some dead links (404, 410), spread
over up to 15 host names (made-up names under .bench-links.test that resolve to the server, so that
the per-host limits apply as they would to real sites).

    DATABASE_URL=postgres://…/any REDIS_URL=redis://…/n .venv/bin/python bench/link_capture.py \
        [--pairs 3] [--concurrency 8] [--seed 18] [--browser]

It creates a database of its own on DATABASE_URL's server (bench_links_<pid>) and drops it at
the end (no other); captures go to a temporary folder, removed at the end; Redis: REDIS_URL's
database (broker, per-host counters of the bench's host names, forgotten before each run).
Each pair is one timed run of the 51 links through the worker and, in the same pair, the
baseline: plain sequential urllib GETs of the same 51 URLs (redirects followed); the order
alternates after a warm-up pair. Printed: each pair's wall times and ratio, min and median of the
ratios, and the WARC bytes per link. `--browser` also renders each captured HTML page in
Chromium (LINK_CAPTURE_BROWSER) and waits for those jobs too.

Target: the 51 links checked and captured in under 60 s.
"""

import argparse
import collections
import contextlib
import multiprocessing
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlparse, urlunparse

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
LINKS = 51
HOSTS = 15
LATENCY = (0.05, 0.5)
TARGET_SECONDS = 60
SUFFIX = ".bench-links.test"


# --- the page server: a process of its own, latency drawn from a seeded generator ------------


def site(seed: int) -> dict[str, tuple]:
    """The 51 cited paths and what each answers: (status, content type, body, location)."""
    rng = random.Random(seed)
    pages: dict[str, tuple] = {}
    # A vocabulary of made-up words: text that compresses about as well as a real page's.
    words = [
        "".join(rng.choice("etaoinshrdlucmfwyp") for _ in range(rng.randint(2, 11)))
        for _ in range(400)
    ]
    for n in range(LINKS):
        path = f"/{n}/document"
        if n % 17 == 3:  # 3 PDFs
            body = b"%PDF-1.4\n" + bytes(rng.getrandbits(8) for _ in range(90_000)) + b"\n%%EOF\n"
            pages[path] = (200, "application/pdf", body, "")
        elif n % 10 == 7:  # 5 redirects, to a page of the same site
            pages[path] = (301 if n % 20 == 7 else 302, "text/html", b"", f"/{n}/moved")
            pages[f"/{n}/moved"] = (200, "text/html; charset=utf-8", _html(rng, words, n), "")
        elif n % 9 == 5:  # 6 dead links
            status = 404 if n % 2 else 410
            pages[path] = (status, "text/html", b"<!doctype html><title>Not found</title>", "")
        else:
            pages[path] = (200, "text/html; charset=utf-8", _html(rng, words, n), "")
    return pages


def _html(rng: random.Random, words: list[str], n: int) -> bytes:
    size = rng.randint(20_000, 150_000)
    paragraphs, length = [], 0
    while length < size:
        paragraphs.append("<p>" + " ".join(rng.choice(words) for _ in range(60)) + "</p>\n")
        length += len(paragraphs[-1])
    body = "".join(paragraphs)
    head = f"<title>Notice {n}</title><style>body{{font:16px serif}}</style>"
    return f"<!doctype html><html><head>{head}</head><body><h1>Notice {n}</h1>{body}".encode()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_HEAD(self):
        self.answer(head=True)

    def do_GET(self):
        self.answer(head=False)

    def answer(self, *, head: bool):
        with self.server.lock:
            delay = self.server.rng.uniform(*LATENCY)
        time.sleep(delay)
        status, content_type, body, location = self.server.pages.get(
            self.path, (404, "text/html", b"<!doctype html><title>Not found</title>", "")
        )
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        if location:
            self.send_header("Location", location)
        self.end_headers()
        if not head:
            self.wfile.write(body)


def serve(port: int, seed: int, ready) -> None:
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    httpd = ThreadingHTTPServer(("127.0.0.1", port), _Handler)
    httpd.daemon_threads = True
    httpd.request_queue_size = 128
    httpd.pages, httpd.rng, httpd.lock = site(seed), random.Random(seed), threading.Lock()
    ready.set()
    httpd.serve_forever()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def cited_urls(port: int, seed: int) -> list[str]:
    """The 51 cited URLs, spread over the host names (a few sites cited often, as in an issue)."""
    rng = random.Random(seed + 1)
    weights = [1 / (rank + 1) for rank in range(HOSTS)]
    hosts = rng.choices(range(HOSTS), weights=weights, k=LINKS)
    return [f"http://site{hosts[n]}{SUFFIX}:{port}/{n}/document" for n in range(LINKS)]


# --- the worker -------------------------------------------------------------------------------


def run_worker(pool: str, concurrency: int) -> None:
    import django

    django.setup()
    from bulletin.celery import app

    app.worker_main(
        ["worker", f"--pool={pool}", f"--concurrency={concurrency}", "--without-heartbeat"]
        + ["--without-gossip", "--without-mingle", "-l", "WARNING", "-n", f"links{os.getpid()}@%h"]
    )


def start_worker(env: dict, pool: str, concurrency: int) -> subprocess.Popen:
    from bulletin.celery import app

    worker = subprocess.Popen(
        [sys.executable, __file__, "--worker", pool, str(concurrency)],
        env=env,
        cwd=BASE_DIR,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while True:
        with contextlib.suppress(Exception):  # the broker answers once the worker is up
            if app.control.ping(timeout=0.5):
                return worker
        if time.monotonic() > deadline or worker.poll() is not None:
            raise SystemExit("the worker did not start")


# --- the content and one timed run ------------------------------------------------------------


def setup_issue(urls: list[str]):
    """An issue of 12 entries citing the 51 URLs (the sample issue's count), in review."""
    import datetime

    from bulletin.models import Bulletin, Issue
    from entries.models import Entry, EntryLink, Section

    bulletin = Bulletin.objects.create(
        name="人工智能法律月刊", slug="bench-links", firm_name="示例律师事务所"
    )
    issue = Issue.objects.create(
        bulletin=bulletin, number=8, year=2024, month=8, title="2024 年 8 月刊", slug="2024-08"
    )
    section = Section.objects.create(issue=issue, title="最新法律与监管动态", position=1)
    entries = [
        Entry.objects.create(
            issue=issue,
            section=section,
            position=n + 1,
            kind=Entry.Kind.REGULATION,
            title=f"示例监管动态第 {n + 1} 条",
            published_on=datetime.date(2024, 8, 1),
            summary="<p>该文件对生成式人工智能服务提出了新的合规要求。</p>",
            state=Entry.State.APPROVED,
        )
        for n in range(12)
    ]
    for n, url in enumerate(urls):
        EntryLink.objects.create(entry=entries[n % 12], url=url, position=n // 12 + 1)
    return entries


def reset(urls: list[str], capture_root: Path) -> None:
    """Forget the last run: its checks, captures, jobs, files and per-host counters."""
    from urllib.parse import urlsplit

    from bulletin.models import Job
    from entries.fetching import hosts_forget
    from entries.models import LinkCapture, LinkCheck

    Job.objects.filter(name__startswith="links.").delete()
    LinkCheck.objects.all().delete()
    LinkCapture.objects.all().delete()
    shutil.rmtree(capture_root, ignore_errors=True)
    hosts_forget(sorted({urlsplit(url).hostname for url in urls}))


def timed_run(entries, urls: list[str], capture_root: Path) -> dict:
    """Ask for a check and a capture of every link (as saving and approving the entries do), and
    wait until every job is done: seconds, outcomes, WARC bytes, jobs retried."""
    from django.db import transaction
    from django.db.models import Sum

    from bulletin.models import Job
    from bulletin.services.captures import links_capture_request
    from bulletin.services.jobs import jobs_sweep
    from bulletin.services.links import links_check_request
    from entries.models import LinkCapture, LinkCheck

    reset(urls, capture_root)
    started = time.perf_counter()
    with transaction.atomic():  # the jobs go to the worker when this commits
        for entry in entries:
            links_check_request(entry=entry)
        links_capture_request(entries=entries)
    swept = started
    waiting = Job.objects.filter(name__startswith="links.", status__in=["pending", "running"])
    while waiting.exists():
        time.sleep(0.05)
        if time.perf_counter() - swept > 5:  # what Celery beat does every minute in production
            jobs_sweep()
            swept = time.perf_counter()
        if time.perf_counter() - started > 600:
            raise SystemExit("the jobs did not finish within 10 minutes")
    elapsed = time.perf_counter() - started
    checks = LinkCheck.objects.all()
    captures = LinkCapture.objects.all()
    return {
        "seconds": elapsed,
        "checks": {o: checks.filter(outcome=o).count() for o in ("ok", "redirected", "broken")},
        "checked": checks.count(),
        "captured": captures.exclude(warc_name="").count(),
        "kept": LinkCapture.objects.kept().count(),
        "rendered": captures.exclude(screenshot_name="").count(),
        "warc_bytes": captures.aggregate(total=Sum("warc_size"))["total"] or 0,
        "render_bytes": sum(
            (c.screenshot_size or 0) + (c.rendered_pdf_size or 0) for c in captures
        ),
        "retried": Job.objects.filter(name__startswith="links.", attempts__gt=1).count(),
        "failed": Job.objects.filter(name__startswith="links.", status="failed").count(),
    }


def baseline(urls: list[str], port: int) -> float:
    """Plain sequential urllib GETs of the same URLs (to the same server; redirects followed)."""
    started = time.perf_counter()
    for url in urls:
        plain = urlunparse(urlparse(url)._replace(netloc=f"127.0.0.1:{port}"))
        try:
            with urllib.request.urlopen(plain, timeout=10) as response:  # noqa: S310
                response.read()
        except urllib.error.HTTPError as exc:  # a dead link answers too
            exc.read()
    return time.perf_counter() - started


# --- the run ----------------------------------------------------------------------------------


def database_urls(server_url: str) -> tuple[str, str, str]:
    parsed = urlparse(server_url)
    name = f"bench_links_{os.getpid()}"
    return (
        urlunparse(parsed._replace(path=f"/{parsed.path.lstrip('/') or 'postgres'}")),
        urlunparse(parsed._replace(path=f"/{name}")),
        name,
    )


def measure(entries, urls, port, capture_root, pairs: int) -> list[dict]:
    results = []
    for number in range(pairs + 1):
        first_ours = number % 2 == 0
        if first_ours:
            ours = timed_run(entries, urls, capture_root)
            plain = baseline(urls, port)
        else:
            plain = baseline(urls, port)
            ours = timed_run(entries, urls, capture_root)
        label = "warm-up" if number == 0 else f"pair {number}"
        order = "worker, then baseline" if first_ours else "baseline, then worker"
        print(
            f"  {label} ({order}): check+capture {ours['seconds']:.1f} s "
            f"(checks {ours['checks']}, {ours['captured']} WARC files, {ours['kept']} kept, "
            f"{ours['rendered']} rendered, {ours['retried']} jobs retried, "
            f"{ours['failed']} failed); baseline {plain:.1f} s; "
            f"ratio {ours['seconds'] / plain:.2f}",
            flush=True,
        )
        if number:
            results.append({**ours, "baseline": plain, "ratio": ours["seconds"] / plain})
    return results


def report(results: list[dict], args) -> None:
    seconds = [r["seconds"] for r in results]
    ratios = [r["ratio"] for r in results]
    last = results[-1]
    print(f"\n{LINKS} links, latency {LATENCY[0]:.2f}-{LATENCY[1]:.2f} s a request")
    print(
        f"worker: 1 Celery worker, {args.pool} pool, concurrency {args.concurrency}"
        + (", Chromium rendering on" if args.browser else "")
    )
    print(
        f"check+capture wall time: min {min(seconds):.1f} s, median "
        f"{statistics.median(seconds):.1f} s (target < {TARGET_SECONDS} s: "
        f"{'met' if max(seconds) < TARGET_SECONDS else 'NOT met'})"
    )
    print(
        f"baseline (sequential urllib GETs): median "
        f"{statistics.median(r['baseline'] for r in results):.1f} s"
    )
    print(f"ratio worker/baseline: min {min(ratios):.2f}, median {statistics.median(ratios):.2f}")
    print(
        f"storage: {last['warc_bytes']:,} bytes of WARC for {LINKS} links = "
        f"{last['warc_bytes'] / LINKS / 1024:.1f} KiB per link "
        f"({last['warc_bytes'] / max(last['captured'], 1) / 1024:.1f} KiB per WARC file)"
    )
    if args.browser:
        print(
            f"rendering: {last['render_bytes']:,} bytes of screenshots and PDFs = "
            f"{last['render_bytes'] / max(last['rendered'], 1) / 1024:.1f} KiB per rendered page"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pairs", type=int, default=3, help="measured pairs after a warm-up")
    parser.add_argument("--pool", default="prefork", help="the worker's pool (prefork, threads)")
    parser.add_argument("--concurrency", type=int, default=8, help="the worker's pool size")
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--browser", action="store_true", help="also render in Chromium")
    parser.add_argument("--worker", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return run_worker(args.worker[0], int(args.worker[1]))

    server_url = os.environ.get("DATABASE_URL", "")
    if not server_url.startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to a PostgreSQL server (a database of its own is made)")
    admin_url, bench_url, bench_db = database_urls(server_url)
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/12")
    port = free_port()
    context = multiprocessing.get_context("fork")
    ready = context.Event()
    server = context.Process(target=serve, args=(port, args.seed, ready), daemon=True)
    server.start()
    if not ready.wait(30):
        raise SystemExit("the page server did not start")
    capture_root = Path(tempfile.mkdtemp(prefix="bench-links-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.link_settings",
        "DATABASE_URL": bench_url,
        "REDIS_URL": redis_url,
        "CELERY_BROKER_URL": redis_url,
        "LINK_FETCH_ALLOW": f"127.0.0.1:{port}",
        "LINK_CAPTURE_ROOT": str(capture_root),
        "LINK_CAPTURE_BROWSER": "1" if args.browser else "0",
        "LOG_LEVEL": "WARNING",
    }
    for name in ("LINK_FETCH_HOST_CONCURRENCY", "LINK_FETCH_HOST_PER_MINUTE", "LINK_CHECK_TIMEOUT"):
        env.pop(name, None)  # as shipped
    os.environ.update(env)
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{bench_db}"')
    worker = None
    try:
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connections

        call_command("migrate", verbosity=0)
        urls = cited_urls(port, args.seed)
        entries = setup_issue(urls)
        worker = start_worker(env, args.pool, args.concurrency)
        cited = collections.Counter(urlparse(u).hostname for u in urls)
        print(
            f"{LINKS} links on {len(cited)} host names (the most cited has "
            f"{cited.most_common(1)[0][1]}, at most {settings.LINK_FETCH_HOST_CONCURRENCY} "
            "requests at a time); "
            f"{os.cpu_count()} CPUs; worker: {args.pool} x {args.concurrency}",
            flush=True,
        )
        results = measure(entries, urls, port, capture_root, args.pairs)
        connections.close_all()
    finally:
        if worker is not None:
            worker.send_signal(signal.SIGTERM)
            worker.wait(timeout=60)
        server.terminate()
        server.join(5)
        shutil.rmtree(capture_root, ignore_errors=True)
        from django.db import connections

        connections.close_all()
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{bench_db}"')
    report(results, args)


if __name__ == "__main__":
    main()
