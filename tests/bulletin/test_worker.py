"""Publishing with a real Celery worker on the real Redis, including the broker being down."""

import pytest
from django.core.cache import cache

from bulletin.caching import public_cache_version
from bulletin.models import Issue, Job
from bulletin.services.jobs import job_dispatch, jobs_sweep
from bulletin.services.publishing import issue_publish
from tests.conftest import celery_broker, wait_until
from tests.factories import EntryFactory, IssueFactory, SectionFactory, UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.redis]


def approved_issue():
    issue = IssueFactory(state=Issue.State.APPROVED)
    EntryFactory(section=SectionFactory(issue=issue), state="approved")
    return issue


def test_outputs_wait_in_the_database_while_the_broker_is_down(celery_worker_process, redis_url):
    cache.clear()
    publisher = UserFactory(roles=["Publisher"])
    issue = approved_issue()
    with celery_broker("redis://127.0.0.1:9/0"):  # nothing listens there
        issue_publish(issue=issue, user=publisher)
    before = public_cache_version()
    job = Job.objects.get(name="web.invalidate")
    assert job.status == Job.Status.PENDING

    with celery_broker(redis_url):
        assert jobs_sweep() >= 1
        wait_until(lambda: Job.objects.get(pk=job.pk).status == Job.Status.DONE)
    assert public_cache_version() == before + 1


def test_a_job_sent_twice_runs_once(celery_worker_process, redis_url):
    cache.clear()
    before = public_cache_version()
    job = Job.objects.create(name="web.invalidate", payload={}, run_after="2024-01-01T00:00Z")
    with celery_broker(redis_url):
        job_dispatch(job_id=job.pk)
        job_dispatch(job_id=job.pk)
        wait_until(lambda: Job.objects.get(pk=job.pk).status == Job.Status.DONE)
        wait_until(lambda: not __import__("redis").Redis.from_url(redis_url).llen("celery"))
    job.refresh_from_db()
    assert job.attempts == 1
    assert public_cache_version() == before + 1
