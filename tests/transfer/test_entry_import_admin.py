"""The admin's page to import one entry from a Word file: offered on the issue's page to whoever
may add entries to it, refused to others, and clear about a file it refuses."""

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bulletin.transfer.models import EntryImport
from entries.models import Entry
from tests.factories import IssueFactory, SectionFactory, UserFactory
from tests.transfer.test_pdf_word_import import zip_bomb
from tests.transfer.wordfiles import entry_docx, entry_spec

pytestmark = pytest.mark.django_db
LINK = "Import an entry from Word"


@pytest.fixture
def section():
    issue = IssueFactory()
    SectionFactory(issue=issue, position=1, title="最新法律与监管动态")
    return SectionFactory(issue=issue, position=2, title="最新行业动态")


def as_user(client, role: str):
    user = UserFactory(username=role.lower(), roles=[role])
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return user


def url(issue) -> str:
    return reverse("admin:bulletin_issue_import_entry", args=[issue.pk])


def post(client, section, content: bytes, *, token=None, name="entry.docx"):
    data = {
        "section": section.pk,
        "file": SimpleUploadedFile(name, content),
        "token": str(token or uuid.uuid4()),
    }
    return client.post(url(section.issue), data, follow=True)


def test_the_issue_page_offers_the_import_to_an_author(client, section):
    as_user(client, "Author")
    page = client.get(reverse("admin:bulletin_issue_change", args=[section.issue.pk]))
    assert page.status_code == 200 and LINK in page.content.decode()
    form = client.get(url(section.issue)).content.decode()
    assert "最新行业动态" in form and 'name="token"' in form and 'accept=".docx' in form


def test_a_reader_is_not_offered_the_import_and_is_refused(client, section):
    as_user(client, "Reviewer")
    page = client.get(reverse("admin:bulletin_issue_change", args=[section.issue.pk]))
    assert page.status_code == 200 and LINK not in page.content.decode()
    assert "Export as JSON" in page.content.decode()  # the page is there, without the link
    assert client.get(url(section.issue)).status_code == 403
    assert post(client, section, entry_docx(entry_spec(1))).status_code == 403
    assert not Entry.objects.exists()


def test_an_author_imports_an_entry_and_lands_on_it(client, section):
    author = as_user(client, "Author")
    spec = entry_spec(4) | {"commentary": "本所短评", "authors": ["林青山"]}
    response = post(client, section, entry_docx(spec))
    entry = Entry.objects.get()
    assert response.redirect_chain[-1][0] == reverse("admin:entries_entry_change", args=[entry.pk])
    page = response.content.decode()
    assert f"Imported “{entry.title}” into “最新行业动态”" in page
    assert spec["links"][0][2].replace("&", "&amp;") in page  # the links inline
    assert "值得企业关注" in page  # the commentary inline
    assert (entry.section, entry.created_by, entry.state) == (section, author, "draft")
    record = EntryImport.objects.get()
    report = client.get(reverse("admin:bulletin_issue_import_entry_result", args=[record.pk]))
    assert "Open the imported entry" in report.content.decode()
    assert "entry.docx" in report.content.decode()


def test_the_report_is_only_for_whoever_imported(client, section):
    as_user(client, "Author")
    post(client, section, entry_docx(entry_spec(4)))
    record = EntryImport.objects.get()
    as_user(client, "Editor")
    result = reverse("admin:bulletin_issue_import_entry_result", args=[record.pk])
    assert client.get(result).status_code == 404


def test_a_double_submit_of_the_form_imports_once(client, section):
    as_user(client, "Author")
    token, content = uuid.uuid4(), entry_docx(entry_spec(9))
    post(client, section, content, token=token)
    second = post(client, section, content, token=token)
    assert Entry.objects.count() == 1
    assert "already sent" in second.content.decode()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"%PDF-1.7\n", "The file is not a Word document (.docx)."),
        (zip_bomb(), "unpacks to more than"),
        (b"just text", "The file is not a Word document (.docx)."),
    ],
    ids=["pdf", "zip-bomb", "text"],
)
def test_a_file_that_is_not_a_harmless_docx_is_refused_on_the_form(
    client, section, content, message
):
    as_user(client, "Author")
    page = post(client, section, content).content.decode()
    assert message in page and 'class="errorlist' in page
    assert not Entry.objects.exists() and not EntryImport.objects.exists()


def test_a_file_with_two_entries_shows_why_and_writes_nothing(client, section):
    import docx

    from tests.transfer.wordfiles import save

    document = docx.Document()
    for n in (1, 2):
        document.add_paragraph(f"{n}. 第 {n} 条")
        document.add_paragraph(f"发布日期：2024 年 8 月 {n} 日")
        document.add_paragraph("摘要：摘要。")
    as_user(client, "Author")
    page = post(client, section, save(document)).content.decode()
    assert "The import failed; nothing was written." in page
    assert "The file holds 2 entries" in page and "transfer-report" in page
    assert not Entry.objects.exists()


def test_a_file_over_the_limit_is_refused(client, section, settings):
    settings.IMPORT_MAX_BYTES = 1000
    as_user(client, "Author")
    page = post(client, section, entry_docx(entry_spec(1))).content.decode()
    assert "an import takes files of" in page
    assert not Entry.objects.exists()


def test_a_section_of_another_issue_is_not_a_choice(client, section):
    as_user(client, "Author")
    other = SectionFactory(position=1)
    data = {"section": other.pk, "file": SimpleUploadedFile("e.docx", entry_docx(entry_spec(1)))}
    page = client.post(url(section.issue), {**data, "token": str(uuid.uuid4())}).content.decode()
    assert "Select a valid choice" in page
    assert not Entry.objects.exists()
