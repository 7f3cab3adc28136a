"""An issue's English edition: published by a publisher after the Chinese, from approved
translations only; read on /en/ with each untranslated text marked; its own PDF; searchable."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from pypdf import PdfReader

from bulletin.editions import publication_in
from bulletin.models import Edition, PublishedEntry
from bulletin.pdf import services as pdf_services
from bulletin.pdf.files import pdf_storage
from bulletin.pdf.models import Rendering
from bulletin.services.editions import issue_publish_edition
from bulletin.services.events import WorkflowError
from bulletin.services.workflow import issue_transition
from bulletin.translation.services import translation_save, translation_transition
from bulletin.translation.units import source_values
from tests.factories import EntryFactory, IssueFactory, SectionFactory, UserFactory, publish

pytestmark = pytest.mark.django_db

CHINESE = ["生成式人工智能办法", "算法备案新规", "数据出境评估", "深度合成管理", "个人信息认证"]
ENGLISH = ["Generative AI Measures", "Algorithm Filing Rules", "Outbound Data Review"]


@pytest.fixture(autouse=True)
def web_outputs_only(settings):
    settings.BULLETIN_PUBLISH_OUTPUTS = ["web.invalidate", "web.pages"]


@pytest.fixture
def people():
    return {
        "translator": UserFactory(username="translator", roles=["Editor"]),
        "reviewer": UserFactory(username="reviewer", roles=["Reviewer"]),
        "publisher": UserFactory(username="publisher", roles=["Publisher"]),
    }


def _approve(subject, texts, people):
    """Translate every text of the unit (these, and "In English" for the others) and approve."""
    texts = {**{key: "In English" for key in source_values(subject)}, **texts}
    row = translation_save(
        subject=subject, language="en", texts=texts, user=people["translator"], version=None
    )
    row = translation_transition(translation=row, user=people["translator"], action="submit")
    return translation_transition(translation=row, user=people["reviewer"], action="approve")


@pytest.fixture
def issue(people, django_capture_on_commit_callbacks):
    """A published issue of five entries, three of them translated and approved, a fourth with
    a draft translation only; its title translated too."""
    issue = IssueFactory(slug="2024-09", title="人工智能月刊第九期")
    section = SectionFactory(issue=issue, title="法规动态")
    entries = [
        EntryFactory(
            section=section, position=i + 1, title=t, summary=f"<p>{t}摘要。</p>", source="官网"
        )
        for i, t in enumerate(CHINESE)
    ]
    with django_capture_on_commit_callbacks(execute=True):
        publish(issue)
    for entry, title in zip(entries, ENGLISH, strict=False):
        _approve(entry, {"title": title, "summary": f"<p>{title} summary.</p>"}, people)
    translation_save(
        subject=entries[3],
        language="en",
        texts={"title": "Draftword Deep Synthesis"},
        user=people["translator"],
        version=None,
    )
    issue.entries_list = entries
    return issue


def _approve_title(issue, people):
    section = issue.sections.get()
    _approve(issue, {"title": "AI Monthly No. 9", f"section:{section.pk}": "Regulations"}, people)


def _publish_en(issue, people, capture):
    with capture(execute=True):
        return issue_publish_edition(issue=issue, user=people["publisher"], language="en")


def test_an_edition_needs_the_issues_title_translated(issue, people):
    with pytest.raises(WorkflowError, match="not approved"):
        issue_publish_edition(issue=issue, user=people["publisher"], language="en")
    assert not Edition.objects.exists()


def test_only_a_publisher_publishes_an_edition(issue, people):
    _approve_title(issue, people)
    with pytest.raises(PermissionDenied):
        issue_publish_edition(issue=issue, user=people["translator"], language="en")
    assert not Edition.objects.exists()


def test_an_unpublished_issue_has_no_edition(people):
    issue = IssueFactory()
    with pytest.raises(WorkflowError, match="own language first"):
        issue_publish_edition(issue=issue, user=people["publisher"], language="en")


def test_english_page_shows_translated_entries_and_marks_the_others(
    issue, people, client, django_capture_on_commit_callbacks
):
    _approve_title(issue, people)
    edition = _publish_en(issue, people, django_capture_on_commit_callbacks)
    assert publication_in(issue, "en") == edition
    html = client.get("/en/issues/" if False else f"/en/{issue.bulletin.slug}/2024-09/")
    text = html.content.decode()
    assert html.status_code == 200
    for title in ENGLISH:
        assert title in text
    assert "AI Monthly No. 9" in text and "Regulations" in text
    for title in CHINESE[3:]:
        assert f'lang="zh-Hans">{title}' in text
    assert text.count("Not yet translated") == 2
    assert "Draftword" not in text  # a draft translation reaches no page
    assert CHINESE[0] not in text.split("<main", 1)[1]
    assert "has no English edition" not in text
    # The Chinese page is the Chinese edition still.
    chinese = client.get(f"/{issue.bulletin.slug}/2024-09/").content.decode()
    assert CHINESE[0] in chinese and ENGLISH[0] not in chinese


def test_a_double_click_publishes_one_edition(issue, people, django_capture_on_commit_callbacks):
    _approve_title(issue, people)
    first = _publish_en(issue, people, django_capture_on_commit_callbacks)
    again = _publish_en(issue, people, django_capture_on_commit_callbacks)
    assert first == again and Edition.objects.count() == 1


def test_without_an_edition_english_readers_get_the_chinese_with_a_note(issue, client):
    text = client.get(f"/en/{issue.bulletin.slug}/2024-09/").content.decode()
    assert "This issue has no English edition yet." in text
    assert CHINESE[0] in text
    assert 'hreflang="en"' in client.get(f"/{issue.bulletin.slug}/").content.decode()
    assert '<link rel="alternate" hreflang="en"' not in text  # no English edition to name


def test_hreflang_alternates_once_both_editions_exist(
    issue, people, client, django_capture_on_commit_callbacks
):
    _approve_title(issue, people)
    _publish_en(issue, people, django_capture_on_commit_callbacks)
    text = client.get(f"/{issue.bulletin.slug}/2024-09/").content.decode()
    assert '<link rel="alternate" hreflang="en"' in text
    assert '<link rel="alternate" hreflang="zh-Hans"' in text


def test_english_entry_page_and_language_switch(
    issue, people, client, django_capture_on_commit_callbacks
):
    _approve_title(issue, people)
    _publish_en(issue, people, django_capture_on_commit_callbacks)
    entry = PublishedEntry.objects.get(entry_id=issue.entries_list[0].pk)
    chinese_path = entry.get_absolute_url()
    text = client.get(f"/en{chinese_path}").content.decode()
    assert f"<h1>{ENGLISH[0]}</h1>" in text.replace("\u2060", "") or ENGLISH[0] in text
    assert f"{ENGLISH[0]} summary." in text
    assert f'href="{chinese_path}" hreflang="zh-Hans"' in text  # the same entry in Chinese
    untranslated = PublishedEntry.objects.get(entry_id=issue.entries_list[4].pk)
    text = client.get(f"/en{untranslated.get_absolute_url()}").content.decode()
    assert "Not yet translated" in text and 'lang="zh-Hans"' in text
    assert CHINESE[4] in text


def test_search_finds_an_entry_by_english_words_only_after_the_edition(
    issue, people, client, django_capture_on_commit_callbacks
):
    before = client.get("/en/search/", {"q": "Generative"}).content.decode()
    assert CHINESE[0] not in before and ENGLISH[0] not in before
    _approve_title(issue, people)
    _publish_en(issue, people, django_capture_on_commit_callbacks)
    after = client.get("/en/search/", {"q": "Generative"}).content.decode()
    assert ENGLISH[0] in after or CHINESE[0] in after
    chinese = client.get("/search/", {"q": "算法备案"}).content.decode()
    assert CHINESE[1] in chinese  # found from Chinese still
    draft = client.get("/en/search/", {"q": "Draftword"}).content.decode()
    assert CHINESE[3] not in draft  # a draft translation is not indexed


def test_a_correction_leaves_the_english_edition_as_published(
    issue, people, client, django_capture_on_commit_callbacks
):
    _approve_title(issue, people)
    edition = _publish_en(issue, people, django_capture_on_commit_callbacks)
    publisher = people["publisher"]
    issue_transition(issue=issue, user=publisher, action="open_correction", comment="修正错字")
    with django_capture_on_commit_callbacks(execute=True):
        issue_transition(issue=issue, user=publisher, action="publish_correction")
    assert publication_in(issue, "en") == edition
    text = client.get(f"/en/{issue.bulletin.slug}/2024-09/").content.decode()
    assert ENGLISH[0] in text and "before the latest correction" in text
    entry = PublishedEntry.objects.get(entry_id=issue.entries_list[0].pk)
    assert entry.editions["en"]["title"] == ENGLISH[0]  # the archive keeps it too


def test_withdrawal_withdraws_both_editions(
    issue, people, client, django_capture_on_commit_callbacks
):
    _approve_title(issue, people)
    _publish_en(issue, people, django_capture_on_commit_callbacks)
    assert client.get(f"/en/{issue.bulletin.slug}/2024-09/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        issue_transition(issue=issue, user=people["publisher"], action="withdraw", comment="撤回")
    assert client.get(f"/en/{issue.bulletin.slug}/2024-09/").status_code == 404
    assert client.get(f"/{issue.bulletin.slug}/2024-09/").status_code == 404
    issue.refresh_from_db()
    assert publication_in(issue, "en") is None


def test_the_english_edition_has_its_own_pdf(
    issue, people, client, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.PDF_STORAGE = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path / "pdf")},
    }
    _approve_title(issue, people)
    _publish_en(issue, people, django_capture_on_commit_callbacks)
    pdf_services.rendering_request(issue_id=issue.pk)
    for rendering in Rendering.objects.all():
        assert pdf_services.rendering_run(rendering_id=rendering.pk)
    english = Rendering.objects.get(language="en")
    assert Rendering.objects.get(language="").edition is None
    reader = PdfReader(io.BytesIO(pdf_storage().open(english.file_name).read()))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Page 1 of" in text
    assert "Generative AI" in text and "Draftword" not in text
    page = client.get(f"/en/{issue.bulletin.slug}/2024-09/").content.decode()
    assert f"/pdf/en/{issue.bulletin.slug}/2024-09/{english.key}.pdf" in page
    download = client.get(f"/pdf/en/{issue.bulletin.slug}/2024-09/{english.key}.pdf")
    assert download.status_code == 200
    chinese = client.get(f"/{issue.bulletin.slug}/2024-09/").content.decode()
    assert english.key not in chinese
