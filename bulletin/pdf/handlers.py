"""The PDF's part in publishing: a job after each publication or correction (see
settings.BULLETIN_PUBLISH_OUTPUTS)."""

from bulletin.pdf.services import rendering_request
from bulletin.services.jobs import job_handler


@job_handler("pdf.render")
def pdf_render(payload: dict) -> None:
    """Record the rendering of the issue's current publication; a worker renders it."""
    rendering_request(issue_id=payload["issue_id"])
