"""Subscribers and the email delivery of each published issue."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MailingConfig(AppConfig):
    name = "bulletin.mailing"
    label = "mailing"
    verbose_name = _("Subscribers and email")

    def ready(self):
        # The "mailing.send" and "mailing.confirm" job handlers, the tasks and, with
        # django-anymail, the provider's bounce and complaint reports.
        from bulletin.mailing import handlers, tasks  # noqa: F401, PLC0415 - register on ready

        handlers.connect_provider_signals()
