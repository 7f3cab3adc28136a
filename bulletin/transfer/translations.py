"""An issue's translations in its transfer document ("translations": {language: a
"bulletin-cms.translation" document keyed by positions, bulletin.translation.positions}), and
their import: each unit found by its position (entries by section and entry position, links by
theirs, sections by theirs, authors by key, tags by name, places by code) is written through
bulletin.translation.services.translation_import, with its state; what is not found is
reported. A reviewed (approved) state is kept only when the importing user is a reviewer or
the import runs from the command line; otherwise the translation waits in review here."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from bulletin.models import Issue
from bulletin.roles import Role, require
from bulletin.services.events import WorkflowError
from bulletin.transfer.report import Report
from bulletin.transfer.text.parser import parse_text
from bulletin.transfer.text.richtext import kept_marks
from bulletin.transfer.upload import extracted_text
from bulletin.translation.languages import language_name, target_languages
from bulletin.translation.models import Translation
from bulletin.translation.positions import issue_translation_document, match_document
from bulletin.translation.selectors import text_in
from bulletin.translation.services import (
    translation_get,
    translation_import,
    translation_save,
    translation_transition,
    untranslated,
)


def issue_translations_export(issue: Issue) -> dict:
    """Every language the issue is translated into, by language code."""
    found = {}
    # One query finds the languages the issue or its entries are translated into (most issues:
    # none, and nothing more is read).
    languages = set(
        Translation.objects.filter(Q(issue=issue) | Q(entry__issue=issue))
        .values_list("language", flat=True)
        .distinct()
    )
    for language in [code for code in target_languages(issue) if code in languages]:
        document = issue_translation_document(issue=issue, language=language)
        if document is not None:
            found[language] = document
    return found


def issue_translations_import(*, issue: Issue, translations: dict, user, report: Report) -> None:
    """Write the document's translations of the issue just imported; report what was written,
    kept and not found. A unit refused (a role, a text too long) is reported and skipped."""
    for language, document in translations.items():
        if not isinstance(document, dict) or language not in target_languages(issue):
            report.note(None, _("translation “%(language)s” ignored") % {"language": language})
            continue
        matched = match_document(issue=issue, document=document)
        for where in matched.unmatched:
            report.note(
                None,
                _("translation %(language)s: %(where)s is not in this issue")
                % {"language": language, "where": where},
            )
        for unit in matched.units:
            _import_unit(unit, language, user, report)


def _import_unit(unit, language: str, user, report: Report) -> None:
    try:
        written = translation_import(
            subject=unit.subject, language=language, texts=unit.texts, review=unit.review, user=user
        )
    except (ValidationError, WorkflowError, PermissionDenied) as exc:
        messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
        report.note(
            None,
            _("translation %(language)s: %(where)s not imported: %(reason)s")
            % {"language": language, "where": unit.where, "reason": "; ".join(map(str, messages))},
        )
        return
    report.count(_("translation"), written.state if written else _("kept"))


@dataclass
class TextTranslationResult:
    report: Report
    written: int
    matched_by_links: int
    matched_by_position: int
    unmatched: list[str]  # entries of the text found in no entry of the issue
    untranslated: list[str]  # entries of the issue the text has no counterpart for


def issue_import_translation_text(
    *,
    issue: Issue,
    language: str,
    text: str,
    user,
    source: str = "",
    dry_run: bool = False,
    submit: bool = False,
    pages: list[int] | None = None,
) -> TextTranslationResult:
    """Import a back issue's text in another language (an English edition printed apart) as the
    translation of an existing issue: each entry of the text is matched to the issue's entry
    that shares one of its links (URLs), else to the entry at its position (section, entry);
    its texts are written as the user's draft translation (in review if `submit`), through the
    translation services. The source text is never touched; an entry that has a translation
    already keeps it; what matches nothing is reported."""
    require(user, Role.EDITOR)
    if language not in target_languages(issue):
        raise WorkflowError(
            _("%(language)s is not a language this is translated into.")
            % {"language": language_name(language)}
        )
    bulletin = issue.bulletin
    parsed = parse_text(
        text,
        commentary_label=text_in(bulletin, "commentary_label", language).value,
        name=text_in(bulletin, "name", language).value,
    )
    report = parsed.report
    report.source, report.dry_run, report.pages = source, dry_run, pages or []
    pairs, result = _pair_entries(issue, parsed.document["issue"], report)
    with transaction.atomic():
        for subject, texts, where in _text_units(issue, parsed.document["issue"], pairs):
            result.written += _write_draft(subject, texts, where, language, user, report, submit)
        if dry_run:
            transaction.set_rollback(True)
    return result


def issue_import_translation_file(*, content: bytes, **options) -> TextTranslationResult:
    """issue_import_translation_text of a PDF, a Word file or a text (see upload.py): a Word
    file's inline marks kept, a PDF's report naming pages. UnreadableFile if it cannot be read."""
    extracted = extracted_text(content)
    with kept_marks(extracted.marked):
        return issue_import_translation_text(text=extracted.text, pages=extracted.pages, **options)


def _urls(links) -> set[str]:
    return {
        str(link.get("url") if isinstance(link, dict) else link.url).rstrip("/") for link in links
    }


def _pair_entries(issue: Issue, data: dict, report: Report):
    """(entry of the issue, entry of the text) pairs: by a shared link first, then by position."""
    entries = list(
        issue.entries.select_related("section")
        .prefetch_related("links")
        .order_by("section__position", "position")
    )
    by_url = {}
    for entry in entries:
        for url in _urls(entry.links.all()):
            by_url.setdefault(url, set()).add(entry)
    by_position = {(e.section.position, e.position): e for e in entries}
    parsed = [
        ((section.get("position") or s), (item.get("position") or n), item)
        for s, section in enumerate(data.get("sections") or [], start=1)
        for n, item in enumerate(section.get("entries") or [], start=1)
    ]
    result = TextTranslationResult(report, 0, 0, 0, [], [])
    pairs, taken = [], set()
    rest = []
    for s, n, item in parsed:
        found = set().union(*[by_url.get(url, set()) for url in _urls(item.get("links") or [])])
        if len(found) == 1 and next(iter(found)) not in taken:
            entry = found.pop()
            pairs.append((entry, item))
            taken.add(entry)
            result.matched_by_links += 1
        else:
            rest.append((s, n, item))
    for s, n, item in rest:
        entry = by_position.get((s, n))
        if entry is not None and entry not in taken:
            pairs.append((entry, item))
            taken.add(entry)
            result.matched_by_position += 1
        else:
            result.unmatched.append(f"{s}.{n} {str(item.get('title') or '')[:80]}")
    result.untranslated = [
        f"{e.section.position}.{e.position} {e.title[:80]}" for e in entries if e not in taken
    ]
    for line in result.unmatched:
        report.note(None, _("In the text, matching no entry of the issue: %s") % line)
    for line in result.untranslated:
        report.note(None, _("Entry of the issue with no counterpart in the text: %s") % line)
    return pairs, result


def _text_units(issue: Issue, data: dict, pairs):
    """(subject, texts by the translation's keys, where) for the issue and each matched entry."""
    texts = {}
    sections = {s.position: s for s in issue.sections.all()}
    for s, section in enumerate(data.get("sections") or [], start=1):
        own = sections.get(section.get("position") or s)
        if own is not None and section.get("title"):
            texts[f"section:{own.pk}"] = section["title"]
    if data.get("editors_note"):
        texts["editors_note"] = data["editors_note"]
    if texts:
        yield issue, texts, "issue"
    for entry, item in pairs:
        found = {k: item[k] for k in ("title", "source", "summary", "case_caption") if item.get(k)}
        commentary = item.get("commentary")
        if isinstance(commentary, dict) and commentary.get("body"):
            found["commentary"] = commentary["body"]
        links = {url: link for link in entry.links.all() for url in _urls([link])}
        for link in item.get("links") or []:
            own = links.get(str(link.get("url") or "").rstrip("/"))
            if own is not None and link.get("label"):
                found[f"link:{own.pk}"] = link["label"]
        yield entry, found, f"entry {entry.section.position}.{entry.position}"


def _write_draft(subject, texts, where, language, user, report, submit) -> int:
    if translation_get(subject=subject, language=language) is not None:
        report.note(None, _("%(where)s has a translation already: kept") % {"where": where})
        return 0
    try:
        with transaction.atomic():
            written = translation_save(
                subject=subject, language=language, texts=texts, user=user, version=None
            )
            if submit and not untranslated(written):
                translation_transition(translation=written, user=user, action="submit")
    except (ValidationError, WorkflowError, PermissionDenied) as exc:
        messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
        report.note(
            None,
            _("%(where)s not imported: %(reason)s")
            % {"where": where, "reason": "; ".join(map(str, messages))},
        )
        return 0
    report.count(_("translation"), _("written"))
    return 1
