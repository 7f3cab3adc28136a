from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PdfConfig(AppConfig):
    name = "bulletin.pdf"
    label = "pdf"
    verbose_name = _("PDF")

    def ready(self):
        from bulletin.pdf import checks, handlers, tasks  # noqa: F401, PLC0415 - register on ready
