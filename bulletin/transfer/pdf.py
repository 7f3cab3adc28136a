"""Reading a back issue's PDF: its text in reading order (pypdf's layout mode, page by page)
turned into the labelled paragraphs the text parser reads (see bulletin/transfer/text/), and its
URLs taken from the link annotations rather than from the text.

Layout mode keeps a label and its value on one printed line ("发布日期    2024 年 8 月 1 日"), as
the firm's PDFs and ours both print them; such a line becomes "发布日期：…", a link becomes a
bulleted URL line under its label, a case's caption, docket number and court one "案件信息" line.
Running headers, footers and page numbers are dropped by their place on the page, and headings,
entry titles and labels are told by their type where their words do not say it (typeset.py); if
the text runs cannot be read, the lines that repeat at the page edges (numbers aside) are dropped.
Where a printed URL is cut, glued or differs from the target of the link drawn over it, the
link's target wins and a note says so.
"""

import io
import re
from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.utils.translation import gettext as _
from pypdf import PdfReader

from bulletin.transfer import typeset
from bulletin.transfer.extracted import Extracted, UnreadableFile, paragraph_text
from bulletin.transfer.text import vocabulary as v
from bulletin.transfer.text.lines import CJK, TERMINAL, display_width

MAX_PAGES = 500
EDGE = 3  # lines at the top and at the bottom of a page where running headers are looked for
LABEL_LINE = re.compile(r"^(\S+(?: \S+){0,2})\s{2,}(\S.*)$")
LABELLED_URL = re.compile(r"^(\S+(?: \S+){0,2}) (https?://\S+)$")  # a label's gap may be one space
LABEL_WIDTH = 16  # display columns: a label is short
LEADERS = re.compile(r"\s*(?:\.\s*){3,}\d{1,3}$")
CASE_PARTS = v.CASE_PARTS
DROPPED_LABELS = {"法域"}  # the places: the import suggests them from the text
URL_START = re.compile(r"https?://")
URL_BROKEN = re.compile(rf"https?://(?:[{v.URL_CHARS}]*[/\-.?=&_])?$")  # cut after a separator
KNOWN_LABELS = v.ENTRY_LABELS | v.PROFILE_LABELS | set(CASE_PARTS) | DROPPED_LABELS
BULLETED_URL = re.compile(rf"^[{v.BULLETS}]\s*(https?://\S.*)$")


def read_pdf(data: bytes) -> Extracted:
    pages = open_pdf(data)
    texts = _page_texts(pages)
    page_lines = marked_lines(pages, texts)
    paragraphs, notes, starts = [], [], []
    full = max((display_width(line.strip()) for lines in page_lines for line in lines), default=0)
    for number, (page, lines) in enumerate(zip(pages, page_lines, strict=False), 1):
        page_paragraphs = _paragraphs(lines)
        notes += _apply_annotations(page_paragraphs, _uris(page), number)
        if paragraphs and page_paragraphs and _goes_on(paragraphs[-1], page_paragraphs[0], full):
            first = page_paragraphs.pop(0)
            paragraphs[-1] += [_separator(paragraphs[-1][-1], first[0]) + first[0], *first[1:]]
        starts.append(len(paragraphs))
        paragraphs += page_paragraphs
    texts = [_emit(p) if not p.empty else "" for p in paragraphs]
    lines_before = [0]
    for text in texts:
        lines_before.append(lines_before[-1] + text.count("\n"))
    pages_at = [lines_before[start] + 1 for start in starts]  # the line each page starts on
    return Extracted(text="".join(texts), notes=notes, pages=pages_at)


def _goes_on(last: "Paragraph", first: "Paragraph", full: int) -> bool:
    """Whether the first paragraph of a page is the rest of the page before's last: both text,
    and the sentence was cut by the page break on a line that ran to the margin (`full`: the
    widest line of the document)."""
    text, more = "".join(last).strip(), "".join(first).strip()
    if last.link_label or first.link_label or not text or not more:
        return False
    if display_width(last[-1].strip()) < 0.85 * full:
        return False
    if text[-1] in TERMINAL or _closed(last) or v.label_of(text) or v.starts_block(text, set()):
        return False
    return not (v.starts_block(more, set()) or v.label_of(more) or LABEL_LINE.match(more))


def open_pdf(data: bytes) -> list:
    """The pages of a PDF that can be read; anything else raises UnreadableFile."""
    damaged = _("The PDF cannot be read (it is damaged or incomplete).")
    try:
        reader = PdfReader(io.BytesIO(data))
        encrypted = reader.is_encrypted
        pages = [] if encrypted else list(reader.pages)
    except Exception as exc:  # noqa: BLE001 - a hostile file makes pypdf raise anything
        raise UnreadableFile(damaged) from exc
    if encrypted:
        raise UnreadableFile(_("The PDF is encrypted: save it without a password and try again."))
    if not pages:
        raise UnreadableFile(damaged)
    if len(pages) > MAX_PAGES:
        raise UnreadableFile(
            _("The PDF has %(pages)s pages; an import reads 1 to %(max)s.")
            % {"pages": len(pages), "max": MAX_PAGES}
        )
    return pages


def _page_texts(pages: list) -> list[str]:
    try:
        return [page.extract_text(extraction_mode="layout") or "" for page in pages]
    except Exception as exc:  # noqa: BLE001 - as in open_pdf
        raise UnreadableFile(_("The PDF's text cannot be extracted.")) from exc


def marked_lines(pages: list, texts: list[str]) -> list[list[str]]:
    """Each page's lines without its furniture, with the headings, titles and labels its type
    shows written the way the text parser knows them (see typeset.py); from the words alone
    (the lines that repeat at the page edges are the furniture) if the runs cannot be read."""
    layout = [text.split("\n") for text in texts]
    try:
        printed = [typeset.printed_lines(page) for page in pages]
    except Exception:  # noqa: BLE001 - as in open_pdf: the words alone then
        furniture = _furniture(texts)
        return [[line for line in lines if _key(line) not in furniture] for lines in layout]
    dropped = typeset.furniture(printed)
    rows = []
    for number, (lines, found) in enumerate(zip(layout, printed, strict=True)):
        for text, line in zip(lines, typeset.match(lines, found), strict=True):
            if line is None or id(line) not in dropped:
                rows.append(Row(number, text, line))
    body = typeset.body_size(printed)
    _mark(rows, body)
    result: list[list[str]] = [[] for _page in pages]
    for row, after in zip(rows, [*rows[1:], None], strict=True):
        result[row.page].append(row.text)
        if _heading_ends(row, after, body):
            result[row.page].append("")
    return [_dedented(lines) for lines in result]


def _heading_ends(row: "Row", after: "Row | None", body: float) -> bool:
    """A heading set larger than the text ends its paragraph where the text under it starts
    (a profile's name above the person's title and office, say)."""
    if row.printed is None or after is None or after.printed is None or after.page != row.page:
        return False
    heading, text = row.printed, after.printed
    return (
        heading.size >= body * typeset.LARGER
        and not typeset.stands_out(text, body)
        and bool(after.text.strip())
    )


def _dedented(lines: list[str]) -> list[str]:
    """The lines without the margin they share (the furniture, further left, set it)."""
    margin = min((len(line) - len(line.lstrip()) for line in lines if line.strip()), default=0)
    return [line[margin:] for line in lines]


@dataclass
class Row:
    """A line of the layout text, and the printed line it shows (None if blank or not found)."""

    page: int
    text: str
    printed: typeset.Printed | None


def _mark(rows: list[Row], body: float) -> None:
    """Number the section headings and entry titles the type shows, as the parser reads them
    ("一、", "1. "), and give a label its colon or its gap."""
    blocks = _heading_blocks(rows, body)
    titled = [b for b in blocks if not _label_block(rows, b) and _labels_follow(rows, b[-1] + 1)]
    if not titled:
        return _mark_labels(rows)
    style = Counter(_style(rows[b[0]]) for b in titled).most_common(1)[0][0]
    titles = {b[0] for b in titled if _style(rows[b[0]]) == style}
    sections = {
        b[0]
        for b in blocks
        if b[0] not in titles
        and not _label_block(rows, b)
        and _style(rows[b[0]]) >= style
        and _next_filled(rows, b[-1] + 1) in titles
    }
    section = entry = 0
    for block in blocks:
        first = rows[block[0]]
        text = first.text.strip()
        indent = first.text[: len(first.text) - len(first.text.lstrip())]
        if block[0] in sections:
            section, entry = section + 1, 0
            if not v.SECTION.match(text) and section <= len(v.CHINESE_NUMERALS):
                first.text = f"{indent}{v.CHINESE_NUMERALS[section - 1]}、{text}"
        elif block[0] in titles:
            entry += 1
            if not v.TITLE.match(text):
                first.text = f"{indent}{entry}. {text}"
        elif _label_block(rows, block) and text[-1] not in "：:":
            first.text = f"{indent}{text}："
    _mark_labels(rows)


def _heading_blocks(rows: list[Row], body: float) -> list[list[int]]:
    """The runs of rows set bold or larger than the text, one style each."""
    blocks: list[list[int]] = []
    for i, row in enumerate(rows):
        line = row.printed
        if line is None or not typeset.stands_out(line, body) or line.bold_start():
            continue
        if blocks and blocks[-1][-1] == i - 1 and _style(rows[i - 1]) == _style(row):
            blocks[-1].append(i)
        else:
            blocks.append([i])
    return blocks


def _style(row: Row) -> tuple[float, bool]:
    return (round(row.printed.size * 2) / 2, row.printed.bold)


def _label_block(rows: list[Row], block: list[int]) -> bool:
    """A label alone on its line ("链接", "摘要"), set like a heading."""
    name = v.squeeze("".join(rows[i].text for i in block))
    return len(block) == 1 and (name in KNOWN_LABELS or v.is_link_label(name))


def _next_filled(rows: list[Row], i: int) -> int | None:
    while i < len(rows) and not rows[i].text.strip():
        i += 1
    return i if i < len(rows) else None


def _labels_follow(rows: list[Row], i: int) -> bool:
    """Whether the next line with text is one of an entry's labels (not a profile's)."""
    i = _next_filled(rows, i)
    if i is None:
        return False
    text, line = rows[i].text.strip(), rows[i].printed
    label = _label_line(text) or LABEL_LINE.match(text)
    name = label.group(1) if label else (v.label_of(text).name if v.label_of(text) else "")
    if line is not None and (start := line.bold_start()):
        name = v.squeeze(start[0])
    elif line is not None and line.bold:
        name = v.squeeze(text)
    return (
        bool(name)
        and name not in v.PROFILE_LABELS
        and (name in KNOWN_LABELS or v.is_link_label(name))
    )


def _mark_labels(rows: list[Row]) -> None:
    """A known label printed bold at the start of its line, without a colon or a wide gap:
    the gap the layout shows between a label and its value."""
    for row in rows:
        start = row.printed.bold_start() if row.printed is not None else None
        if not start or start[0][-1] in "：:":
            continue
        name = v.squeeze(start[0])
        if name in KNOWN_LABELS or v.is_link_label(name):
            indent = row.text[: len(row.text) - len(row.text.lstrip())]
            row.text = f"{indent}{start[0]}    {start[1]}"


def _key(line: str) -> str:
    """A line as compared with the other pages' edges: spacing and numbers aside."""
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", line))


def _furniture(texts: list[str]) -> set[str]:
    """Lines at the edge of more than half the pages (at least two), numbers aside."""
    counts = Counter()
    for text in texts:
        lines = [line for line in text.split("\n") if line.strip()]
        counts.update({_key(line) for line in lines[:EDGE] + lines[-EDGE:]})
    least = max(2, len(texts) // 2 + 1)
    return {key for key, n in counts.items() if n >= least and not _structural(key)}


def _structural(key: str) -> bool:
    return bool(v.SECTION.match(key) or v.TITLE.match(key.replace("#", "1")))


class Paragraph(list):
    """The lines of one paragraph; a link group's URLs are its items after the label."""

    link_label = ""
    name = ""  # the label as printed

    @property
    def empty(self) -> bool:
        return not "".join(self).strip()


def _paragraphs(lines: list[str]) -> list[Paragraph]:
    result: list[Paragraph] = []
    case: dict[int, str] = {}
    current: Paragraph | None = None
    labelled: Paragraph | None = None  # the paragraph of the line before, if a labelled line
    valued: Paragraph | int | None = (
        None  # a label's value (or a case part's) the next line may go on
    )
    for raw in lines:
        line = raw.rstrip()
        text = LEADERS.sub("", line.strip())
        if not text:
            current = labelled = valued = None
            continue
        indented = line[:1].isspace()
        if valued is not None and _value_goes_on(line, text):
            if isinstance(valued, int):
                case[valued] += _separator(case[valued], text) + text
            else:
                valued[-1] += _separator(valued[-1], text) + text
            continue
        valued = None
        if labelled is not None and not indented and (rest := _label_end(labelled, line)):
            if rest is True:  # a label printed on two lines or more: "起诉状或诉讼" "文件"
                continue
            line = text = rest  # the paragraph under the label starts on its last line
        labelled = None
        label = _label_line(line) if not indented else None
        name = label.group(1) if label else ""
        if label and name in CASE_PARTS:
            case[CASE_PARTS[name]] = re.sub(r"\s+", " ", label.group(2))
            current, valued = None, CASE_PARTS[name]
            continue
        if case:
            result.append(Paragraph([_case_line(case)]))
            case = {}
        if label and name in DROPPED_LABELS:
            current = None
        elif label and (URL_START.match(label.group(2)) or v.is_link_label(name)):
            current = labelled = Paragraph([_link_label(name) + "："])
            current.link_label, current.name = current[0], name
            result.append(current)
            current.append(label.group(2).strip())
        elif label and (name in v.ENTRY_LABELS or name in v.PROFILE_LABELS):
            value = re.sub(r"\s+", " ", label.group(2))
            labelled = valued = Paragraph([f"{name}：{value}"])
            result.append(labelled)
            current = None
        elif BULLETED_URL.match(text):
            current = Paragraph([""])  # the firm's shape: "链接：" above, one URL per bullet
            current.link_label = "⚫"
            current.append(BULLETED_URL.match(text).group(1))
            result.append(current)
        elif current is not None and current.link_label and (indented or _url_piece(text)):
            current.append(text)  # the rest of a URL, or the group's next URL
        elif current is None or _closed(current) or v.starts_block(text, set()):
            if v.squeeze(text) in v.PROFILE_LABELS and text[-1] not in "：:":
                text += "："  # our profiles print their headings without a colon
            current = Paragraph([text])
            result.append(current)
        else:
            current.append(_separator(current[-1], text) + text)
    if case:
        result.append(Paragraph([_case_line(case)]))
    return _with_summary_labels(result)


def _value_goes_on(line: str, text: str) -> bool:
    """A line right under a label's line (no blank between) that is no label, bullet or heading:
    the rest of the value, wrapped."""
    return not (_label_line(line) or v.starts_block(text, set()) or URL_START.match(text))


def _label_line(line: str) -> re.Match | None:
    """A label and its value; a label of several words only before a URL; a bullet is none."""
    if BULLETED_URL.match(line.strip()):
        return None
    label = LABEL_LINE.match(line) or LABELLED_URL.match(line)
    if label is None or display_width(label.group(1)) > LABEL_WIDTH:
        return None
    if " " in label.group(1) and not URL_START.match(label.group(2)):
        return None
    return label


def _label_end(paragraph: Paragraph, line: str) -> str | bool:
    """For a line under a link's label: True if it is the rest of the label, the text after it
    if the label ends on this line, else False."""
    label, _gap, rest = (re.split(r"(\s{2,})", line.strip(), maxsplit=1) + ["", ""])[:3]
    if not paragraph.link_label or paragraph.link_label == "⚫" or URL_START.match(label):
        return False
    if URL_START.match(rest) or label in KNOWN_LABELS:  # the next label
        return False
    if display_width(label) > LABEL_WIDTH or v.starts_block(label, set()):
        return False
    paragraph.name += _separator(paragraph.name, label) + label
    paragraph[0] = paragraph.link_label = _link_label(paragraph.name) + "："
    return rest.strip() or True


def _link_label(name: str) -> str:
    """The label of a link group as the text parser knows it."""
    if name.startswith("起诉"):
        return "起诉状链接"
    return name if v.is_link_label(name) else f"{name}链接"


def _url_piece(text: str) -> bool:
    """A line that can only be the rest of a URL: no space, no Chinese."""
    return not re.search(rf"[\s{CJK}]", text)


def _closed(paragraph: Paragraph) -> bool:
    """A link group, or a heading printed on its own line (a commentary's label, 免责声明…)."""
    first = paragraph[0]
    return bool(paragraph.link_label) or (
        len(paragraph) == 1
        and (
            v.is_commentary_label(first, set())
            or v.squeeze(first) in v.DISCLAIMER | v.CONTENTS | v.EDITORS_NOTE | v.WRITERS
            or v.squeeze(first) in v.PROFILE_LABELS
        )
    )


def _case_line(case: dict[int, str]) -> str:
    return v.case_line(case)


def _with_summary_labels(paragraphs: list[Paragraph]) -> list[Paragraph]:
    """ "摘要：" before the first paragraph after an entry's labels (our PDF prints none)."""
    result = []
    for i, paragraph in enumerate(paragraphs):
        before = paragraphs[i - 1] if i else None
        first = paragraph[0]
        if (
            before is not None
            and (before.link_label or v.label_of(before[0]))
            and not (v.label_of(before[0]) and v.label_of(before[0]).name in v.SUMMARY)
            and not paragraph.link_label
            and not v.label_of(first)
            and not v.starts_block(first, set())
            and _in_entry(paragraphs, i)
        ):
            result.append(Paragraph(["摘要："]))
        result.append(paragraph)
    return result


def _in_entry(paragraphs: list[Paragraph], i: int) -> bool:
    """Whether the labels before paragraph i belong to an entry (not to a profile, the team or
    the writers)."""
    for paragraph in reversed(paragraphs[:i]):
        label = v.label_of(paragraph[0])
        if label and (label.name in v.PROFILE_LABELS | v.WRITERS or _team(label)):
            return False
        if v.TITLE.match(paragraph[0]):
            return True
    return False


def _team(label: v.Label) -> bool:
    return label.name.endswith(v.TEAM_SUFFIXES) and bool(label.value)


def _separator(previous: str, more: str) -> str:
    """Printed lines join without a space inside Chinese text and inside a URL broken after one
    of its separators ("https://", "…/"), with one between Latin words."""
    if re.match(f"[{CJK}]", previous[-1:]) or re.match(f"[{CJK}]", more[:1]):
        return ""
    if URL_BROKEN.search(previous) and re.match(rf"[{v.URL_CHARS}]", more[:1]):
        return ""
    return " "


def _uris(page) -> list[str]:
    """The http(s) targets of the page's link annotations, top to bottom, each once in a row
    (a link printed on three lines is three annotations)."""
    found = []
    try:
        annotations = [a.get_object() for a in page.get("/Annots") or []]
    except Exception:  # noqa: BLE001 - as in open_pdf: a page without links then
        annotations = []
    for annotation in annotations:
        try:
            uri = str(annotation["/A"]["/URI"])
            rect = [float(x) for x in annotation["/Rect"]]
        except Exception:  # noqa: BLE001, S112 - not a link annotation, or a broken one
            continue
        if URL_START.match(uri):
            found.append((-max(rect[1], rect[3]), min(rect[0], rect[2]), uri))
    ordered = [uri for *_, uri in sorted(found, key=lambda f: (round(f[0]), f[1]))]
    return [uri for i, uri in enumerate(ordered) if i == 0 or ordered[i - 1] != uri]


def _apply_annotations(paragraphs: list[Paragraph], uris: list[str], page: int) -> list[str]:
    """Split each link group into its URLs and put the link's target for each."""
    notes, free = [], list(uris)
    for paragraph in paragraphs:
        if not paragraph.link_label:
            continue
        printed = _printed_urls(paragraph[1:])
        paragraph[1:] = []
        for text in printed:
            uri = _match(text, free)
            if uri is None:
                paragraph.append(text)
                continue
            free.remove(uri)
            paragraph.append(uri)
            if uri != text:
                notes.append(
                    _("page %(page)s: the printed URL “%(text)s” is “%(uri)s” in its link")
                    % {"page": page, "text": text, "uri": uri}
                )
    return notes


def _printed_urls(lines: list[str]) -> list[str]:
    """The URLs of a link group as printed: a line that starts with http starts one."""
    urls: list[str] = []
    for line in lines:
        for piece in line.split():
            if URL_START.match(piece) or not urls:
                urls.append(piece)
            else:
                urls[-1] += piece
    return urls


def _match(text: str, uris: list[str]) -> str | None:
    """The link target for a printed URL: the same, one it begins (cut), one that begins it
    (glued), else the next one on the same host."""
    for test in (
        lambda uri: uri == text,
        lambda uri: uri.startswith(text),
        lambda uri: text.startswith(uri),
        lambda uri: urlsplit(uri).netloc == urlsplit(text).netloc,
    ):
        for uri in uris:
            if test(uri):
                return uri
    return None


def _emit(paragraph: Paragraph) -> str:
    if paragraph.link_label:
        lines = [paragraph[0]] if paragraph[0] else []
        return "".join(paragraph_text(line) for line in lines + [f"⚫ {u}" for u in paragraph[1:]])
    return paragraph_text("".join(paragraph))
