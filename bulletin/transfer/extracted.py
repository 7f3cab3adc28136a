"""A PDF's or a Word file's text in the shape the text parser reads, with the notes for the
report on what the text alone could not say."""

import re
from dataclasses import dataclass, field

from bulletin.transfer.text.lines import TERMINAL, display_width


class UnreadableFile(ValueError):
    """A file that cannot be imported: nothing was written; the message says why."""


@dataclass
class Extracted:
    text: str
    notes: list[str] = field(default_factory=list)
    marked: dict[str, str] = field(default_factory=dict)  # a paragraph's markup, see richtext
    pages: list[int] = field(default_factory=list)  # a PDF's: the line each page starts on


def paragraph_text(text: str) -> str:
    """A paragraph in the extracted-text shape: a line followed by a blank line, with a trailing
    space (the end of a paragraph). A long line that does not end a sentence is cut before its
    last character, or the parser would take it for a full line that wraps into the next."""
    text = re.sub(r"\s+", " ", text).strip()
    if display_width(text) > 30 and text[-1] not in TERMINAL and not text[-2:-1].isspace():
        return f"{text[:-1]}\n\n{text[-1]} \n\n"
    return f"{text} \n\n"
