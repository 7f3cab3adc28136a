"""Reading a back issue written in Word (.docx) in the labelled shape of the firm's bulletins:
mammoth turns it into HTML (its comments, deleted text and styles left out), and that HTML into
the text the text parser reads (see bulletin/transfer/text/): one paragraph a line, a labelled
link line's hyperlinks as bulleted URLs, ordered lists as "1) …" and nested ones as "a) …", a
numbered list item followed by an entry's labels as the entry's title ("1. …"). A paragraph's
bold, italics, underline, sub- and superscripts and links on its words are kept for the rich
text it becomes (Extracted.marked)."""

import html
import io
import re
import zipfile
from html.parser import HTMLParser
from string import ascii_lowercase

import mammoth
from django.utils.translation import gettext as _

from bulletin.transfer.extracted import Extracted, UnreadableFile, paragraph_text
from bulletin.transfer.text import vocabulary as v
from bulletin.transfer.text.richtext import linked, plain_key

MAX_UNPACKED = 50 * 1024 * 1024  # bytes, all parts of the archive together
MAX_RATIO = 100  # unpacked / packed, per part: more is a zip bomb, not a document
# What an entry's text never needs and a hostile file uses: macros and controls, a DTD (entity
# expansion), relationships to outside files (remote templates, frames, linked images or objects;
# nothing is fetched, but such a file is not a lawyer's draft), fields that fetch or run
# something, and links that run a script. Hyperlinks are the outside targets a draft has, and a
# template on the author's own disk is named by any document made from the firm's template.
ACTIVE_PARTS = re.compile(r"vbaProject\.bin$|vbaData\.xml$|(^|/)activeX/", re.I)
DTD = re.compile(rb"<!DOCTYPE|<!ENTITY", re.I)
RELATIONSHIP = re.compile(rb"<Relationship\b[^>]*>", re.I)
HYPERLINK_TYPE = b"/relationships/hyperlink"
TEMPLATE_TYPE = b"/relationships/attachedTemplate"
REMOTE = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*://(?!/)|\\\\)", re.I)  # not file:///, or UNC
FIELD_CODE = re.compile(rb'w:instr="([^"]*)"|<w:instrText[^>]*>([^<]*)<', re.I)
ACTIVE_FIELDS = {"DDE", "DDEAUTO", "INCLUDETEXT", "INCLUDEPICTURE", "LINK", "MACROBUTTON"}
SCRIPT_SCHEMES = re.compile(r"^\s*(javascript|vbscript|data|file)\s*:", re.I)
NO_IMAGES = mammoth.images.img_element(lambda image: {})  # not read: the text has none
BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th"}
MARKS = {  # mammoth's inline tags, as the rich text writes them
    "strong": "strong",
    "b": "strong",
    "em": "em",
    "i": "em",
    "u": "u",
    "sub": "sub",
    "sup": "sup",
}
LINK_SCHEMES = ("http://", "https://", "mailto:")  # as the rich text's allow-list


def read_docx(data: bytes) -> Extracted:
    check_archive(data)
    try:
        result = mammoth.convert_to_html(
            io.BytesIO(data),
            ignore_empty_paragraphs=True,
            convert_image=NO_IMAGES,
            style_map="u => u",  # underline is left out unless mapped
        )
    except Exception as exc:  # noqa: BLE001 - mammoth raises anything on a damaged file
        raise UnreadableFile(_("The Word file cannot be read (it is damaged).")) from exc
    blocks = _Blocks()
    blocks.feed(result.value)
    blocks.close()
    if blocks.scripts:
        raise _refused(_("a link that runs a script (%(link)s)") % {"link": blocks.scripts[0]})
    lines, notes = _lines(blocks.found)
    marked, notes = _kept_marks(blocks.found, notes)
    return Extracted("".join(paragraph_text(line) for line in lines), notes, marked)


def _kept_marks(blocks: list[dict], notes: list[str]) -> tuple[dict[str, str], list[str]]:
    """{text: markup} of the paragraphs whose words carry marks. A paragraph's marks are found by
    its text: where the same text is written twice with different marks or links (or once
    without), none is kept for it, and the report says so, rather than a link going wrong."""
    found: dict[str, set] = {}
    for block in blocks:
        for key, markup in _marked(block).items():
            found.setdefault(key, set()).add(markup)
    marked, notes = {}, list(notes)
    for key, markups in found.items():
        if len(markups) == 1 and None not in markups:
            marked[key] = markups.pop()
        elif markups - {None}:
            message = _(
                "“%(text)s” is written more than once with different formatting or links: it is "
                "imported as plain text, check its links"
            )
            notes.append(message % {"text": key[:80]})
    return marked, notes


def check_archive(data: bytes) -> None:
    """Refuse a damaged archive, a zip bomb, and what a hostile document carries (see
    ACTIVE_PARTS and what follows it), before mammoth reads anything."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError) as exc:
        raise UnreadableFile(_("The Word file cannot be read (it is damaged).")) from exc
    unpacked = sum(part.file_size for part in parts)
    too_packed = any(part.file_size > MAX_RATIO * max(part.compress_size, 1024) for part in parts)
    if unpacked > MAX_UNPACKED or too_packed:
        raise UnreadableFile(
            _("The Word file unpacks to more than %(limit)s MB: it is refused.")
            % {"limit": MAX_UNPACKED // (1024 * 1024)}
        )
    try:
        for part in parts:
            _check_part(part.filename, archive)
    except UnreadableFile:
        raise
    except (zipfile.BadZipFile, ValueError, EOFError, OSError) as exc:
        raise UnreadableFile(_("The Word file cannot be read (it is damaged).")) from exc


def _refused(what: str) -> UnreadableFile:
    return UnreadableFile(_("The Word file holds %(what)s: it is refused.") % {"what": what})


def _check_part(name: str, archive: zipfile.ZipFile) -> None:
    if ACTIVE_PARTS.search(name):
        raise _refused(_("macros or ActiveX controls (%(part)s)") % {"part": name})
    if not name.endswith((".xml", ".rels")):
        return
    content = archive.read(name)  # its size was checked above
    if DTD.search(content):
        raise _refused(_("a document type declaration (%(part)s)") % {"part": name})
    for relationship in RELATIONSHIP.findall(content):
        if not re.search(rb'TargetMode\s*=\s*"External"', relationship, re.I):
            continue
        found = re.search(rb'Target\s*=\s*"([^"]*)"', relationship)
        target = html.unescape(found.group(1).decode("utf-8", "replace")) if found else ""
        local_template = TEMPLATE_TYPE in relationship and not REMOTE.match(target)
        if HYPERLINK_TYPE not in relationship and not local_template:
            shown = target[:200] or name
            raise _refused(_("a link to an outside file (%(target)s)") % {"target": shown})
    for match in FIELD_CODE.finditer(content):
        _check_field(html.unescape((match.group(1) or match.group(2)).decode("utf-8", "replace")))


def _check_field(code: str) -> None:
    """A field code such as 'HYPERLINK "https://…"': nothing that fetches, includes or runs."""
    words = code.split()
    name = words[0].upper() if words else ""
    if name in ACTIVE_FIELDS:
        raise _refused(_("a field that fetches or runs something (%(field)s)") % {"field": name})
    quoted = code.split('"')
    target = quoted[1] if len(quoted) > 2 else " ".join(words[1:2])
    if name == "HYPERLINK" and SCRIPT_SCHEMES.match(target):
        raise _refused(_("a link that runs a script (%(link)s)") % {"link": target[:200]})


class _Blocks(HTMLParser):
    """The blocks of mammoth's HTML: (text, links as (text, href), list depths and numbers)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[dict] = []
        self.lists: list[list] = []  # per open list: [tag, items so far]
        self.block: dict | None = None
        self.link: list | None = None
        self.marks: list[tuple] = []  # the inline marks open, outermost first
        self.scripts: list[str] = []  # hrefs that would run something: the file is refused

    def handle_starttag(self, tag, attrs):
        if tag in ("ol", "ul"):
            self._end_block()
            self.lists.append([tag, 0])
        elif tag in BLOCKS:
            self._end_block()
            marker = ""
            if tag == "li" and self.lists:
                self.lists[-1][1] += 1
                marker = _marker(self.lists)
            self.block = {"text": [], "links": [], "marker": marker, "item": tag == "li"}
            self.block["runs"], self.marks = [], []  # no mark goes on past its paragraph
        elif tag == "a" and self.block is not None:
            self.link = [dict(attrs).get("href") or "", []]
            if SCRIPT_SCHEMES.match(self.link[0]):
                self.scripts.append(self.link[0][:200])
            kept = self.link[0].lower().startswith(LINK_SCHEMES)
            self.marks.append(("a", self.link[0]) if kept and not _in_link(self.marks) else ("",))
        elif tag in MARKS:
            self.marks.append((MARKS[tag],))
        elif tag == "br" and self.block is not None:
            self.handle_data(" ")

    def handle_endtag(self, tag):
        if tag == "a" and self.link is not None and self.block is not None:
            href, text = self.link
            if href.startswith(("http://", "https://")):
                self.block["links"].append(("".join(text).strip(), href))
            self.link = None
        if tag == "a" or tag in MARKS:
            wanted = "a" if tag == "a" else MARKS[tag]
            at = next((i for i in range(len(self.marks) - 1, -1, -1) if self._is(i, wanted)), None)
            if at is not None:
                del self.marks[at]
        elif tag in ("ol", "ul") and self.lists:
            self._end_block()
            self.lists.pop()
        elif tag in BLOCKS:
            self._end_block()

    def handle_data(self, data):
        if self.block is not None:
            self.block["text"].append(data)
            self.block["runs"].append((data, tuple(m for m in self.marks if m[0])))
            if self.link is not None:
                self.link[1].append(data)

    def _is(self, i: int, wanted: str) -> bool:
        return self.marks[i][0] == wanted or (wanted == "a" and self.marks[i] == ("",))

    def _end_block(self):
        if self.block is not None:
            text = re.sub(r"\s+", " ", "".join(self.block["text"])).strip()
            if text:
                self.found.append(self.block | {"text": text})
        self.block = None


def _marked(block: dict) -> dict[str, str | None]:
    """{text: markup} for a block and for its value after a label or a list marker; None where
    no word carries a mark, or where a mark cuts a URL of the text (the URL is linked whole)."""
    chars, space = [], True
    for data, marks in block["runs"]:
        for char in data:
            if char.isspace():
                if not space:
                    chars.append((" ", marks))
                space = True
            else:
                chars.append((char, marks))
                space = False
    while chars and chars[-1][0] == " ":
        chars.pop()
    text = "".join(char for char, _marks in chars)
    if not text:
        return {}
    starts = [0]
    if (label := v.label_of(text)) and label.value:  # what the parser reads after a label
        starts.append(len(text) - len(text.lstrip()[len(label.text) :].lstrip(" ：:")))
    for prefix in (v.ITEM, v.SUBITEM, v.BULLET):  # and after a list marker
        if (match := prefix.match(text)) and (rest := match.group(match.lastindex)).strip():
            starts.append(match.start(match.lastindex) + len(rest) - len(rest.lstrip()))
    return {plain_key(text[start:]): _markup_or_none(chars[start:]) for start in starts}


def _markup_or_none(chars: list[tuple[str, tuple]]) -> str | None:
    if not any(marks for _char, marks in chars):
        return None
    text = "".join(char for char, _marks in chars)
    for url in v.URL.finditer(text):
        if len({marks for _char, marks in chars[url.start() : url.end()]}) > 1:
            return None  # a mark inside a URL: the URL is linked whole, without the marks
    return _markup(chars)


def _markup(chars: list[tuple[str, tuple]]) -> str:
    """The HTML of marked characters: marks nested as they were opened; a URL outside a link
    still becomes one, as in the text."""
    out, open_marks, run = [], (), []

    def flush():
        text = "".join(run)
        out.append(html.escape(text, quote=False) if _in_link(open_marks) else linked(text))
        run.clear()

    for char, marks in [*chars, ("", ())]:
        if marks != open_marks or not char:
            flush()
            common = 0
            while common < min(len(marks), len(open_marks)) and marks[common] == open_marks[common]:
                common += 1
            out += [f"</{mark[0]}>" for mark in reversed(open_marks[common:])]
            out += [_opening(mark) for mark in marks[common:]]
            open_marks = marks
        run.append(char)
    return "".join(out)


def _in_link(marks: tuple) -> bool:
    return any(mark[0] == "a" for mark in marks)


def _opening(mark: tuple) -> str:
    return f'<a href="{html.escape(mark[1])}">' if mark[0] == "a" else f"<{mark[0]}>"


def _marker(lists: list[list]) -> str:
    tag, number = lists[-1]
    if tag == "ul":
        return "•"
    depth = sum(1 for kind, _n in lists if kind == "ol")
    if depth > 1:
        return f"{ascii_lowercase[(number - 1) % 26]})"
    return f"{number})"


def _with_case_lines(blocks: list[dict]) -> list[dict]:
    """A case typed as separate lines (案件名称, 案号, 法院) as the one "案件信息" line the parser
    reads; a caption alone stays as it is."""
    result, case = [], {}
    for block in [*blocks, None]:
        label = v.label_of(block["text"]) if block else None
        part = v.CASE_PARTS.get(label.name) if label and label.value else None
        if part is not None and part not in case and not block["links"]:
            case[part] = label.value
            continue
        if case:
            text = v.case_line(case) if set(case) - {0} else f"案件信息：{case[0]}"
            result.append({"text": text, "links": [], "marker": "", "item": False})
            case = {}
        if block is not None:
            result.append(block)
    return result


def _lines(blocks: list[dict]) -> tuple[list[str], list[str]]:
    lines, notes = [], []
    blocks = _with_case_lines(blocks)
    for i, block in enumerate(blocks):
        text, marker = block["text"], block["marker"]
        following = blocks[i + 1]["text"] if i + 1 < len(blocks) else ""
        label = v.label_of(text)
        if label and v.is_link_label(label.name) and block["links"]:
            lines.append(f"{label.text}：")
            lines += [f"⚫ {href}" for _text, href in block["links"]]
            notes += _differing(block["links"])
            continue
        if v.BULLET.match(text) and block["links"]:
            lines += [f"⚫ {href}" for _text, href in block["links"]]
            notes += _differing(block["links"])
            continue
        if marker and marker != "•" and marker[:-1].isdigit() and _starts_entry(following):
            marker = marker[:-1] + "."  # a title typed as a numbered list
        lines.append(f"{marker} {text}" if marker else text)
    return lines, notes


def _starts_entry(text: str) -> bool:
    label = v.label_of(text)
    return bool(label and label.name in v.ENTRY_LABELS)


def _differing(links: list[tuple[str, str]]) -> list[str]:
    return [
        _("the link “%(text)s” goes to “%(href)s”: its target is imported")
        % {"text": text, "href": href}
        for text, href in links
        if v.URL.fullmatch(text) and text != href
    ]
