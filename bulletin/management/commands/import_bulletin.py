from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from bulletin.models import Bulletin, Issue
from bulletin.services.events import WorkflowError
from bulletin.transfer.cli import read_bytes, user_named
from bulletin.transfer.extracted import UnreadableFile
from bulletin.transfer.services import ImportFailed, issue_import_file
from bulletin.transfer.translations import issue_import_translation_file


class Command(BaseCommand):
    help = (
        "Import a back issue from its PDF, its Word file (.docx) or its text (UTF-8, as extracted "
        "from its PDF) as a draft of a bulletin, and print the report. A draft with the same slug "
        "is replaced only with --replace (the report, or a --dry-run, lists the entries that "
        "would be replaced). With --translation-of <issue slug>, the file is that issue's edition "
        "in --language (default en), imported as its draft translation (entries matched by their "
        "links, then by position; the issue's own text is not touched); --user is required."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the PDF, Word or text file")
        parser.add_argument("--bulletin", required=True, help="the bulletin's slug")
        parser.add_argument("--dry-run", action="store_true", help="report only, write nothing")
        parser.add_argument(
            "--replace", action="store_true", help="replace the draft that has the same slug"
        )
        parser.add_argument("--year", type=int, help="default: from the entries' dates")
        parser.add_argument("--month", type=int, help="default: from the entries' dates")
        parser.add_argument("--number", type=int, help="default: the bulletin's next number")
        parser.add_argument("--title", default="", help="default: the period, e.g. 2024 年 8 月刊")
        parser.add_argument("--slug", default="", help="default: YYYY-MM (it identifies the draft)")
        parser.add_argument("--user", help="the username the issue is created by")
        parser.add_argument(
            "--translation-of", default="", help="the slug of the issue the file translates"
        )
        parser.add_argument("--language", default="en", help="the translation's language")
        parser.add_argument(
            "--submit", action="store_true", help="submit each complete translation for review"
        )

    def handle(self, *args, **options):
        try:
            bulletin = Bulletin.objects.get(slug=options["bulletin"])
        except Bulletin.DoesNotExist as exc:
            raise CommandError(f"No bulletin with the slug “{options['bulletin']}”.") from exc
        if options["translation_of"]:
            return self._translation(bulletin, options)
        try:
            result = issue_import_file(
                bulletin=bulletin,
                content=read_bytes(options["path"]),
                user=user_named(options["user"]),
                source=options["path"],
                dry_run=options["dry_run"],
                year=options["year"],
                month=options["month"],
                number=options["number"],
                title=options["title"],
                slug=options["slug"],
                replace=options["replace"],
            )
        except ImportFailed as exc:
            self.stderr.write(exc.report.as_text())
            if exc.report.needs_replace:
                raise CommandError(
                    "Nothing was written: give --replace to replace that draft (the report lists "
                    "the entries it would replace)."
                ) from exc
            raise CommandError("The import failed; nothing was written.") from exc
        except (PermissionDenied, UnreadableFile) as exc:
            raise CommandError(f"{options['path']}: {exc}") from exc
        self.stdout.write(result.report.as_text())

    def _translation(self, bulletin, options) -> None:
        issue = Issue.objects.filter(bulletin=bulletin, slug=options["translation_of"]).first()
        if issue is None:
            raise CommandError(f"No issue “{options['translation_of']}” in {bulletin.slug}.")
        user = user_named(options["user"])
        if user is None:
            raise CommandError("--translation-of needs --user (the translator).")
        try:
            result = issue_import_translation_file(
                issue=issue,
                language=options["language"],
                content=read_bytes(options["path"]),
                user=user,
                source=options["path"],
                dry_run=options["dry_run"],
                submit=options["submit"],
            )
        except (PermissionDenied, UnreadableFile, WorkflowError) as exc:
            raise CommandError(f"{options['path']}: {exc}") from exc
        self.stdout.write(result.report.as_text())
        self.stdout.write(
            f"{result.written} translations written; entries matched by links: "
            f"{result.matched_by_links}, by position: {result.matched_by_position}; "
            f"not matched: {len(result.unmatched)}; without a counterpart: "
            f"{len(result.untranslated)}."
        )
