from django.core.management.base import BaseCommand, CommandError

from bulletin.demo.loader import load_demo
from bulletin.transfer.services import ImportFailed


class Command(BaseCommand):
    help = (
        "Create or update the demo bulletin (imported from bulletin/demo/*.json) and one demo "
        "user per role (safe to run again)."
    )

    def handle(self, *args, **options):
        try:
            logins = load_demo()
        except ImportFailed as exc:
            raise CommandError(exc.report.as_text()) from exc
        self.stdout.write(self.style.SUCCESS("Demo bulletin loaded."))
        self.stdout.write("Admin: http://127.0.0.1:8000/admin/")
        for login in logins:
            self.stdout.write(f"  {login.role:<10} {login.username} / {login.password}")
