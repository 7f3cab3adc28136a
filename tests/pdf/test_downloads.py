"""Who may download an issue's PDF: everyone, partners only, or holders of a signed link."""

import pytest
from django.urls import reverse

from bulletin.models import Issue
from bulletin.pdf import selectors
from bulletin.pdf.models import Download, Rendering
from bulletin.services.workflow import issue_transition
from tests.factories import BulletinFactory, EntryFactory, IssueFactory, SectionFactory, UserFactory
from tests.factories import publish as publish_issue

pytestmark = pytest.mark.django_db


@pytest.fixture
def render(django_capture_on_commit_callbacks):
    """Publish an issue and render its PDF, as the publishing hook does."""

    def render(**kwargs) -> Issue:
        issue = IssueFactory(**kwargs)
        EntryFactory(section=SectionFactory(issue=issue))
        with django_capture_on_commit_callbacks(execute=True):
            publish_issue(issue)
        assert Rendering.objects.get(issue=issue).status == Rendering.Status.DONE
        return issue

    return render


def url(issue) -> str:
    return selectors.pdf_download(issue).url


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_anyone_downloads_an_open_pdf(client, render):
    issue = render()
    response = client.get(url(issue))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="AI-Monthly-2024-08.pdf"'
    assert response["Cache-Control"].startswith("public")
    assert body(response).startswith(b"%PDF-")


def test_each_download_is_logged(client, render):
    issue = render()
    client.get(url(issue))
    client.get(url(issue))
    assert Download.objects.filter(issue=issue, user=None, link=None).count() == 2


def test_a_head_request_is_not_counted(client, render):
    issue = render()
    assert client.head(url(issue)).status_code == 200
    assert not Download.objects.exists()


def test_partners_only_pdf_sends_anonymous_visitors_to_sign_in(client, render):
    issue = render(partners_only=True)
    response = client.get(url(issue))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")
    assert not Download.objects.exists()


def test_partners_only_pdf_is_forbidden_to_other_users(client, render):
    issue = render(partners_only=True)
    client.force_login(UserFactory(roles=["Editor"]))
    response = client.get(url(issue))
    assert response.status_code == 403
    assert b"%PDF" not in response.content
    assert not Download.objects.exists()


def test_a_partner_downloads_a_partners_only_pdf(client, render):
    issue = render(partners_only=True)
    partner = UserFactory(roles=["Partner"])
    client.force_login(partner)
    response = client.get(url(issue))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert body(response).startswith(b"%PDF-")
    assert Download.objects.get().user == partner


def test_a_partners_only_bulletin_restricts_its_issues(client, render):
    issue = render(bulletin=BulletinFactory(slug="clients-monthly", partners_only=True))
    assert client.get(url(issue)).status_code == 302


def test_a_draft_issue_has_no_pdf(client):
    issue = IssueFactory()
    assert selectors.pdf_download(issue) is None
    address = reverse(
        "pdf:download", kwargs={"bulletin": "ai-monthly", "slug": issue.slug, "key": "0" * 16}
    )
    assert client.get(address).status_code == 404


def test_no_address_while_the_pdf_is_being_rendered():
    issue = IssueFactory()
    EntryFactory(section=SectionFactory(issue=issue))
    publish_issue(issue)  # its outputs run after the commit, which never comes here
    assert selectors.pdf_download(issue) is None


def test_address_is_found_from_published_content(render):
    issue = render()
    content = {"id": issue.pk, "slug": issue.slug}
    assert selectors.pdf_download(content).url == url(issue)


def test_a_withdrawn_issue_pdf_is_gone(client, render):
    issue = render()
    address = url(issue)
    issue_transition(
        issue=issue, user=UserFactory(roles=["Publisher"]), action="withdraw", comment="撤回"
    )
    assert client.get(address).status_code == 404


def test_an_outdated_address_leads_to_the_current_pdf(client, render):
    issue = render()
    current = url(issue)
    outdated = current.replace(current[-20:-4], "f" * 16)
    response = client.get(outdated)
    assert response.status_code == 302
    assert response["Location"] == current


def test_the_lasting_address_leads_to_the_current_pdf(client, render):
    issue = render()
    lasting = reverse("pdf:latest", kwargs={"bulletin": issue.bulletin.slug, "slug": issue.slug})
    response = client.get(lasting)
    assert response.status_code == 302 and response["Location"] == url(issue)


def test_the_lasting_address_of_an_unrendered_pdf_is_not_found(client):
    issue = IssueFactory()
    lasting = reverse("pdf:latest", kwargs={"bulletin": issue.bulletin.slug, "slug": issue.slug})
    assert client.get(lasting).status_code == 404
