"""The PDF of an issue at 10, 40 and 160 entries: our renderer (HTML to stored bytes, as the
worker runs it) against Chromium's print-to-PDF of the same HTML, in pairs, alternated.

    DATABASE_URL=postgres://… .venv/bin/python bench/pdf_render.py [--pairs 3] [--sizes 10,40,160]

Prints per size: the page count, each pair's time ratio (ours / Chromium) with min and median,
the size ratio, our peak memory (the largest sum of the resident memory of this process and
its children, sampled every 20 ms, during our render) and the targets at 160 entries: time at
or below Chromium's, size at most 0.6× Chromium's, peak memory under 400 MB. The bench adds a
bulletin of its own to the database and removes it at the end (it never drops a database).
"""

import argparse
import datetime
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from _setup import django_setup

SIZES = (10, 40, 160)
ENTRIES_PER_SECTION = 40
CHROMIUM = "/usr/bin/chromium"
TARGET_TIME, TARGET_SIZE, TARGET_MB = 1.0, 0.6, 400

PARAGRAPH = (
    "<p>2024 年 8 月 2 日，监管机构发布《人工智能服务管理办法（征求意见稿）》（AI Services "
    "Measures），就训练数据来源、生成内容标识和用户权益保护等问题征求意见。该办法适用于向境内"
    "公众提供生成式人工智能服务的企业，违反规定的可处 5,000 元以上罚款。</p>"
)
LISTS = (
    "<p>主要内容包括：</p><ol><li><p>第一项义务；</p></li><li><p>第二项义务，至少包括：</p>"
    '<ol type="a"><li><p>提供者名称；</p></li><li><p>系统版本号。</p></li></ol></li></ol>'
)
COMMENTARY = "<p>" + "本所认为，企业应当及早评估训练数据的合法来源并建立标识机制。" * 4 + "</p>"
SECTION_TITLES = ["最新法律与监管动态", "最新行业动态", "典型案例", "域外观察"]
KINDS = ["law", "regulation", "case", "industry"]


def bench_issue(entries: int, bulletin, authors):
    """A published issue: sections of up to 40 entries, every other one with a commentary."""
    from django.utils import timezone

    from bulletin.models import Issue
    from bulletin.services.publishing import issue_publish
    from entries.models import Commentary, Entry, EntryLink, Section

    issue = Issue.objects.create(
        bulletin=bulletin,
        number=entries,
        year=2024,
        month=8,
        title=f"人工智能法律月刊（{entries} 条）",
        slug=f"bench-pdf-{entries}",
        editors_note="<p>" + "本期关注人工智能监管的最新进展。" * 6 + "</p>",
    )
    issue.writers.set(authors[:3])
    sections = -(-entries // ENTRIES_PER_SECTION)
    for n in range(entries):
        s, position = divmod(n, ENTRIES_PER_SECTION)
        section, _ = Section.objects.get_or_create(
            issue=issue,
            position=s + 1,
            defaults={"title": SECTION_TITLES[s % len(SECTION_TITLES)] + f"（{s + 1}/{sections}）"},
        )
        kind = KINDS[n % len(KINDS)]
        entry = Entry.objects.create(
            issue=issue,
            section=section,
            position=position + 1,
            kind=kind,
            title=f"监管机构发布人工智能合规指引第 {n + 1} 号",
            source="示例监管机构官网",
            published_on=datetime.date(2024, 8, 1 + n % 28),
            summary=PARAGRAPH * (2 + n % 3) + (LISTS if n % 2 else ""),
            state="approved",
            case_caption="甲公司诉乙公司著作权侵权纠纷案" if kind == "case" else "",
            docket_number="（2024）京 73 民终 123 号" if kind == "case" else "",
            court="北京知识产权法院" if kind == "case" else "",
        )
        entry.tags.set(["版权", "隐私", "数据合规"][: 1 + n % 3])
        EntryLink.objects.create(
            entry=entry, url=f"https://regulator.example.gov/news/2024/08/{n}?" + "x=1&" * 20
        )
        if n % 2 == 0:
            note = Commentary.objects.create(entry=entry, body=COMMENTARY)
            note.authors.set([authors[n % len(authors)]])
    now = timezone.now()
    Issue.objects.filter(pk=issue.pk).update(state="scheduled", scheduled_at=now)
    issue_publish(issue=issue, user=None, now=now)
    return issue


def bench_bulletin():
    from bulletin.models import Bulletin
    from people.models import Author

    bulletin = Bulletin.objects.create(
        slug="bench-pdf",
        name="人工智能法律月刊",
        firm_name="示例律师事务所",
        team_name="人工智能与数字经济委员会",
        commentary_label="短评",
        disclaimer="<p>" + "本刊内容仅供参考，不构成法律意见。" * 5 + "</p>",
        contact_email="bulletin@example.com",
    )
    authors = [
        Author.objects.create(
            slug=f"bench-pdf-{n}",
            name=name,
            title="合伙人",
            office_city="北京",
            phone="010-5550 0101",
            email=f"author{n}@example.com",
            practice_areas="知识产权、数据合规",
            experience="<p>" + "执业十五年，专注于知识产权与数据合规。" * 3 + "</p>",
            education="北京大学，法学硕士\n中国人民大学，法学学士",
        )
        for n, name in enumerate(["林青山", "周映雪", "陆知远", "沈望舒", "顾长风"])
    ]
    bulletin.team.set(authors)
    return bulletin, authors


def remove(bulletin, authors) -> None:
    """What the bench added, and nothing else: its issues with what protects them (their
    publications, sends, entries), its bulletin and authors."""
    from django.db.models import ProtectedError, RestrictedError

    from bulletin.models import Issue

    for _ in range(10):
        try:
            Issue.objects.filter(bulletin=bulletin).delete()
            break
        except (ProtectedError, RestrictedError) as error:
            blocking = getattr(error, "protected_objects", None) or error.restricted_objects
            for row in blocking:
                _delete(row)
    bulletin.delete()
    for author in authors:
        author.delete()


def _delete(row) -> None:
    from django.db.models import ProtectedError, RestrictedError

    try:
        row.delete()
    except (ProtectedError, RestrictedError) as error:
        for blocking in getattr(error, "protected_objects", None) or error.restricted_objects:
            _delete(blocking)
        row.delete()


class PeakMemory:
    """The largest sum of VmRSS of this process and its descendants, sampled in a thread."""

    def __init__(self):
        self.peak_kb = 0
        self._stop = threading.Event()

    def __enter__(self):
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def _sample(self):
        while not self._stop.is_set():
            self.peak_kb = max(self.peak_kb, sum(_rss_kb(pid) for pid in _tree(os.getpid())))
            self._stop.wait(0.02)


def _tree(pid: int) -> list[int]:
    pids = [pid]
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            children = task.read_text().split()
        except OSError:
            continue
        for child in children:
            pids.extend(_tree(int(child)))
    return pids


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def ours(content: dict) -> tuple[float, int, int, int]:
    """Seconds, bytes, pages and peak kB of our renderer, snapshot to PDF bytes."""
    from bulletin.pdf.document import document_pdf

    with PeakMemory() as memory:
        start = time.perf_counter()
        pdf = document_pdf(content)
        took = time.perf_counter() - start
    return took, len(pdf.data), pdf.pages, memory.peak_kb


def chromium(html_path: Path, out: Path) -> tuple[float, int]:
    """Seconds and bytes of Chromium's print-to-PDF of the same HTML file."""
    start = time.perf_counter()
    subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            f"--user-data-dir={out.parent / 'chromium-profile'}",
            f"--print-to-pdf={out}",
            html_path.as_uri(),
        ],
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - start, out.stat().st_size


def measure(entries: int, content: dict, html: str, pairs: int, folder: Path) -> dict:
    html_path = folder / f"issue-{entries}.html"
    html_path.write_text(html, encoding="utf-8")
    out = folder / f"chromium-{entries}.pdf"
    ours(content)  # warm-up: fonts, templates, the process pool
    chromium(html_path, out)
    ratios, times, chromium_times, peaks = [], [], [], []
    for n in range(pairs):
        # Alternated: which one runs first changes from pair to pair.
        if n % 2:
            c_time, c_size = chromium(html_path, out)
            o_time, o_size, pages, peak = ours(content)
        else:
            o_time, o_size, pages, peak = ours(content)
            c_time, c_size = chromium(html_path, out)
        ratios.append(o_time / c_time)
        times.append(o_time)
        chromium_times.append(c_time)
        peaks.append(peak)
    return {
        "pages": pages,
        "ours_s": statistics.median(times),
        "chromium_s": statistics.median(chromium_times),
        "ratio_min": min(ratios),
        "ratio_median": statistics.median(ratios),
        "ratios": ratios,
        "size": o_size,
        "chromium_size": c_size,
        "peak_mb": max(peaks) / 1024,
    }


def report(results: dict) -> bool:
    from django.conf import settings

    workers = getattr(settings, "PDF_PARALLEL_WORKERS", 1)
    print(
        f"in parts: {'on' if workers > 1 else 'off'} ({workers} workers, from "
        f"{getattr(settings, 'PDF_PARALLEL_MIN_ENTRIES', '-')} entries); {os.cpu_count()} cores; "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    header = "entries pages   ours s  chromium s  ratio min/median   pairs         "
    print(header + "size MB (ours/chromium)  peak MB")
    for entries, r in results.items():
        pairs = " ".join(f"{x:.2f}" for x in r["ratios"])
        print(
            f"{entries:>7} {r['pages']:>5} {r['ours_s']:>8.2f} {r['chromium_s']:>11.2f}"
            f"  {r['ratio_min']:>6.2f} / {r['ratio_median']:<6.2f}  {pairs:<14}"
            f"{r['size'] / 1e6:>5.2f} / {r['chromium_size'] / 1e6:.2f} "
            f"({r['size'] / r['chromium_size']:.2f}×)  {r['peak_mb']:>7.0f}"
        )
    largest = results[max(results)]
    checks = [
        (f"time ≤ {TARGET_TIME}× Chromium", largest["ratio_median"] <= TARGET_TIME),
        (f"size ≤ {TARGET_SIZE}× Chromium", largest["size"] / largest["chromium_size"] <= 0.6),
        (f"peak memory < {TARGET_MB} MB", largest["peak_mb"] < TARGET_MB),
    ]
    for name, met in checks:
        print(f"target at {max(results)} entries: {name}: {'met' if met else 'NOT met'}")
    return all(met for _, met in checks)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)))
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit(
            "Set DATABASE_URL to a PostgreSQL database (the bench adds rows, then removes them)."
        )
    # Tasks in this process (no broker), nothing stored outside a folder of this run.
    folder = Path(tempfile.mkdtemp(prefix="bench-pdf-"))
    os.environ.update(CELERY_BROKER_URL="", REDIS_URL="", PDF_ROOT=str(folder))
    django_setup(os.environ["DATABASE_URL"])
    from django.core.management import call_command

    from bulletin.pdf.document import document_html
    from bulletin.snapshot import hydrate

    call_command("migrate", verbosity=0)
    bulletin, authors = bench_bulletin()
    results = {}
    try:
        for entries in map(int, args.sizes.split(",")):
            issue = bench_issue(entries, bulletin, authors)
            content = hydrate(issue.current_publication().content)
            html = document_html(content)
            results[entries] = measure(entries, content, html, args.pairs, folder)
    finally:
        remove(bulletin, authors)
        shutil.rmtree(folder, ignore_errors=True)
    return 0 if report(results) else 1


if __name__ == "__main__":
    sys.exit(main())
