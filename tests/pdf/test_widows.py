"""No CJK character alone on the last line of a title in the PDF."""

import re

import pytest

from bulletin.pdf import document as pdf_document
from bulletin.pdf.document import document_pdf
from bulletin.pdf.document import title_kept as pdf_keep_last_two
from bulletin.snapshot import hydrate, issue_snapshot_live
from bulletin.typography import WORD_JOINER
from tests.factories import EntryFactory, IssueFactory, SectionFactory
from tests.pdf.conftest import page_texts, read_pdf

HAN = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("关于数据出境的判决", f"关于数据出境的判{WORD_JOINER}决"),
        ("判决", f"判{WORD_JOINER}决"),
        ("法院：判决。", f"法院：判{WORD_JOINER}决。"),
        ("规定（草案）", f"规定（草{WORD_JOINER}案）"),
        ("《数据法》", f"《数据{WORD_JOINER}法》"),
        ("数据合规 2024", "数据合规 2024"),
        ("AI Act", "AI Act"),
        ("决", "决"),
        ("", ""),
        ("数据 A", "数据 A"),
    ],
)
def test_the_last_two_cjk_characters_are_joined(text, expected):
    assert pdf_keep_last_two(text) == expected


@pytest.mark.parametrize("length", range(2, 60, 7))
def test_joining_only_adds_one_joiner_and_is_idempotent(length):
    title = (HAN * 3)[:length]
    kept = pdf_keep_last_two(title)
    assert kept.replace(WORD_JOINER, "") == title
    assert kept.count(WORD_JOINER) == 1
    assert pdf_keep_last_two(kept) == kept


def title_lines(monkeypatch, keep) -> list[str]:
    """The lines of a PDF whose entry titles have every length around a line's width."""
    monkeypatch.setattr(pdf_document, "title_kept", keep)
    issue = IssueFactory()
    section = SectionFactory(issue=issue, title="动态")
    for position, length in enumerate(range(30, 44), start=1):
        EntryFactory(section=section, position=position, title=(HAN * 2)[:length], summary="")
    pdf = document_pdf(hydrate(issue_snapshot_live(issue.pk)))
    return [line.strip() for text in page_texts(read_pdf(pdf.data)) for line in text.split("\n")]


def single_cjk(lines):
    return [line for line in lines if re.fullmatch(r"[\u4e00-\u9fff]", line)]


@pytest.mark.django_db
def test_without_joining_some_title_would_end_with_one_character_alone(monkeypatch):
    assert single_cjk(title_lines(monkeypatch, lambda text: text))


@pytest.mark.django_db
def test_no_title_ends_with_one_character_alone(monkeypatch):
    lines = title_lines(monkeypatch, pdf_keep_last_two)
    assert single_cjk(lines) == []
    assert any(len(line) == 2 and line in HAN * 2 for line in lines)  # a title's kept pair
