from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BulletinConfig(AppConfig):
    name = "bulletin"
    verbose_name = _("Bulletins")

    def ready(self):
        # Register the job handlers (outputs of an issue, workflow notifications) and tasks.
        from bulletin import caching, history, notifications, observability, tasks  # noqa: F401, PLC0415 - register on ready

        history.register()
