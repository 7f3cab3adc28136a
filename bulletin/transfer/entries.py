"""Importing one entry, drafted in Word in the labelled shape of an issue's entries, into a
section of an existing issue. The file is read as a whole issue's is (word.py, then the text
parser): its first paragraph is the entry's title, then come its labelled lines, summary and
commentary. The entry is a draft of the importing user, who must be allowed to add entries to the
issue, appended at the end of the section; the file must hold exactly one entry, and a file that
cannot be imported writes nothing."""

import uuid
from dataclasses import dataclass

import reversion
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from bulletin.models import Issue
from bulletin.services.workflow import entry_check_edit
from bulletin.transfer.extracted import UnreadableFile
from bulletin.transfer.models import EntryImport
from bulletin.transfer.report import Report
from bulletin.transfer.services import ImportFailed, jurisdictions_suggested
from bulletin.transfer.text import vocabulary as v
from bulletin.transfer.text.parser import parse_text
from bulletin.transfer.text.richtext import kept_marks
from bulletin.transfer.upload import file_kind
from bulletin.transfer.word import read_docx
from bulletin.transfer.writer import Writer
from entries.models import Entry, Section

# Labels an entry has once: a second one means a second entry in the file.
ONCE = {"date": v.DATE, "source": v.SOURCE, "case": v.CASE}


@dataclass
class EntryImportResult:
    entry: Entry | None  # None if the entry of an earlier submit was deleted since
    report: Report
    record: EntryImport
    repeated: bool = False  # the same form was sent again: nothing new was written


def entry_import_check(*, user, issue: Issue) -> None:
    """Refuse (PermissionDenied, WorkflowError) unless the user may add an entry to the issue:
    the rules of an entry written by hand (an author or an editor, while the issue is open)."""
    entry_check_edit(user=user, entry=Entry(issue=issue, created_by=user, state=Entry.State.DRAFT))


def entry_import_docx(
    *, section: Section, content: bytes, user, source: str = "", token: uuid.UUID | None = None
) -> EntryImportResult:
    """Import the one entry of a Word file (.docx) as a draft at the end of `section`.

    A file that is not a readable, harmless Word file raises UnreadableFile; one that holds no
    entry or more than one, or a row that is not valid, raises ImportFailed with the report. The
    same `token` sent twice returns the first import's entry (repeated) and writes nothing."""
    entry_import_check(user=user, issue=section.issue)
    if file_kind(content) != "docx":
        raise UnreadableFile(_("The file is not a Word document (.docx)."))
    bulletin = section.issue.bulletin
    extracted = read_docx(content)
    report = Report(source=source, from_text=True)
    text = _entry_text(extracted.text, report)
    label = section.issue.commentary_label or bulletin.commentary_label  # as the issue prints it
    with kept_marks(extracted.marked):
        parsed = parse_text(text, commentary_label=label, firm=bulletin.firm_name, name="")
    parsed.report.source, parsed.report.from_text = source, True
    parsed.report.notes += report.notes
    report = parsed.report
    for note in extracted.notes:
        report.note(None, note)
    data = _one_entry(parsed.document, text, report)
    jurisdictions_suggested(parsed.document, report)
    try:
        return _write(section, parsed.document, data, user=user, token=token, report=report)
    except IntegrityError as exc:  # an entry added by hand meanwhile at the same position
        report.error(_("entry"), _("Someone else wrote the same rows meanwhile: try again."))
        raise ImportFailed(report) from exc


def _entry_text(text: str, report: Report) -> str:
    """The text with its first paragraph numbered as the first entry's title ("1. …"), as the
    parser finds entries; a section heading above it is not used (the section is chosen)."""
    lines = text.split("\n")
    first = next((n for n, line in enumerate(lines) if line.strip()), None)
    if first is not None and v.SECTION.match(lines[first]) and lines[first].endswith(" "):
        message = _(
            "the section heading “%(heading)s” is not used: the entry goes into the chosen section"
        )
        report.note(None, message % {"heading": lines[first].strip()})
        lines[first] = ""
        first = next((n for n, line in enumerate(lines) if line.strip()), None)
    if first is None:
        report.error(_("file"), _("The file is empty: nothing was imported."))
        raise ImportFailed(report)
    title = lines[first]
    label = v.label_of(title.strip())
    if label and (label.name in v.ENTRY_LABELS or label.name in v.CASE_PARTS):
        message = _(
            "The file starts with “%(label)s”: its first paragraph must be the entry's title."
        )
        report.error(_("title"), message % {"label": label.text})
        raise ImportFailed(report)
    numbered = v.TITLE.match(title)
    lines[first] = "1. " + (numbered.group(2) if numbered else title.lstrip())
    return "\n".join(lines)


def _one_entry(document: dict, text: str, report: Report) -> dict:
    """The file's one entry; none, or more than one, is refused with a clear reason."""
    found = [entry for section in document["issue"]["sections"] for entry in section["entries"]]
    repeated = _repeated_label(text)
    if len(found) > 1 or (found and repeated):
        count = len(found) if len(found) > 1 else 2
        message = _(
            "The file holds %(count)s entries: import one entry at a time (a whole issue is "
            "imported from the issue list)."
        )
        report.error(_("file"), message % {"count": count})
        if repeated and len(found) == 1:
            detail = _("“%(label)s” appears more than once") % {"label": repeated}
            report.error(_("file"), detail)
        raise ImportFailed(report)
    if not found:
        report.error(
            _("file"),
            _(
                "No entry found: the first paragraph must be the entry's title, followed by "
                "labelled lines such as 发布日期, 来源 or 链接."
            ),
        )
        raise ImportFailed(report)
    return found[0]


def _repeated_label(text: str) -> str:
    """A label an entry has once (its date, source, case) that the text has twice, or ""."""
    seen: set[str] = set()
    for line in text.split("\n"):
        label = v.label_of(line.strip())
        group = next((g for g, names in ONCE.items() if label and label.name in names), None)
        if group is None or not label.value:
            continue
        if group in seen:
            return label.text
        seen.add(group)
    return ""


@transaction.atomic
def _write(section: Section, document: dict, data: dict, *, user, token, report: Report):
    # The section's row is the lock: two imports into it (or the same form sent twice) take
    # their turn, so the second sees the first's entry and its position.
    section = (
        Section.objects.select_for_update().select_related("issue__bulletin").get(pk=section.pk)
    )
    if token and (done := EntryImport.objects.filter(token=token, created_by=user).first()):
        entry = Entry.objects.filter(pk=done.entry_id).first()
        return EntryImportResult(entry, report, done, repeated=True)
    entry_import_check(user=user, issue=section.issue)  # the issue may have moved on meanwhile
    last = section.entries.aggregate(last=Max("position"))["last"] or 0
    data["position"] = last + 1
    writer = Writer(bulletin=section.issue.bulletin, user=user, report=report, from_text=True)
    with reversion.create_revision():
        reversion.set_user(user)
        reversion.set_comment(_("Imported from %(source)s") % {"source": report.source or "-"})
        # Only the commentary's authors: people a stray footer names are not this entry's.
        named = set((data.get("commentary") or {}).get("authors", []))
        refs = {
            "authors": writer.authors([a for a in document["authors"] if a["key"] in named]),
            "jurisdictions": writer.jurisdictions(document["jurisdictions"]),
        }
        where = writer.where(data, "entry")
        entry = writer.entry(section.issue, section, data, where, refs)
        if entry is None or report.errors:
            raise ImportFailed(report)  # the transaction is rolled back
    report.issue = f"{section.issue} · {section}"
    record = EntryImport.objects.create(
        token=token or uuid.uuid4(),
        created_by=user,
        entry=entry,
        source=report.source[:255],
        report=report.as_text(),
    )
    return EntryImportResult(entry, report, record)
