from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TranslationConfig(AppConfig):
    name = "bulletin.translation"
    label = "translation"
    verbose_name = _("Translations")

    def ready(self):
        from bulletin.translation import signals  # noqa: PLC0415 - models are ready only now

        signals.connect()
