import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bulletin.models import Bulletin
from bulletin.transfer.services import issue_export_document


class Command(BaseCommand):
    help = (
        "Export issues as JSON documents (see docs/transfer.md): one issue to a file or to "
        "standard output, or every issue of a bulletin into a folder (a backup)."
    )

    def add_arguments(self, parser):
        parser.add_argument("bulletin", help="the bulletin's slug")
        parser.add_argument("issues", nargs="*", help="issue slugs (default with --all: every one)")
        parser.add_argument("--all", action="store_true", help="every issue of the bulletin")
        parser.add_argument("-o", "--output", default="-", help="a file, a folder, or - (stdout)")

    def handle(self, *args, **options):
        bulletin = Bulletin.objects.filter(slug=options["bulletin"]).first()
        if bulletin is None:
            raise CommandError(f"No bulletin with the slug “{options['bulletin']}”.")
        issues = bulletin.issues.order_by("number")
        if not options["all"]:
            if not options["issues"]:
                raise CommandError("Name the issues to export (their slugs), or give --all.")
            issues = issues.filter(slug__in=options["issues"])
            missing = set(options["issues"]) - set(issues.values_list("slug", flat=True))
            if missing:
                raise CommandError(f"No such issues: {', '.join(sorted(missing))}.")
        documents = [(issue, issue_export_document(issue=issue)) for issue in issues]
        self._write(documents, options["output"], bulletin.slug)

    def _write(self, documents, output: str, bulletin: str) -> None:
        if output == "-" and len(documents) == 1:
            self.stdout.write(_dumps(documents[0][1]))
            return
        target = Path(output)
        if len(documents) == 1 and not target.is_dir():
            target.write_text(_dumps(documents[0][1]), encoding="utf-8")
            self.stderr.write(f"Wrote {target}")
            return
        if output == "-" or (target.exists() and not target.is_dir()):
            raise CommandError("Several issues go into a folder: give --output FOLDER.")
        target.mkdir(parents=True, exist_ok=True)
        for issue, document in documents:
            path = target / f"{bulletin}-{issue.slug}.json"
            path.write_text(_dumps(document), encoding="utf-8")
        self.stderr.write(f"Wrote {len(documents)} files into {target}")


def _dumps(document: dict) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
