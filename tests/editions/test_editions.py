"""An issue's English edition: published by a publisher after the Chinese, from approved
translations only; read on /en/ with each untranslated text marked; its own PDF; searchable."""

import datetime
import io
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation
from pypdf import PdfReader

from bulletin.editions import publication_in
from bulletin.models import Edition, Issue, PublishedEntry
from bulletin.pdf import services as pdf_services
from bulletin.pdf.files import pdf_storage
from bulletin.pdf.models import Rendering
from bulletin.services.editions import issue_publish_edition
from bulletin.services.events import WorkflowError
from bulletin.services.workflow import issue_transition
from bulletin.translation.services import translation_save
from tests.factories import (
    EntryFactory,
    IssueFactory,
    SectionFactory,
    UserFactory,
    approve_translation,
    publish,
)

pytestmark = pytest.mark.django_db

CHINESE = ["生成式人工智能办法", "算法备案新规", "数据出境评估", "深度合成管理", "个人信息认证"]
ENGLISH = ["Generative AI Measures", "Algorithm Filing Rules", "Outbound Data Review"]
ONE_MONTH = datetime.timedelta(days=30)


@pytest.fixture(autouse=True)
def web_outputs_only(settings):
    settings.BULLETIN_PUBLISH_OUTPUTS = ["web.invalidate", "web.pages"]


def _approve(subject, texts, people):
    return approve_translation(
        subject, texts, translator=people["translator"], reviewer=people["reviewer"]
    )


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


def _get(client, path, query=None) -> str:
    """A page's text, stored (served as a file) or rendered."""
    response = client.get(path, query)
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


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
    issue.refresh_from_db()
    assert publication_in(issue, "en") == edition
    text = _get(client, f"/en/{issue.bulletin.slug}/2024-09/")
    for title in ENGLISH:
        assert title in text
    assert "AI Monthly No. 9" in text and "Regulations" in text
    for title in CHINESE[3:]:
        assert re.search(rf'lang="zh-Hans">(<[^>]+>)?{title[:-2]}', text), title
    assert text.count("Not yet translated") == 2
    assert "Draftword" not in text  # a draft translation reaches no page
    assert CHINESE[0] not in text.split("<main", 1)[1]
    assert "has no English edition" not in text
    # The Chinese page is the Chinese edition still.
    chinese = _get(client, f"/{issue.bulletin.slug}/2024-09/")
    assert CHINESE[0] in chinese and ENGLISH[0] not in chinese


def test_a_double_click_publishes_one_edition(issue, people, django_capture_on_commit_callbacks):
    _approve_title(issue, people)
    first = _publish_en(issue, people, django_capture_on_commit_callbacks)
    again = _publish_en(issue, people, django_capture_on_commit_callbacks)
    assert first == again and Edition.objects.count() == 1


def test_without_an_edition_english_readers_get_the_chinese_with_a_note(issue, client):
    text = _get(client, f"/en/{issue.bulletin.slug}/2024-09/")
    assert "This issue has no English edition yet." in text
    assert CHINESE[0] in text
    assert 'hreflang="en"' in _get(client, f"/{issue.bulletin.slug}/")
    assert '<link rel="alternate" hreflang="en"' not in text  # no English edition to name


def test_hreflang_alternates_once_both_editions_exist(
    issue, people, client, django_capture_on_commit_callbacks
):
    _approve_title(issue, people)
    _publish_en(issue, people, django_capture_on_commit_callbacks)
    text = _get(client, f"/{issue.bulletin.slug}/2024-09/")
    assert '<link rel="alternate" hreflang="en"' in text
    assert '<link rel="alternate" hreflang="zh-Hans"' in text


def test_english_entry_page_and_language_switch(
    issue, people, client, django_capture_on_commit_callbacks
):
    _approve_title(issue, people)
    _publish_en(issue, people, django_capture_on_commit_callbacks)
    entry = PublishedEntry.objects.get(entry_id=issue.entries_list[0].pk)
    with translation.override("zh-hans"):
        chinese_path = entry.get_absolute_url()
        untranslated_path = PublishedEntry.objects.get(
            entry_id=issue.entries_list[4].pk
        ).get_absolute_url()
    assert not chinese_path.startswith("/en/")
    text = _get(client, f"/en{chinese_path}")
    assert ENGLISH[0] in text.split("<h1", 1)[1].split("</h1>", 1)[0]
    assert f"{ENGLISH[0]} summary." in text
    assert f'href="{chinese_path}" hreflang="zh-Hans"' in text  # the same entry in Chinese
    text = _get(client, f"/en{untranslated_path}")
    assert "Not yet translated" in text and 'lang="zh-Hans"' in text
    assert CHINESE[4] in text


def test_english_lists_name_the_bulletin_as_its_english_edition_does(
    issue, people, client, django_capture_on_commit_callbacks
):
    bulletin = issue.bulletin
    _approve(bulletin, {"name": "AI Law Monthly"}, people)
    _approve_title(issue, people)
    _publish_en(issue, people, django_capture_on_commit_callbacks)
    kind = issue.entries_list[0].kind
    english = [f"/en/kinds/{kind}/", "/en/search/?q=Generative"]
    chinese = [f"/kinds/{kind}/", "/search/?q=生成式"]
    named = r'<span class="entry-card__meta">[^\n]*?<span lang="([^"]+)">([^<]+)</span></span>'
    for path in english:
        assert set(re.findall(named, _get(client, path))) == {("en", "AI Law Monthly")}, path
    for path in chinese:
        assert set(re.findall(named, _get(client, path))) == {("zh-Hans", bulletin.name)}, path


def test_search_finds_an_entry_by_english_words_only_after_the_edition(
    issue, people, client, django_capture_on_commit_callbacks
):
    first, second, draft_id = (
        e.pk
        for e in issue.entries_list[0:4:3][:1] + issue.entries_list[1:2] + issue.entries_list[3:4]
    )
    before = _get(client, "/en/search/", {"q": "Generative"})
    assert f"/entries/{first}/" not in before
    _approve_title(issue, people)
    _publish_en(issue, people, django_capture_on_commit_callbacks)
    after = _get(client, "/en/search/", {"q": "Generative"})
    assert f"/entries/{first}/" in after
    chinese = _get(client, "/search/", {"q": "算法备案"})
    assert f"/entries/{second}/" in chinese  # found from Chinese still
    draft = _get(client, "/en/search/", {"q": "Draftword"})
    assert f"/entries/{draft_id}/" not in draft  # a draft translation is not indexed
    present = _get(client, "/en/search/", {"q": "深度合成"})
    assert f"/entries/{draft_id}/" in present  # the entry itself is searchable


def test_a_correction_leaves_the_english_edition_as_published(
    issue, people, client, django_capture_on_commit_callbacks
):
    _approve_title(issue, people)
    edition = _publish_en(issue, people, django_capture_on_commit_callbacks)
    publisher = people["publisher"]
    issue_transition(issue=issue, user=publisher, action="open_correction", comment="修正错字")
    with django_capture_on_commit_callbacks(execute=True):
        issue_transition(issue=issue, user=publisher, action="publish_correction")
    issue.refresh_from_db()
    assert publication_in(issue, "en") == edition
    text = _get(client, f"/en/{issue.bulletin.slug}/2024-09/")
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
    for rendering in Rendering.objects.filter(status="pending"):
        pdf_services.rendering_run(rendering_id=rendering.pk)
    assert set(Rendering.objects.values_list("status", flat=True)) == {"done"}
    english = Rendering.objects.get(language="en")
    assert Rendering.objects.get(language="").edition is None
    reader = PdfReader(io.BytesIO(pdf_storage().open(english.file_name).read()))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Page 2 of" in text
    assert "Generative AI" in text and "Draftword" not in text
    page = _get(client, f"/en/{issue.bulletin.slug}/2024-09/")
    assert f"/pdf/en/{issue.bulletin.slug}/2024-09/{english.key}.pdf" in page
    download = client.get(f"/pdf/en/{issue.bulletin.slug}/2024-09/{english.key}.pdf")  # noqa
    assert download.status_code == 200
    chinese = _get(client, f"/{issue.bulletin.slug}/2024-09/")
    assert english.key not in chinese


def test_the_english_pdfs_lasting_address_follows_the_chinese_access_rules(
    issue, people, client, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.PDF_STORAGE = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path / "pdf")},
    }
    lasting = f"/pdf/en/{issue.bulletin.slug}/2024-09.pdf"
    assert client.get(lasting).status_code == 404  # no edition yet
    _approve_title(issue, people)
    _publish_en(issue, people, django_capture_on_commit_callbacks)  # renders its PDF
    english = Rendering.objects.get(language="en", status="done")
    keyed = f"/pdf/en/{issue.bulletin.slug}/2024-09/{english.key}.pdf"
    response = client.get(lasting)
    assert response.status_code == 302 and response["Location"] == keyed
    assert response["Cache-Control"] == "private, no-store"
    Issue.objects.filter(pk=issue.pk).update(partners_only=True)
    assert client.get(keyed)["Location"].startswith("/accounts/login/")
    client.force_login(people["translator"])
    assert client.get(keyed).status_code == 403
    client.force_login(UserFactory(username="partner", roles=["Partner"]))
    download = client.get(lasting, follow=True)
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_the_sitemap_names_the_english_edition_only_once_it_exists(
    issue, people, client, django_capture_on_commit_callbacks
):
    before = client.get("/sitemap.xml").content.decode()
    assert f"/{issue.bulletin.slug}/2024-09/" in before
    assert f"/en/{issue.bulletin.slug}/2024-09/" not in before  # neither as a page nor alternate
    _approve_title(issue, people)
    _publish_en(issue, people, django_capture_on_commit_callbacks)
    after = client.get("/sitemap.xml").content.decode()
    assert f"/en/{issue.bulletin.slug}/2024-09/" in after
    assert 'hreflang="en"' in after and 'hreflang="zh-hans"' in after


def test_the_publisher_publishes_the_edition_from_the_issue_page(
    issue, people, client, django_capture_on_commit_callbacks
):
    client.force_login(people["publisher"])
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    change = f"/admin/bulletin/issue/{issue.pk}/change/"
    button = f"/admin/bulletin/issue/{issue.pk}/edition/en/publish/"
    assert button in client.get(change).content.decode()
    refused = client.post(button, follow=True).content.decode()
    assert "is not approved yet" in refused and not Edition.objects.exists()
    _approve_title(issue, people)
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(button, follow=True).content.decode()
    assert "The English edition is published." in done
    assert Edition.objects.get().language == "en"


def test_someone_else_cannot_press_the_button(issue, people, client):
    _approve_title(issue, people)
    client.force_login(people["translator"])
    client.post(f"/admin/bulletin/issue/{issue.pk}/edition/en/publish/")
    assert not Edition.objects.exists()
    client.force_login(people["publisher"])
    client.post(f"/admin/bulletin/issue/{issue.pk}/edition/en/publish/")
    assert Edition.objects.exists()


def test_english_home_and_archive_read_the_edition_and_mark_what_has_none(
    issue, people, client, django_capture_on_commit_callbacks
):
    earlier = IssueFactory(bulletin=issue.bulletin, slug="2024-08", title="人工智能月刊第八期")
    SectionFactory(issue=earlier, title="旧刊栏目")
    with django_capture_on_commit_callbacks(execute=True):
        publish(earlier)
    issue.refresh_from_db()
    Issue.objects.filter(pk=earlier.pk).update(published_at=issue.published_at - ONE_MONTH)
    # Before the edition: the lead is the Chinese issue, said to be so and marked as Chinese.
    home = _get(client, "/en/")
    lead = home.split('class="latest-issue"', 1)[1].split("</section>", 1)[0]
    assert re.search(r'lang="zh-Hans">人工智能月刊第', lead), lead
    assert "Not yet translated" in home and "Generative AI Measures" not in home
    _approve_title(issue, people)
    _publish_en(issue, people, django_capture_on_commit_callbacks)
    home = _get(client, "/en/")
    lead = home.split('class="latest-issue"', 1)[1].split("</section>", 1)[0]
    assert re.search(r'lang="en">AI Monthly No. 9', lead)
    for title in ENGLISH:
        assert title in lead
    assert re.search(r'lang="zh-Hans">深度合成', lead)  # untranslated, marked
    assert lead.count("Not yet translated") == 2 and "Draftword" not in lead
    # The earlier issue has no edition: listed in Chinese, marked as such.
    assert re.search(r'lang="zh-Hans">人工智能月刊第八期', home.split("earlier-heading", 1)[1])
    archive = _get(client, "/en/archive/")
    assert re.search(r'lang="en">AI Monthly No. 9', archive)
    assert re.search(r'lang="zh-Hans">人工智能月刊第八期', archive)
    # The Chinese pages stay Chinese.
    chinese = _get(client, "/") + _get(client, "/archive/")
    assert "人工智能月刊第九期" in chinese and "AI Monthly No. 9" not in chinese


def _page_fonts(page) -> set[str]:
    fonts = page["/Resources"].get("/Font") or {}
    return {str(font.get_object()["/BaseFont"]) for font in fonts.values()}


def test_the_english_pdf_marks_each_untranslated_entry_in_the_cjk_font(
    issue, people, django_capture_on_commit_callbacks
):
    from bulletin.pdf.document import document_html, document_pdf
    from bulletin.snapshot import hydrate

    _approve_title(issue, people)
    edition = _publish_en(issue, people, django_capture_on_commit_callbacks)
    content = hydrate(edition.content)
    html = document_html(content)
    for title in CHINESE[3:]:  # the two entries with no approved translation
        assert re.search(
            rf'<h3 class="entry-title"[^>]*>.*?<span lang="zh-Hans">{title[:-1]}', html
        )
        assert f'lang="zh-Hans">{title[:-1]}' in html.split('class="toc"')[1].split("</nav>")[0]
        assert re.search(rf'<div class="summary rich" lang="zh-Hans">\s*<p>{title}摘要', html)
    assert html.count('class="untranslated-note"') == 2
    assert '<span lang="zh-Hans">Generative' not in html and "</span> Generative AI" in html
    reader = PdfReader(io.BytesIO(document_pdf(content).data))
    pages = [(page, "".join(page.extract_text().split())) for page in reader.pages]
    text = "".join(page_text for _page, page_text in pages)
    assert "GenerativeAIMeasures" in text and "Draftword" not in text
    assert text.count("Notyettranslated") == 2
    for title in CHINESE[3:]:
        # In the contents, over the entry (with the note right under it), in its summary.
        assert text.count(title) == 3
        heading = text.index(title, text.index(title) + 1) + len(title)
        assert text[heading:].startswith("Notyettranslated")
    page = next(page for page, page_text in pages if "Notyettranslated" in page_text)
    fonts = _page_fonts(page)
    assert any(font.endswith("Noto-Serif-CJK-SC") for font in fonts)  # the kept summary
    assert any(font.endswith("Noto-Sans-CJK-SC-Bold") for font in fonts)  # the kept title
    assert any(font.endswith("+Noto-Serif") for font in fonts)  # the English text
    assert '[lang|="zh"] { font-family: "Noto Serif CJK SC", serif; }' in html


def test_the_chinese_pdf_has_no_untranslated_marks(issue):
    from bulletin.pdf.document import document_html
    from bulletin.snapshot import hydrate

    html = document_html(hydrate(issue.current_publication().content))
    assert CHINESE[3] in html and "untranslated-note" not in html
    assert 'lang="zh-Hans"' in html.split(">", 3)[1] + html.split(">", 3)[2]  # the <html> tag
    assert f"</span> {CHINESE[3][:-2]}" in html


def _cards(page: str) -> dict[str, str]:
    """Each search result card's HTML by the entry id its link names."""
    cards = page.split('<li class="entry-card">')[1:]
    return {re.search(r"/entries/(\d+)/", card)[1]: card.split("</li>")[0] for card in cards}


def test_english_search_cards_show_the_edition_or_mark_the_chinese(
    issue, people, client, django_capture_on_commit_callbacks
):
    entries = issue.entries_list
    query = {"kind": entries[0].kind}
    before = _cards(_get(client, "/en/search/", query))
    assert len(before) == 5
    for entry in entries:  # no English edition yet: every card in Chinese, marked
        card = before[str(entry.pk)]
        assert f'lang="zh-Hans">{entry.title}</a>' in card
        assert "Not yet translated" in card and f"{entry.title}摘要" in card
    _approve_title(issue, people)
    _publish_en(issue, people, django_capture_on_commit_callbacks)
    after = _cards(_get(client, "/en/search/", query))
    for entry, title in zip(entries, ENGLISH, strict=False):
        card = after[str(entry.pk)]
        assert f'lang="en">{title}</a>' in card
        assert f'lang="en">{title} summary.' in card
        assert "Not yet translated" not in card and entry.title not in card
    for entry in entries[3:]:
        card = after[str(entry.pk)]
        assert f'lang="zh-Hans">{entry.title}</a>' in card and "Not yet translated" in card
        assert f'lang="zh-Hans">{entry.title}摘要' in card
    assert "Draftword" not in after[str(entries[3].pk)]
    found = _cards(_get(client, "/en/search/", {"q": "Generative"}))
    assert "<mark>Generative</mark> AI Measures</a>" in found[str(entries[0].pk)]
    chinese = _cards(_get(client, "/search/", query))
    card = chinese[str(entries[0].pk)]
    assert entries[0].title in card and ENGLISH[0] not in card
    assert "untranslated-note" not in card


def test_english_lists_show_the_editions_titles_or_mark_the_chinese(
    issue, people, client, django_capture_on_commit_callbacks
):
    entries = issue.entries_list
    _approve_title(issue, people)
    _publish_en(issue, people, django_capture_on_commit_callbacks)
    listed = _cards(_get(client, f"/en/kinds/{entries[0].kind}/"))
    assert len(listed) == 5
    for entry, title in zip(entries, ENGLISH, strict=False):
        card = listed[str(entry.pk)]
        assert f'lang="en">{title}</a>' in card and "Not yet translated" not in card
    for entry in entries[3:]:
        card = listed[str(entry.pk)]
        assert f'lang="zh-Hans">{entry.title}</a>' in card and "Not yet translated" in card
    assert "Draftword" not in listed[str(entries[3].pk)]
    chinese = _cards(_get(client, f"/kinds/{entries[0].kind}/"))
    assert f'lang="zh-Hans">{entries[0].title}</a>' in chinese[str(entries[0].pk)]
    assert "untranslated-note" not in "".join(chinese.values())
