"""Users, groups and sign-in attempts in the admin's language: Django stores a permission's name
in English ("Can change entry"), once, when it creates it; django-axes names two columns only
by their methods' names."""

from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, Permission, User
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

ACTIONS = {"add": _("Add"), "change": _("Change"), "delete": _("Delete"), "view": _("View")}


def permission_label(permission: Permission) -> str:
    """ "条目 · 条目：修改" for Django's four permissions of a model; others by their own name."""
    model = permission.content_type.model_class()
    action = permission.codename.partition("_")[0]
    if model is None or permission.codename != f"{action}_{model._meta.model_name}":
        return str(permission)
    if action not in ACTIONS:
        return str(permission)
    return gettext("%(app)s · %(model)s: %(action)s") % {
        "app": model._meta.app_config.verbose_name,
        "model": model._meta.verbose_name,
        "action": ACTIONS[action],
    }


class PermissionLabels:
    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name in ("permissions", "user_permissions"):
            field.label_from_instance = permission_label
        return field


admin.site.unregister(Group)
admin.site.unregister(User)


@admin.register(Group)
class DeskGroupAdmin(PermissionLabels, GroupAdmin):
    pass


@admin.register(User)
class DeskUserAdmin(PermissionLabels, UserAdmin):
    pass


admin.site.unregister(AccessAttempt)


@admin.register(AccessAttempt)
class DeskAccessAttemptAdmin(AccessAttemptAdmin):
    @admin.display(description=_("expires at"))
    def expiration(self, obj):
        return super().expiration(obj)

    @admin.display(description=_("status"))
    def status(self, obj):
        return super().status(obj)
