from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "bulletin.notifications"
    label = "notifications"
    verbose_name = _("Workflow notifications")

    def ready(self):
        # The "workflow.notify" job handler and the periodic task of digests.
        from bulletin.notifications import services, tasks  # noqa: F401, PLC0415 - register on ready
