"""Rich text shown read-only: rendered as its readers see it, and two versions of a text
compared character by character with the differences marked.

What is shown is sanitized again on the way out (cheap, and the stored text may have reached the
database by another path than a model save); a comparison is built from whole tags and single
characters of text, so a mark never splits a tag and text never becomes markup.
"""

import difflib
import itertools
from functools import cache
from html import escape
from html.parser import HTMLParser

import nh3
from django.conf import settings
from django.utils.safestring import SafeString, mark_safe
from django_prose_editor.config import allowlist_from_extensions, expand_extensions

from core.fields import sanitize_rich_text

# Elements that hold other elements, never text of their own: white space between their
# children is not content, and marked text inside them is wrapped in an item of its own.
_LISTS = {"ol", "ul"}
_CONTAINERS = {"", "blockquote", *_LISTS}
_VOID = {"br"}
_BLOCKS = {"p", "h3", "h4", "blockquote", "li", *_LISTS}
# Two differing paragraphs are compared character by character up to this many pairs of
# characters (a few tenths of a second); longer ones are marked as deleted and inserted whole.
_EXACT_LIMIT = 2_000_000


def rich_text_html(html: str | None) -> SafeString:
    """The stored rich text, sanitized again, ready to be shown as it is on the public page."""
    return mark_safe(sanitize_rich_text(html or ""))  # noqa: S308 - sanitized just now


@cache
def _marked_text_cleaner() -> nh3.Cleaner:
    """The rich-text allow-list, plus the insertion and deletion marks of a comparison."""
    allowed = allowlist_from_extensions(expand_extensions(settings.RICH_TEXT_EXTENSIONS))
    return nh3.Cleaner(**{**allowed, "tags": {*allowed["tags"], "ins", "del"}})


class _Tokens(HTMLParser):
    """Sanitized HTML as a list of tokens: each tag whole, written back with its attributes
    escaped, and each character of text on its own (a tag is the only token longer than one)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tokens: list[str] = []
        self.open: list[str] = []

    def handle_starttag(self, tag, attrs):
        written = "".join(f' {name}="{escape(value or "")}"' for name, value in attrs)
        self.tokens.append(f"<{tag}{written}>")
        if tag not in _VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag in self.open:
            while self.open.pop() != tag:
                pass
            self.tokens.append(f"</{tag}>")

    def handle_data(self, data):
        if data.strip() or (self.open[-1] if self.open else "") not in _CONTAINERS:
            self.tokens.extend(data)


def _rich_tokens(html: str) -> list[str]:
    parser = _Tokens()
    parser.feed(sanitize_rich_text(html))
    parser.close()
    return parser.tokens


class _Writer:
    """Writes tokens back as HTML, with runs of marked characters in <ins> or <del>; a run
    never crosses a tag, so the marks nest inside the text's own elements."""

    def __init__(self, *, newline: str):
        self.out: list[str] = []
        self.open: list[str] = []
        self.mark = ""
        self.item = False  # an <li> opened to hold text met directly inside a list
        self.newline = newline

    def tag(self, token: str) -> None:
        self._close_run()
        name = _name(token)
        if token.startswith("</"):
            if name in self.open:
                while self.open.pop() != name:
                    pass
        elif name not in _VOID:
            self.open.append(name)
        self.out.append(token)

    def char(self, char: str, mark: str = "") -> None:
        if self.open and self.open[-1] in _LISTS and not self.item:
            self._close_mark()
            self.out.append("<li>")
            self.item = True
        if mark != self.mark:
            self._close_mark()
            if mark:
                self.out.append(f"<{mark}>")
            self.mark = mark
        self.out.append(self.newline if char == "\n" else escape(char))

    def _close_mark(self) -> None:
        if self.mark:
            self.out.append(f"</{self.mark}>")
            self.mark = ""

    def _close_run(self) -> None:
        self._close_mark()
        if self.item:
            self.out.append("</li>")
            self.item = False

    def html(self) -> str:
        self._close_run()
        return "".join(self.out)


def _units(tokens: list[str], breaks: set[str]) -> list[tuple[str, ...]]:
    """The tokens cut into paragraph-sized units: each break (a block's tag, a new line) on its
    own, and the run of tokens between two breaks."""
    units, run = [], []
    for token in tokens:
        if token in breaks or (len(token) > 1 and _name(token) in _BLOCKS):
            units += [tuple(run), (token,)] if run else [(token,)]
            run = []
        else:
            run.append(token)
    return [*units, tuple(run)] if run else units


def _opcodes(old: list[str], new: list[str], breaks: set[str]):
    """difflib's opcodes over the tokens: first unit by unit, then character by character
    within the units that differ, unless they are too long to match in time (those are marked
    whole)."""
    units_old, units_new = _units(old, breaks), _units(new, breaks)
    at_old, at_new = _offsets(units_old), _offsets(units_new)
    matcher = difflib.SequenceMatcher(None, units_old, units_new)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        a1, a2, b1, b2 = at_old[i1], at_old[i2], at_new[j1], at_new[j2]
        if op != "replace" or (a2 - a1) * (b2 - b1) > _EXACT_LIMIT:
            yield op, a1, a2, b1, b2
            continue
        chars = difflib.SequenceMatcher(None, old[a1:a2], new[b1:b2], autojunk=False)
        for op_, c1, c2, d1, d2 in chars.get_opcodes():
            yield op_, a1 + c1, a1 + c2, b1 + d1, b1 + d2


def _offsets(units: list[tuple[str, ...]]) -> list[int]:
    """Where each unit starts in the tokens, and where the last one ends."""
    return [0, *itertools.accumulate(len(unit) for unit in units)]


def _name(tag: str) -> str:
    return tag.strip("</>").split(" ")[0]


def _marked(old: list[str], new: list[str], *, newline: str, breaks: set[str]) -> str:
    """The newer tokens with inserted characters in <ins>, and the deleted characters of the
    older in <del> where they stood (the older's own tags are left out: the newer's structure
    holds the text)."""
    writer = _Writer(newline=newline)
    for op, a1, a2, b1, b2 in _opcodes(old, new, breaks):
        for token in old[a1:a2] if op != "equal" else ():
            if len(token) == 1:
                writer.char(token, "del")
        for token in new[b1:b2]:
            if len(token) > 1:
                writer.tag(token)
            else:
                writer.char(token, "" if op == "equal" else "ins")
    return _marked_text_cleaner().clean(writer.html())


def diff_text(old: str, new: str) -> SafeString:
    """Plain text, character by character (Chinese has no spaces between words), as HTML."""
    marked = _marked(list(old), list(new), newline="<br>", breaks={"\n"})
    return mark_safe(marked)  # noqa: S308 - cleaned with the allow-list


def diff_rich_text(old: str, new: str) -> SafeString:
    """Two versions of a rich text as the newer one rendered, with the characters it inserted
    and those the older had and it deleted marked."""
    marked = _marked(_rich_tokens(old), _rich_tokens(new), newline="\n", breaks=set())
    return mark_safe(marked)  # noqa: S308 - cleaned with the allow-list
