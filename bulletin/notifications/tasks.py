from celery import shared_task

from bulletin.notifications import services


@shared_task
def notifications_send_due_task() -> int:
    """Every minute: the digests that are due, and the emails meant to go at once that did not;
    and the notifications sent long ago deleted."""
    services.notifications_purge()
    return services.notifications_send_due()
