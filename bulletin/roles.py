"""The editorial roles, as Django groups with their model permissions."""

from django.apps import apps as installed_apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

CONTENT = ["entries.entry", "entries.entrylink", "entries.commentary"]
READ_ONLY = [
    "bulletin.bulletin",
    "bulletin.issue",
    "entries.section",
    "entries.jurisdiction",
    "entries.linkcapture",
    "people.author",
    "taggit.tag",
    "translation.translation",
]


def _perms(models, actions):
    return [f"{model}:{action}" for model in models for action in actions]


PDF = ["pdf.rendering", "pdf.signedlink", "pdf.download", "pdf.issuepdf"]
MAILING = [
    "mailing.subscriber",
    "mailing.subscription",
    "mailing.consent",
    "mailing.send",
    "mailing.delivery",
]

ROLES = {
    "Author": _perms(CONTENT, ["add", "change", "view"]) + _perms(READ_ONLY, ["view"]),
    "Editor": _perms(
        CONTENT + ["entries.section", "bulletin.issue"], ["add", "change", "delete", "view"]
    )
    + _perms(["entries.jurisdiction", "taggit.tag"], ["add", "change", "view"])
    + _perms(["bulletin.bulletin", "people.author", "translation.translation"], ["view"]),
    "Reviewer": _perms(CONTENT + READ_ONLY, ["view"]),
    "Publisher": _perms(CONTENT + READ_ONLY + PDF + MAILING, ["view"])
    + _perms(["bulletin.issue", "pdf.rendering", "pdf.signedlink"], ["change"])
    + _perms(["pdf.signedlink"], ["add"])
    + _perms(MAILING, ["add", "change"])
    + _perms(["mailing.subscriber"], ["delete"]),
    "Partner": _perms(CONTENT + READ_ONLY + ["pdf.issuepdf"], ["view"]),
}


def ensure_roles() -> None:
    """Create the role groups if they are missing (e.g. after a database flush)."""
    if Group.objects.filter(name__in=ROLES).count() != len(ROLES):
        sync_roles(installed_apps)


def sync_roles(apps, schema_editor=None):
    """Create the role groups and give each exactly its permissions (safe to run again)."""
    for app_config in apps.get_app_configs():
        # A migration's app registry has no models modules, and create_permissions skips an
        # app without one; the running registry's must stay as they are (post_migrate, after
        # a flush, creates the permissions of the apps that have one).
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True
        try:
            create_permissions(app_config, apps=apps, verbosity=0)
        finally:
            app_config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, perms in ROLES.items():
        group, _ = Group.objects.get_or_create(name=role)
        wanted = []
        for perm in perms:
            model, action = perm.split(":")
            app_label, model_name = model.split(".")
            # A permission of an app migrated later (or a model without that default
            # permission) is skipped here; a later migration runs this again.
            found = Permission.objects.filter(
                content_type__app_label=app_label, codename=f"{action}_{model_name}"
            ).first()
            if found:
                wanted.append(found)
        group.permissions.set(wanted)


class Role:
    AUTHOR = "Author"
    EDITOR = "Editor"
    REVIEWER = "Reviewer"
    PUBLISHER = "Publisher"
    PARTNER = "Partner"


# Who opens the report of dead and drifted links and asks for a new check or capture there.
LINK_WATCHERS = (Role.EDITOR, Role.REVIEWER, Role.PUBLISHER)


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


def _refused() -> PermissionDenied:
    return PermissionDenied(_("Your role does not allow this."))


def require(user, *roles: str) -> None:
    """Refuse (PermissionDenied) unless the user holds one of the roles: a service's first line.
    No user (a command or the scheduler) holds none; a service that lets those through says so."""
    if not has_role(user, *roles):
        raise _refused()


def can_read_drafts(user) -> bool:
    """Staff with a role that reads issues: who may see previews of unpublished content (a staff
    account without a role may not)."""
    return bool(
        getattr(user, "is_active", False) and user.is_staff and user.has_perm("bulletin.view_issue")
    )


def require_draft_reader(user) -> None:
    """Refuse (PermissionDenied) unless the user may see unpublished content."""
    if not can_read_drafts(user):
        raise _refused()
