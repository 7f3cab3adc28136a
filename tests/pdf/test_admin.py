"""The PDF in the admin: failures with their error and a retry button, signed links, download
counts per issue, and the staff preview of a draft."""

import pytest
from django.urls import reverse

from bulletin.pdf.models import Download, Rendering, SignedLink
from tests.factories import EntryFactory, IssueFactory, SectionFactory, UserFactory, publish
from tests.pdf.conftest import read_pdf, squeeze

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(django_capture_on_commit_callbacks):
    issue = IssueFactory()
    EntryFactory(section=SectionFactory(issue=issue))
    with django_capture_on_commit_callbacks(execute=True):
        publish(issue)
    return issue


def english(client, user):
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def test_a_failed_rendering_shows_its_error_and_a_retry_button(client, published):
    rendering = Rendering.objects.get()
    Rendering.objects.filter(pk=rendering.pk).update(status="failed", error="OSError: disk full")
    english(client, UserFactory(roles=["Publisher"]))
    html = client.get(reverse("admin:pdf_rendering_change", args=[rendering.pk])).content.decode()
    assert "OSError: disk full" in html
    assert reverse("admin:pdf_rendering_retry", args=[rendering.pk]) in html


def test_the_retry_button_renders_again(client, published, django_capture_on_commit_callbacks):
    rendering = Rendering.objects.get()
    Rendering.objects.filter(pk=rendering.pk).update(status="failed", error="OSError: disk full")
    english(client, UserFactory(roles=["Publisher"]))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:pdf_rendering_retry", args=[rendering.pk]))
    rendering.refresh_from_db()
    assert rendering.status == Rendering.Status.DONE
    assert rendering.error == ""


def test_failed_renderings_are_listed_with_their_error(client, published):
    Rendering.objects.update(status="failed", error="KeyError: 'pdf/x'")
    english(client, UserFactory(roles=["Editor"]))
    html = client.get(reverse("admin:pdf_rendering_changelist"), {"status": "failed"}).content
    assert "KeyError: &#x27;pdf/x&#x27;" in html.decode()


def test_a_publisher_creates_a_signed_link_in_the_admin(client, published):
    english(client, UserFactory(roles=["Publisher"]))
    response = client.post(
        reverse("admin:pdf_signedlink_add"),
        {"issue": published.pk, "valid_days": 7, "note": "客户甲"},
        follow=True,
    )
    link = SignedLink.objects.get()
    assert link.token
    assert reverse("pdf:signed", args=[link.token]) in response.content.decode()


def test_a_link_longer_than_allowed_is_refused_in_the_form(client, published):
    english(client, UserFactory(roles=["Publisher"]))
    response = client.post(
        reverse("admin:pdf_signedlink_add"), {"issue": published.pk, "valid_days": 365}
    )
    assert response.status_code == 200
    assert not SignedLink.objects.exists()


def test_an_editor_cannot_create_signed_links(client, published):
    english(client, UserFactory(roles=["Editor"]))
    assert client.get(reverse("admin:pdf_signedlink_add")).status_code == 403


def test_the_admin_shows_download_counts_per_issue(client, published):
    rendering = Rendering.objects.get()
    Download.objects.bulk_create([Download(issue=published, rendering=rendering)] * 3)
    english(client, UserFactory(roles=["Publisher"]))
    response = client.get(reverse("admin:pdf_issuepdf_changelist"))
    issue = next(i for i in response.context["cl"].result_list if i.pk == published.pk)
    assert issue.download_count == 3


def test_staff_preview_a_draft_as_a_pdf(client):
    issue = IssueFactory()
    EntryFactory(section=SectionFactory(issue=issue), title="草稿标题-DRAFT-PREVIEW-3c9")
    english(client, UserFactory(roles=["Editor"]))
    response = client.get(reverse("pdf:preview", args=[issue.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    text = squeeze("".join(p.extract_text() for p in read_pdf(response.content).pages))
    assert "草稿标题-DRAFT-PREVIEW-3c9" in text


def test_a_preview_is_not_stored(client, pdf_root):
    issue = IssueFactory()
    EntryFactory(section=SectionFactory(issue=issue))
    english(client, UserFactory(roles=["Editor"]))
    client.get(reverse("pdf:preview", args=[issue.pk]))
    assert not Rendering.objects.exists()
    assert not pdf_root.exists() or not list(pdf_root.rglob("*"))


@pytest.mark.parametrize("staff", [False, True])
def test_the_preview_is_not_found_for_others(client, staff):
    issue = IssueFactory()
    if staff:  # staff without any role cannot view issues
        client.force_login(UserFactory())
    assert client.get(reverse("pdf:preview", args=[issue.pk])).status_code == 404
