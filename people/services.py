"""Writes of people records that are not the admin's plain model forms."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from people.models import NotificationPreference


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
