from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BulletinConfig(AppConfig):
    name = "bulletin"
    verbose_name = _("Bulletins")

    def ready(self):
        # Register the job handlers of the outputs of an issue, and the tasks.
        from bulletin import (  # noqa: F401, PLC0415 - register on ready
            caching,
            captures,  # noqa: F401, PLC0415 - register on ready
            dispatch,
            history,
            observability,
            pages,
            tasks,
        )
        from bulletin.services import captures as link_captures  # noqa: F401, PLC0415 - register on ready
        from bulletin.services import links  # noqa: F401, PLC0415 - register on ready

        history.register()
