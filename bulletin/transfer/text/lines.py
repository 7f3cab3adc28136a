"""Reading extracted text: its lines, the page-break artefacts and the paragraphs.

Text extracted from a PDF has one line per printed line, usually with a blank line between
them. A line that ends a paragraph keeps a trailing space; a line that wraps has none, unless it
breaks between two Latin words, and then it runs to the full width of the page. At the end of
each page the extractor lists the page's link targets, one bare URL per line (twice when the link
was printed on two lines), and the first line of the next page starts with a space (or a form
feed). This module drops those lists, page numbers and running headers, joins the lines of each
paragraph (and so the URLs broken across lines), and repairs the spacing of Chinese text.
"""

import re
import statistics
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

from django.utils.translation import gettext_noop

from bulletin.transfer.control import without_control
from bulletin.transfer.text import vocabulary as v

URL_LINE = re.compile(r"https?://\S+")
PAGE_NUMBER = re.compile(
    r"(?:[-–—]\s*)?\d{1,3}(?:\s*[-–—])?|第\s*\d{1,3}\s*页(?:\s*/?\s*共\s*\d{1,3}\s*页)?"
    r"|\d{1,3}\s*/\s*\d{1,3}|page\s+\d{1,3}(?:\s+of\s+\d{1,3})?",
    re.IGNORECASE,
)
TERMINAL = set("。；：！？…”’）」』》.;:!?)")
IDEOGRAPH = "\u2e80-\u2fdf\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_PUNCTUATION = "\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65"
CJK = IDEOGRAPH + CJK_PUNCTUATION
# Justified text extracted as "道 人 工 智 能": three or more characters, one space between each.
LETTER_SPACED = re.compile(rf"[{CJK}](?: [{CJK}]){{2,}}")
SPACE_BY_PUNCTUATION = re.compile(rf" +(?=[{CJK_PUNCTUATION}])|(?<=[{CJK_PUNCTUATION}]) +")
DEFAULT_FULL_WIDTH = 58  # display columns: a full line of the seed is 62-88 wide
PRIVATE_USE_BULLET = re.compile(r"^[\ue000-\uf8ff]\s*")
URL_AT_END = re.compile(rf"https?://[{v.URL_CHARS}]*$")
URL_START = re.compile(rf"[{v.URL_CHARS}]+(?:\s|$)")
# The first word of a line and the punctuation that may not start a line, which goes with it.
FIRST_WORD = re.compile(rf"(?:[^\s{CJK}]+|[{CJK}])[，。、；：！？）》”’]*")
IDEOGRAPH_CHAR = re.compile(f"[{IDEOGRAPH}]")
LATIN_CHAR = re.compile(r"[A-Za-z0-9%]")
SPACED_BOUNDARY = re.compile(rf"[{IDEOGRAPH}] [A-Za-z0-9]|[A-Za-z0-9%] [{IDEOGRAPH}]")
UNSPACED_BOUNDARY = re.compile(rf"[{IDEOGRAPH}][A-Za-z0-9]|[A-Za-z0-9%][{IDEOGRAPH}]")
SENTENCE_MARK = re.compile("[，。；！？,;]")
URL_TAIL = re.compile(rf"[{v.URL_CHARS}]+")
RADICAL = re.compile("[\u2e80-\u2fdf]")


@dataclass
class Line:
    number: int  # 1-based, as an editor counts
    text: str  # without the page-start space and trailing white space
    trailing: bool  # had trailing white space: usually the end of a paragraph
    page_start: bool
    after_blank: bool

    @cached_property  # asked for each line by full_width and again by _continues
    def width(self) -> int:
        return display_width(self.text)


@dataclass
class Paragraph:
    text: str
    lines: list[int]

    @property
    def first(self) -> int:
        return self.lines[0]


@dataclass
class Source:
    """A text split into content lines, with what was taken out as page-break artefacts."""

    raw: dict[int, str]  # every non-empty line as written (stripped), for the report
    lines: list[Line] = field(default_factory=list)
    link_lists: dict[int, str] = field(default_factory=dict)  # a page's URL list, by line
    dropped: dict[int, str] = field(default_factory=dict)  # page numbers, running headers
    double_spaced: bool = True
    repairs: Counter = field(default_factory=Counter)


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def is_cjk(char: str) -> bool:
    return bool(re.match(f"[{CJK}]", char))


def repair_characters(text: str) -> str:
    """Kangxi radicals that extraction puts for ordinary characters (⽣ for 生) back."""
    return RADICAL.sub(lambda m: unicodedata.normalize("NFKC", m.group(0)), text)


def repair_spacing(text: str) -> str:
    """One space at most, none inside Chinese text that was spread out, none by ，。（）."""
    text = re.sub(r"\s+", " ", text).strip()
    text = LETTER_SPACED.sub(lambda m: m.group(0).replace(" ", ""), text)
    return SPACE_BY_PUNCTUATION.sub("", text)


def read_source(text: str, *, header: str = "") -> Source:
    """Split a text into lines and take out the page-break artefacts (`header`: the bulletin's
    name, a running header even where it shows once)."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    # A form feed starts a page as a leading space does; every other control character goes.
    text, removed = without_control(text.replace("\f", " "))
    rows = text.split("\n")
    source = Source(raw={n: r.strip() for n, r in enumerate(rows, 1) if r.strip(" \t\f")})
    page_starts = {
        n for n, r in enumerate(rows, 1) if r.strip() and (r.startswith("\f") or r[:1].isspace())
    }
    source.link_lists = _link_lists(rows, page_starts)
    lines, blank = [], False
    for number, row in enumerate(rows, 1):
        if number in source.link_lists:
            continue
        if not row.strip(" \t\f"):
            blank = True
            continue
        stripped = row.strip(" \t\f")
        body = repair_characters(stripped)
        if body != stripped:  # counted only where there is something to count
            source.repairs["radicals"] += sum(a != b for a, b in zip(body, stripped, strict=True))
        body = PRIVATE_USE_BULLET.sub("• ", body)
        trailing = row != row.rstrip()
        lines.append(Line(number, body, trailing, number in page_starts, blank))
        blank = False
    source.repairs["control_characters"] += removed
    source.double_spaced = _double_spaced(rows)
    source.lines = _drop_running(lines, source, header)
    return source


def _link_lists(rows: list[str], page_starts: set[int]) -> dict[int, str]:
    """Runs of bare URLs, one per line, that end where the next page starts (or the text),
    after blank lines if any: a run read as text would glue its URLs into one."""
    # The last line with text, found once: asking "is the rest blank?" of every run re-read
    # the rest of the text each time.
    last_filled = max((n for n, r in enumerate(rows) if r.strip()), default=-1)
    found, i = {}, 0
    while i < len(rows):
        j = i
        while j < len(rows) and URL_LINE.fullmatch(rows[j].rstrip()) and not rows[j][:1].isspace():
            j += 1
        end = j
        while end < len(rows) and not rows[end].strip():
            end += 1
        if j > i and (end + 1 in page_starts or j > last_filled):
            found.update({n + 1: rows[n].strip() for n in range(i, j)})
        i = max(j, i + 1)
    return found


def _double_spaced(rows: list[str]) -> bool:
    """Whether a blank line follows most lines (then blank lines separate nothing)."""
    filled = [i for i, r in enumerate(rows[:-1]) if r.strip()]
    if not filled:
        return True
    return sum(1 for i in filled if not rows[i + 1].strip()) / len(filled) > 0.5


def _drop_running(lines: list[Line], source: Source, header: str) -> list[Line]:
    """Page numbers and running headers or footers: lines at a page boundary that carry no
    structure and repeat at the boundaries of half the page breaks or more (a header repeated
    once is left to the parser, which knows the firm's line), or show the bulletin's name. One
    page number per boundary: a number after it is the rest of a wrapped line ("… 2024" broken
    as "202" and "4")."""
    at_boundary = set()
    for i, line in enumerate(lines):
        following = lines[i + 1] if i + 1 < len(lines) else None
        if i == 0 or line.page_start or following is None or following.page_start:
            at_boundary.add(i)
    counts = Counter(lines[i].text for i in at_boundary)
    # A running line shows on most pages: a line that twice happens to stand at a page break (the
    # firm's line over the footer and over the profiles) is not one.
    breaks = sum(line.page_start for line in lines[1:])
    counts = Counter({text: n for text, n in counts.items() if 2 * n >= breaks})
    numbers = _page_numbers(lines, at_boundary)
    kept: list[Line] = []
    numbered = False  # a page number was dropped since the last line kept
    for i, line in enumerate(lines):
        wraps = bool(kept) and _open(kept[-1])  # this line may be the rest of kept[-1]
        if kept and _url_tail(kept[-1], line):
            kept.append(line)  # "-0", "12": the end of a URL broken at the page break
        elif i in numbers and not numbered:
            source.dropped[line.number] = gettext_noop("page number")
            numbered = True
            continue
        elif i in at_boundary and _running(line.text, counts, header if i else "", wraps):
            source.dropped[line.number] = gettext_noop("running header or footer")
            continue
        else:
            kept.append(line)
        numbered = False
    return kept


def _page_numbers(lines: list[Line], at_boundary: set[int]) -> set[int]:
    """The lines at a page boundary that read as page numbers and fit the document's numbering:
    the page they stand on plus the offset most of them share (a cover or front matter may not
    count). A lone number that fits no page ("202", the rest of a wrapped "2024") is text."""
    page, pages, candidates = 1, {}, {}
    for i, line in enumerate(lines):
        page += line.page_start and i > 0
        pages[i] = page
        if i in at_boundary and PAGE_NUMBER.fullmatch(line.text):
            candidates[i] = int(re.search(r"\d+", line.text).group(0)) - page
    if not candidates:
        return set()
    offset, shared = Counter(candidates.values()).most_common(1)[0]
    return {
        i
        for i, own in candidates.items()
        if abs(own - offset) <= 1 and (shared > 1 or 0 < own + pages[i] <= page + 1)
    }


def _open(line: Line) -> bool:
    """A line that wrapped, or left a bracket open: the next line continues it."""
    return not line.trailing or line.text.count("(") > line.text.count(")")


def _running(text: str, counts: Counter, header: str, wraps: bool) -> bool:
    """A header or footer: the bulletin's name, or repeated with no structure and no sentence
    (two cases with the same court can each wrap to a page top as "号，某某法院"); three times
    where it could be the rest of a wrapped line ("院")."""
    if text == header:
        return True
    repeated = counts[text] > (2 if wraps else 1)
    return repeated and not v.is_structural(text) and not SENTENCE_MARK.search(text)


def _url_tail(previous: Line, line: Line) -> bool:
    """A line that can only be the rest of the URL the line before broke off."""
    return _in_url(previous) and line.trailing and bool(URL_TAIL.fullmatch(line.text))


def _in_url(line: Line) -> bool:
    """Whether a line broke inside a URL (it ends one, or is a piece of one)."""
    return not line.trailing and bool(URL_AT_END.search(line.text) or URL_TAIL.fullmatch(line.text))


def full_width(lines: list[Line]) -> int:
    """The width of a full line of the page: what most of the lines that wrapped reach (the
    others wrapped early, before a word or a URL that did not fit)."""
    wrapped = [
        line.width
        for line in lines
        if not line.trailing and not URL_LINE.search(line.text) and line.width > 20
    ]
    if len(wrapped) < 5:
        return DEFAULT_FULL_WIDTH
    return int(statistics.quantiles(wrapped, n=10)[-1])


def paragraphs(source: Source, commentary_labels: set[str]) -> list[Paragraph]:
    """Join the lines of each paragraph; see _continues for where one ends."""
    width = full_width(source.lines)
    spaced = spaces_chinese_and_latin(source.lines)
    result: list[Paragraph] = []
    # The pieces of each paragraph, joined once at the end: adding each line to the text so far
    # copied the whole paragraph for every line (quadratic in a text without paragraph breaks).
    pieces: list[list[str]] = []
    previous: Line | None = None
    for line in source.lines:
        if previous and _continues(previous, line, width, commentary_labels, source):
            pieces[-1] += [_separator(previous, line.text, spaced), line.text]
            result[-1].lines.append(line.number)
        else:
            result.append(Paragraph("", [line.number]))
            pieces.append([line.text])
        previous = line
    for paragraph, parts in zip(result, pieces, strict=True):
        spaced = "".join(parts)
        paragraph.text = repair_spacing(spaced)
        source.repairs["letter_spaced"] += bool(LETTER_SPACED.search(re.sub(r"\s+", " ", spaced)))
    return result


def _continues(previous: Line, line: Line, width: int, labels: set[str], source: Source) -> bool:
    if _in_url(previous) and URL_START.match(line.text):
        return True  # a URL wrapped where its tail looks like a heading ("8.html", "1) …")
    if v.starts_block(line.text, labels):
        return False
    if line.after_blank and not source.double_spaced:
        return False
    if not previous.trailing:
        return True
    if v.BULLET.match(previous.text) and URL_LINE.search(previous.text):
        return False  # a URL has no spaces: a trailing one ends it
    if is_cjk(previous.text[-1]) and previous.text[-1] in TERMINAL:
        return False  # "。", "；", "）": the end of a Chinese sentence
    if _open(previous):
        return True  # "(N.D. " and "Cal.)": a bracket left open does not end a paragraph
    # A trailing space ends a paragraph, or is the space a line broke at between two words:
    # then the next line's first word did not fit on this one.
    return previous.width + 1 + display_width(_first_word(line.text)) > width


def _first_word(text: str) -> str:
    match = FIRST_WORD.match(text)
    return match.group(0) if match else text[:1]


def _separator(previous: Line, more: str, spaced: bool) -> str:
    """Wrapped lines join without a space, except a Latin word break that kept its space, and a
    break between Chinese and Latin text in a text that spaces them."""
    if previous.trailing and not (is_cjk(previous.text[-1]) and is_cjk(more[0])):
        return " "
    if spaced and (_mixed(previous.text[-1], more[0]) or _url_before(previous, more)):
        return " "
    return ""


def _url_before(previous: Line, more: str) -> bool:
    """A URL at the end of a line and Chinese text at the start of the next: a URL has no
    Chinese, so it ended there, and a text that spaces Chinese and Latin spaced it ("…/ 所列")."""
    return _in_url(previous) and bool(IDEOGRAPH_CHAR.match(more[0]))


def _mixed(left: str, right: str) -> bool:
    """An ideograph next to a Latin letter or digit (either way round)."""
    return bool(
        (IDEOGRAPH_CHAR.match(left) and LATIN_CHAR.match(right))
        or (LATIN_CHAR.match(left) and IDEOGRAPH_CHAR.match(right))
    )


def spaces_chinese_and_latin(lines: list[Line]) -> bool:
    """Whether the text puts a space between Chinese and Latin runs ("在 2026 年") more often
    than not, counted inside its lines (where extraction shows what was printed)."""
    spaced = unspaced = 0
    for line in lines:
        spaced += len(SPACED_BOUNDARY.findall(line.text))
        unspaced += len(UNSPACED_BOUNDARY.findall(line.text))
    return spaced > unspaced
