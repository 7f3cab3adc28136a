"""Two Celery workers at once, as on two machines, on one publication: nothing is done twice."""

import pytest

from bulletin.models import Job
from bulletin.pdf.files import pdf_storage
from bulletin.pdf.models import Rendering
from bulletin.services.jobs import job_dispatch, jobs_sweep
from tests.conftest import celery_broker, wait_until
from tests.factories import CommentaryFactory, EntryFactory, IssueFactory, SectionFactory, publish

pytestmark = [pytest.mark.postgres, pytest.mark.redis]


def test_two_workers_render_one_pdf(two_celery_workers, redis_url):
    issue = IssueFactory()
    CommentaryFactory(entry=EntryFactory(section=SectionFactory(issue=issue)))
    with celery_broker(redis_url):
        publish(issue)
        # Everything is handed over several times: both workers get copies of every job.
        for _ in range(3):
            for job in Job.objects.all():
                job_dispatch(job_id=job.pk)
            jobs_sweep()
        wait_until(
            lambda: (
                not Job.objects.exclude(status=Job.Status.DONE).exists()
                and Rendering.objects.filter(status=Rendering.Status.DONE).exists()
            ),
            timeout=90,
        )
    assert all(worker.poll() is None for worker in two_celery_workers)
    renderings = Rendering.objects.filter(issue=issue)
    assert renderings.count() == 1
    rendering = renderings.get()
    assert rendering.attempts == 1
    assert pdf_storage().exists(rendering.file_name)
    assert Job.objects.filter(name="pdf.render").get().attempts == 1
