"""Search that works for Chinese: text is cut into Latin words and overlapping pairs of Chinese
characters (bigrams), stored as a tsvector with a GIN index on PostgreSQL. A two-character word
such as 版权 is one bigram, so it is found through the index; longer Chinese words and quoted
phrases become a chain of adjacent tokens (<->). SQLite falls back to plain substring matching."""

import html
import re

from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN = re.compile(rf"[{_CJK}]+|[0-9a-z]+", re.IGNORECASE)
_IS_CJK = re.compile(rf"[{_CJK}]")
_PHRASES = re.compile(r'"([^"]+)"|(\S+)')
MAX_QUERY_LENGTH = 200
MAX_TERMS = 12


def tokens(text: str) -> list[str]:
    """The tokens of a text, in order: lower-case Latin words and Chinese bigrams."""
    out = []
    for match in _TOKEN.finditer(text or ""):
        run = match.group().lower()
        if _IS_CJK.match(run):
            out.extend(run[i : i + 2] for i in range(max(len(run) - 1, 1)))
        else:
            out.append(run)
    return out


def document(*plain: str, html_parts: tuple[str, ...] = ()) -> str:
    """The space-separated tokens of plain-text parts (taken as they are: a title may contain
    "<" and words between angle brackets) and of HTML parts (reduced to their text first)."""
    texts = [*plain, *(html.unescape(strip_tags(part or "")) for part in html_parts)]
    return " ".join(" ".join(tokens(text or "")) for text in texts)


def query_terms(query: str) -> list[str]:
    """The terms of a query as typed: words, or "quoted phrases"."""
    query = (query or "")[:MAX_QUERY_LENGTH]
    terms = [a or b for a, b in _PHRASES.findall(query)]
    return [term for term in terms if tokens(term)][:MAX_TERMS]


def tsquery(query: str) -> str | None:
    """A to_tsquery('simple', ...) expression: every term must match, each as adjacent tokens."""
    parts = []
    for term in query_terms(query):
        term_tokens = tokens(term)
        single_char = len(term_tokens) == 1 and len(term_tokens[0]) == 1 and _IS_CJK.match(term)
        quoted = [f"'{token}'" + (":*" if single_char else "") for token in term_tokens]
        parts.append("(" + " <-> ".join(quoted) + ")")
    return " & ".join(parts) or None


def highlight(text: str, query: str, *, length: int = 160, is_html: bool = True) -> SafeString:
    """An escaped excerpt of text (HTML, or plain text such as a title) around the first match,
    with the matched terms in <mark>."""
    plain = html.unescape(strip_tags(text or "")) if is_html else (text or "")
    terms = sorted({t for t in query_terms(query)}, key=len, reverse=True)
    if not terms:
        return escape(plain[:length])
    pattern = re.compile("|".join(re.escape(t) for t in terms), re.IGNORECASE)
    first = pattern.search(plain)
    start = max((first.start() if first else 0) - length // 3, 0)
    excerpt = plain[start : start + length]
    pieces, last = [], 0
    for match in pattern.finditer(excerpt):
        pieces += [escape(excerpt[last : match.start()]), f"<mark>{escape(match.group())}</mark>"]
        last = match.end()
    pieces.append(escape(excerpt[last:]))
    prefix = "…" if start else ""
    suffix = "…" if start + length < len(plain) else ""
    return mark_safe(prefix + "".join(pieces) + suffix)  # noqa: S308 - every piece is escaped
