"""The public issue page at 60 and 300 entries, and an entry page of the 300-entry issue, served
by gunicorn and loaded by wrk, against a static file of exactly the same bytes served by the same
server (WhiteNoise) in the same run. Target: each page at >= 0.8x the static file's requests per
second, cold and warm. It also prints what the stored pages of the largest issue take on disk
(files and bytes) and how long their rendering (the web.pages job) took.

    DATABASE_URL=postgres://… REDIS_URL=redis://… .venv/bin/python bench/web_issue.py \
        [--seconds 5] [--pairs 5] [--connections 4] [--sizes 60,300]

It creates a database of its own on DATABASE_URL's server (named bench_web_<pid>) and drops
that one at the end, nothing else; the page cache lives in REDIS_URL (the bench drops the cached
public pages there: give it a Redis database of its own). The load generator (wrk, Debian's
`wrk`) is pinned to the first core and the server to the second (taskset), so the client does
not take the server's time. Each (A, B) pair runs A, the issue page, then B, the static file;
every pair's ratio A/B is printed, with their minimum and median.

PUBLISHED_PAGES_SERVE=0 measures the pages as the view serves them (templates and the Redis
page cache), as before pages were stored.

Warm: the same address again and again (the second request on is whatever the server keeps).
Cold: every request a first one — its own query string (?p=N, a parameter the page cache keys
on), the page cache dropped before each run, so nothing rendered for an earlier request helps.
"""

import argparse
import http.client
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import unquote, urlparse

from _setup import ROOT, django_setup, published_issue

SIZES = [60, 300]
TARGET = 0.8
CLIENT_CORE, SERVER_CORE = "0", "1"
COLD_SCRIPT = """
counter = 0
init = function(args) counter = tonumber(args[1]) end
request = function()
  counter = counter + 1
  return wrk.format("GET", wrk.path .. "?p=" .. counter)
end
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def own_database(url: str) -> tuple[str, str]:
    """Create a database of our own next to DATABASE_URL's: (its URL, its name)."""
    import psycopg

    parsed = urlparse(url)
    if parsed.scheme not in ("postgres", "postgresql", "pgsql"):
        sys.exit("bench-web needs PostgreSQL: set DATABASE_URL=postgres://…")
    name = f"bench_web_{os.getpid()}"
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return parsed._replace(path=f"/{name}").geturl(), name


def drop_own_database(url: str, name: str) -> None:
    import psycopg

    assert name.startswith("bench_web_")
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')


def wrk(url: str, *, seconds: float, connections: int, script: Path | None = None, offset=0):
    """Requests per second (and non-2xx answers) from wrk on the client core."""
    command = ["taskset", "-c", CLIENT_CORE, "wrk", "-t1", f"-c{connections}", f"-d{seconds:g}s"]
    command.append("--timeout=60s")  # a slow cold page still counts, late
    if script:
        command += ["-s", str(script)]
    command.append(url)
    if script:
        command += ["--", str(offset)]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors:.*", out)
    return rps, int(bad.group(1)) if bad else 0, errors.group(0) if errors else ""


def wait_for(port: int) -> None:
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    sys.exit("gunicorn did not start")


def settle(base: str) -> None:
    """Wait until the server has finished what the last run left queued (a cold page can take a
    second): the next run must not pay for it."""
    for _ in range(300):
        start = time.perf_counter()
        fetch(base + "/healthz")
        if time.perf_counter() - start < 0.05:
            return


def fetch(url: str) -> bytes:
    parsed = urlparse(url)
    connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=60)
    connection.request("GET", parsed.path)
    body = connection.getresponse().read()
    connection.close()
    return body


def setup(work: Path, env: dict, sizes: list[int]) -> dict:
    """Publish the issues (only the web outputs run here): {size: issue}."""
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    # The PDF and the email are not what is measured (and would take minutes at 300 entries).
    settings.BULLETIN_PUBLISH_OUTPUTS = [
        name for name in settings.BULLETIN_PUBLISH_OUTPUTS if name.startswith("web.")
    ]
    return {size: published_issue(size, slug=f"bench-{size}") for size in sizes}


def stored_pages_report(issue) -> str:
    """The files of an issue's stored pages (its own and its entries', both languages), their
    bytes, and the time its web.pages job takes to render them all again."""
    from bulletin import pages

    addresses = pages.issue_addresses(issue)
    for entry in issue.published_entries.all():
        addresses += pages.entry_addresses(entry_id=entry.entry_id, title=entry.title)
    files = [file for path in addresses for file in pages.page_folder(path).iterdir()]
    sizes = {name: 0 for name in (pages.PAGE, pages.COMPRESSED, pages.HEADERS)}
    for file in files:
        sizes[file.name] += file.stat().st_size
    for path in addresses:
        pages.page_remove(path)
    start = time.perf_counter()
    written = pages.issue_pages_write(issue_id=issue.pk)
    took = time.perf_counter() - start
    assert sorted(written) == sorted(addresses)
    return (
        f"{len(addresses)} pages in {len(files)} files, {sum(sizes.values()):,} bytes"
        f" ({sizes[pages.PAGE]:,} HTML, {sizes[pages.COMPRESSED]:,} gzip,"
        f" {sizes[pages.HEADERS]:,} headers); rendered in {took:.1f} s"
        f" ({took / len(addresses) * 1000:.0f} ms a page)"
    )


class Runner:
    """Runs wrk for one mode; cold runs drop the page cache and give every request its own
    query string, never one an earlier run used."""

    def __init__(self, base: str, mode: str, args, script: Path):
        self.base, self.mode, self.args, self.script = base, mode, args, script
        self.offset = 0

    def __call__(self, url: str, seconds: float | None = None):
        from bulletin.caching import public_cache_drop

        seconds = seconds or self.args.seconds
        settle(self.base)
        if self.mode == "warm":
            return wrk(url, seconds=seconds, connections=self.args.connections)
        public_cache_drop()
        self.offset += 10_000_000
        return wrk(
            url,
            seconds=seconds,
            connections=self.args.connections,
            script=self.script,
            offset=self.offset,
        )


def measure(base: str, path: str, static: str, args, script: Path, *, name="issue") -> None:
    page = fetch(base + path)
    assert page == fetch(base + static), "the baseline must be the same bytes"
    for mode in ("warm", "cold"):
        run, ratios = Runner(base, mode, args, script), []
        run(base + path, seconds=args.warmup)  # warm-up: imports, connections, OS caches
        run(base + static, seconds=args.warmup)
        for n in range(args.pairs):
            a, a_bad, a_err = run(base + path)
            b, b_bad, b_err = run(base + static)
            ratios.append(a / b)
            note = "".join(
                f"  {name}: {bad} non-2xx {err}".rstrip()
                for name, bad, err in (("A", a_bad, a_err), ("B", b_bad, b_err))
                if bad or err
            )
            print(
                f"  {mode} pair {n + 1}: {name} {a:8.1f} req/s  static {b:8.1f} req/s"
                f"  ratio {a / b:.2f}{note}",
                flush=True,
            )
        verdict = "meets" if statistics.median(ratios) >= TARGET else "MISSES"
        print(
            f"  {mode}: ratio min {min(ratios):.2f}  median {statistics.median(ratios):.2f}"
            f"  ({verdict} the target of >= {TARGET}x)",
            flush=True,
        )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--warmup", type=float, default=2)
    parser.add_argument("--pairs", type=int, default=5)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="entries per issue")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    if not shutil.which("wrk") or not shutil.which("taskset"):
        sys.exit("bench-web needs wrk and taskset: apt-get install -y wrk util-linux")
    if os.cpu_count() < 2:
        sys.exit("bench-web pins the client and the server to separate cores: it needs two")
    server_url = os.environ.get("DATABASE_URL", "")
    if not os.environ.get("REDIS_URL"):
        sys.exit("bench-web needs Redis for the page cache: set REDIS_URL=redis://…")

    work = Path(tempfile.mkdtemp(prefix="bench-web-"))
    database, name = own_database(server_url)
    env = {
        **os.environ,
        "DATABASE_URL": database,
        "DJANGO_SETTINGS_MODULE": "bulletin.settings.base",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "STATIC_ROOT": str(work / "static"),
        "PUBLISHED_PAGES_ROOT": str(work / "pages"),
        "CELERY_BROKER_URL": "",
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    script = work / "cold.lua"
    script.write_text(COLD_SCRIPT)
    server = None
    try:
        django_setup(database)
        issues = setup(work, env, sizes)
        largest = issues[max(sizes)]
        print(f"stored pages of the {max(sizes)}-entry issue: {stored_pages_report(largest)}")
        paths = {size: issue.get_absolute_url() for size, issue in issues.items()}
        # An entry page of the largest issue, from the middle (neighbours on both sides).
        entries = list(largest.published_entries.order_by("position"))
        paths["entry"] = entries[len(entries) // 2].get_absolute_url()
        from django.test import Client

        for size, path in paths.items():
            # The baseline: the page's own bytes, as a static file of the same server.
            page = Client().get(path, HTTP_HOST="127.0.0.1").getvalue()
            (work / "static" / f"baseline-{size}.html").write_bytes(page)
        port = free_port()
        server = subprocess.Popen(
            ["taskset", "-c", SERVER_CORE, sys.executable, "-m", "gunicorn", "bulletin.wsgi"]
            + ["-b", f"127.0.0.1:{port}", "-w", str(args.workers), "--log-level", "warning"],
            cwd=ROOT,
            env=env,
        )
        wait_for(port)
        base = f"http://127.0.0.1:{port}"
        print(
            f"wrk (1 thread, {args.connections} connections) on core {CLIENT_CORE}, gunicorn"
            f" ({args.workers} sync workers) on core {SERVER_CORE}, of {os.cpu_count()} cores;"
            f" {args.pairs} pairs of {args.seconds:g} s after {args.warmup:g} s of warm-up."
            f" Target: each page >= {TARGET}x the static file, cold and warm: the issue page at"
            f" {' and '.join(map(str, sizes))} entries, an entry page of the largest.",
            flush=True,
        )
        from bulletin.pages import stored_addresses

        serve = os.environ.get("PUBLISHED_PAGES_SERVE", "1") not in ("0", "false", "False", "")
        print(
            "issue and entry pages: "
            + (
                f"the stored pages (bulletin.pages; {len(stored_addresses())} pages stored)"
                if serve
                else "the view (templates, Redis page cache): PUBLISHED_PAGES_SERVE=0"
            ),
            flush=True,
        )
        for size, path in paths.items():
            page = (work / "static" / f"baseline-{size}.html").read_bytes()
            what = f"{size} entries" if size != "entry" else f"entry page of {max(sizes)}"
            print(f"{what}: {unquote(path)} ({len(page):,} bytes)", flush=True)
            label = "entry" if size == "entry" else "issue"
            measure(base, path, f"/static/baseline-{size}.html", args, script, name=label)
    finally:
        if server:
            server.terminate()
            server.wait()
        from django.db import connections

        connections.close_all()
        drop_own_database(server_url, name)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
