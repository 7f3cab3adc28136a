from celery import shared_task

from bulletin.notifications import services


@shared_task
def notifications_send_due_task() -> int:
    """Every minute: the digests that are due, and the emails meant to go at once that did not."""
    return services.notifications_send_due()
