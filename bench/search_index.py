"""A two-character Chinese search over 20,000 published entries on PostgreSQL: the plan must use
the GIN index; the same query with index scans turned off is the baseline of the same run.

    .venv/bin/python bench/search_index.py [--entries 20000]
(uses the database bulletin_bench on 127.0.0.1, or BENCH_DATABASE_URL; it is dropped and made anew)
"""

import argparse
import os
import random
import subprocess
import time

from _setup import django_setup

WORDS = [
    "人工智能",
    "法案",
    "生效",
    "监管",
    "数据",
    "合规",
    "隐私",
    "版权",
    "深度",
    "合成",
    "模型",
    "训练",
    "平台",
    "责任",
    "透明度",
    "风险",
    "算法",
    "个人信息",
    "跨境",
    "金融",
    "医疗",
    "招聘",
    "审计",
    "伦理",
    "标准",
    "知识产权",
    "著作权",
    "商标",
    "专利",
    "诉讼",
    "法院",
    "判决",
    "GDPR",
    "OpenAI",
    "AI",
    "Act",
    "LLM",
]


def fresh_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    base = url.rsplit("/", 1)[0]
    for sql in (f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}"):
        subprocess.run(["psql", f"{base}/postgres", "-qc", sql], check=True)


def timed(cursor, sql, params, repeat=20) -> float:
    start = time.perf_counter()
    for _ in range(repeat):
        cursor.execute(sql, params)
        cursor.fetchall()
    return (time.perf_counter() - start) / repeat * 1000


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=20_000)
    args = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bulletin_bench")
    fresh_database(url)
    django_setup(url)
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from bulletin import search
    from bulletin.models import Bulletin, Issue, PublishedEntry

    call_command("migrate", verbosity=0)
    bulletin = Bulletin.objects.create(name="基准", slug="b", firm_name="所", commentary_label="评")
    issue = Issue.objects.create(
        bulletin=bulletin, number=1, year=2024, month=8, title="t", slug="t"
    )
    rng = random.Random(8)
    rows = []
    for n in range(args.entries):
        words = [w for w in rng.choices(WORDS, k=60) if w != "版权" or n % 50 == 0]
        text = "，".join(words)
        rows.append(
            PublishedEntry(
                entry_id=n + 1,
                issue=issue,
                bulletin=bulletin,
                section_title="s",
                section_position=1,
                position=n % 30000 + 1,
                kind="regulation",
                title=text[:40],
                issue_published_at=timezone.now(),
                data={"summary": text},
                search_text=search.document(text),
            )
        )
    PublishedEntry.objects.bulk_create(rows, batch_size=2000)
    sql = (
        "SELECT id FROM bulletin_publishedentry WHERE search_vector @@ to_tsquery('simple', %s) "
        "ORDER BY ts_rank(search_vector, to_tsquery('simple', %s)) DESC LIMIT 20"
    )
    query = search.tsquery("版权")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE bulletin_publishedentry")
        cursor.execute("EXPLAIN " + sql, [query, query])
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute(sql.replace("LIMIT 20", ""), [query, query])
        matches = len(cursor.fetchall())
        indexed = timed(cursor, sql, [query, query])
        cursor.execute("SET enable_bitmapscan = off; SET enable_indexscan = off")
        scanned = timed(cursor, sql, [query, query])
    print(plan)
    print(f"entries: {args.entries:,}; query 版权 → {query}; matches: {matches}")
    print(f"uses the GIN index: {'bulletin_publishedentry_search' in plan}")
    print(
        f"with index {indexed:.2f} ms; sequential scan {scanned:.2f} ms; "
        f"ratio {indexed / scanned:.3f} (index / scan)"
    )


if __name__ == "__main__":
    main()
