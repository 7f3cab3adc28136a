"""Writes of people records that are not the admin's plain model forms."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from people.models import CONTACT_VISIBILITY_FIELDS, Author, NotificationPreference
from people.signals import author_changed


@transaction.atomic
def notification_preference_set(*, user, delivery: str, language: str) -> NotificationPreference:
    """Set how this user hears of the workflow. A user sets only their own choice: there is no
    other user to name."""
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        raise PermissionDenied
    preference, _ = NotificationPreference.objects.select_for_update().get_or_create(user=user)
    preference.delivery, preference.language = delivery, language
    preference.full_clean()
    preference.save()
    return preference


def _may_change_contact(user, author: Author) -> bool:
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        return False
    return author.user_id == user.pk or user.has_perm("people.change_author")


@transaction.atomic
def author_contact_choose(*, user, author: Author, **shown: bool) -> Author:
    """Set where each of the author's contact details is shown (show_<detail>_<channel>=bool).
    The author's own linked user may, and so may whoever may change authors."""
    if not _may_change_contact(user, author):
        raise PermissionDenied
    unknown = set(shown) - set(CONTACT_VISIBILITY_FIELDS)
    if unknown:
        raise TypeError(f"not a contact visibility: {', '.join(sorted(unknown))}")
    author = Author.objects.select_for_update().get(pk=author.pk)
    for name, value in shown.items():
        setattr(author, name, bool(value))
    author.full_clean()
    author.save(update_fields=[*shown])
    transaction.on_commit(lambda: author_changed.send(sender=Author, author=author))
    return author
