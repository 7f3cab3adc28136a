"""Chinese typesetting rules shared by the pages, the email and the PDF.

- ASCII , : ; ? ! ( ) written against Chinese text become their full-width forms, while
  addresses, times (10:30), numbers (1,000), English phrases and code are left alone;
- a label ends with "：" in Chinese and ": " in English;
- the last two characters of a Chinese title are kept on one line, so that no character is
  left alone on the last line (a span in HTML, a WORD JOINER in the PDF).
"""

import re

from django.utils.html import escape
from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import get_language

# Ideographs, kana, hangul, CJK punctuation and the full-width forms.
CJK_CLASS = (
    "\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u3190-\u31ff\u3400-\u4dbf"
    "\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
)
CJK = re.compile(f"[{CJK_CLASS}]")
# Characters of running text (not punctuation): the last two of a title are kept together.
IDEOGRAPH = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
# Closing marks outside the CJK blocks that Chinese text uses (curly quotes, ellipsis): like
# full-width closing punctuation, they travel with the character before them.
CLOSING_QUOTES = "\u2019\u201d\u2026"
FULL_WIDTH = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！", "(": "（", ")": "）"}
# Addresses are ASCII: they end at the first Chinese character or space.
PROTECTED = re.compile(
    r"(?:https?|ftp|mailto):[!-~]+|www\.[!-~]+|[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"
)
PAIR = re.compile(r"\(([^()]*)\)")
TAG = re.compile(r"(<[^>]*>)")
VERBATIM_TAGS = re.compile(r"<(/?)(code|pre|kbd|samp|script|style|textarea)\b", re.IGNORECASE)
WORD_JOINER = "\u2060"


def _convert_pairs(text: str) -> str:
    def convert(match: re.Match) -> str:
        before = text[match.start() - 1] if match.start() else ""
        if CJK.search(match.group(1)) or CJK.match(before):
            return f"（{match.group(1)}）"
        return match.group(0)

    return PAIR.sub(convert, text)


def _convert_marks(text: str) -> str:
    """, : ; ? ! after a Chinese character become full-width; the spaces after them go."""
    out: list[str] = []
    dropping_spaces = False
    for char in text:
        if dropping_spaces and char == " ":
            continue
        dropping_spaces = False
        if char in ",:;?!" and out and CJK.match(out[-1]):
            out.append(FULL_WIDTH[char])
            dropping_spaces = True
        else:
            out.append(char)
    return "".join(out)


def _typeset_plain(text: str) -> str:
    # Repeated until nothing changes: each step only turns ASCII marks into full-width ones,
    # and one may make its neighbour Chinese context (",(" after a character).
    while True:
        changed = _convert_marks(_convert_pairs(text))
        if changed == text:
            return text
        text = changed


def typeset_text(text: str) -> str:
    """Plain text with full-width punctuation in its Chinese parts; addresses untouched."""
    if not text or not CJK.search(text):
        return text
    pieces = []
    last = 0
    for match in PROTECTED.finditer(text):
        pieces.append(_typeset_plain(text[last : match.start()]))
        pieces.append(match.group(0))
        last = match.end()
    pieces.append(_typeset_plain(text[last:]))
    return "".join(pieces)


def typeset_html(markup: str) -> str:
    """The same in HTML: only text between tags, never attributes, code or preformatted text."""
    if not markup or not CJK.search(markup):
        return markup
    verbatim = 0
    out = []
    for piece in TAG.split(markup):
        if piece.startswith("<"):
            tag = VERBATIM_TAGS.match(piece)
            if tag and not piece.endswith("/>"):
                verbatim = max(0, verbatim + (-1 if tag.group(1) else 1))
            out.append(piece)
        else:
            out.append(piece if verbatim else typeset_text(piece))
    return "".join(out)


def typeset(value: str) -> str:
    """HTML (safe strings) or plain text, with full-width punctuation in Chinese."""
    if isinstance(value, SafeData):
        return mark_safe(typeset_html(str(value)))  # noqa: S308 - only text nodes changed
    return typeset_text(value)


def label_colon(language: str | None = None) -> str:
    """What ends a label: "：" in Chinese, ": " in other languages."""
    return "：" if (language or get_language() or "").startswith("zh") else ": "


def colon_after(label: str) -> str:
    """What ends a label written by an editor, in the language it is written in."""
    return "：" if CJK.search(label or "") else ": "


def _closes(char: str) -> bool:
    return bool(CJK.match(char)) or char in CLOSING_QUOTES


def _last_pair(text: str) -> int | None:
    """Where the last two characters of a Chinese title start, if they are both Chinese."""
    stripped = text.rstrip()
    end = len(stripped)
    # Closing punctuation goes with the last character ("……的决定。").
    while end and not IDEOGRAPH.match(stripped[end - 1]) and _closes(stripped[end - 1]):
        end -= 1
    if end < 2 or not (IDEOGRAPH.match(stripped[end - 1]) and IDEOGRAPH.match(stripped[end - 2])):
        return None
    return end - 2


def keep_last_pair_html(text: str) -> str:
    """A plain-text title, escaped, its last two Chinese characters in a span.nowrap."""
    start = _last_pair(text)
    if start is None:
        return escape(text)
    return f'{escape(text[:start])}<span class="nowrap">{escape(text[start:])}</span>'


def keep_last_pair_joined(text: str) -> str:
    """A plain-text title with a WORD JOINER between its last two Chinese characters (the
    PDF: a span there would break the structure of its links)."""
    start = _last_pair(text)
    if start is None:
        return text
    return text[: start + 1] + WORD_JOINER + text[start + 1 :]
