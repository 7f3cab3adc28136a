"""Excerpts of rich text for the email: the sanitized summary as mail clients can show it.

Paragraphs and list items become lines of one paragraph (a paragraph each would repeat its
inlined style hundreds of times in a long issue); list items keep their markers ("1." for a
numbered list, "•" for bullets, and any "1)" written in the text), as text rather than lists
that some clients indent or drop; bold and italic stay; links and addresses written in the
text become links, if they are http or https; everything else is escaped. One character
budget runs across all the blocks, and the excerpt ends with "…" where it runs out.
"""

import re
from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser

from django.utils.safestring import SafeString, mark_safe

from bulletin.typography import colon_after, typeset_text

BLOCKS = {"p", "h3", "h4", "h5", "h6", "blockquote", "li", "div"}
INLINE = {"strong": "strong", "b": "strong", "em": "em", "i": "em", "sub": "sub", "sup": "sup"}
WEB_ADDRESS = re.compile(r"https?://[!-~]+", re.IGNORECASE)
# Marks that end a sentence more often than an address.
TRAILING = ".,;:!?)]}'\""
SHOWN_URL_CHARS = 40
ELLIPSIS = "…"


@dataclass
class Block:
    marker: str = ""
    html: list[str] = field(default_factory=list)
    text: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not "".join(self.text).strip()


def shown_url(url: str) -> str:
    """An address as link text: without its scheme, shortened in the middle of nowhere."""
    shown = url.split("://", 1)[1]
    return shown if len(shown) <= SHOWN_URL_CHARS else shown[: SHOWN_URL_CHARS - 1] + ELLIPSIS


def _web_href(href: str | None) -> str:
    href = (href or "").strip()
    return href if href.lower().startswith(("http://", "https://")) else ""


class _Excerpt(HTMLParser):
    def __init__(self, budget: int):
        super().__init__(convert_charrefs=True)
        self.budget = budget
        self.stopped = False
        self.blocks: list[Block] = []
        self.block: Block | None = None
        self.inline: list[str] = []  # the tags open in the current block, as written
        self.lists: list[list] = []  # [kind, next number]
        self.in_link = False
        self.link_href = ""

    # Blocks

    def _open_block(self, marker: str = "") -> Block:
        self._close_block()
        self.block = Block(marker=marker)
        if marker:
            self.block.html.append(escape(marker))
            self.block.text.append(marker)
        return self.block

    def _close_block(self) -> None:
        if self.block is None:
            return
        for tag in reversed(self.inline):
            self.block.html.append(f"</{tag}>")
        self.inline = []
        self.in_link = False
        if not self.block.empty:
            self.blocks.append(self.block)
        self.block = None

    def _current(self) -> Block:
        return self.block or self._open_block()

    def _marker(self) -> str:
        if not self.lists:
            return "• "
        kind_number = self.lists[-1]
        if kind_number[0] == "ul":
            return "• "
        kind_number[1] += 1
        return f"{kind_number[1] - 1}. "

    # Text

    def _spend(self, text: str) -> str:
        """What of the text the budget allows; stops the excerpt when it runs out."""
        if len(text) <= self.budget:
            self.budget -= len(text)
            return text
        kept = text[: self.budget].rstrip() + ELLIPSIS
        self.budget = 0
        self.stopped = True
        return kept

    def _write(self, text: str) -> None:
        kept = self._spend(text)
        block = self._current()
        block.html.append(escape(kept, quote=False))
        block.text.append(kept)

    def _write_link(self, url: str) -> None:
        shown = self._spend(shown_url(url))
        block = self._current()
        block.html.append(f'<a href="{escape(url)}">{escape(shown, quote=False)}</a>')
        block.text.append(url)

    def _write_linkified(self, text: str) -> None:
        last = 0
        for match in WEB_ADDRESS.finditer(text):
            url = match.group(0).rstrip(TRAILING)
            self._write(text[last : match.start()])
            if self.stopped:
                return
            self._write_link(url)
            if self.stopped:
                return
            last = match.start() + len(url)
        self._write(text[last:])

    # Parser events

    def handle_starttag(self, tag, attrs):
        if self.stopped:
            return
        attributes = dict(attrs)
        if tag in ("ol", "ul"):
            self._close_block()
            start = attributes.get("start") or "1"
            self.lists.append([tag, int(start) if start.isdigit() else 1])
        elif tag == "li":
            self._open_block(self._marker())
        elif tag in BLOCKS:
            self._open_block()
            if tag.startswith("h"):
                self._open_inline("strong")
        elif tag == "br":
            self._current().html.append("<br>")
            self._current().text.append("\n")
        elif tag in INLINE:
            self._open_inline(INLINE[tag])
        elif tag == "a":
            href = _web_href(attributes.get("href"))
            if href and not self.in_link:
                self._current().html.append(f'<a href="{escape(href)}">')
                self.inline.append("a")
                self.in_link = True
                self.link_href = href

    def _open_inline(self, tag: str) -> None:
        self._current().html.append(f"<{tag}>")
        self.inline.append(tag)

    def handle_endtag(self, tag):
        if self.stopped:
            return
        if tag in ("ol", "ul"):
            self._close_block()
            if self.lists:
                self.lists.pop()
        elif tag in BLOCKS:
            self._close_block()
        else:
            written = "a" if tag == "a" else INLINE.get(tag)
            if written and written in self.inline and self.block is not None:
                while self.inline:
                    open_tag = self.inline.pop()
                    self.block.html.append(f"</{open_tag}>")
                    if open_tag == "a":
                        self.in_link = False
                        self.block.text.append(f" <{self.link_href}>")
                    if open_tag == written:
                        break

    def handle_data(self, data):
        if self.stopped:
            return
        text = re.sub(r"\s+", " ", data)
        if self.block is None or not "".join(self.block.text).strip():
            text = text.lstrip()
        if not text:
            return
        text = typeset_text(text)
        if self.in_link:
            self._write(text)
        else:
            self._write_linkified(text)

    def result(self) -> list[Block]:
        self.close()
        self._close_block()
        return self.blocks


@dataclass(frozen=True)
class Excerpt:
    html: SafeString
    text: str


def excerpt(rich_html: str, chars: int, *, css_class: str = "summary", label: str = "") -> Excerpt:
    """The first `chars` characters of rich text as email HTML (a paragraph of `css_class`,
    a line for each paragraph or list item of the text, after the label in bold) and as plain
    text."""
    parser = _Excerpt(chars)
    parser.feed(rich_html or "")
    blocks = parser.result()
    lines = "<br>".join("".join(block.html).strip() for block in blocks)
    if blocks and label:
        lines = f"<strong>{escape(label)}</strong>{colon_after(label)}{lines}"
    paragraphs = f'<p class="{css_class}">{lines}</p>' if blocks else ""
    text = "\n".join("".join(block.text).strip() for block in blocks)
    return Excerpt(html=mark_safe(paragraphs), text=text)  # noqa: S308 - escaped above
