"""A PDF's type tells its parts (bulletin/transfer/typeset.py): generated issues
(tests/transfer/corpus.py) typeset here with headings that lack the usual numbering and wording
("Part A", a bare "行业观察"), entry titles without numbers, labels in bold without a colon, and
running headers and footers whose words change from page to page; every field comes back.
No database: the PDF is read and parsed."""

import dataclasses
import html
import random
import re

import pytest

from bulletin.pdf.engine import html_to_pdf
from bulletin.transfer.pdf import read_pdf
from bulletin.transfer.text import vocabulary as v
from bulletin.transfer.text.parser import parse_text
from tests.transfer.corpus import Printer, generate, mismatches

# Sections in 18pt bold, titles bold at the text's size: weight alone tells a title.
BOLD = """
h2 { font-size: 18pt; font-weight: bold; }
h3 { font-size: 10.5pt; font-weight: bold; }
"""
# Sections in 15pt and titles in 13pt, neither bold: size alone tells them.
LARGER = """
h2 { font-size: 15pt; font-weight: normal; }
h3 { font-size: 13pt; font-weight: normal; }
"""
PAGE = """
@page { size: A4; margin: 28mm 22mm;
  @top-left { content: string(title); font-size: 7.5pt; }
  @top-right { content: "第 " counter(page) " 页"; font-size: 7.5pt; }
  @bottom-center { content: "— " counter(page) " —"; font-size: 7.5pt; } }
html { font-family: "Noto Serif CJK SC", serif; font-size: 10.5pt; line-height: 1.7; }
h2, h3 { font-family: "Noto Sans CJK SC", sans-serif; margin: 4mm 0 2mm; }
h3 { string-set: title content(); }
p { margin: 0 0 2mm; }
b { font-family: "Noto Sans CJK SC", sans-serif; font-weight: bold; }
"""


def typeset(issue, style: str) -> bytes:
    """The issue as another firm might set it: no numbers on its headings and titles, labels
    in bold before their values, the current title and the page number at the page edges."""
    printer = Printer(issue, random.Random(issue.seed))
    body = []
    for name, entries in issue.sections:
        body.append(f"<h2>{html.escape(name)}</h2>")
        for k, entry in enumerate(entries, 1):
            body += [_block(b.text) for b in printer.entry_blocks(k, entry)]
    blocks = [b.text for b in printer.blocks()]
    body += [_block(text) for text in blocks[blocks.index("特此声明") :]]
    head = f"<head><style>{PAGE}{style}</style></head>"
    return html_to_pdf(f"<html lang='zh-Hans'>{head}<body>{''.join(body)}</body></html>").data


def _block(text: str) -> str:
    title = v.TITLE.match(text)
    label = v.label_of(text)
    if title and not text.startswith(("1)", "2)")):
        return f"<h3>{html.escape(title.group(2))}</h3>"
    if text.startswith("⚫ "):
        url = html.escape(text[2:])
        return f'<p>⚫ <a href="{url}">{url}</a></p>'
    if (
        label
        and label.name in v.ENTRY_LABELS | {"案件信息"}
        or (label and v.is_link_label(label.name))
    ):
        value = f" {html.escape(label.value)}" if label.value else ""
        return f"<p><b>{html.escape(label.text)}</b>{value}</p>"
    return f"<p>{html.escape(text)}</p>"


def renamed(issue, names: list[str]):
    sections = [
        (name, entries) for name, (_old, entries) in zip(names, issue.sections, strict=False)
    ]
    return dataclasses.replace(issue, sections=sections)


def parsed(issue, pdf: bytes):
    text = read_pdf(pdf).text
    return parse_text(text, commentary_label="编者评论", firm="", name=issue.name)


CASES = [(3, BOLD, ["Part A", "Part B", "Part C"]), (8, LARGER, None), (12, BOLD, None)]


@pytest.mark.parametrize(("seed", "style", "names"), CASES)
def test_headings_and_labels_told_by_their_type_round_trip(seed, style, names):
    issue = generate(seed)
    if names:
        issue = renamed(issue, names)
    result = parsed(issue, typeset(issue, style))
    assert [s["title"] for s in result.document["issue"]["sections"]] == [
        name for name, _e in issue.sections
    ]
    assert mismatches(issue, result.document, result.report.unplaced, spaces=False) == []


def test_running_heads_whose_words_change_are_dropped_by_their_place():
    """The head shows the current entry's title and the page number, so no two pages print the
    same words there: it is its place at the edge of every page that marks it."""
    issue = generate(3)
    lines = [line.strip() for line in read_pdf(typeset(issue, BOLD)).text.split("\n")]
    titles = [entry.title for _name, entries in issue.sections for entry in entries]
    assert [t for t in titles if any(line.endswith(t[-6:]) for line in lines)]  # titles are there
    assert not [line for line in lines if re.fullmatch(r"(?:— \d+ —|第 \d+ 页)", line)]
    assert not [line for line in lines if re.search(r"第 \d+ 页", line)]
