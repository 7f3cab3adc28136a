"""The text importer over generated back issues (tests/transfer/corpus.py): every field of every
issue comes back from its printed text, whatever the firm, labels, widths and page breaks. No
database: the parse only; test_corpus_import.py writes a few of them."""

import functools
import re

import pytest

from bulletin.transfer.text.parser import parse_text
from bulletin.transfer.text.richtext import urls_in
from tests.transfer.corpus import generate as generate_issue
from tests.transfer.corpus import mismatches

CORPUS = range(1000)  # seeds 300-999 found the URL before Chinese text and the stray page number


@functools.cache
def generate(seed: int):
    """Each issue generated once for the tests of this module."""
    return generate_issue(seed)


def parse(issue):
    # The bulletin's own label is another one: the source's must be recognised by its shape.
    return parse_text(issue.text, commentary_label="编者评论", firm="", name=issue.name)


@pytest.mark.parametrize("seed", CORPUS)
def test_every_field_of_a_generated_issue_round_trips(seed):
    issue = generate(seed)
    parsed = parse(issue)
    assert mismatches(issue, parsed.document, parsed.report.unplaced) == []


@pytest.mark.parametrize("seed", CORPUS[:100])
def test_no_url_is_cut_or_glued(seed):
    issue = generate(seed)
    truth = {link.url for _s, entries in issue.sections for e in entries for link in e.links}
    truth |= {url for _s, entries in issue.sections for e in entries for url in _inline(e)}
    found = {url for text in _strings(parse(issue).document) for url in urls_in(text)}
    found = {url.replace("&amp;", "&") for url in found}
    assert found == truth


def test_the_same_seed_prints_the_same_issue():
    assert generate_issue(7).text == generate_issue(7).text
    assert generate_issue(7).text != generate_issue(8).text


def test_the_corpus_has_the_shapes_it_is_meant_to_test():
    """Widths from 30 to 45 characters; page breaks inside case lines, inside URLs and after a
    commentary with a page-end URL list; cases, commentaries, team lines "…组："; both spacings
    of Chinese and Latin text; lists "1)" and "a)"."""
    issues = [generate(seed) for seed in CORPUS]
    widths = {issue.width for issue in issues}
    texts = [issue.text for issue in issues]
    assert (min(widths), max(widths)) == (60, 90)
    assert {issue.spaced for issue in issues} == {True, False}
    assert any(re.search(r"案件信息：[^\n]*\S\n\n(?:https?://\S+\n)*\s", t) for t in texts)
    assert any(re.search(r"⚫ https?://\S+\n\n(?:https?://\S+\n)+ \S", t) for t in texts)
    assert any(re.search(r"。 \n\n(?:https?://\S+\n){2,} ", t) for t in texts)
    assert any(re.search(r"\n\S+组：", t) for t in texts)
    assert any(re.search(r"\na\) ", t) for t in texts)
    assert any(e.case for i in issues for _s, entries in i.sections for e in entries)
    assert len({i.label for i in issues}) > 5


def _inline(entry) -> list[str]:
    blocks = entry.summary + (entry.commentary or [])
    return [url for block in blocks for url in re.findall(r"https?://[^\s，。]+", block)]


def _strings(value) -> list[str]:
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return [value] if isinstance(value, str) else []
