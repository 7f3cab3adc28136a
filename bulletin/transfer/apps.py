from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransferConfig(AppConfig):
    name = "bulletin.transfer"
    label = "transfer"
    verbose_name = _("Import and export")

    def ready(self):
        from bulletin.transfer import tasks  # noqa: F401, PLC0415 - register on ready
