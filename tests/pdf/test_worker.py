"""Publishing with a real Celery worker on the real Redis: the worker renders and stores the PDF."""

import pytest

from bulletin.pdf.files import pdf_storage
from bulletin.pdf.models import Rendering
from bulletin.services.jobs import jobs_sweep
from bulletin.services.publishing import issue_publish
from tests.conftest import celery_broker, wait_until
from tests.factories import EntryFactory, IssueFactory, SectionFactory, UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.redis]


def approved_issue():
    issue = IssueFactory(state="approved")
    EntryFactory(section=SectionFactory(issue=issue), state="approved")
    return issue


def done(issue) -> bool:
    return Rendering.objects.filter(issue=issue, status=Rendering.Status.DONE).exists()


def test_a_worker_renders_the_pdf_of_a_published_issue(celery_worker_process, redis_url):
    issue = approved_issue()
    with celery_broker(redis_url):
        issue_publish(issue=issue, user=UserFactory(roles=["Publisher"]))
        wait_until(lambda: done(issue), timeout=60)
    rendering = Rendering.objects.get(issue=issue)
    assert pdf_storage().exists(rendering.file_name)
    assert rendering.attempts == 1


def test_a_pdf_waits_in_the_database_while_the_broker_is_down(celery_worker_process, redis_url):
    issue = approved_issue()
    with celery_broker("redis://127.0.0.1:9/0"):  # nothing listens there
        issue_publish(issue=issue, user=UserFactory(roles=["Publisher"]))
    assert not Rendering.objects.filter(issue=issue).exists()
    with celery_broker(redis_url):
        assert jobs_sweep() >= 1
        wait_until(lambda: done(issue), timeout=60)
    assert pdf_storage().exists(Rendering.objects.get(issue=issue).file_name)
