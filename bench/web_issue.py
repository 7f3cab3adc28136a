"""Serve a 60-entry issue page with gunicorn under load, against a static file of the same size
served by the same server in the same run. Prints requests per second and latency, and ratios.

    .venv/bin/python bench/web_issue.py [--seconds 5] [--threads 4]
"""

import argparse
import http.client
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from _setup import ROOT, django_setup, published_issue


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def load(port: int, paths, seconds: float, threads: int) -> dict:
    """Request the paths round-robin from `threads` keep-alive clients for `seconds`."""
    latencies, errors, lock = [], [0], threading.Lock()
    deadline = time.monotonic() + seconds

    def client(offset):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        n = offset
        while time.monotonic() < deadline:
            path = paths(n)
            n += threads
            start = time.perf_counter()
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            took = time.perf_counter() - start
            with lock:
                if response.status == 200:
                    latencies.append(took)
                else:
                    errors[0] += 1
        connection.close()

    workers = [threading.Thread(target=client, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    latencies.sort()
    return {
        "rps": len(latencies) / seconds,
        "p50": statistics.median(latencies) * 1000,
        "p95": latencies[int(len(latencies) * 0.95)] * 1000,
        "errors": errors[0],
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="bench-web-"))
    database = f"sqlite:///{work / 'db.sqlite3'}"
    env = {
        **os.environ,
        "DATABASE_URL": database,
        "DJANGO_SETTINGS_MODULE": "bulletin.settings.base",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "STATIC_ROOT": str(work / "static"),
    }
    os.environ.update(env)
    django_setup(database)
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    issue = published_issue(60)
    page = Client().get(issue.get_absolute_url(), HTTP_HOST="127.0.0.1").content
    # The baseline: a static file of exactly the page's size, served by the same server.
    (work / "static" / "baseline.html").write_bytes(page)

    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "bulletin.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            str(args.workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), 0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        url = issue.get_absolute_url()
        runs = {
            "static file": load(
                port, lambda n: "/static/baseline.html", args.seconds, args.threads
            ),
            "issue, cached": load(port, lambda n: url, args.seconds, args.threads),
            "issue, uncached": load(port, lambda n: f"{url}?n={n}", args.seconds, args.threads),
        }
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(work, ignore_errors=True)

    print(
        f"page size: {len(page):,} bytes; {args.workers} gunicorn workers, {args.threads} clients"
    )
    base = runs["static file"]
    for name, run in runs.items():
        print(
            f"{name:<16} {run['rps']:8.1f} req/s  p50 {run['p50']:6.2f} ms"
            f"  p95 {run['p95']:6.2f} ms  errors {run['errors']}"
            f"  ratio to static {run['rps'] / base['rps']:.2f}"
        )


if __name__ == "__main__":
    main()
