"""No CJK character alone on the last line of a PDF title: the last two are kept together.

Interim, PDF-only: the public pages and the email are to share one helper with the PDF (a
"keep the last two" rule for web and PDF); once it exists, this module gives way to it.
"""

import re

WORD_JOINER = "\u2060"  # forbids a line break between its neighbours, and is invisible
# Han, kana and hangul: scripts that break between any two characters.
_CJK = r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]"
# Closing punctuation never starts a line, so it travels with the character before it.
_CLOSING = r"[。，、；：？！）》」』】〕〉”’…．]"
_LAST_TWO = re.compile(rf"({_CJK})({_CJK}{_CLOSING}*\s*)$")
_JOINED = re.compile(rf"{WORD_JOINER}{_CJK}{_CLOSING}*\s*$")


def pdf_keep_last_two(text: str) -> str:
    """The text with a word joiner between its last two characters when both are CJK, so a
    line never ends the title with one character alone ("…判决" rather than "…判" / "决")."""
    if _JOINED.search(text):
        return text
    return _LAST_TWO.sub(rf"\1{WORD_JOINER}\2", text)
