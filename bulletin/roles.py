"""The editorial roles, as Django groups with their model permissions."""

from django.contrib.auth.management import create_permissions

CONTENT = ["entries.entry", "entries.entrylink", "entries.commentary"]
READ_ONLY = [
    "bulletin.bulletin",
    "bulletin.issue",
    "entries.section",
    "entries.jurisdiction",
    "people.author",
    "taggit.tag",
]


def _perms(models, actions):
    return [f"{model}:{action}" for model in models for action in actions]


ROLES = {
    "Author": _perms(CONTENT, ["add", "change", "view"]) + _perms(READ_ONLY, ["view"]),
    "Editor": _perms(
        CONTENT + ["entries.section", "bulletin.issue"], ["add", "change", "delete", "view"]
    )
    + _perms(["entries.jurisdiction", "taggit.tag"], ["add", "change", "view"])
    + _perms(["bulletin.bulletin", "people.author"], ["view"]),
    "Reviewer": _perms(CONTENT + READ_ONLY, ["view"]),
    "Publisher": _perms(CONTENT + READ_ONLY, ["view"]) + _perms(["bulletin.issue"], ["change"]),
    "Partner": _perms(CONTENT + READ_ONLY, ["view"]),
}


def ensure_roles() -> None:
    """Create the role groups if they are missing (e.g. after a database flush)."""
    from django.apps import apps
    from django.contrib.auth.models import Group

    if Group.objects.filter(name__in=ROLES).count() != len(ROLES):
        sync_roles(apps)


def sync_roles(apps, schema_editor=None):
    """Create the role groups and give each exactly its permissions (safe to run again)."""
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, perms in ROLES.items():
        group, _ = Group.objects.get_or_create(name=role)
        wanted = []
        for perm in perms:
            model, action = perm.split(":")
            app_label, model_name = model.split(".")
            wanted.append(
                Permission.objects.get(
                    content_type__app_label=app_label,
                    codename=f"{action}_{model_name}",
                )
            )
        group.permissions.set(wanted)


class Role:
    AUTHOR = "Author"
    EDITOR = "Editor"
    REVIEWER = "Reviewer"
    PUBLISHER = "Publisher"
    PARTNER = "Partner"


def role_names(user) -> set[str]:
    """The roles a user holds (a superuser holds them all), read once per user object."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    if user.is_superuser:
        return set(ROLES)
    if not hasattr(user, "_role_names"):
        user._role_names = set(user.groups.values_list("name", flat=True))
    return user._role_names


def has_role(user, *roles: str) -> bool:
    return bool(role_names(user) & set(roles))
