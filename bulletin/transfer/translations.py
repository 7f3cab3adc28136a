"""An issue's translations in its transfer document ("translations": {language: a
"bulletin-cms.translation" document keyed by positions, bulletin.translation.positions}), and
their import: each unit found by its position (entries by section and entry position, links by
theirs, sections by theirs, authors by key, tags by name, places by code) is written through
bulletin.translation.services.translation_import, with its state; what is not found is
reported. A reviewed (approved) state is kept only when the importing user is a reviewer or
the import runs from the command line; otherwise the translation waits in review here."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from bulletin.models import Issue
from bulletin.services.events import WorkflowError
from bulletin.transfer.report import Report
from bulletin.translation.languages import target_languages
from bulletin.translation.positions import issue_translation_document, match_document
from bulletin.translation.services import translation_import


def issue_translations_export(issue: Issue) -> dict:
    """Every language the issue is translated into, by language code."""
    found = {}
    for language in target_languages(issue):
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
