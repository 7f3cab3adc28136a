"""The text importer's parser on large generated texts of the hard shapes (no blank lines, one
enormous paragraph, many tiny entries, long URLs broken across lines with page link lists), at
1, 4 and 16 MB: time per MB must stay flat as the size grows (a linear parser).

The baseline of the same run is a plain pass over the same text that only splits it into lines
and matches one regular expression per line; each size is measured in pairs (baseline, parser)
after a warm-up, and the median of the pairs is kept.

    .venv/bin/python bench/import_text.py [--sizes 1 4 16] [--repeat 3] [--shapes no_blank ...]
(no database: the parser reads text and writes nothing)
"""

import argparse
import random
import statistics
import time

from _setup import django_setup

MB = 1024 * 1024
WORDS = ["人工智能", "数据合规", "监管机构", "发布", "指引", "明确", "授权运营", "范围", "程序"]
LATIN = ["Artificial", "Intelligence", "Liability", "Act", "model", "training", "data", "court"]


def _sentence(rng: random.Random, width: int) -> str:
    """Mixed Chinese and Latin words, about `width` characters."""
    words, length = [], 0
    while length < width:
        word = rng.choice(WORDS) if rng.random() < 0.8 else f" {rng.choice(LATIN)} "
        words.append(word)
        length += len(word)
    return "".join(words)


def _wrapped(rng: random.Random, lines: int) -> list[str]:
    """A paragraph's wrapped lines: no trailing space but on the last one."""
    out = [_sentence(rng, rng.randint(28, 44)) for _ in range(lines)]
    out[-1] += "。 "
    return out


def _head(n: int, title: str) -> list[str]:
    return [f"{n}. {title} ", "发布日期：2024 年 9 月 3 日 ", "来源：示例官网 "]


def no_blank(size: int, rng: random.Random) -> str:
    """Whole entries (title, labels, links, a summary of several paragraphs), no blank line."""
    out, n, total = ["一、最新法律与监管动态 "], 0, 0
    while total < size:
        n += 1
        block = _head(n, _sentence(rng, 20)) + ["链接： ", f"⚫ https://example.org/news/{n} "]
        block += ["摘要： "]
        for _ in range(rng.randint(1, 4)):
            block += _wrapped(rng, rng.randint(1, 6))
        out += block
        total += sum(len(line.encode()) + 1 for line in block)
    return "\n".join(out) + "\n"


def one_paragraph(size: int, rng: random.Random) -> str:
    """One entry whose summary is a single paragraph of wrapped lines, with URLs in it."""
    out = ["一、最新动态 ", *_head(1, "示例监管机构发布指引"), "摘要： "]
    total = sum(len(line.encode()) + 1 for line in out)
    while total < size:
        line = _sentence(rng, rng.randint(28, 44))
        if rng.random() < 0.05:
            line += f"https://example.org/{rng.randint(0, 10**6)}"
        out.append(line)
        total += len(line.encode()) + 1
    return "\n".join(out) + "。 \n"


def tiny_entries(size: int, rng: random.Random) -> str:
    """Many entries of a title, a date and one short sentence."""
    out, n, total = ["一、最新动态 "], 0, 0
    while total < size:
        n += 1
        block = [f"{n}. 条目{n} ", "发布日期：2024 年 9 月 3 日 ", "摘要： ", f"正文{n}。 "]
        out += block
        total += sum(len(line.encode()) + 1 for line in block)
    return "\n".join(out) + "\n"


def broken_urls(size: int, rng: random.Random) -> str:
    """Entries with lists of long links, each wrapped over two short lines (the first a bare URL,
    the second its rest), and at each page end the page's bare URL list."""
    out, n, total = ["一、最新动态 "], 0, 0
    while total < size:
        n += 1
        block, urls = [*_head(n, f"条目{n}"), "参考链接： "], []
        for k in range(rng.randint(5, 15)):
            url = f"https://example.org/{'path-segment/' * rng.randint(2, 5)}{n}-{k}.html"
            cut = rng.randint(24, len(url) - 4)
            block += [url[:cut], f"{url[cut:]} "]
            urls.append(url)
        block += ["摘要： ", f"正文{n}。 "]
        if n % 10 == 0:
            block += [*urls, f" 示例律师事务所 {n}"]  # the page's link list, then the next page
        out += block
        total += sum(len(line.encode()) + 1 for line in block)
    return "\n".join(out) + "\n"


SHAPES = {
    "no_blank": no_blank,
    "one_paragraph": one_paragraph,
    "tiny_entries": tiny_entries,
    "broken_urls": broken_urls,
}


def baseline(text: str) -> int:
    """A plain pass: split into lines and match one regular expression per line."""
    from bulletin.transfer.text.vocabulary import LABEL

    return sum(1 for line in text.split("\n") if LABEL.match(line))


def parse(text: str) -> int:
    from bulletin.transfer.text.parser import parse_text

    parsed = parse_text(text, commentary_label="本所短评", firm="示例律师事务所")
    return sum(len(s["entries"]) for s in parsed.document["issue"]["sections"])


def timed(function, text: str) -> float:
    start = time.perf_counter()
    function(text)
    return time.perf_counter() - start


def measure(text: str, repeat: int) -> tuple[float, float]:
    """(baseline, parser) seconds: medians of paired runs, in alternating order."""
    pairs = []
    for r in range(repeat):
        if r % 2:
            parser_time, base_time = timed(parse, text), timed(baseline, text)
        else:
            base_time, parser_time = timed(baseline, text), timed(parse, text)
        pairs.append((base_time, parser_time))
    return statistics.median(p[0] for p in pairs), statistics.median(p[1] for p in pairs)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=float, nargs="+", default=[1, 4, 16])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--shapes", nargs="+", default=list(SHAPES), choices=list(SHAPES))
    args = parser.parse_args()
    django_setup("sqlite://:memory:")
    print(f"{'shape':<14}{'MB':>6}{'s/MB':>9}{'base s/MB':>11}{'vs base':>9}{'vs 1st':>8}")
    for name in args.shapes:
        shape = SHAPES[name]
        measure(shape(MB // 4, random.Random(0)), 1)  # warm-up: imports, regex caches
        first = None
        for size in args.sizes:
            text = shape(int(size * MB), random.Random(1))
            mb = len(text.encode()) / MB
            base, took = measure(text, args.repeat)
            ratio = took / base
            first = first or took / mb
            print(
                f"{name:<14}{mb:>6.1f}{took / mb:>9.3f}{base / mb:>11.4f}"
                f"{ratio:>9.1f}{took / mb / first:>8.2f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
