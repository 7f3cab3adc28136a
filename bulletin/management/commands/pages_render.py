from django.core.management.base import BaseCommand

from bulletin.pages import pages_write_all


class Command(BaseCommand):
    help = (
        "Render the page of every public issue again, in every language, into "
        "PUBLISHED_PAGES_ROOT, and remove every other stored page (run it after a deploy that "
        "changes templates or settings)."
    )

    def handle(self, *args, **options):
        written = pages_write_all()
        if options["verbosity"]:
            self.stdout.write(f"{written} pages rendered")
