"""Export and import of issues in the admin."""

import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bulletin.models import Issue
from bulletin.transfer.document import issue_export
from tests.factories import BulletinFactory, EntryFactory, IssueFactory, SectionFactory, UserFactory
from tests.transfer.texts import SAMPLE

pytestmark = pytest.mark.django_db
IMPORT_URL = "admin:bulletin_issue_import"


def issue_with_an_entry() -> Issue:
    issue = IssueFactory()
    EntryFactory(section=SectionFactory(issue=issue))
    return issue


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def test_issue_page_links_to_its_export(admin_client):
    issue = IssueFactory()
    html = admin_client.get(reverse("admin:bulletin_issue_change", args=[issue.pk])).content
    assert reverse("admin:bulletin_issue_export", args=[issue.pk]).encode() in html


def test_issue_list_links_to_the_import_page(admin_client):
    html = admin_client.get(reverse("admin:bulletin_issue_changelist")).content
    assert reverse(IMPORT_URL).encode() in html


def test_import_page_offers_the_file_and_the_bulletin(admin_client):
    html = admin_client.get(reverse(IMPORT_URL)).content.decode()
    assert ('type="file"' in html, 'name="bulletin"' in html) == (True, True)


def test_export_downloads_the_issues_document(admin_client):
    issue = issue_with_an_entry()
    response = admin_client.get(reverse("admin:bulletin_issue_export", args=[issue.pk]))
    assert response["Content-Disposition"] == (
        f'attachment; filename="{issue.bulletin.slug}-{issue.slug}.json"'
    )
    assert json.loads(response.content)["issue"]["sections"][0]["entries"][0]["title"]


def test_export_needs_permission_to_view_the_issue(client):
    client.force_login(UserFactory(username="staff-without-role"))
    issue = IssueFactory()
    response = client.get(reverse("admin:bulletin_issue_export", args=[issue.pk]))
    assert response.status_code == 403


def test_action_exports_several_issues_as_a_zip(admin_client):
    first, second = issue_with_an_entry(), issue_with_an_entry()
    response = admin_client.post(
        reverse("admin:bulletin_issue_changelist"),
        {"action": "export_documents", "_selected_action": [first.pk, second.pk]},
    )
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert sorted(names) == sorted(f"{i.bulletin.slug}-{i.slug}.json" for i in (first, second))


def test_import_page_imports_an_exported_issue(admin_client):
    document = issue_export(issue=issue_with_an_entry())
    document["issue"]["slug"] = "copy"
    file = upload("issue.json", json.dumps(document).encode())
    response = admin_client.post(reverse(IMPORT_URL), {"file": file})
    copy = Issue.objects.get(slug="copy")
    assert (copy.state, copy.entries.count()) == ("draft", 1)
    assert reverse("admin:bulletin_issue_change", args=[copy.pk]).encode() in response.content


def test_import_page_imports_a_text_and_shows_its_report(admin_client):
    bulletin = BulletinFactory(firm_name="示例律师事务所")
    file = upload("back-issue.txt", SAMPLE.encode())
    response = admin_client.post(reverse(IMPORT_URL), {"file": file, "bulletin": bulletin.pk})
    assert "line 75: 主办单位：示例市数据局" in response.content.decode()
    assert Issue.objects.get(bulletin=bulletin).entries.count() == 4


def test_import_page_dry_run_writes_nothing(admin_client):
    bulletin = BulletinFactory()
    file = upload("back-issue.txt", SAMPLE.encode())
    data = {"file": file, "bulletin": bulletin.pk, "dry_run": "on"}
    response = admin_client.post(reverse(IMPORT_URL), data)
    assert "dry run" in response.content.decode()
    assert not Issue.objects.exists()


def test_import_page_asks_for_the_bulletin_of_a_text(admin_client):
    file = upload("back-issue.txt", SAMPLE.encode())
    response = admin_client.post(reverse(IMPORT_URL), {"file": file})
    assert "Choose the bulletin" in response.content.decode()
    assert not Issue.objects.exists()


def test_import_page_refuses_a_file_that_is_not_utf8(admin_client):
    bulletin = BulletinFactory()
    file = upload("back-issue.txt", SAMPLE.encode("gb18030"))
    response = admin_client.post(reverse(IMPORT_URL), {"file": file, "bulletin": bulletin.pk})
    assert "not UTF-8" in response.content.decode()
    assert not Issue.objects.exists()


def test_import_page_shows_why_an_import_failed(admin_client):
    document = issue_export(issue=issue_with_an_entry())
    file = upload("issue.json", json.dumps(document).encode())
    response = admin_client.post(reverse(IMPORT_URL), {"file": file})
    assert "already has an issue with the slug" in response.content.decode()
    assert Issue.objects.count() == 1


def test_an_author_may_not_open_the_import_page(client):
    client.force_login(UserFactory(username="author", roles=["Author"]))
    assert client.get(reverse(IMPORT_URL)).status_code == 403


MARKUP = "<script>alert(1)</script>"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("back-issue.txt", f"一、{MARKUP}\n1. {MARKUP}\n摘要：\n{MARKUP}\n{MARKUP}：值\n".encode()),
        ("back-issue.txt", b"\xff\xfe\x00<script>"),
        ("issue.json", json.dumps({"format": MARKUP, "version": 1}).encode()),
        ("issue.json", b"{" + MARKUP.encode()),
        ("back-issue.txt", ("版权" * 50_000).encode()),
    ],
)
def test_import_page_survives_hostile_files(admin_client, name, content):
    bulletin = BulletinFactory()
    response = admin_client.post(
        reverse(IMPORT_URL), {"file": upload(name, content), "bulletin": bulletin.pk}
    )
    assert response.status_code == 200
    assert MARKUP not in response.content.decode()
    assert not Issue.objects.exists()
