"""The email admin: progress, pause, resume, cancel, retry, an explicit send, a test to me."""

import pytest

from bulletin.mailing.models import Delivery, Send
from bulletin.mailing.services.sending import (
    SendError,
    send_actions_allowed,
    send_create,
    send_pause,
)
from tests.factories import BulletinFactory, IssueFactory, UserFactory, publish
from tests.mailing.factories import SubscriptionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def send(smtp):
    bulletin = BulletinFactory()
    SubscriptionFactory(bulletin=bulletin)
    SubscriptionFactory(bulletin=bulletin)
    return send_create(issue=publish(IssueFactory(bulletin=bulletin)), user=None)


def act(client, send, action):
    return client.post(f"/admin/mailing/send/{send.pk}/{action}/")


def test_the_send_page_shows_its_progress(admin_client, send):
    response = admin_client.get(f"/admin/mailing/send/{send.pk}/change/")
    assert response.status_code == 200
    progress = response.context["progress"]
    assert (progress.total, progress.queued, progress.sent) == (2, 2, 0)
    assert b'id="send-progress"' in response.content
    assert b"<progress" in response.content and b'id="progress-none"' not in response.content


@pytest.mark.parametrize(
    ("language", "says"),
    [("en", "Nobody was to receive this send"), ("zh-hans", "本次发送没有收件人")],
)
def test_a_send_to_nobody_says_so_instead_of_a_full_bar(admin_client, smtp, language, says):
    send = send_create(issue=publish(IssueFactory(bulletin=BulletinFactory())), user=None)
    page = admin_client.get(
        f"/admin/mailing/send/{send.pk}/change/", HTTP_ACCEPT_LANGUAGE=language
    ).content.decode()
    assert send.total == 0
    assert 'id="send-progress"' in page and 'id="progress-none"' in page and says in page
    assert "<progress" not in page and 'id="progress-total"' not in page


def test_a_publisher_pauses_and_resumes_a_send(admin_client, send):
    act(admin_client, send, "pause")
    send.refresh_from_db()
    assert send.status == Send.Status.PAUSED
    act(admin_client, send, "resume")
    send.refresh_from_db()
    assert send.status == Send.Status.SENDING


def test_cancelling_skips_what_was_not_sent(admin_client, send):
    act(admin_client, send, "cancel")
    send.refresh_from_db()
    assert send.status == Send.Status.CANCELLED
    assert set(Delivery.objects.values_list("status", flat=True)) == {"skipped"}


def test_retry_queues_only_the_failed_deliveries(admin_client, send):
    failed, sent = Delivery.objects.filter(send=send).order_by("pk")
    Delivery.objects.filter(pk=failed.pk).update(status="failed", attempts=5)
    Delivery.objects.filter(pk=sent.pk).update(status="sent")
    Send.objects.filter(pk=send.pk).update(status="done")
    act(admin_client, send, "retry")
    statuses = dict(Delivery.objects.values_list("pk", "status"))
    assert statuses == {failed.pk: "queued", sent.pk: "sent"}


@pytest.mark.parametrize(
    ("status", "failed", "allowed"),
    [
        (Send.Status.SENDING, 0, ["pause", "cancel"]),
        (Send.Status.PAUSED, 0, ["resume", "cancel"]),
        (Send.Status.PAUSED, 3, ["resume", "cancel", "retry"]),
        (Send.Status.DONE, 3, ["retry"]),
        (Send.Status.DONE, 0, []),
        (Send.Status.CANCELLED, 3, []),
    ],
)
def test_a_send_offers_the_actions_its_status_allows(status, failed, allowed):
    assert send_actions_allowed(send=Send(status=status), failed=failed) == allowed


def test_the_send_page_shows_the_buttons_the_sending_service_allows(admin_client, send):
    Send.objects.filter(pk=send.pk).update(status=Send.Status.PAUSED)
    html = admin_client.get(f"/admin/mailing/send/{send.pk}/change/").content.decode()
    assert "send-action--resume" in html and "send-action--cancel" in html
    assert "send-action--pause" not in html and "send-action--retry" not in html


def test_an_action_the_page_does_not_offer_is_refused_by_the_service(send):
    Send.objects.filter(pk=send.pk).update(status=Send.Status.DONE)
    send.refresh_from_db()
    assert "pause" not in send_actions_allowed(send=send, failed=0)
    with pytest.raises(SendError, match="Only a send under way"):
        send_pause(send=send, user=None)


def test_an_action_needs_a_post(admin_client, send):
    assert admin_client.get(f"/admin/mailing/send/{send.pk}/pause/").status_code == 405


def test_someone_who_is_not_a_publisher_cannot_pause(client, send):
    client.force_login(UserFactory(roles=["Editor"]))
    act(client, send, "pause")
    send.refresh_from_db()
    assert send.status == Send.Status.SENDING


def test_a_publisher_sends_a_published_issue_explicitly(admin_client, smtp):
    bulletin = BulletinFactory()
    SubscriptionFactory(bulletin=bulletin)
    issue = publish(IssueFactory(bulletin=bulletin))
    response = admin_client.post("/admin/mailing/send/add/", {"issue": issue.pk})
    assert response.status_code == 302
    assert Send.objects.get(issue=issue).total == 1


def test_send_a_test_to_me_reaches_only_me(admin_client, admin_user, smtp):
    bulletin = BulletinFactory()
    SubscriptionFactory(bulletin=bulletin)
    issue = publish(IssueFactory(bulletin=bulletin))
    response = admin_client.post("/admin/mailing/send/test/", {"issue": issue.pk})
    assert response.status_code == 302
    assert smtp.per_recipient() == {admin_user.email: 1}
    assert smtp.received[0].message["Subject"].startswith("[TEST]")


def test_a_draft_cannot_be_sent_as_a_test(admin_client, smtp):
    response = admin_client.post("/admin/mailing/send/test/", {"issue": IssueFactory().pk})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert smtp.per_recipient() == {}


def test_the_email_preview_shows_a_draft_to_staff(admin_client):
    issue = IssueFactory(title="草稿期刊")
    response = admin_client.get(f"/admin/mailing/send/preview/{issue.pk}/")
    # The title's last two characters are kept together on one line.
    assert '草稿<span style="white-space: nowrap;">期刊</span>' in response.content.decode()


def test_the_subscriber_list_searches_and_filters(admin_client):
    SubscriptionFactory(subscriber__email="findme@example.com")
    SubscriptionFactory(status="unsubscribed")
    response = admin_client.get(
        "/admin/mailing/subscriber/", {"q": "findme", "subscriptions__status": "confirmed"}
    )
    assert [s.email for s in response.context["cl"].result_list] == ["findme@example.com"]


def test_the_admin_downloads_a_subscribers_data(admin_client):
    subscription = SubscriptionFactory()
    response = admin_client.get(f"/admin/mailing/subscriber/{subscription.subscriber_id}/data/")
    assert response.json()["email"] == subscription.subscriber.email


def test_the_admin_adds_a_subscriber_with_their_consent(admin_client):
    bulletin = BulletinFactory()
    response = admin_client.post(
        "/admin/mailing/subscriber/add/",
        {
            "bulletin": bulletin.pk,
            "email": "phone@example.com",
            "language": "zh-hans",
            "consent_text": "Asked by phone on 1 August",
        },
    )
    assert response.status_code == 302
    from bulletin.mailing.models import Consent

    consent = Consent.objects.get()
    assert (consent.route, consent.text) == ("admin", "Asked by phone on 1 August")


def test_a_publisher_sees_the_sends(client, send):
    client.force_login(UserFactory(roles=["Publisher"]))
    assert client.get("/admin/mailing/send/").status_code == 200


def test_an_editor_does_not_see_subscribers(client):
    client.force_login(UserFactory(roles=["Editor"]))
    assert client.get("/admin/mailing/subscriber/").status_code == 403
