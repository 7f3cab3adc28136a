from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from bulletin.models import Bulletin
from bulletin.transfer.cli import read_json, user_named
from bulletin.transfer.services import ImportFailed, issue_import_document


class Command(BaseCommand):
    help = (
        "Import issues exported as JSON (files, or every .json file of a folder) as drafts. The "
        "bulletin, authors and jurisdictions they name are matched, or created when missing."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="JSON files or folders")
        parser.add_argument("--bulletin", help="import into this bulletin instead of the file's")
        parser.add_argument("--slug", default="", help="a new slug (one file only)")
        parser.add_argument("--number", type=int, help="a new number (one file only)")
        parser.add_argument("--replace", action="store_true", help="update a draft with the slug")
        parser.add_argument("--dry-run", action="store_true", help="report only, write nothing")
        parser.add_argument("--user", help="the username the issues are created by")

    def handle(self, *args, **options):
        files = _files(options["paths"])
        if len(files) > 1 and (options["slug"] or options["number"]):
            raise CommandError("--slug and --number apply to one file only.")
        bulletin = None
        if options["bulletin"]:
            bulletin = Bulletin.objects.filter(slug=options["bulletin"]).first()
            if bulletin is None:
                raise CommandError(f"No bulletin with the slug “{options['bulletin']}”.")
        user = user_named(options["user"])
        failed = 0
        for path in files:
            failed += not self._import(path, bulletin, user, options)
        if failed:
            raise CommandError(f"{failed} of {len(files)} imports failed; they wrote nothing.")

    def _import(self, path: Path, bulletin, user, options) -> bool:
        try:
            result = issue_import_document(
                data=read_json(str(path)),
                user=user,
                bulletin=bulletin,
                slug=options["slug"],
                number=options["number"],
                replace=options["replace"],
                source=str(path),
                dry_run=options["dry_run"],
            )
        except ImportFailed as exc:
            self.stderr.write(exc.report.as_text())
            if exc.report.needs_replace:
                self.stderr.write(f"{path}: give --replace to replace that draft.")
            return False
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(result.report.as_text())
        return True


def _files(paths: list[str]) -> list[Path]:
    files = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            files += sorted(path.glob("*.json"))
        elif path.is_file():
            files.append(path)
        else:
            raise CommandError(f"No such file or folder: {name}")
    if not files:
        raise CommandError("No JSON files to import.")
    return files
