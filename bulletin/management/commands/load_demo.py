from django.core.management.base import BaseCommand

from bulletin.demo.loader import load_demo


class Command(BaseCommand):
    help = "Create or update the demo bulletin and one demo user per role (safe to run again)."

    def handle(self, *args, **options):
        logins = load_demo()
        self.stdout.write(self.style.SUCCESS("Demo bulletin loaded."))
        self.stdout.write("Admin: http://127.0.0.1:8000/admin/")
        for login in logins:
            self.stdout.write(f"  {login.role:<10} {login.username} / {login.password}")
