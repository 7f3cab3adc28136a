"""Render a seed-sized issue (44 entries, 12 commentaries, 5 profiles) through the whole PDF
pipeline, database to stored file, against plain WeasyPrint on the same saved HTML with the same
options in the same run. Prints the ratio (target 1.2 or less), seconds per page, the PDF's size
(target under 1.5 MB) and the peak memory of the process.

    .venv/bin/python bench/pdf_render.py [--rounds 3]
(uses the database bulletin_bench_pdf on 127.0.0.1, or BENCH_DATABASE_URL; it is dropped and made
anew; PDFs go to a temporary folder)
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import tempfile
import time

from _setup import django_setup

ENTRIES_PER_SECTION = (26, 18)
COMMENTARIES = 12


def fresh_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    base = url.rsplit("/", 1)[0]
    for sql in (f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}"):
        subprocess.run(["psql", f"{base}/postgres", "-qc", sql], check=True)


def seed_sized_issue():
    """The demo bulletin's texts, repeated to the size of a real monthly issue."""
    from django.utils import timezone

    from bulletin.demo.loader import demo_documents, load_demo
    from bulletin.models import Bulletin, Issue
    from bulletin.services.publishing import issue_publish
    from entries.models import Commentary, Entry, EntryLink, Section
    from people.models import Author

    load_demo()  # authors, jurisdictions, the bulletin and its team of five
    demo = json.loads(demo_documents()[0].read_text(encoding="utf-8"))
    bulletin = Bulletin.objects.get(slug=demo["bulletin"]["slug"])
    samples = [e for s in demo["issue"]["sections"] for e in s["entries"]]
    issue = Issue.objects.create(
        bulletin=bulletin,
        number=99,
        year=2024,
        month=9,
        title="基准：人工智能法律月刊",
        slug="bench",
        editors_note=demo["issue"]["editors_note"],
        volume="2024 年第 9 期",
    )
    issue.writers.set(Author.objects.all()[:3])
    authors = list(Author.objects.all())
    n = 0
    for position, count in enumerate(ENTRIES_PER_SECTION, start=1):
        section = Section.objects.create(issue=issue, position=position, title=f"栏目 {position}")
        for number in range(1, count + 1):
            sample = samples[n % len(samples)]
            entry = Entry.objects.create(
                issue=issue,
                section=section,
                position=number,
                kind=sample["kind"],
                title=f"{sample['title']}（{n + 1}）",
                source=sample["source"],
                summary=sample["summary"],
                state="approved",
                case_caption=sample["case_caption"],
                docket_number=sample["docket_number"],
                court=sample["court"],
            )
            entry.tags.set(sample["tags"])
            for link in sample["links"]:
                EntryLink.objects.create(entry=entry, **link)
            if n < COMMENTARIES:
                body = (sample.get("commentary") or samples[0]["commentary"])["body"]
                note = Commentary.objects.create(entry=entry, body=body)
                note.authors.set(authors[n % len(authors) : n % len(authors) + 1])
            n += 1
    # Due now on the schedule: the scheduler (user=None) publishes it.
    Issue.objects.filter(pk=issue.pk).update(state="scheduled", scheduled_at=timezone.now())
    issue_publish(issue=issue, user=None)
    return issue


def pipeline(issue_id: int) -> float:
    """Database to stored file: the publishing hook's request, the task, the storage."""
    from django.db import transaction

    from bulletin.pdf.files import pdf_storage
    from bulletin.pdf.models import Rendering
    from bulletin.pdf.services import rendering_request

    for rendering in Rendering.objects.filter(issue_id=issue_id):
        if rendering.file_name:
            pdf_storage().delete(rendering.file_name)
        rendering.delete()
    start = time.perf_counter()
    with transaction.atomic():
        rendering_request(issue_id=issue_id)  # the task runs in-process once this commits
    took = time.perf_counter() - start
    assert Rendering.objects.get(issue_id=issue_id).status == Rendering.Status.DONE
    return took


def plain(html: str) -> float:
    from django.conf import settings
    from weasyprint import HTML

    start = time.perf_counter()
    HTML(string=html).write_pdf(pdf_tags=True, pdf_variant=settings.PDF_VARIANT)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    url = os.environ.get(
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bulletin_bench_pdf"
    )
    fresh_database(url)
    # Tasks in this process (no broker), PDFs in a folder of this run.
    os.environ.update(CELERY_BROKER_URL="", REDIS_URL="", PDF_ROOT=tempfile.mkdtemp())
    django_setup(url)
    from django.core.management import call_command

    from bulletin.pdf.document import document_html
    from bulletin.pdf.models import Rendering
    from bulletin.snapshot import hydrate

    call_command("migrate", verbosity=0)
    issue = seed_sized_issue()
    html = document_html(hydrate(issue.current_publication().content))
    pipeline(issue.pk)  # warm-up: fonts, templates
    ours, base = [], []
    for _ in range(args.rounds):
        ours.append(pipeline(issue.pk))
        base.append(plain(html))
    rendering = Rendering.objects.get(issue=issue)
    ours_s, base_s = statistics.median(ours), statistics.median(base)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"issue: {issue.entries.count()} entries, {COMMENTARIES} commentaries, 5 profiles")
    print(f"pages: {rendering.pages}, PDF size: {rendering.size / 1_000_000:.2f} MB (target < 1.5)")
    print(
        f"pipeline (database to stored file): {ours_s:.2f} s, {ours_s / rendering.pages:.3f} s/page"
    )
    print(f"plain WeasyPrint, same HTML and options: {base_s:.2f} s")
    print(f"ratio pipeline / plain: {ours_s / base_s:.2f} (target <= 1.2)")
    print(f"peak memory (max RSS of this process): {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
