"""The paragraphs of a back issue, what each one looks like, and which ones have found a place."""

import re
from collections import Counter

from bulletin.transfer.report import Report
from bulletin.transfer.text import vocabulary as v
from bulletin.transfer.text.lines import Paragraph
from bulletin.transfer.text.richtext import urls_in

TITLE_AND_OFFICE = re.compile(r"^([^：:，。/]{1,16})\s*/\s*([^：:，。/]{1,16})$")
PERSON_NAME = re.compile(
    r"^(?:[\u4e00-\u9fff·]{2,8}|[A-Z][A-Za-z.\-]+(?: [A-Z][A-Za-z.\-]+){1,3})$"
)
# A profile's heading: a name, or a Chinese name and its Latin form ("林青山 Lin Qingshan").
PROFILE_NAME = re.compile(
    rf"^(?:({PERSON_NAME.pattern[1:-1]})|([\u4e00-\u9fff·]{{2,8}}) ([A-Z][A-Za-z.\-]*"
    r"(?: [A-Za-z0-9.\-]+){0,3}))$"
)
CONTACT_LABELS = v.PROFILE_FIELDS["phone"] | v.PROFILE_FIELDS["mobile"] | v.PROFILE_FIELDS["email"]


class Reader:
    """Paragraphs by index, with the questions the parser asks about them."""

    def __init__(self, paragraphs: list[Paragraph], report: Report, *, labels: set[str], firm: str):
        self.paragraphs = paragraphs
        self.report = report
        self.labels = labels  # commentary labels, squeezed
        self.firm = firm
        self.firm_lines: set[str] = set()  # the firm-and-team lines seen, to know their repeats
        self.placed: set[int] = set()
        self.urls: set[str] = set()
        self.commentary_labels: Counter[str] = Counter()  # as printed, to keep the source's

    def __len__(self) -> int:
        return len(self.paragraphs)

    def text(self, i: int) -> str:
        return self.paragraphs[i].text if 0 <= i < len(self.paragraphs) else ""

    def line(self, i: int) -> int:
        return self.paragraphs[i].first

    def place(self, i: int, *, url: str = "") -> None:
        """Paragraph i is in the issue (its URLs, or the given one, are the issue's)."""
        self.placed.add(i)
        self.urls.update([url] if url else urls_in(self.text(i)))

    def not_placed(self, i: int, reason: str) -> None:
        paragraph = self.paragraphs[i]
        self.report.not_placed(paragraph.lines, paragraph.text, reason)
        self.placed.add(i)

    def label(self, i: int) -> v.Label | None:
        return v.label_of(self.text(i))

    def is_label(self, i: int) -> bool:
        return self.label(i) is not None or self.is_commentary_label(i)

    def is_commentary_label(self, i: int) -> bool:
        return bool(self.text(i)) and v.is_commentary_label(self.text(i), self.labels)

    def bullet_url(self, i: int) -> str:
        """The URL of a bulleted link line ("⚫ https://…"), or ""."""
        match = v.BULLET.match(self.text(i))
        if not match:
            return ""
        url = re.sub(r"\s+", "", match.group(1))
        return url if v.URL.fullmatch(url) else ""

    def entry_title(self, i: int, expected: int) -> str:
        """The title if paragraph i is entry number `expected` (a labelled line follows)."""
        match = v.TITLE.match(self.text(i))
        if match and int(match.group(1)) == expected and self.is_label(i + 1):
            return match.group(2).strip()
        return ""

    def section_title(self, i: int, expected: int) -> str:
        """The title if paragraph i is section number `expected` followed by its first entry."""
        match = v.SECTION.match(self.text(i))
        numerals = (
            {v.CHINESE_NUMERALS[expected - 1], v.ROMAN_NUMERALS[expected - 1]}
            if expected <= 10
            else set()
        )
        numeral = match.group(1).strip().rstrip("、.．").strip() if match else ""
        if numeral in numerals and self.entry_title(i + 1, 1):
            return match.group(2).strip()
        return ""

    def is_disclaimer(self, i: int) -> bool:
        return v.squeeze(self.text(i)) in v.DISCLAIMER

    def is_firm_line(self, i: int) -> bool:
        text = self.text(i)
        if not text or "。" in text or len(text) > 60:
            return False
        return bool(self.firm and text.startswith(self.firm)) or "律师事务所" in text

    def is_profile(self, i: int) -> bool:
        """A person's name followed by their title and office, or by a contact line."""
        headings = v.END_HEADINGS | v.CONTENTS | v.CONTACT
        text = self.text(i)
        if not PROFILE_NAME.match(text) or v.squeeze(text) in headings or "律师事务所" in text:
            return False
        if TITLE_AND_OFFICE.match(self.text(i + 1)):
            return True
        label = self.label(i + 1)
        return bool(label and label.name in CONTACT_LABELS)

    def is_profiles_heading(self, i: int) -> bool:
        text = self.text(i)
        return "介绍" in text and len(text) <= 30 and self.is_profile(i + 1)
