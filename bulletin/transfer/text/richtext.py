"""Paragraphs of plain text to the rich text the editor produces: <p>, lists and links.

"1)" items become an ordered list, "a)" items a list inside the item before them, bullets an
unordered list. Paragraphs between two items belong to the first ("1) heading", its explanation,
"2) heading", ...); after the last item a paragraph belongs to it only when every item before had
exactly one. URLs in the text become links.

A file that carries its own inline marks (a Word file's bold, italics and links on words) gives
them for its paragraphs in `marked`: while `kept_marks(marked)` is active, a paragraph found there
(whitespace aside) gets that markup instead of the links its URLs make.
"""

import re
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from html import escape

from bulletin.transfer.text import vocabulary as v

TRAILING_PUNCTUATION = ".,;:!?'"
_MARKED: ContextVar[dict[str, str] | None] = ContextVar("marked", default=None)


@contextmanager
def kept_marks(marked: dict[str, str]):
    """Paragraphs converted in this block keep the inline markup `marked` gives them, keyed by
    their text with its whitespace collapsed (see `plain_key`); the markup is trusted: its text
    and addresses escaped, its tags only a, strong, em, u, sub and sup."""
    token = _MARKED.set(marked)
    try:
        yield
    finally:
        _MARKED.reset(token)


def plain_key(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@dataclass
class _Item:
    number: int
    text: str
    children: list[str] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)


def _kind(text: str) -> tuple[str, str, int]:
    """("item", body, 1), ("subitem", body, 0), ("bullet", body, 0) or ("text", text, 0)."""
    if match := v.ITEM.match(text):
        return "item", match.group(2), int(match.group(1))
    if match := v.SUBITEM.match(text):
        return "subitem", match.group(2), 0
    if match := v.BULLET.match(text):
        return "bullet", match.group(1), 0
    return "text", text, 0


def urls_in(text: str) -> list[str]:
    return [_trim(m.group(0)) for m in v.URL.finditer(text)]


def _trim(url: str) -> str:
    """A URL without the punctuation that ends its sentence or closes a bracket around it."""
    # Brackets counted once, not again for each character taken off.
    opened, closed, end = url.count("("), url.count(")"), len(url)
    while end and (
        url[end - 1] in TRAILING_PUNCTUATION or (url[end - 1] == ")" and opened < closed)
    ):
        closed -= url[end - 1] == ")"
        end -= 1
    return url[:end]


def inline(text: str) -> str:
    """Escaped text with its URLs as links (or the markup its file gave it, see kept_marks)."""
    if (marked := _MARKED.get()) and (found := marked.get(plain_key(text))) is not None:
        return found
    return linked(text)


def linked(text: str) -> str:
    """Escaped text with its URLs as links."""
    out, last = [], 0
    for match in v.URL.finditer(text):
        url = _trim(match.group(0))
        out.append(escape(text[last : match.start()], quote=False))
        out.append(f'<a href="{escape(url)}">{escape(url, quote=False)}</a>')
        last = match.start() + len(url)
    out.append(escape(text[last:], quote=False))
    return "".join(out)


def to_html(texts: list[str]) -> str:
    """The rich text of a run of paragraphs."""
    blocks = [_kind(t) for t in texts if t.strip()]
    out, i = [], 0
    while i < len(blocks):
        kind, body, _number = blocks[i]
        if kind == "item":
            html, i = _ordered(blocks, i)
        elif kind in ("bullet", "subitem"):
            html, i = _flat(blocks, i, kind)
        else:
            html, i = f"<p>{inline(body)}</p>", i + 1
        out.append(html)
    return "".join(out)


def _ordered(blocks: list, i: int) -> tuple[str, int]:
    items: list[_Item] = []
    expected = blocks[i][2]
    while i < len(blocks) and blocks[i][0] == "item" and blocks[i][2] == expected:
        item = _Item(expected, blocks[i][1])
        i += 1
        while i < len(blocks) and blocks[i][0] == "subitem":
            item.children.append(blocks[i][1])
            i += 1
        end = i
        while end < len(blocks) and blocks[end][0] == "text":
            end += 1
        if i < end < len(blocks) and blocks[end][0] == "item" and blocks[end][2] == expected + 1:
            item.paragraphs = [b[1] for b in blocks[i:end]]
            i = end
        items.append(item)
        expected += 1
    explained = len(items) > 1 and all(len(item.paragraphs) == 1 for item in items[:-1])
    if explained and not items[-1].paragraphs and i < len(blocks) and blocks[i][0] == "text":
        items[-1].paragraphs = [blocks[i][1]]
        i += 1
    start = f' start="{items[0].number}"' if items[0].number != 1 else ""
    return f"<ol{start}>{''.join(_li(item) for item in items)}</ol>", i


def _li(item: _Item) -> str:
    children = ""
    if item.children:
        children = '<ol type="a">' + "".join(f"<li><p>{inline(c)}</p></li>" for c in item.children)
        children += "</ol>"
    more = "".join(f"<p>{inline(p)}</p>" for p in item.paragraphs)
    return f"<li><p>{inline(item.text)}</p>{children}{more}</li>"


def _flat(blocks: list, i: int, kind: str) -> tuple[str, int]:
    """Bullets (or "a)" items without a numbered item before them)."""
    bodies = []
    while i < len(blocks) and blocks[i][0] == kind:
        bodies.append(f"<li><p>{inline(blocks[i][1])}</p></li>")
        i += 1
    tag = "<ul>" if kind == "bullet" else '<ol type="a">'
    return tag + "".join(bodies) + ("</ul>" if kind == "bullet" else "</ol>"), i
