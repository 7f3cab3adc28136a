"""The whole search page and the whole entry page over a 200,000-entry archive on PostgreSQL,
through Django's test client with the page cache bypassed, against the old queries measured in
the same run (paired runs, A/B alternated).

    DATABASE_URL=postgres://... .venv/bin/python bench/search_index.py [--entries 200000]
        [--pairs 15] [--drop]

The archive is the bench's own: a bulletin "bench-search" with its issues, published entries,
tags ("bs-…") and jurisdictions ("bs-…"), written with COPY and kept for the next run (seeding
200,000 entries takes minutes); --drop removes them and nothing else.
Targets: search page p95 ≤ 50 ms and entry page ≤ 30 ms at 200,000 entries.
"""

import argparse
import datetime
import io
import json
import os
import random
import statistics
import sys
import time
from urllib.parse import unquote, urlencode

from _setup import django_setup

SLUG = "bench-search"
SEARCH_TARGET_MS = 50
ENTRY_TARGET_MS = 30

# The share of entries each query word is in is measured and printed at each run (数据 ~80%,
# 人工智能 ~75%, 合规 ~55%, GDPR ~3.5%, 量子 ~0.1%, Schrems ~0.05%).
TOPICS = [
    "人工智能", "个人信息", "跨境传输", "著作权", "商标", "专利", "反垄断", "证券", "金融科技",
    "医疗", "招聘", "平台责任", "网络安全", "消费者权益", "劳动用工", "环境保护", "税务",
    "外商投资",
    "出口管制", "制裁", "电子商务", "广告", "算法推荐", "深度合成", "未成年人保护", "公司治理",
    "破产重整", "仲裁", "跨境电商", "知识产权", "不正当竞争", "信息披露", "反洗钱", "能源",
]  # fmt: skip
BODIES = [
    "国家互联网信息办公室", "最高人民法院", "欧盟委员会", "美国联邦贸易委员会", "工业和信息化部",
    "国家市场监督管理总局", "中国证监会", "英国信息专员办公室", "新加坡金融管理局", "香港高等法院",
    "加州议会", "国务院", "上海市高级人民法院", "北京互联网法院", "欧洲法院",
]  # fmt: skip
DOCS = [
    "管理办法",
    "指引",
    "条例",
    "规定",
    "实施细则",
    "征求意见稿",
    "判决",
    "裁定",
    "通知",
    "白皮书",
]
VERBS = ["发布", "通过", "修订", "公布", "审理", "认定", "明确", "要求", "强调", "细化"]
OBJECTS = [
    "企业应当建立内部审查机制", "经营者须履行告知义务", "相关主体应于三十日内完成备案",
    "违反规定的将被处以罚款", "平台对用户内容承担审核责任", "法院认定被告构成侵权",
    "监管机构将开展专项检查", "适用范围扩大至境外主体", "新规自明年一月一日起施行",
    "当事人可以申请行政复议", "判决驳回原告全部诉讼请求", "赔偿金额由法院酌定",
]  # fmt: skip
LATIN = ["AI", "ESG", "SEC", "FTC", "OpenAI", "LLM", "API", "SaaS", "DMA", "DSA", "CCPA", "ICO"]
TAGS = TOPICS + [f"{t}合规" for t in TOPICS] + [f"{t}诉讼" for t in TOPICS[:20]]
PLACES = [
    ("bs-cn", "中国", "China", 50), ("bs-us", "美国", "United States", 20),
    ("bs-eu", "欧盟", "European Union", 15), ("bs-uk", "英国", "United Kingdom", 5),
    ("bs-hk", "香港", "Hong Kong", 4), ("bs-sg", "新加坡", "Singapore", 3),
    ("bs-jp", "日本", "Japan", 2), ("bs-de", "德国", "Germany", 1),
]  # fmt: skip
KINDS = ["law", "regulation", "case", "industry"]
# (label, query, filter parameters)
QUERIES = [
    ("rare", "量子", {}),
    ("rare", "Schrems", {}),
    ("frequent 80%", "数据", {}),
    ("frequent 80%", "数据", {"page": "3"}),
    ("phrase", '"人工智能"', {}),
    ("phrase", '"个人信息保护"', {}),
    ("Latin", "GDPR", {}),
    ("Latin", "OpenAI", {}),
    ("two-term", "数据 合规", {}),
    ("two-term", "GDPR 罚款", {}),
    ("with filter", "数据", {"kind": "case"}),
    ("with filter", "数据", {"tag": "bs-3"}),
    ("with filter", "数据", {"from": "2015-01-01", "to": "2015-12-31"}),
    ("with filter", "合规", {"kind": "law", "from": "2020-01-01"}),
]


def _sentence(rng) -> str:
    return (
        f"{rng.choice(BODIES)}{rng.choice(VERBS)}《{rng.choice(TOPICS)}{rng.choice(DOCS)}》，"
        f"{rng.choice(OBJECTS)}，涉及{rng.choice(LATIN)}与{rng.choice(TOPICS)}。"
    )


def _pool(rng, search, size=3000) -> list[tuple[str, str]]:
    """Sentences with their search tokens (a sentence ends with 。, so tokens of sentences put
    together are the sentences' tokens put together)."""
    sentences = [_sentence(rng) for _ in range(size)]
    return [(s, " ".join(search.tokens(s))) for s in sentences]


SPECIAL = {
    "数据": (0.80, "企业数据处理活动须符合法律规定。"),
    "人工智能": (0.20, "人工智能系统的提供者应当履行透明度义务。"),
    "合规": (0.30, "合规部门应当定期评估风险。"),
    "GDPR": (0.03, "该做法与 GDPR 第 17 条的删除权规则相呼应。"),
    "罚款": (0.10, "监管机构可处以罚款。"),
    "个人信息保护": (0.05, "个人信息保护影响评估须留存三年。"),
    "量子": (0.001, "量子通信设施的安全评估另行规定。"),
    "Schrems": (0.0005, "法院援引 Schrems II 案的推理。"),
}


def _entry_text(rng, pool, search) -> tuple[list[str], list[str]]:
    picked = rng.choices(pool, k=rng.randint(4, 12))
    texts, tokens = [p[0] for p in picked], [p[1] for p in picked]
    for _word, (share, sentence) in SPECIAL.items():
        if rng.random() < share:
            at = rng.randint(0, len(texts))
            texts.insert(at, sentence)
            tokens.insert(at, " ".join(search.tokens(sentence)))
    return texts, tokens


def seed(entries: int) -> None:
    """The bench's archive, written with COPY: issues of 40 entries, newest last."""
    from django.db import connection, transaction
    from django.utils import timezone
    from taggit.models import Tag

    from bulletin import search
    from bulletin.models import Bulletin, Issue
    from entries.models import Jurisdiction

    rng = random.Random(15)
    pool = _pool(rng, search)
    titles = [
        f"{rng.choice(BODIES)}{rng.choice(VERBS)}{rng.choice(TOPICS)}{rng.choice(DOCS)}"
        for _ in range(2000)
    ]
    with transaction.atomic():
        bulletin = Bulletin.objects.create(
            name="检索基准", slug=SLUG, firm_name="示例律师事务所", commentary_label="短评"
        )
        Tag.objects.bulk_create(
            [Tag(name=f"{name}·{n}", slug=f"bs-{n}") for n, name in enumerate(TAGS)],
            ignore_conflicts=True,
        )
        tag_ids = list(
            Tag.objects.filter(slug__startswith="bs-").order_by("pk").values_list("pk", "name")
        )
        places = [
            Jurisdiction.objects.get_or_create(
                code=code, defaults={"name": name, "name_en": en, "kind": "country"}
            )[0]
            for code, name, en, _ in PLACES
        ]
        weights = [w for *_, w in PLACES]
        # Tags follow a long tail (Zipf): a few are in many entries, most in a few.
        tag_weights = [1 / (k + 1) for k in range(len(tag_ids))]
        start = timezone.now() - datetime.timedelta(days=365 * 25)
        per_issue = 40
        count = (entries + per_issue - 1) // per_issue
        step = datetime.timedelta(days=365 * 25) / count
        issues = Issue.objects.bulk_create(
            Issue(
                bulletin=bulletin, number=n + 1, year=(start + step * n).year,
                month=(start + step * n).month, title=f"第 {n + 1} 期", slug=f"i{n + 1}",
                state="published", published_at=start + step * n,
            )
            for n in range(count)
        )  # fmt: skip
        buffer = io.StringIO()
        links = []
        for n in range(entries):
            issue = issues[n // per_issue]
            texts, tokens = _entry_text(rng, pool, search)
            comment_texts, comment_tokens = _entry_text(rng, pool[:300], search)
            tags = set(rng.choices(tag_ids, weights=tag_weights, k=rng.randint(1, 5)))
            where = set(rng.choices(places, weights=weights, k=rng.randint(1, 2)))
            title = rng.choice(titles) + f"（{n + 1}）"
            published_on = issue.published_at.date() - datetime.timedelta(days=rng.randint(0, 40))
            entry_id = 900_000_000 + n
            data = {
                "id": entry_id, "kind": KINDS[n % 4], "tags": [name for _, name in tags],
                "court": "", "links": [{"url": f"https://example.gov/{n}", "kind": "primary",
                                       "label": "", "position": 1}],
                "title": title, "source": rng.choice(BODIES) + "官网",
                "summary": "<p>" + "".join(texts) + "</p>", "position": n % per_issue + 1,
                "commentary": {"body": "<p>" + "".join(comment_texts[:3]) + "</p>",
                               "authors": []} if n % 2 else None,
                "case_caption": "", "published_on": published_on.isoformat(),
                "docket_number": "",
                "jurisdictions": [{"code": p.code, "name": p.name, "name_en": p.name_en}
                                  for p in where],
            }  # fmt: skip
            search_text = " ".join(
                [
                    " ".join(search.tokens(title + " " + data["source"])),
                    " ".join(search.tokens(" ".join(data["tags"]))),
                    " ".join(search.tokens(" ".join(p.name + " " + p.name_en for p in where))),
                    *tokens,
                    *(comment_tokens[:3] if n % 2 else []),
                ]
            )
            row = [
                entry_id, issue.pk, bulletin.pk, "最新法律与监管动态", 1, n % per_issue + 1,
                data["kind"], title, published_on.isoformat(), issue.published_at.isoformat(),
                json.dumps(data, ensure_ascii=False), search_text,
            ]  # fmt: skip
            buffer.write("\t".join(str(v).replace("\\", "\\\\") for v in row) + "\n")
            links.append((entry_id, [pk for pk, _ in tags], [p.pk for p in where]))
            if n % 20_000 == 19_999:
                print(f"  {n + 1:,} entries generated", file=sys.stderr)
        columns = (
            "entry_id, issue_id, bulletin_id, section_title, section_position, position, kind, "
            "title, published_on, issue_published_at, data, search_text"
        )
        with connection.cursor() as cursor:
            raw = cursor.cursor
            with raw.copy(f"COPY bulletin_publishedentry ({columns}) FROM STDIN") as copy:
                copy.write(buffer.getvalue())
            print("  entries copied", file=sys.stderr)
            cursor.execute(
                "SELECT entry_id, id FROM bulletin_publishedentry WHERE bulletin_id = %s",
                [bulletin.pk],
            )
            ids = dict(cursor.fetchall())
            targets = (("tags", "tag_id", 1), ("jurisdictions", "jurisdiction_id", 2))
            for table, column, index in targets:
                rows = "".join(
                    f"{ids[link[0]]}\t{target}\n" for link in links for target in link[index]
                )
                with raw.copy(
                    f"COPY bulletin_publishedentry_{table} (publishedentry_id, {column}) FROM STDIN"
                ) as copy:
                    copy.write(rows)
            cursor.execute("ANALYZE bulletin_publishedentry")
            cursor.execute("ANALYZE bulletin_publishedentry_tags")
            cursor.execute("ANALYZE bulletin_publishedentry_jurisdictions")


def publications(bulletin) -> None:
    """A publication for every issue of the bench's bulletin that has none (the entry page's
    share card reads its issue's title from it); its entries are in the archive rows only."""
    from bulletin.models import Issue, Publication

    issues = Issue.objects.filter(bulletin=bulletin, publications__isnull=True)
    header = {
        "format": 1, "volume": "", "writers": [], "sections": [], "corrections": [],
        "editors_note": "",
        "bulletin": {"name": bulletin.name, "slug": bulletin.slug, "team": [],
                     "language": "zh-hans", "firm_name": bulletin.firm_name, "team_name": "",
                     "disclaimer": "", "contact_email": "",
                     "commentary_label": bulletin.commentary_label},
    }  # fmt: skip
    Publication.objects.bulk_create(
        (
            Publication(
                issue=issue,
                published_at=issue.published_at,
                content={
                    **header,
                    "id": issue.pk,
                    "slug": issue.slug,
                    "year": issue.year,
                    "month": issue.month,
                    "title": issue.title,
                    "number": issue.number,
                    "published_at": issue.published_at.isoformat(),
                },  # fmt: skip
            )
            for issue in issues.iterator()
        ),
        batch_size=1000,
    )


def drop() -> None:
    """Remove the bench's own rows: its bulletin (with its issues and entries), tags, places."""
    from taggit.models import Tag

    from bulletin.models import Bulletin, Issue, PublishedEntry
    from entries.models import Jurisdiction

    bulletin = Bulletin.objects.filter(slug=SLUG).first()
    if bulletin:
        PublishedEntry.objects.filter(bulletin=bulletin).delete()
        Issue.objects.filter(bulletin=bulletin).delete()
        bulletin.delete()
    Tag.objects.filter(slug__startswith="bs-").delete()
    Jurisdiction.objects.filter(code__startswith="bs-").delete()


def old_entries_search(filters, *, reach=0):
    """The search before: every match ranked, then a separate COUNT(*) of all matches."""
    from bulletin import search, selectors

    results = selectors.entries_listed().defer("search_text")
    if filters.kind:
        results = results.filter(kind=filters.kind)
    if filters.tag:
        results = results.filter(tags__slug=filters.tag)
    if filters.jurisdiction:
        results = results.filter(jurisdictions__code=filters.jurisdiction)
    if filters.bulletin:
        results = results.filter(bulletin__slug=filters.bulletin)
    if filters.date_from:
        results = results.filter(published_on__gte=filters.date_from)
    if filters.date_to:
        results = results.filter(published_on__lte=filters.date_to)
    query = search.tsquery(filters.q)
    if filters.q and query is None:
        results = results.none()
    elif filters.q:
        results = results.extra(
            where=["search_vector @@ to_tsquery('simple', %s)"],
            params=[query],
            select={"rank": "ts_rank(search_vector, to_tsquery('simple', %s))"},
            select_params=[query],
            order_by=["-rank", "-issue_published_at"],
        )
    return selectors.SearchResults(results, results.count())


def old_entries_related(entry, limit=5):
    """The related entries before: shared tags and jurisdictions counted over the archive."""
    from django.db.models import Count, Q

    from bulletin.models import PublishedEntry

    tags = list(entry.tags.values_list("pk", flat=True))
    places = list(entry.jurisdictions.values_list("pk", flat=True))
    if not tags and not places:
        return []
    counts = [
        Count(field, filter=Q(**{f"{field}__in": ids}), distinct=True)
        for field, ids in (("tags", tags), ("jurisdictions", places))
        if ids
    ]
    shared = counts[0] if len(counts) == 1 else counts[0] + counts[1]
    return list(
        PublishedEntry.objects.exclude(pk=entry.pk)
        .annotate(shared=shared)
        .filter(shared__gt=0)
        .select_related("bulletin")
        .defer("data", "search_text")
        .order_by("-shared", "-issue_published_at")[:limit]
    )


def timed_get(client, url) -> float:
    start = time.perf_counter()
    response = client.get(url)
    elapsed = (time.perf_counter() - start) * 1000
    assert response.status_code == 200, (url, response.status_code)
    return elapsed


def sql_ms(client, url, patch, name, function) -> float:
    """The time the database took for one page (as Django's cursor measures it)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    patch(name, function)
    with CaptureQueriesContext(connection) as queries:
        timed_get(client, f"{url}&_bench=sql")
    return sum(float(q["time"]) for q in queries.captured_queries) * 1000


def paired(client, urls, patch, name, new, old, pairs) -> dict:
    """{url: ([new ms], [old ms])}: each pair runs new then old, or old then new, in turn."""
    times = {url: ([], []) for url in urls}
    for n in range(pairs):
        for url in urls:
            arms = [(0, new), (1, old)] if n % 2 == 0 else [(1, old), (0, new)]
            for slot, function in arms:
                patch(name, function)
                times[url][slot].append(timed_get(client, f"{url}&_bench={n}"))
    return times


def p95(values):
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]


def report(title, groups, target):
    print(f"\n{title} (ms; target {target})")
    print(f"{'class':<14} {'new p50':>8} {'new p95':>8} {'old p50':>8} {'old p95':>8}"
          f" {'ratio min':>9} {'ratio med':>9}")  # fmt: skip
    worst = 0.0
    for label, (new, old) in groups.items():
        ratios = [a / b for a, b in zip(new, old, strict=True)]
        worst = max(worst, p95(new))
        print(
            f"{label:<14} {statistics.median(new):8.1f} {p95(new):8.1f} "
            f"{statistics.median(old):8.1f} {p95(old):8.1f} {min(ratios):9.3f} "
            f"{statistics.median(ratios):9.3f}"
        )
    print(f"worst new p95: {worst:.1f} ms — {'meets' if worst <= target else 'misses'} {target}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=200_000)
    parser.add_argument("--pairs", type=int, default=15)
    parser.add_argument("--drop", action="store_true", help="remove the bench's rows and stop")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("DATABASE_URL must name a PostgreSQL database")
    django_setup(url)
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from bulletin import search, selectors
    from bulletin.models import Bulletin, PublishedEntry

    if args.drop:
        drop()
        return
    settings.SEARCH_RATE_LIMIT = 10**9
    settings.ALLOWED_HOSTS = ["*"]
    bulletin = Bulletin.objects.filter(slug=SLUG).first()
    have = PublishedEntry.objects.filter(bulletin=bulletin).count() if bulletin else 0
    if have != args.entries:
        drop()
        print(f"seeding {args.entries:,} entries (kept for the next run)…", file=sys.stderr)
        started = time.perf_counter()
        seed(args.entries)
        print(f"seeded in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    bulletin = Bulletin.objects.get(slug=SLUG)
    publications(bulletin)
    total = PublishedEntry.objects.count()
    print(f"published entries: {total:,} ({args.entries:,} of the bench)")
    with connection.cursor() as cursor:
        for word in ("数据", "人工智能", "合规", "GDPR", "量子", "Schrems"):
            cursor.execute(
                "SELECT count(*) FROM bulletin_publishedentry "
                "WHERE search_vector @@ to_tsquery('simple', %s)",
                [search.tsquery(word)],
            )
            print(f"  {word}: {cursor.fetchone()[0] / total:.2%} of entries")

    originals = {"entries_search": selectors.entries_search,
                 "entries_related": selectors.entries_related}  # fmt: skip

    def patch(name, function):
        setattr(selectors, name, function)

    client = Client()
    urls, labels = [], {}
    for label, q, extra in QUERIES:
        target = "/search/?" + urlencode({"q": q, **extra})
        urls.append(target)
        labels[target] = label
    for target in urls:  # warm-up, both arms
        for name, function in (("entries_search", old_entries_search),
                               ("entries_search", originals["entries_search"])):  # fmt: skip
            patch(name, function)
            timed_get(client, target + "&_bench=warm")
    times = paired(client, urls, patch, "entries_search", originals["entries_search"],
                   old_entries_search, args.pairs)  # fmt: skip
    patch("entries_search", originals["entries_search"])
    groups = {}
    for target, (new, old) in times.items():
        group = groups.setdefault(labels[target], ([], []))
        group[0].extend(new)
        group[1].extend(old)
    groups["all"] = (
        [t for n, _ in times.values() for t in n],
        [t for _, o in times.values() for t in o],
    )
    report(f"whole search page at {total:,} entries, {args.pairs} pairs per query", groups,
           SEARCH_TARGET_MS)  # fmt: skip
    print("\nper query (ms): new p50 / p95, old p50 / p95; SQL of one page new / old")
    for target, (new, old) in times.items():
        sql = [sql_ms(client, target, patch, "entries_search", f)
               for f in (originals["entries_search"], old_entries_search)]  # fmt: skip
        print(f"  {statistics.median(new):7.1f} {p95(new):7.1f}  {statistics.median(old):8.1f}"
              f" {p95(old):8.1f}   {sql[0]:6.1f} {sql[1]:8.1f}  {unquote(target)}")  # fmt: skip
    patch("entries_search", originals["entries_search"])

    rng = random.Random(3)
    ids = list(PublishedEntry.objects.filter(bulletin=bulletin).values_list("entry_id", "title"))
    sample = [PublishedEntry(entry_id=i, title=t) for i, t in rng.sample(ids, 10)]
    entry_urls = [e.get_absolute_url() + "?" for e in sample]
    for target in entry_urls:
        for function in (old_entries_related, originals["entries_related"]):
            patch("entries_related", function)
            timed_get(client, target + "&_bench=warm")
    times = paired(client, entry_urls, patch, "entries_related", originals["entries_related"],
                   old_entries_related, max(args.pairs // 3, 3))  # fmt: skip
    patch("entries_related", originals["entries_related"])
    new = [t for n, _ in times.values() for t in n]
    old = [t for _, o in times.values() for t in o]
    report(f"whole entry page at {total:,} entries, 10 entries", {"entry page": (new, old)},
           ENTRY_TARGET_MS)  # fmt: skip
    sql = [[sql_ms(client, u, patch, "entries_related", f) for u in entry_urls]
           for f in (originals["entries_related"], old_entries_related)]  # fmt: skip
    print(f"SQL of one entry page, median: new {statistics.median(sql[0]):.1f} ms, "
          f"old {statistics.median(sql[1]):.1f} ms")  # fmt: skip
    patch("entries_related", originals["entries_related"])
    print(
        f"load average (1, 5, 15 min) at the end: {os.getloadavg()}; "
        f"{os.cpu_count()} cores: whole-page times include other work on this machine"
    )


if __name__ == "__main__":
    main()
