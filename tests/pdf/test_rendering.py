"""Rendering as part of publishing: recorded, stored under its content hash, rendered once, from
the publication only; failures recorded, retried and swept."""

import datetime
import hashlib
import logging

import pytest
from django.conf import settings
from django.utils import timezone

from bulletin.models import Issue, Job
from bulletin.pdf import services
from bulletin.pdf.files import pdf_storage
from bulletin.pdf.models import Rendering
from bulletin.services.jobs import HANDLERS
from bulletin.services.publishing import issue_publish_correction
from bulletin.services.workflow import issue_transition
from entries.models import Entry
from tests.factories import EntryFactory, IssueFactory, SectionFactory, UserFactory, publish
from tests.pdf.conftest import read_pdf, squeeze

pytestmark = pytest.mark.django_db


def small_issue(**kwargs):
    issue = IssueFactory(**kwargs)
    EntryFactory(section=SectionFactory(issue=issue), title="已发布的标题")
    return issue


def publish_and_render(issue, capture):
    with capture(execute=True):
        publish(issue)
    return Rendering.objects.get(issue=issue)


def stored_text(rendering) -> str:
    with pdf_storage().open(rendering.file_name) as handle:
        reader = read_pdf(handle.read())
    return squeeze("".join(page.extract_text() for page in reader.pages))


def test_pdf_output_is_part_of_publishing():
    assert "pdf.render" in settings.BULLETIN_PUBLISH_OUTPUTS
    assert "pdf.render" in HANDLERS


def test_publishing_renders_and_stores_the_pdf(django_capture_on_commit_callbacks):
    rendering = publish_and_render(small_issue(), django_capture_on_commit_callbacks)
    assert rendering.status == Rendering.Status.DONE
    with pdf_storage().open(rendering.file_name) as handle:
        data = handle.read()
    assert data.startswith(b"%PDF-")
    assert rendering.size == len(data)
    assert rendering.sha256 == hashlib.sha256(data).hexdigest()
    assert rendering.pages == len(read_pdf(data).pages)
    assert rendering.started_at <= rendering.finished_at


def test_file_name_carries_the_content_hash(django_capture_on_commit_callbacks):
    rendering = publish_and_render(small_issue(), django_capture_on_commit_callbacks)
    assert rendering.content_hash[:16] in rendering.file_name
    assert rendering.file_name.endswith(".pdf")


def test_pdf_shows_the_publication_not_later_edits(django_capture_on_commit_callbacks):
    issue = small_issue()
    with django_capture_on_commit_callbacks(execute=True):
        publish(issue)
        Entry.objects.filter(issue=issue).update(title="UNPUBLISHED-EDIT-4b7d")
    rendering = Rendering.objects.get(issue=issue)
    text = stored_text(rendering)
    assert "已发布的标题" in text
    assert "UNPUBLISHED-EDIT-4b7d" not in text


def test_same_content_is_rendered_once(django_capture_on_commit_callbacks):
    rendering = publish_and_render(small_issue(), django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.rendering_request(issue_id=rendering.issue_id)
    assert callbacks == []
    assert Rendering.objects.get().attempts == 1


def test_a_second_run_of_the_same_rendering_does_nothing(django_capture_on_commit_callbacks):
    rendering = publish_and_render(small_issue(), django_capture_on_commit_callbacks)
    assert services.rendering_run(rendering_id=rendering.pk) is False
    assert Rendering.objects.get(pk=rendering.pk).attempts == 1


def test_a_correction_renders_a_new_pdf(django_capture_on_commit_callbacks):
    publisher = UserFactory(roles=["Publisher"])
    issue = small_issue()
    first = publish_and_render(issue, django_capture_on_commit_callbacks)
    issue_transition(issue=issue, user=publisher, action="open_correction", comment="标题有误")
    Entry.objects.filter(issue=issue).update(title="更正后的标题", state=Entry.State.APPROVED)
    with django_capture_on_commit_callbacks(execute=True):
        issue_publish_correction(issue=Issue.objects.get(pk=issue.pk), user=publisher)
    second = Rendering.objects.exclude(pk=first.pk).get(issue=issue)
    assert second.status == Rendering.Status.DONE
    assert second.file_name != first.file_name
    assert "更正后的标题" in stored_text(second)


def test_a_draft_issue_gets_no_rendering():
    assert services.rendering_request(issue_id=small_issue().pk) is None
    assert not Rendering.objects.exists()


def test_a_failure_is_recorded_with_its_error(
    settings, pdf_root, django_capture_on_commit_callbacks
):
    settings.PDF_VARIANT = "pdf/not-a-variant"
    rendering = publish_and_render(small_issue(), django_capture_on_commit_callbacks)
    assert rendering.status == Rendering.Status.FAILED
    assert "pdf/not-a-variant" in rendering.error
    assert rendering.finished_at is not None
    assert not list(pdf_root.rglob("*.pdf"))


def test_retry_renders_a_failed_rendering(settings, django_capture_on_commit_callbacks):
    settings.PDF_VARIANT = "pdf/not-a-variant"
    rendering = publish_and_render(small_issue(), django_capture_on_commit_callbacks)
    settings.PDF_VARIANT = "pdf/ua-1"
    with django_capture_on_commit_callbacks(execute=True):
        services.rendering_retry(rendering=rendering, user=UserFactory(roles=["Publisher"]))
    rendering.refresh_from_db()
    assert rendering.status == Rendering.Status.DONE
    assert rendering.error == ""


def test_an_author_may_not_retry():
    from django.core.exceptions import PermissionDenied

    rendering = Rendering(pk=1)
    with pytest.raises(PermissionDenied):
        services.rendering_retry(rendering=rendering, user=UserFactory(roles=["Author"]))


def test_sweep_renders_what_a_dead_worker_left_running(django_capture_on_commit_callbacks):
    issue = small_issue()
    with django_capture_on_commit_callbacks(execute=False):
        publish(issue)
    services.rendering_request(issue_id=issue.pk)  # its dispatch is never run: as if lost
    started = timezone.now() - datetime.timedelta(hours=1)
    Rendering.objects.update(status=Rendering.Status.RUNNING, started_at=started, attempts=1)
    assert services.renderings_sweep() == 1
    rendering = Rendering.objects.get()
    assert rendering.status == Rendering.Status.DONE
    assert rendering.attempts == 2


def test_sweep_leaves_a_rendering_that_is_still_running():
    issue = small_issue()
    publish(issue)
    services.rendering_request(issue_id=issue.pk)
    Rendering.objects.update(status=Rendering.Status.RUNNING, started_at=timezone.now())
    assert services.renderings_sweep() == 0
    assert Rendering.objects.get().status == Rendering.Status.RUNNING


def test_sweep_gives_up_after_repeated_deaths():
    issue = small_issue()
    publish(issue)
    services.rendering_request(issue_id=issue.pk)
    started = timezone.now() - datetime.timedelta(hours=1)
    Rendering.objects.update(
        status=Rendering.Status.RUNNING, started_at=started, attempts=services.MAX_ATTEMPTS
    )
    services.renderings_sweep()
    rendering = Rendering.objects.get()
    assert rendering.status == Rendering.Status.FAILED
    assert rendering.error


def test_sweep_retries_a_recent_failure_after_a_pause(settings, django_capture_on_commit_callbacks):
    settings.PDF_VARIANT = "pdf/not-a-variant"
    rendering = publish_and_render(small_issue(), django_capture_on_commit_callbacks)
    settings.PDF_VARIANT = "pdf/ua-1"
    assert services.renderings_sweep() == 0
    later = timezone.now() + datetime.timedelta(minutes=2)
    assert services.renderings_sweep(now=later) == 1
    assert Rendering.objects.get(pk=rendering.pk).status == Rendering.Status.DONE


def test_publish_job_is_done_once_the_rendering_is_recorded(django_capture_on_commit_callbacks):
    issue = small_issue()
    with django_capture_on_commit_callbacks(execute=True):
        publish(issue)
    assert Job.objects.get(name="pdf.render").status == Job.Status.DONE


def test_rendering_does_not_fall_back_to_fonttools(caplog, django_capture_on_commit_callbacks):
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        publish_and_render(small_issue(), django_capture_on_commit_callbacks)
    assert not [r for r in caplog.records if "fontTools" in r.getMessage()]
