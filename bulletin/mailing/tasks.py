"""Celery tasks of the email output: each calls one service; the state lives in the database."""

from celery import shared_task

from bulletin.mailing.services import delivery, sending


@shared_task(acks_late=True)
def send_process_task(send_id: int, generation: int) -> bool:
    """Hand over one send's messages for a while, then queue the next run if work is left.
    No Celery retry: failures are retried per delivery, and a lost task by the resume task."""
    more = delivery.send_process(send_id=send_id, generation=generation)
    if more:
        sending.send_dispatch(send_id=send_id, generation=generation)
    return more


@shared_task
def sends_resume_task() -> int:
    return sending.sends_resume()
