"""A back issue's English edition, printed apart, imported as the English translation of the
existing issue: entries matched by their links first, then by position; drafts written through
the translation services; the Chinese text untouched; what matches nothing reported."""

from io import StringIO
from pathlib import Path

import docx
import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from bulletin.transfer.translations import (
    issue_import_translation_file,
    issue_import_translation_text,
)
from bulletin.translation.models import Translation
from entries.models import Entry
from tests.factories import (
    EntryFactory,
    EntryLinkFactory,
    IssueFactory,
    SectionFactory,
    UserFactory,
)
from tests.transfer.texts import pdf_text
from tests.transfer.wordfiles import marked_paragraph, save

pytestmark = pytest.mark.django_db
T = Translation.State
LINES = (Path(__file__).parent / "english_edition.txt").read_text(encoding="utf-8")
ENGLISH = pdf_text("\n".join(line for line in LINES.split("\n") if line.strip()))


@pytest.fixture
def issue():
    """Two sections; the industry entry with the text's link is second in its section here, and
    the first has another link: matching by link must beat matching by position."""
    issue = IssueFactory(slug="2024-09")
    laws = SectionFactory(issue=issue, position=1, title="最新法律与监管动态")
    industry = SectionFactory(issue=issue, position=2, title="最新行业动态")
    act = EntryFactory(section=laws, position=1, title="示例国议会通过《人工智能责任法案》")
    EntryLinkFactory(entry=act, position=1, url="https://parliament.example.org/bills/ai-liability")
    EntryFactory(section=laws, position=2, title="示例市数据局发布指引")
    other = EntryFactory(section=industry, position=1, title="另一条行业动态")
    EntryLinkFactory(entry=other, position=1, url="https://other.example.com/")
    model = EntryFactory(section=industry, position=2, title="示例科技发布开源多模态模型")
    EntryLinkFactory(entry=model, position=1, url="https://tech.example.com/blog/open-model")
    return issue


@pytest.fixture
def editor():
    return UserFactory(username="editor", roles=["Editor"])


def entry(issue, section, position) -> Entry:
    return issue.entries.get(section__position=section, position=position)


def english(subject) -> Translation:
    kind = "issue" if subject.__class__.__name__ == "Issue" else "entry"
    return Translation.objects.get(**{kind: subject}, language="en")


def test_entries_are_matched_by_links_then_by_position(issue, editor):
    result = issue_import_translation_text(issue=issue, language="en", text=ENGLISH, user=editor)
    assert (result.matched_by_links, result.matched_by_position) == (2, 1)
    model = english(entry(issue, 2, 2))
    assert model.texts["title"] == "Example Tech releases an open multimodal model"
    act = english(entry(issue, 1, 1))
    assert act.texts["title"] == "Parliament of Example passes the AI Liability Act"
    assert english(entry(issue, 1, 2)).texts["source"] == "Example City Data Bureau"
    assert result.unmatched == ["2.2 An entry that the issue does not have"]
    assert result.untranslated == ["2.1 另一条行业动态"]
    assert not Translation.objects.filter(entry=entry(issue, 2, 1)).exists()


def test_section_titles_become_the_issues_translation(issue, editor):
    issue_import_translation_text(issue=issue, language="en", text=ENGLISH, user=editor)
    texts = english(issue).texts
    assert "Latest Industry Developments" in texts.values()
    assert "Latest Legal and Regulatory Developments" in texts.values()


def test_drafts_of_the_importer_and_the_source_untouched(issue, editor):
    before = list(Entry.objects.order_by("pk").values("title", "summary", "source"))
    issue_import_translation_text(issue=issue, language="en", text=ENGLISH, user=editor)
    assert list(Entry.objects.order_by("pk").values("title", "summary", "source")) == before
    rows = Translation.objects.filter(entry__issue=issue)
    assert rows.count() == 3
    assert set(rows.values_list("state", flat=True)) == {T.DRAFT}
    assert set(rows.values_list("translator__username", flat=True)) == {"editor"}


def test_a_translation_already_there_is_kept(issue, editor):
    from bulletin.translation.services import translation_save

    mine = translation_save(
        subject=entry(issue, 1, 1),
        language="en",
        texts={"title": "Mine"},
        user=editor,
        version=None,
    )
    result = issue_import_translation_text(issue=issue, language="en", text=ENGLISH, user=editor)
    assert Translation.objects.get(pk=mine.pk).texts == {"title": "Mine"}
    assert "has a translation already" in result.report.as_text()
    assert result.written == 3  # the issue and two entries


def test_a_dry_run_writes_nothing(issue, editor):
    result = issue_import_translation_text(
        issue=issue, language="en", text=ENGLISH, user=editor, dry_run=True
    )
    assert result.written == 4
    assert not Translation.objects.exists()


def test_only_an_editor_imports(issue):
    with pytest.raises(PermissionDenied):
        issue_import_translation_text(
            issue=issue, language="en", text=ENGLISH, user=UserFactory(roles=["Author"])
        )
    assert not Translation.objects.exists()


def test_the_command_imports_a_translation(issue, editor, tmp_path):
    path = tmp_path / "en.txt"
    path.write_text(ENGLISH, encoding="utf-8")
    out = StringIO()
    call_command(
        "import_bulletin",
        str(path),
        bulletin=issue.bulletin.slug,
        translation_of="2024-09",
        language="en",
        user="editor",
        stdout=out,
    )
    assert "4 translations written" in out.getvalue()
    assert english(entry(issue, 2, 2)).state == T.DRAFT


def test_the_admin_upload_imports_a_translation(issue, editor, client):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    client.force_login(editor)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    upload = SimpleUploadedFile("edition-en.txt", ENGLISH.encode(), content_type="text/plain")
    response = client.post(
        reverse("admin:bulletin_issue_import"),
        {"file": upload, "translation_of": issue.pk, "translation_language": "en"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "4 translations written" in page
    assert "An entry that the issue does not have" in page  # the report, on the page
    assert english(entry(issue, 2, 2)).state == T.DRAFT
    assert issue.entries.get(section__position=2, position=2).title == "示例科技发布开源多模态模型"


def test_a_word_edition_keeps_its_bold_and_links_in_the_translation(issue, editor):
    document = docx.Document()
    act = "On 3 September 2024, both houses of the Parliament of Example passed the AI"
    for line in (line.strip() for line in LINES.split("\n")):
        if line.startswith(act):
            runs = [(act[:-2], "", ""), ("AI Liability Act", "b", ""), (".", "", "")]
            marked_paragraph(document.add_paragraph(), runs)
        elif line.startswith("The Data Bureau published"):
            runs = [("The Data Bureau published a ", "", ""), ("guideline", "ai", GUIDE)]
            marked_paragraph(document.add_paragraph(), [*runs, (" on public data.", "", "")])
        elif line:
            document.add_paragraph(line)
    result = issue_import_translation_file(
        issue=issue, language="en", content=save(document), user=editor, source="edition.docx"
    )
    assert result.written == 4
    assert english(entry(issue, 1, 1)).texts["summary"] == (
        "<p>On 3 September 2024, both houses of the Parliament of Example passed the "
        "<strong>AI Liability Act</strong>.</p>"
    )
    # "Sample Commentary" ends the summary: an English commentary label is one
    assert english(entry(issue, 1, 2)).texts["summary"] == (
        '<p>The Data Bureau published a <a href="https://data.example.gov/guideline?a=1&amp;b=2">'
        "<em>guideline</em></a> on public data.</p>"
    )


GUIDE = "https://data.example.gov/guideline?a=1&b=2"
