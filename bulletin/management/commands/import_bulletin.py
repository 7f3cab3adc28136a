from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from bulletin.models import Bulletin
from bulletin.transfer.cli import read_bytes, user_named
from bulletin.transfer.extracted import UnreadableFile
from bulletin.transfer.services import ImportFailed, issue_import_file


class Command(BaseCommand):
    help = (
        "Import a back issue from its PDF, its Word file (.docx) or its text (UTF-8, as extracted "
        "from its PDF) as a draft of a bulletin, and print the report. A draft with the same slug "
        "is replaced only with --replace (the report, or a --dry-run, lists the entries that "
        "would be replaced)."
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

    def handle(self, *args, **options):
        try:
            bulletin = Bulletin.objects.get(slug=options["bulletin"])
        except Bulletin.DoesNotExist as exc:
            raise CommandError(f"No bulletin with the slug “{options['bulletin']}”.") from exc
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
