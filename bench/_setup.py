"""Shared set-up for the benchmarks: Django on a database of the benchmark's own."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def django_setup(database_url: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bulletin.settings.base")
    import django

    django.setup()


def published_issue(entries: int, *, slug: str = "bench"):
    """A published issue with `entries` entries, each with links, tags and a commentary."""
    import datetime

    from django.utils import timezone

    from bulletin.models import Bulletin, Issue
    from bulletin.services.publishing import issue_publish
    from entries.models import Commentary, Entry, EntryLink, Section
    from people.models import Author

    bulletin, _ = Bulletin.objects.get_or_create(
        slug="bench",
        defaults={"name": "基准月刊", "firm_name": "示例律师事务所", "commentary_label": "短评"},
    )
    author, _ = Author.objects.get_or_create(slug="bench-author", defaults={"name": "基准作者"})
    issue = Issue.objects.create(
        bulletin=bulletin,
        number=Issue.objects.count() + 1,
        year=2024,
        month=8,
        title=f"基准 {slug}",
        slug=slug,
    )
    section = Section.objects.create(issue=issue, title="最新法律与监管动态", position=1)
    summary = "<p>" + "欧盟《人工智能法案》生效，涉及版权、隐私与数据合规。" * 8 + "</p>"
    summary += "<ol><li><p>风险最小。</p></li><li><p>高风险系统须遵守严格要求。</p></li></ol>"
    for n in range(entries):
        entry = Entry.objects.create(
            issue=issue,
            section=section,
            position=n + 1,
            kind="regulation",
            title=f"第 {n + 1} 条：监管机构发布人工智能合规指引",
            source="示例监管机构官网",
            published_on=datetime.date(2024, 8, 1),
            summary=summary,
            state="approved",
        )
        entry.tags.set(["版权", "隐私"])
        EntryLink.objects.create(
            entry=entry, url=f"https://regulator.example.gov/news/2024/08/{n}?" + "x=1&" * 40
        )
        Commentary.objects.create(entry=entry, body="<p>" + "本所认为值得关注。" * 10 + "</p>")
        entry.commentary.authors.set([author])
    now = timezone.now()
    Issue.objects.filter(pk=issue.pk).update(state="scheduled", scheduled_at=now)
    issue_publish(issue=issue, user=None, now=now)
    return issue
