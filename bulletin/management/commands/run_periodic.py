import time

from celery import current_app
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Run the periodic tasks of CELERY_BEAT_SCHEDULE in this process (for a set-up without "
        "Celery beat, such as `make run`); --loop repeats them every minute."
    )

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="keep running, once a minute")

    def handle(self, *args, loop=False, **options):
        while True:
            for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
                try:
                    result = current_app.tasks[entry["task"]].apply().get()
                except Exception as exc:  # one failing task must not stop the others
                    self.stderr.write(f"{name}: {exc}")
                    continue
                if options["verbosity"] > 1:
                    self.stdout.write(f"{name}: {result}")
            if not loop:
                return
            time.sleep(60)
