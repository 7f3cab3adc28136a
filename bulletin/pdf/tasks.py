"""Celery tasks of the PDF output: each takes a key and calls one service."""

from celery import shared_task

from bulletin.pdf import services


@shared_task(acks_late=True)
def rendering_run_task(rendering_id: int) -> bool:
    """Render one PDF. No Celery retry: a failure is recorded on the rendering, which the
    sweep retries with backoff (and a publisher can retry from the admin)."""
    return services.rendering_run(rendering_id=rendering_id)


@shared_task
def pdf_sweep_task() -> int:
    """Hand over again the renderings of dead workers and the failed ones due for a retry."""
    return services.renderings_sweep()
