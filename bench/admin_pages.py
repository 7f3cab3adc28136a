"""The admin's pages for draft issues of 5, 60 and 300 entries, in process: queries and the median
time of each page, and its ratio to the same page for the 5-entry issue of the same run (a page
whose work does not grow with its entries stays near 1 in queries; time grows with the rows it
shows). Target: the issue's change page at 300 entries under 300 ms.

    DATABASE_URL=postgres://… .venv/bin/python bench/admin_pages.py [--pairs 6]

It writes its own bulletin, issues and users into that database and deletes them at the end.
"""

import argparse
import os
import statistics
import sys
import time

from _setup import django_setup

SIZES = [5, 60, 300]
TARGET_MS = 300


def draft_issue(bulletin, entries: int, author):
    """A draft issue of two sections, its entries in review, one in three with a commentary."""
    import datetime

    from bulletin.models import Issue
    from entries.models import Commentary, Entry, Section

    issue = Issue.objects.create(
        bulletin=bulletin,
        number=Issue.objects.filter(bulletin=bulletin).count() + 1,
        year=2024,
        month=8,
        title=f"基准 {entries} 条",
        slug=f"bench-admin-{entries}",
    )
    sections = [
        Section.objects.create(issue=issue, title=title, position=n + 1)
        for n, title in enumerate(["最新法律与监管动态", "最新行业动态"])
    ]
    for n in range(entries):
        entry = Entry.objects.create(
            issue=issue,
            section=sections[n % 2],
            position=n + 1,
            kind="regulation",
            title=f"第 {n + 1} 条：监管机构发布人工智能合规指引",
            source="示例监管机构官网",
            published_on=datetime.date(2024, 8, 1),
            summary="<p>" + "欧盟《人工智能法案》生效，涉及版权与数据合规。" * 6 + "</p>",
            state="in_review",
            created_by=author,
            last_edited_by=author,
        )
        entry.tags.set(["版权", "隐私"])
        if n % 3 == 0:
            Commentary.objects.create(entry=entry, body="<p>本所认为值得关注。</p>")
    return issue


def users():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from bulletin.roles import ensure_roles

    ensure_roles()
    made = {}
    for role in ["Author", "Editor", "Reviewer"]:
        user = get_user_model().objects.create(
            username=f"bench-admin-{role.lower()}", is_staff=True
        )
        user.groups.set([Group.objects.get(name=role)])
        made[role] = user
    return made


def pages(issue) -> dict:
    """Each page's address and the role that works on it."""
    from django.urls import reverse

    entry = issue.entries.order_by("section__position", "position").first()
    return {
        "issue change page": ("Editor", reverse("admin:bulletin_issue_change", args=[issue.pk])),
        "entry list": (
            "Editor",
            reverse("admin:entries_entry_changelist") + f"?issue__id__exact={issue.pk}",
        ),
        "entry change page": ("Author", reverse("admin:entries_entry_change", args=[entry.pk])),
        "review page": ("Reviewer", reverse("admin:bulletin_issue_review", args=[issue.pk])),
        "inbox (reviewer)": ("Reviewer", reverse("admin:index")),
    }


def queries(client, url: str) -> int:
    """The queries of one request (which also warms the page up)."""
    from django.db import connection

    executed = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(executed)


def timed(client, url: str) -> float:
    start = time.perf_counter()
    client.get(url)
    return (time.perf_counter() - start) * 1000


def paired(client, small: str, large: str, pairs: int) -> tuple[float, float, list[float]]:
    """Requests of the small and the large issue's page alternated (the order swapped every
    other pair): the median of each and the ratio of each pair."""
    a, b, ratios = [], [], []
    for n in range(pairs):
        if n % 2:
            large_ms, small_ms = timed(client, large), timed(client, small)
        else:
            small_ms, large_ms = timed(client, small), timed(client, large)
        a.append(small_ms)
        b.append(large_ms)
        ratios.append(large_ms / small_ms)
    return statistics.median(a), statistics.median(b), ratios


def run(pairs: int) -> bool:
    from django.test import Client

    from bulletin.models import Bulletin

    bulletin = Bulletin.objects.create(slug="bench-admin", name="基准月刊", firm_name="示例所")
    made = users()
    try:
        clients = {}
        for role, user in made.items():
            clients[role] = Client(HTTP_HOST="localhost", HTTP_ACCEPT_LANGUAGE="zh-hans")
            clients[role].force_login(user)
        issues = {size: draft_issue(bulletin, size, made["Author"]) for size in SIZES}
        urls = {size: pages(issue) for size, issue in issues.items()}
        print(
            f"{'page':<20}{'entries':>8}{'queries':>9}{'median ms':>11}   pair ratio to 5 entries"
        )
        took = None
        for name, (role, small) in urls[SIZES[0]].items():
            client = clients[role]
            base_q = queries(client, small)
            print(f"{name:<20}{SIZES[0]:>8}{base_q:>9}")
            for size in SIZES[1:]:
                large = urls[size][name][1]
                count = queries(client, large)
                small_ms, large_ms, ratios = paired(client, small, large, pairs)
                print(
                    f"{'':<20}{size:>8}{count:>9}{large_ms:>11.0f}   min {min(ratios):.2f}×, "
                    f"median {statistics.median(ratios):.2f}× (5 entries: {small_ms:.0f} ms)"
                )
                if name == "issue change page" and size == SIZES[-1]:
                    took = large_ms
        met = took < TARGET_MS
        print(f"target: issue change page at 300 entries < {TARGET_MS} ms: {took:.0f} ms, ", end="")
        print("met" if met else "NOT met")
        return met
    finally:
        bulletin.issues.all().delete()
        bulletin.delete()
        for user in made.values():
            user.delete()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=6)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit(
            "Set DATABASE_URL to a PostgreSQL database (the bench adds rows, then removes them)."
        )
    django_setup(os.environ["DATABASE_URL"])
    return 0 if run(args.pairs) else 1


if __name__ == "__main__":
    sys.exit(main())
