"""CSV import and export of subscribers: every line accounted for, bad rows reported with their
line and reason, duplicates merged, nobody who left subscribed again."""

import pytest

from bulletin.mailing.models import Consent, Subscriber, Subscription
from bulletin.mailing.services.imports import ImportFileError, subscribers_import
from bulletin.mailing.services.subscribers import Origin
from tests.factories import BulletinFactory, UserFactory
from tests.mailing.factories import SubscriptionFactory

pytestmark = pytest.mark.django_db

CSV = """email,name,organisation,language
ok@example.com,王一,甲公司,zh-hans
not-an-address,李二,,en
,张三,,
ok@example.com,王一,甲公司,
en@example.com,Smith,ACME,en
lang@example.com,赵四,,klingon
short@example.com,only two cells

left@example.com,刘五,,
"""


@pytest.fixture
def bulletin():
    return BulletinFactory()


def run_import(bulletin, data=CSV, user=None):
    user = user or UserFactory(roles=["Publisher"])
    return subscribers_import(
        data=data.encode() if isinstance(data, str) else data,
        bulletin=bulletin,
        consent_text="Signed up at the 2024 seminar",
        origin=Origin(route="import", actor=user),
    )


@pytest.fixture
def report(bulletin):
    SubscriptionFactory(
        bulletin=bulletin, subscriber__email="left@example.com", status="unsubscribed"
    )
    return run_import(bulletin)


def test_every_line_is_accounted_for(report):
    assert report.lines == len(CSV.splitlines()) - 1  # all but the header


def test_each_rejected_row_has_its_line_number_and_reason(report):
    rejected = {line: reason for line, _content, reason in report.rejected}
    assert set(rejected) == {3, 4, 5, 7, 8, 9}
    assert "line 2" in rejected[5]  # the duplicate names the first occurrence
    assert "klingon" in rejected[7]
    assert "cells" in rejected[8]


def test_valid_rows_are_added_as_confirmed(report, bulletin):
    assert [email for _line, email in report.added] == ["ok@example.com", "en@example.com"]
    statuses = dict(
        Subscription.objects.filter(bulletin=bulletin).values_list("subscriber__email", "status")
    )
    assert statuses["ok@example.com"] == statuses["en@example.com"] == "confirmed"
    assert Subscriber.objects.get(email="en@example.com").language == "en"


def test_an_address_that_unsubscribed_is_not_subscribed_again(report):
    assert [email for _line, email, _reason in report.unchanged] == ["left@example.com"]
    assert Subscription.objects.get(subscriber__email="left@example.com").status == "unsubscribed"


def test_the_import_is_recorded_as_the_route_of_consent(bulletin):
    user = UserFactory(roles=["Publisher"])
    run_import(bulletin, "email\nok@example.com\n", user=user)
    consent = Consent.objects.get()
    assert (consent.route, consent.action, consent.actor) == ("import", "confirmed", user)
    assert consent.text == "Signed up at the 2024 seminar"


def test_an_existing_subscriber_is_added_to_another_bulletin(bulletin):
    SubscriptionFactory(subscriber__email="ok@example.com", bulletin=BulletinFactory(slug="b2"))
    report = run_import(bulletin, "email\nOK@example.com\n")
    assert report.added == [(2, "ok@example.com")]
    assert Subscriber.objects.count() == 1


def test_a_gb18030_file_from_a_chinese_spreadsheet_is_read(bulletin):
    report = run_import(bulletin, "邮箱,姓名\ncn@example.com,王一\n".encode("gb18030"))
    assert report.added == [(2, "cn@example.com")]
    assert Subscriber.objects.get().name == "王一"


def test_a_file_without_an_email_column_is_refused(bulletin):
    with pytest.raises(ImportFileError):
        run_import(bulletin, "name,organisation\n王一,甲公司\n")


def test_the_admin_shows_the_report(admin_client, bulletin):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("list.csv", CSV.encode(), content_type="text/csv")
    response = admin_client.post(
        "/admin/mailing/subscriber/import/",
        {"bulletin": bulletin.pk, "file": upload, "consent_text": "Seminar sign-up sheet"},
    )
    assert response.status_code == 200
    assert response.context["report"].lines == 9
    assert b"import-rejected" in response.content


def test_the_csv_export_neutralises_formulas(admin_client, bulletin):
    SubscriptionFactory(bulletin=bulletin, subscriber__name="=HYPERLINK(1)")
    response = admin_client.get("/admin/mailing/subscriber/export/")
    body = b"".join(response.streaming_content).decode()
    assert "'=HYPERLINK(1)" in body
    assert body.lstrip("\ufeff").startswith("email,name,organisation")


def test_staff_changes_to_subscribers_need_a_publisher(bulletin):
    """An import, an addition, an unsubscription or an erasure made in the admin is refused to a
    user without the publisher role, and writes nothing; a publisher's goes through."""
    from django.core.exceptions import PermissionDenied

    from bulletin.mailing.services import subscribers as services

    subscription = SubscriptionFactory(bulletin=bulletin, subscriber__email="kept@example.com")
    editor, publisher = UserFactory(roles=["Editor"]), UserFactory(roles=["Publisher"])
    as_editor = Origin(route="admin", actor=editor)
    calls = [
        lambda origin: run_import(bulletin, "email\nnew@example.com\n", user=origin.actor),
        lambda origin: services.subscriber_add(
            bulletin=bulletin, email="added@example.com", consent_text="paper form", origin=origin
        ),
        lambda origin: services.subscription_unsubscribe(
            subscriber=subscription.subscriber, bulletin_id=bulletin.pk, origin=origin
        ),
        lambda origin: services.subscriber_delete(
            subscriber=subscription.subscriber, origin=origin
        ),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call(as_editor)
    assert list(Subscriber.objects.values_list("email", flat=True)) == ["kept@example.com"]
    assert Subscription.objects.get().status == subscription.status
    for call in calls:
        call(Origin(route="admin", actor=publisher))
    assert sorted(Subscriber.objects.values_list("email", flat=True)) == [
        "added@example.com",
        "new@example.com",
    ]
