"""What an import did: the rows it wrote, the repairs it made, and every line it could not place."""

from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext, pgettext

ROW_LABELS = {
    "issue": gettext_noop("Issue"),
    "section": gettext_noop("Sections"),
    "entry": gettext_noop("Entries"),
    "link": gettext_noop("Links"),
    "commentary": gettext_noop("Commentaries"),
    "author": gettext_noop("Authors"),
    "jurisdiction": gettext_noop("Jurisdictions"),
    "bulletin": gettext_noop("Bulletin"),
}
STATUSES = ["created", "updated", "unchanged", "matched", "deleted"]


@dataclass
class Unplaced:
    lines: list[int]
    text: str
    reason: str

    @property
    def where(self) -> str:
        if len(self.lines) == 1:
            return _("line %(line)s") % {"line": self.lines[0]}
        return _("lines %(first)s–%(last)s") % {"first": self.lines[0], "last": self.lines[-1]}


@dataclass
class Change:
    """An entry of the existing draft that an import replaces (new content, back to draft) or
    removes, with its workflow state before the import."""

    action: str  # "replaced" or "removed"
    title: str
    state: str  # as displayed

    def __str__(self) -> str:
        if self.action == "replaced":
            return _("replaced (back to draft): “%(title)s”, %(state)s") % vars(self)
        return _("removed: “%(title)s”, %(state)s") % vars(self)


@dataclass
class Report:
    source: str = ""
    dry_run: bool = False
    from_text: bool = False  # then it accounts for every line of the text
    issue: str = ""
    rows: dict[str, Counter] = field(default_factory=dict)
    facts: list[str] = field(default_factory=list)  # e.g. entries per section, kinds
    repairs: Counter = field(default_factory=Counter)
    notes: list[tuple[int | None, str]] = field(default_factory=list)
    unplaced: list[Unplaced] = field(default_factory=list)
    dropped: list[Unplaced] = field(default_factory=list)  # page numbers, running headers
    errors: list[tuple[str, str]] = field(default_factory=list)
    replacing: str = ""  # the existing draft the import updates, if any
    changes: list[Change] = field(default_factory=list)  # its entries replaced or removed
    needs_replace: bool = False  # refused only because replacing that draft was not confirmed
    pages: list[int] = field(default_factory=list)  # a PDF's: the text line each page starts on

    def count(self, row: str, status: str, n: int = 1) -> None:
        self.rows.setdefault(row, Counter())[status] += n

    def note(self, line: int | None, message: str) -> None:
        self.notes.append((line, message))

    def error(self, where: str, message: str) -> None:
        self.errors.append((where, message))

    def not_placed(self, lines: list[int], text: str, reason: str) -> None:
        self.unplaced.append(Unplaced(list(lines), text, reason))

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_text(self) -> str:
        """The report as the command prints it and the admin shows it."""
        out = [self._heading()]
        out += [f"  {self._row_line(row, counts)}" for row, counts in self.rows.items()]
        out += [f"  {fact}" for fact in self.facts]
        if +self.repairs:
            out.append(_("Repairs:"))
            out += [f"  {self._repair_line(kind, n)}" for kind, n in (+self.repairs).items()]
        if self.notes:
            out.append(_("Notes:"))
            out += [
                f"  {self._at(line)}{message}" for line, message in sorted(self.notes, key=_key)
            ]
        if self.dropped:
            out.append(_("Dropped as page-break artefacts:"))
            out += [f"  {self._where(u)}: {u.text} ({u.reason})" for u in self.dropped]
        if self.replacing:
            out += self._changes_lines()
        if self.from_text or self.unplaced:
            out.append(
                ngettext(
                    "Lines not placed: %(count)s",
                    "Lines not placed: %(count)s",
                    len(self.unplaced),
                )
                % {"count": len(self.unplaced)}
            )
            out += [f"  {self._where(u)}: {u.text} ({u.reason})" for u in self.unplaced]
        if self.errors:
            out.append(_("Errors (nothing was written):"))
            out += [f"  {where}: {message}" for where, message in self.errors]
        return "\n".join(out)

    def _changes_lines(self) -> list[str]:
        """What the import does (or would do) to the entries of the draft it replaces."""
        values = {"issue": self.replacing}
        if self.dry_run or self.errors:
            out = [_("Replacing the existing draft “%(issue)s” would change:") % values]
        else:
            out = [_("Changes to the existing draft “%(issue)s”:") % values]
        out += [f"  {change}" for change in self.changes]
        if not self.changes:
            out.append("  " + _("no entry is replaced or removed"))
        return out

    def _heading(self) -> str:
        heading = _("Import of %(source)s") % {"source": self.source or "-"}
        if self.issue:
            heading += f" → {self.issue}"
        if self.dry_run:
            heading += " " + _("(dry run: nothing was written)")
        return heading

    @staticmethod
    def _row_line(row: str, counts: Counter) -> str:
        parts = [f"{counts[s]} {_status(s)}" for s in STATUSES if counts.get(s)]
        return f"{_(ROW_LABELS.get(row, row))}: {', '.join(parts)}"

    @staticmethod
    def _repair_line(kind: str, n: int) -> str:
        return f"{_(REPAIR_LABELS.get(kind, kind))}: {n}"

    def _at(self, line: int | None) -> str:
        return f"{self.place_of(line)}: " if line else ""

    def place_of(self, line: int) -> str:
        """ "line 12" of a text, "page 3" of a PDF."""
        if self.pages:
            return _("page %(page)s") % {"page": self._page(line)}
        return _("line %(line)s") % {"line": line}

    def _where(self, unplaced: Unplaced) -> str:
        """Where lines are in the source: their lines in a text, their pages in a PDF."""
        if not self.pages:
            return unplaced.where
        first, last = self._page(unplaced.lines[0]), self._page(unplaced.lines[-1])
        if first == last:
            return _("page %(page)s") % {"page": first}
        return _("pages %(first)s–%(last)s") % {"first": first, "last": last}

    def _page(self, line: int) -> int:
        return max(bisect_right(self.pages, line), 1)


def _status(status: str) -> str:
    """The words of a row's status, in a context of their own (not a field's "created")."""
    words = {
        "created": pgettext("import status", "created"),
        "updated": pgettext("import status", "updated"),
        "unchanged": pgettext("import status", "unchanged"),
        "matched": pgettext("import status", "matched"),
        "deleted": pgettext("import status", "deleted"),
    }
    return words.get(status, status)


def _key(note: tuple[int | None, str]) -> int:
    return note[0] or 0


REPAIR_LABELS = {
    "urls_joined": gettext_noop("URLs broken across lines joined"),
    "link_list_lines": gettext_noop(
        "lines of the URL lists at page ends dropped (their links are in the issue)"
    ),
    "letter_spaced": gettext_noop("spread-out Chinese text closed up"),
    "radicals": gettext_noop("radical forms replaced by ordinary characters"),
    "contents_lines": gettext_noop("table of contents lines recognised (not imported as content)"),
    "running_repeats": gettext_noop("repeated page headers recognised"),
    "control_characters": gettext_noop("control characters (such as NUL) removed"),
}
