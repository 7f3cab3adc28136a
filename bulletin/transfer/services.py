"""Bringing issues in and out: import a back issue from its text (or its PDF or Word file),
export an issue as a JSON document, import such a document. An import runs in one transaction
and writes nothing unless every row is valid; it creates a draft (entries in draft) that goes
through the normal review, or updates the same draft when run again. A dry run does all of it
and rolls it back."""

import html
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import reversion
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from bulletin.models import Bulletin, Issue
from bulletin.naming import issue_period
from bulletin.roles import Role, require, require_draft_reader
from bulletin.transfer.control import document_without_control
from bulletin.transfer.document import DocumentError, issue_export, validate_document
from bulletin.transfer.report import Report
from bulletin.transfer.text.parser import parse_text
from bulletin.transfer.text.richtext import kept_marks
from bulletin.transfer.text.vocabulary import squeeze
from bulletin.transfer.translations import issue_translations_import
from bulletin.transfer.upload import extracted_text
from bulletin.transfer.writer import Writer
from entries.catalogue import places, suggest_entry
from entries.models import Entry, EntryLink


class ImportFailed(Exception):
    """Nothing was written; the report says why."""

    def __init__(self, report: Report):
        super().__init__("; ".join(f"{where}: {message}" for where, message in report.errors))
        self.report = report


@dataclass
class ImportResult:
    issue: Issue | None  # None after a dry run
    report: Report


def check_can_import(user) -> None:
    """Only an editor (or the command line, with no user) may import."""
    if user is not None:
        require(user, Role.EDITOR)


def issue_import_text(
    *,
    bulletin: Bulletin,
    text: str,
    user=None,
    source: str = "",
    dry_run: bool = False,
    year: int | None = None,
    month: int | None = None,
    number: int | None = None,
    title: str = "",
    slug: str = "",
    replace: bool = False,
    progress: Callable[[int], None] | None = None,
    notes: list[str] | None = None,
    pages: list[int] | None = None,
) -> ImportResult:
    """Import a back issue's text as a draft of `bulletin`, or update that draft if `replace`.

    The command and the admin pass `replace` as the person asked (the command's --replace, the
    admin's confirmation); without it, a draft with the same slug is left as it is and the
    report lists what the import would replace. `progress` is told the percentage done; `notes`
    go into the report (what reading a PDF or a Word file found that its text does not say);
    `pages`, the line of the text each page of a PDF starts on, make the report name pages."""
    check_can_import(user)
    parsed = parse_text(
        text,
        commentary_label=bulletin.commentary_label,
        firm=bulletin.firm_name,
        name=bulletin.name,
    )
    if progress:
        progress(60)
    report, document = parsed.report, parsed.document
    report.source, report.dry_run, report.from_text = source, dry_run, True
    report.pages = pages or []
    for note in notes or []:
        report.note(None, note)
    jurisdictions_suggested(document, report)
    data = document["issue"]
    if not any(section["entries"] for section in data["sections"]):
        report.error(_("text"), _("No entries found: nothing was imported."))
        raise ImportFailed(report)
    year, month = _period(data, report, year, month)
    data |= {"year": year, "month": month, "number": number}
    data["slug"] = slug or f"{year}-{month:02d}"
    data["title"] = title  # if empty: the default for a new issue, kept on a re-import
    _commentary_label(bulletin, data, report)
    _untitled_section(bulletin, data, report)
    return _import(
        document, bulletin=bulletin, user=user, report=report, from_text=True, replace=replace
    )


def issue_import_file(*, bulletin: Bulletin, content: bytes, **options) -> ImportResult:
    """Import a back issue from its PDF, its Word file (.docx) or its text (UTF-8), told apart by
    their content; see issue_import_text for the options. A file that cannot be read raises
    UnreadableFile, and nothing is written."""
    check_can_import(options.get("user"))
    extracted = extracted_text(content)
    with kept_marks(extracted.marked):
        return issue_import_text(
            bulletin=bulletin,
            text=extracted.text,
            notes=extracted.notes,
            pages=extracted.pages,
            **options,
        )


def jurisdictions_suggested(document: dict, report: Report) -> None:
    """A text names no jurisdictions: each entry gets the places it is about (most specific,
    from entries.catalogue), and the document the catalogue's rows they need, parents first."""
    catalogue, wanted, suggested, total = places(), {}, 0, 0
    for section in document["issue"]["sections"]:
        for entry in section["entries"]:
            total += 1
            if entry.get("jurisdictions"):
                continue
            codes = suggest_entry(
                title=entry.get("title", ""),
                source=entry.get("source", ""),
                court=entry.get("court", ""),
                caption=entry.get("case_caption", ""),
                summary=html.unescape(strip_tags(entry.get("summary", ""))),
            )
            entry["jurisdictions"], suggested = codes, suggested + bool(codes)
            for code in codes:
                while code and code not in wanted:
                    wanted[code] = catalogue[code]
                    code = catalogue[code].parent
    known = {item["code"] for item in document["jurisdictions"]}
    document["jurisdictions"] += [
        {"code": p.code, "name": p.name, "name_en": p.name_en, "kind": p.kind, "parent": p.parent}
        for p in reversed(wanted.values())
        if p.code not in known
    ]
    report.note(
        None,
        _(
            "Jurisdictions were suggested from the text for %(suggested)s of %(total)s entries "
            "(the place named in the title, source or court, else in the summary): check them."
        )
        % {"suggested": suggested, "total": total},
    )


def issue_import_document(
    *,
    data: object,
    user=None,
    bulletin: Bulletin | None = None,
    slug: str = "",
    number: int | None = None,
    replace: bool = False,
    source: str = "",
    dry_run: bool = False,
) -> ImportResult:
    """Import an exported issue (as parsed JSON) as a draft, into its bulletin or `bulletin`."""
    check_can_import(user)
    report = Report(source=source, dry_run=dry_run)
    data, removed = document_without_control(data)
    if removed:
        report.repairs["control_characters"] += removed
    try:
        document = validate_document(data)
    except DocumentError as exc:
        for message in exc.errors:
            report.error(_("document"), message)
        raise ImportFailed(report) from exc
    if origin := document["source"]:
        report.note(None, _("exported from %(site)s, issue %(id)s (%(state)s)") % _origin(origin))
    document["issue"]["slug"] = slug or document["issue"]["slug"]
    document["issue"]["number"] = number or document["issue"]["number"]
    return _import(
        document, bulletin=bulletin, user=user, report=report, from_text=False, replace=replace
    )


def issue_export_document(*, issue: Issue, user=None) -> dict:
    """The transfer document of an issue, for a user who may see it in the admin."""
    if user is not None:  # None: the command line
        require_draft_reader(user)
    return issue_export(issue=issue)


def _import(document, *, bulletin, user, report, from_text, replace) -> ImportResult:
    if report.errors:
        raise ImportFailed(report)
    writer = Writer(bulletin=bulletin, user=user, report=report, from_text=from_text)
    try:
        with transaction.atomic(), reversion.create_revision():
            reversion.set_user(user)
            reversion.set_comment(_("Imported from %(source)s") % {"source": report.source or "-"})
            issue = _write(writer, document, replace)
            if report.errors:
                raise ImportFailed(report)
            report.issue = str(issue)
            _facts(report, document)
            if report.dry_run:
                transaction.set_rollback(True)
    except IntegrityError as exc:  # a row another request wrote meanwhile (same slug, number)
        report.error(_("issue"), _("Someone else wrote the same rows meanwhile: try again."))
        raise ImportFailed(report) from exc
    return ImportResult(None if report.dry_run else issue, report)


def _write(writer: Writer, document: dict, replace: bool) -> Issue | None:
    """Every row of the document, each after the rows it refers to."""
    data = document["issue"]
    authors = writer.authors(document["authors"])
    writer.bulletin = writer.bulletin or _bulletin(writer, document["bulletin"], authors)
    existing = _existing(writer.bulletin, data, replace, writer.report)
    data["title"] = data["title"] or _title(writer.bulletin, existing, data)
    data["number"] = _number(writer.bulletin, existing, data, writer.report)
    if writer.from_text:
        writer.fill_bulletin(document["bulletin"], authors)
    refs = {"authors": authors, "jurisdictions": writer.jurisdictions(document["jurisdictions"])}
    issue = writer.issue(data, existing, authors)
    if issue is not None:
        writer.sections(issue, data["sections"], refs)
        if document.get("translations") and not writer.report.errors:
            issue_translations_import(
                issue=issue,
                translations=document["translations"],
                user=writer.user,
                report=writer.report,
            )
    return issue


def _bulletin(writer: Writer, data: dict, authors: dict) -> Bulletin:
    """The document's bulletin on this site, created from the document if missing."""
    bulletin = Bulletin.objects.filter(slug=data["slug"]).first()
    if bulletin is not None:
        writer.report.count("bulletin", "matched")
        return bulletin
    if writer.user is not None and not writer.user.has_perm("bulletin.add_bulletin"):
        writer.report.error(
            _("bulletin"),
            _("There is no bulletin “%(slug)s” here and you may not create one: choose a bulletin.")
            % {"slug": data["slug"]},
        )
        raise ImportFailed(writer.report)
    fields = {k: v for k, v in data.items() if k not in ("team", "default_sections")}
    bulletin = Bulletin(**fields, default_sections="\n".join(data["default_sections"]))
    if not writer.valid(bulletin, _("bulletin")):
        raise ImportFailed(writer.report)
    bulletin.save()
    bulletin.team.set([authors[k] for k in data["team"] if k in authors])
    writer.report.count("bulletin", "created")
    return bulletin


def _existing(bulletin: Bulletin, data: dict, replace: bool, report: Report) -> Issue | None:
    """The issue this import updates, if the bulletin has one with the slug and it may."""
    issue = Issue.objects.select_for_update().filter(bulletin=bulletin, slug=data["slug"]).first()
    if issue is None:
        return None
    is_draft = issue.state == Issue.State.DRAFT
    if not replace and is_draft and report.dry_run:
        message = _(
            "This bulletin already has a draft with the slug “%(slug)s”: the import replaces it "
            "only when asked to (--replace, or the confirmation in the admin)."
        )
        report.note(None, message % {"slug": data["slug"]})
        report.needs_replace = True
    elif not replace:
        message = _(
            "This bulletin already has an issue with the slug “%(slug)s”: import it under another "
            "slug, or replace that issue."
        )
        report.error(_("issue"), message % {"slug": data["slug"]})
        # A draft is still written (and rolled back) so that the report lists what would change.
        report.needs_replace = is_draft
    elif not is_draft:
        message = _("The issue “%(issue)s” is “%(state)s”: an import may only update a draft.")
        report.error(_("issue"), message % {"issue": issue, "state": issue.get_state_display()})
    if report.errors and not report.needs_replace:
        raise ImportFailed(report)
    report.replacing = str(issue)
    return issue


def _number(bulletin: Bulletin, existing: Issue | None, data: dict, report: Report) -> int:
    """The number asked for if it is free, else the existing issue's, else the next one."""
    others = Issue.objects.filter(bulletin=bulletin).exclude(pk=getattr(existing, "pk", None))
    wanted = data.get("number")
    if wanted and not others.filter(number=wanted).exists():
        return wanted
    number = existing.number if existing else (others.aggregate(n=Max("number"))["n"] or 0) + 1
    if wanted:
        report.note(
            None,
            _("number %(wanted)s is taken: the issue is number %(number)s")
            % {
                "wanted": wanted,
                "number": number,
            },
        )
    return number


def _untitled_section(bulletin: Bulletin, data: dict, report: Report) -> None:
    """Entries without a section heading go into the bulletin's first default section."""
    for section in data["sections"]:
        if not section["title"]:
            defaults = bulletin.default_section_titles
            section["title"] = defaults[0] if defaults else bulletin.name
            message = _("no section heading: the entries are in “%(title)s”")
            report.note(section.get("_line"), message % {"title": section["title"]})


def _commentary_label(bulletin: Bulletin, data: dict, report: Report) -> None:
    """The heading the source printed over its commentaries: the issue keeps it where it is not
    the bulletin's (a back issue printed with another label), and the report names it."""
    found = data.pop("commentary_label", "")
    if not found:
        return
    values = {"label": found, "bulletin": bulletin.commentary_label}
    if squeeze(found) == squeeze(bulletin.commentary_label):
        data["commentary_label"] = ""
        report.facts.append(_("Commentary label: “%(label)s”, the bulletin's") % values)
        return
    data["commentary_label"] = found
    report.facts.append(
        _("Commentary label: “%(label)s”, kept for this issue (the bulletin's is “%(bulletin)s”)")
        % values
    )


def _period(data: dict, report: Report, year: int | None, month: int | None) -> tuple[int, int]:
    """The year and month given, or the most common of the entries' publication dates."""
    if year and month:
        return year, month
    dates = Counter(
        entry["published_on"][:7]
        for section in data["sections"]
        for entry in section["entries"]
        if entry["published_on"]
    )
    if not dates:
        report.error(_("issue"), _("No entry has a date: give the year and month of the issue."))
        return 0, 0
    found_year, found_month = (int(part) for part in dates.most_common(1)[0][0].split("-"))
    return year or found_year, month or found_month


def _title(bulletin: Bulletin, existing: Issue | None, data: dict) -> str:
    """The title of an issue imported without one: its own, or its period ("2024 年 8 月刊"),
    which the pages show as the issue's name after the bulletin's, so the name is not repeated."""
    if existing:
        return existing.title
    return issue_period(data, bulletin.language)


def _origin(origin: dict) -> dict:
    return {
        "site": origin.get("site", "?"),
        "id": origin.get("issue_id", "?"),
        "state": origin.get("state", "?"),
    }


def _facts(report: Report, document: dict) -> None:
    """What the issue holds, for the report: entries per section, kinds, cases, commentaries."""
    sections = document["issue"]["sections"]
    entries = [entry for section in sections for entry in section["entries"]]
    for section in sections:
        report.facts.append(
            _("Section %(position)s “%(title)s”: %(count)s entries")
            % {
                "position": section["position"],
                "title": section["title"],
                "count": len(section["entries"]),
            }
        )
    kinds = Counter(entry["kind"] for entry in entries)
    report.facts.append(_("Kinds: %(kinds)s") % {"kinds": _counts(Entry.Kind, kinds)})
    commentaries = sum(1 for entry in entries if entry.get("commentary"))
    report.facts.append(_("Entries with a commentary: %(count)s") % {"count": commentaries})
    links = Counter(link["kind"] for entry in entries for link in entry.get("links", []))
    report.facts.append(_("Links by kind: %(links)s") % {"links": _counts(EntryLink.Kind, links)})


def _counts(choices, counts: Counter) -> str:
    """ "法律 3, 案例 1": each kind by its label, in the report's language."""
    labels = dict(choices.choices)
    return ", ".join(f"{labels.get(k, k)} {n}" for k, n in sorted(counts.items()))
