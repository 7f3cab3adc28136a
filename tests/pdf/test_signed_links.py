"""Signed links a publisher hands out: they open a partners-only PDF until they expire."""

import time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.signing import TimestampSigner
from django.urls import reverse

from bulletin.pdf import services
from bulletin.pdf.models import Download, Rendering
from bulletin.services.workflow import issue_transition
from tests.factories import EntryFactory, IssueFactory, SectionFactory, UserFactory, publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def issue(django_capture_on_commit_callbacks):
    issue = IssueFactory(partners_only=True)
    EntryFactory(section=SectionFactory(issue=issue))
    with django_capture_on_commit_callbacks(execute=True):
        publish(issue)
    assert Rendering.objects.get(issue=issue).status == Rendering.Status.DONE
    return issue


@pytest.fixture
def publisher():
    return UserFactory(roles=["Publisher"])


def address(link) -> str:
    return reverse("pdf:signed", args=[link.token])


def test_a_signed_link_opens_a_partners_only_pdf(client, issue, publisher):
    link = services.signed_link_create(issue=issue, user=publisher, valid_days=7, note="客户甲")
    response = client.get(address(link))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_a_download_through_a_link_is_logged_with_the_link(client, issue, publisher):
    link = services.signed_link_create(issue=issue, user=publisher, valid_days=7)
    client.get(address(link))
    assert Download.objects.get().link == link


def test_an_expired_link_is_refused(client, issue, publisher, monkeypatch):
    eight_days_ago = time.time() - 8 * 24 * 3600
    with monkeypatch.context() as patch:
        patch.setattr("django.core.signing.time.time", lambda: eight_days_ago)
        link = services.signed_link_create(issue=issue, user=publisher, valid_days=7)
    response = client.get(address(link))
    assert response.status_code == 403
    assert zh("This link has expired. Ask us for a new one.") in response.content.decode()
    assert not Download.objects.exists()


def test_a_link_within_its_days_is_accepted(client, issue, publisher, monkeypatch):
    six_days_ago = time.time() - 6 * 24 * 3600
    with monkeypatch.context() as patch:
        patch.setattr("django.core.signing.time.time", lambda: six_days_ago)
        link = services.signed_link_create(issue=issue, user=publisher, valid_days=7)
    assert client.get(address(link)).status_code == 200


def test_an_altered_link_is_refused(client, issue, publisher):
    link = services.signed_link_create(issue=issue, user=publisher, valid_days=7)
    token = link.token[:-1] + ("A" if link.token[-1] != "A" else "B")
    response = client.get(reverse("pdf:signed", args=[token]))
    assert response.status_code == 403
    assert zh("This link is not valid.") in response.content.decode()


def test_a_link_signed_with_another_key_is_refused(client, issue):
    forged = TimestampSigner(key="not-our-secret", salt=services.LINK_SALT).sign_object(
        {"link": 1, "issue": issue.pk}
    )
    assert client.get(reverse("pdf:signed", args=[forged])).status_code == 403


def test_a_revoked_link_is_refused(client, issue, publisher):
    link = services.signed_link_create(issue=issue, user=publisher, valid_days=7)
    services.signed_link_revoke(link=link, user=publisher)
    assert client.get(address(link)).status_code == 403


def test_a_link_to_a_withdrawn_issue_finds_nothing(client, issue, publisher):
    link = services.signed_link_create(issue=issue, user=publisher, valid_days=7)
    issue_transition(issue=issue, user=publisher, action="withdraw", comment="撤回")
    assert client.get(address(link)).status_code == 404


def test_only_publishers_create_links(issue):
    with pytest.raises(PermissionDenied):
        services.signed_link_create(issue=issue, user=UserFactory(roles=["Editor"]), valid_days=7)


@pytest.mark.parametrize("days", [0, 31])
def test_a_link_lives_one_to_thirty_days(issue, publisher, days):
    with pytest.raises(ValidationError):
        services.signed_link_create(issue=issue, user=publisher, valid_days=days)


def test_a_draft_issue_cannot_be_shared(publisher):
    with pytest.raises(ValidationError):
        services.signed_link_create(issue=IssueFactory(), user=publisher, valid_days=7)


def zh(message: str) -> str:
    """The message as the (Chinese by default) download pages say it."""
    from django.utils import translation

    with translation.override("zh-hans"):
        return translation.gettext(message)
