"""The admin as the firm's editorial desk: named after the firm, not after Django, with room for
the lists and forms lawyers work in (no navigation sidebar).

INSTALLED_APPS names DeskAdminConfig instead of django.contrib.admin, so that `admin.site` is a
DeskAdminSite. This module imports no model: it is loaded while the apps are being set up.
"""

from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.contrib.admin.templatetags import admin_list
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class DeskAdminConfig(AdminConfig):
    default_site = "bulletin.desk.DeskAdminSite"

    def ready(self):
        super().ready()
        _name_unnamed_apps()
        _translate_boolean_icons()


class DeskAdminSite(admin.AdminSite):
    index_title = _("Desk")
    # The sidebar repeats the home page's list and takes a quarter of a 1280 px screen from the
    # lists and forms.
    enable_nav_sidebar = False

    def each_context(self, request):
        context = super().each_context(request)
        context["site_header"] = context["site_title"] = desk_name()
        return context


def desk_name() -> str:
    """ADMIN_DESK_NAME, or the editorial desk of the firm that publishes the bulletins."""
    if settings.ADMIN_DESK_NAME:
        return settings.ADMIN_DESK_NAME
    from bulletin.models import Bulletin  # noqa: PLC0415 - loaded before the models are

    firm = Bulletin.objects.order_by("pk").values_list("firm_name", flat=True).first()
    if not firm:
        return gettext("Editorial desk")
    return gettext("%(firm)s editorial desk") % {"firm": firm}


# Apps that name themselves only by their label, in English.
APP_NAMES = {"axes": _("Sign-in throttling"), "reversion": _("Saved versions")}


def _name_unnamed_apps() -> None:
    for label, name in APP_NAMES.items():
        if apps.is_installed(label):
            apps.get_app_config(label).verbose_name = name


def _translate_boolean_icons() -> None:
    """Django writes a yes/no icon's text as "True" or "False" whatever the language (it has
    since 1.0); say it in the admin's language. Django looks the function up at each call."""
    texts = {True: _("Yes"), False: _("No"), None: _("Unknown")}

    def boolean_icon(field_val):
        icon = {True: "yes", False: "no", None: "unknown"}[field_val]
        url = static(f"admin/img/icon-{icon}.svg")
        return format_html('<img src="{}" alt="{}">', url, texts[field_val])

    admin_list._boolean_icon = boolean_icon
