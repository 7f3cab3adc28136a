"""Importing a back issue from its PDF (our own PDFs, read back) and from a Word file (built here
with python-docx): the text front ends of bulletin/transfer/pdf.py and word.py, through the
service, the command and the admin's import page; and files that must be refused."""

import html
import io
import re
import time
import zipfile
from pathlib import Path

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils.html import strip_tags
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from pypdf import PdfReader, PdfWriter

from bulletin.models import Issue
from bulletin.pdf.document import document_pdf
from bulletin.pdf.engine import html_to_pdf
from bulletin.snapshot import hydrate
from bulletin.transfer.extracted import UnreadableFile
from bulletin.transfer.models import ImportRun
from bulletin.transfer.pdf import read_pdf
from bulletin.transfer.services import issue_import_file, issue_import_text
from bulletin.transfer.text.parser import parse_text
from bulletin.transfer.upload import file_kind
from entries.models import Commentary, Entry
from tests.factories import BulletinFactory, publish
from tests.pdf.builders import LONG_URL, published_rich_issue

pytestmark = pytest.mark.django_db
IMPORT_URL = "admin:bulletin_issue_import"
SEED = Path(__file__).resolve().parents[2].parent / "shared" / "seed" / "000_23cbc9795de2381b.txt"


def squeeze(rich: str) -> str:
    return re.sub(r"\s+", "", html.unescape(strip_tags(rich)))


def entries(issue: Issue) -> list[Entry]:
    return list(Entry.objects.filter(section__issue=issue).prefetch_related("links"))


def urls(entry: Entry) -> list[str]:
    return sorted(link.url for link in entry.links.all())


def our_pdf(issue: Issue) -> bytes:
    return document_pdf(hydrate(issue.current_publication().content)).data


@pytest.fixture
def published():
    return published_rich_issue()


# PDF


def test_our_pdf_round_trips_titles_summaries_and_every_link(published):
    result = issue_import_file(
        bulletin=published.bulletin, content=our_pdf(published), slug="from-pdf"
    )
    source, imported = entries(published), entries(result.issue)
    assert [e.title for e in imported] == [e.title for e in source]
    assert [urls(e) for e in imported] == [urls(e) for e in source]
    assert LONG_URL in urls(imported[1])
    assert [squeeze(e.summary) for e in imported] == [squeeze(e.summary) for e in source]
    assert '<ol type="a">' in imported[0].summary
    case = imported[1]
    assert (case.case_caption, case.docket_number, case.court) == (
        "Doe v. Example AI, Inc.",
        "3:24-cv-01234",
        "N.D. Cal.",
    )
    assert [entry_fields(e) for e in imported] == [entry_fields(e) for e in source]
    parsed = parse_text(read_pdf(our_pdf(published)).text, commentary_label="本所短评").document
    assert back_matter(parsed) == back_matter_of(published)


@pytest.mark.skipif(not SEED.is_file(), reason=f"needs the seed back issue at {SEED}")
def test_the_seed_issue_round_trips_through_our_pdf(capsys):
    """The firm's 42-entry back issue, imported from its text and published, then imported again
    from our PDF of it: every entry's fields, the disclaimer, the team, the writers and the
    profiles come back; the time is printed (not asserted)."""
    bulletin = BulletinFactory(slug="seed", commentary_label="本所短评", disclaimer="")
    text = SEED.read_text(encoding="utf-8")
    started = time.perf_counter()
    source = issue_import_text(bulletin=bulletin, text=text).issue
    from_text = time.perf_counter() - started
    pdf = our_pdf(publish(source))
    started = time.perf_counter()
    result = issue_import_file(bulletin=bulletin, content=pdf, slug="from-pdf")
    elapsed = time.perf_counter() - started
    source_entries, imported = entries(source), entries(result.issue)
    with capsys.disabled():
        print(
            f"\nimport of our PDF of the seed issue ({len(source_entries)} entries, "
            f"{len(PdfReader(io.BytesIO(pdf)).pages)} pages, {len(pdf)} bytes): {elapsed:.2f} s; "
            f"of the seed's text: {from_text:.2f} s (ratio {elapsed / from_text:.2f})"
        )
    assert [e.title for e in imported] == [e.title for e in source_entries]
    assert [urls(e) for e in imported] == [urls(e) for e in source_entries]
    assert [squeeze(e.summary) for e in imported] == [squeeze(e.summary) for e in source_entries]
    assert [entry_fields(e) for e in imported] == [entry_fields(e) for e in source_entries]
    parsed = parse_text(read_pdf(pdf).text, commentary_label="本所短评").document
    assert back_matter(parsed) == back_matter_of(source)


ENTRY_FIELDS = ["published_on", "source", "case_caption", "docket_number", "court", "kind"]
PROFILE_FIELDS = ["name_latin", "title", "office_city", "email", "phone", "mobile"]
PROFILE_FIELDS += ["practice_areas"]
RICH_PROFILE_FIELDS = ["experience", "representative_matters", "honours"]


def entry_fields(entry) -> tuple:
    commentary = Commentary.objects.filter(entry=entry).first()
    authors = sorted(commentary.authors.values_list("name", flat=True)) if commentary else []
    body = squeeze(commentary.body) if commentary else ""
    return (*(getattr(entry, name) for name in ENTRY_FIELDS), body, authors)


def back_matter(document: dict) -> dict:
    """A parsed document's disclaimer, contact, firm, team, writers and profiles."""
    bulletin = document["bulletin"]
    return {
        "bulletin": [bulletin.get(k, "") for k in ("firm_name", "team_name", "contact_email")],
        "disclaimer": squeeze(bulletin.get("disclaimer", "")),
        "team": sorted(bulletin.get("team", [])),
        "writers": sorted(document["issue"].get("writers", [])),
        "profiles": {
            author["name"]: [author.get(k, "") for k in PROFILE_FIELDS]
            + [squeeze(author.get(k, "")) for k in RICH_PROFILE_FIELDS]
            + [author.get("education", "")]
            for author in document["authors"]
            if author.get("experience")
        },
    }


def back_matter_of(issue) -> dict:
    bulletin = issue.bulletin
    team = list(bulletin.team.all())
    return {
        "bulletin": [bulletin.firm_name, bulletin.team_name, bulletin.contact_email],
        "disclaimer": squeeze(bulletin.disclaimer),
        "team": sorted(a.name for a in team),
        "writers": sorted(a.name for a in issue.writers.all()),
        "profiles": {
            a.name: [getattr(a, k) for k in PROFILE_FIELDS]
            + [squeeze(getattr(a, k)) for k in RICH_PROFILE_FIELDS]
            + [a.education]
            for a in {*team, *issue.writers.all()}
            if a.experience
        },
    }


def test_running_headers_and_page_numbers_are_dropped(published):
    text = read_pdf(our_pdf(published)).text
    lines = [re.sub(r"\s+", " ", line).strip() for line in text.split("\n")]
    assert "一、最新法律与监管动态" in lines
    assert not [line for line in lines if "页 / 共" in line or "法律月刊 2024 年 8 月刊" in line]


LINKED = """
<p>一、最新动态</p>
<p>1. 示例监管机构发布指引</p>
<p>发布日期：2024 年 8 月 1 日</p>
<p>来源：示例监管机构官网</p>
<p>链接：</p>
<p>⚫ <a href="https://rules.example.org/guidance/2024/ai-services?version=final&amp;lang=zh">
https://rules.example.org/guidance/2024/ai-services</a></p>
<p>参考链接：</p>
<p>⚫ <a href="https://news.example.org/b">https://news.example.org/a</a></p>
<p>摘要：</p>
<p>示例监管机构发布指引，就人工智能服务的备案征求意见。</p>
"""


def test_the_report_of_a_pdf_import_names_pages_not_lines_of_its_text():
    pages = (
        "<p>封面上的一句话</p>"
        '<p style="break-before: page">一、最新动态</p><p>1. 示例机构发布指引</p>'
        "<p>来源：示例官网</p><p>摘要：</p><p>第一条的摘要。</p>"
        '<p style="break-before: page">2. 示例机构发布第二份指引</p>'
        "<p>来源：示例官网</p><p>摘要：</p><p>第二条的摘要。</p>"
    )
    pdf = html_to_pdf(f'<html lang="zh-Hans"><body>{pages}</body></html>').data
    result = issue_import_file(bulletin=BulletinFactory(), content=pdf, year=2024, month=8)
    report = result.report.as_text()
    assert "page 1: 封面上的一句话 (text before the first section)" in report
    assert "page 2: this entry has no publication date" in report
    assert "page 3: this entry has no publication date" in report
    assert "line " not in report
    [entry, second] = entries(result.issue)
    assert (entry.summary, second.summary) == ("<p>第一条的摘要。</p>", "<p>第二条的摘要。</p>")


def test_the_link_annotation_wins_over_the_printed_url_and_the_report_says_so():
    pdf = html_to_pdf(f"<html><body>{LINKED}</body></html>").data
    bulletin = BulletinFactory()
    result = issue_import_file(bulletin=bulletin, content=pdf)
    [entry] = entries(result.issue)
    assert urls(entry) == [
        "https://news.example.org/b",
        "https://rules.example.org/guidance/2024/ai-services?version=final&lang=zh",
    ]
    notes = [message for _line, message in result.report.notes]
    assert any("https://news.example.org/a" in n and "news.example.org/b" in n for n in notes)
    assert any("ai-services?version=final&lang=zh" in n for n in notes)


def test_the_command_imports_a_pdf(published, tmp_path, capsys):
    path = tmp_path / "back.pdf"
    path.write_bytes(our_pdf(published))
    call_command("import_bulletin", str(path), bulletin=published.bulletin.slug, slug="cmd")
    issue = Issue.objects.get(slug="cmd")
    assert [e.title for e in entries(issue)] == [e.title for e in entries(published)]


def test_a_truncated_pdf_is_refused_and_nothing_is_written(published, tmp_path):
    path = tmp_path / "cut.pdf"
    path.write_bytes(our_pdf(published)[:2000])
    before = Issue.objects.count()
    with pytest.raises(CommandError, match="cut.pdf"):
        call_command("import_bulletin", str(path), bulletin=published.bulletin.slug)
    assert Issue.objects.count() == before


def encrypted_pdf(data: bytes) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt("secret")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_an_encrypted_pdf_is_refused():
    pdf = encrypted_pdf(html_to_pdf(f"<html><body>{LINKED}</body></html>").data)
    with pytest.raises(UnreadableFile, match="encrypted"):
        issue_import_file(bulletin=BulletinFactory(), content=pdf)
    assert not Issue.objects.exists()


# Word


def numbering(document) -> None:
    """A list numbering "1)" with a nested level "a)" (id 90)."""
    part = document.part.numbering_part.element
    levels = "".join(
        f'<w:lvl w:ilvl="{level}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="%{level + 1})"/></w:lvl>'
        for level, fmt in ((0, "decimal"), (1, "lowerLetter"))
    )
    abstract = f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">{levels}</w:abstractNum>'
    part.insert(0, parse_xml(abstract))
    part.append(
        parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>')
    )


def item(document, text: str, level: int) -> None:
    numbers = document.add_paragraph(text)._p.get_or_add_pPr().get_or_add_numPr()
    numbers.get_or_add_ilvl().val = level
    numbers.get_or_add_numId().val = 90


def hyperlink(paragraph, url: str, text: str) -> None:
    r_id = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link, run, t = OxmlElement("w:hyperlink"), OxmlElement("w:r"), OxmlElement("w:t")
    link.set(qn("r:id"), r_id)
    t.text = text
    run.append(t)
    link.append(run)
    paragraph._p.append(link)


def tracked(paragraph, tag: str, text: str) -> None:
    text_tag = "w:delText" if tag == "del" else "w:t"
    paragraph._p.append(
        parse_xml(
            f'<w:{tag} {nsdecls("w")} w:id="{len(text)}" w:author="审校" '
            f'w:date="2024-08-01T00:00:00Z"><w:r><{text_tag}>{text}</{text_tag}></w:r></w:{tag}>'
        )
    )


def word_issue() -> bytes:
    document = docx.Document()
    numbering(document)
    add = document.add_paragraph
    add("一、最新法律与监管动态")
    add("1. 欧盟《人工智能法案》正式生效")
    add("发布日期：2024 年 8 月 1 日")
    add("来源：欧盟委员会官网")
    hyperlink(add("链接："), "https://commission.europa.eu/news/ai-act-enters-force_en", "原文")
    add("参考链接：")
    hyperlink(add("⚫ "), "https://news.example.org/ai-act?id=1", "https://news.example.org/ai-act")
    add("")
    add("摘要：")
    summary = add("2024 年 8 月 1 日，欧盟《人工智能法案》生效")
    summary.add_run("（AI Act）").bold = True
    tracked(summary, "del", "删去的草稿文字")
    tracked(summary, "ins", "，在所有欧盟国家引入统一框架：")
    document.add_comment(summary.runs, text="请核对日期", author="审校")
    item(document, "风险最小的系统不受约束；", 0)
    item(document, "高风险系统必须遵守严格的要求，包括：", 0)
    item(document, "风险缓解系统；", 1)
    item(document, "人工监督。", 1)
    add("")
    add("本所短评")
    commentary = add("该法案标志着全球对人工智能监管迈出了重要一步，见")
    hyperlink(commentary, "https://example.org/analysis?a=1&b=2", "我们的分析")
    commentary.add_run("。")
    add("二、最新行业动态")
    add("1. 示例科技发布推理模型")
    add("发布日期：2024 年 8 月 2 日")
    add("来源：示例科技官网")
    add("摘要：")
    add("示例科技发布推理模型。")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_a_word_issue_imports_with_its_links_lists_and_commentary():
    bulletin = BulletinFactory(commentary_label="本所短评")
    result = issue_import_file(bulletin=bulletin, content=word_issue(), source="back.docx")
    first, second = entries(result.issue)
    assert (first.title, second.title) == ("欧盟《人工智能法案》正式生效", "示例科技发布推理模型")
    assert urls(first) == [
        "https://commission.europa.eu/news/ai-act-enters-force_en",
        "https://news.example.org/ai-act?id=1",
    ]
    assert first.published_on.isoformat() == "2024-08-01"
    summary = first.summary
    assert "（AI Act）" in summary and "在所有欧盟国家引入统一框架" in summary
    assert "删去的草稿文字" not in summary and "请核对日期" not in summary
    assert re.search(r"<ol><li><p>风险最小的系统不受约束；</p></li>", summary)
    assert '<ol type="a"><li><p>风险缓解系统；</p></li><li><p>人工监督。</p></li></ol>' in summary
    assert "style" not in summary and "<strong>（AI Act）</strong>" in summary
    assert first.commentary.body == (
        '<p>该法案标志着全球对人工智能监管迈出了重要一步，见<a href="https://example.org/'
        'analysis?a=1&amp;b=2">我们的分析</a>。</p>'
    )
    notes = [message for _line, message in result.report.notes]
    assert any("https://news.example.org/ai-act?id=1" in n for n in notes)


def test_a_numbered_list_of_titles_in_word_gives_the_entries():
    document = docx.Document()
    numbering(document)
    document.add_paragraph("一、最新动态")
    item(document, "示例监管机构发布指引", 0)
    document.add_paragraph("发布日期：2024 年 8 月 1 日")
    document.add_paragraph("摘要：")
    document.add_paragraph("指引全文。")
    out = io.BytesIO()
    document.save(out)
    result = issue_import_file(bulletin=BulletinFactory(), content=out.getvalue())
    assert [e.title for e in entries(result.issue)] == ["示例监管机构发布指引"]


def zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b" " * (60 * 1024 * 1024))
    return out.getvalue()


def test_a_docx_that_unpacks_to_too_much_is_refused():
    bomb = zip_bomb()
    assert len(bomb) < 1024 * 1024 and file_kind(bomb) == "docx"
    with pytest.raises(UnreadableFile, match="unpacks"):
        issue_import_file(bulletin=BulletinFactory(), content=bomb)
    assert not Issue.objects.exists()


def test_the_kind_of_a_file_is_told_by_its_content():
    assert file_kind(b"%PDF-1.7\n") == "pdf"
    assert file_kind(word_issue()) == "docx"
    assert file_kind(b'  {"format": 1}') == "json"
    assert file_kind(b"1. \xe6\xa0\x87\xe9\xa2\x98") == "text"
    other = io.BytesIO()
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("a.txt", "a")
    assert file_kind(other.getvalue()) == "zip"


# The admin's import page


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.mark.parametrize("name", ["issue.pdf", "issue.txt"])  # by content, not by name
def test_admin_imports_a_pdf(admin_client, published, name, settings):
    settings.IMPORT_ASYNC_BYTES = settings.IMPORT_MAX_BYTES  # at once, not by a worker
    response = admin_client.post(
        reverse(IMPORT_URL),
        {"file": upload(name, our_pdf(published)), "bulletin": published.bulletin.pk},
        follow=True,
    )
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.DONE, run.report
    assert [e.title for e in entries(run.issue)] == [e.title for e in entries(published)]
    assert "示例律师事务所" in response.content.decode() or response.status_code == 200


def test_admin_imports_a_docx(admin_client):
    bulletin = BulletinFactory(commentary_label="本所短评")
    admin_client.post(
        reverse(IMPORT_URL),
        {"file": upload("back.docx", word_issue()), "bulletin": bulletin.pk},
    )
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.DONE, run.report
    assert len(entries(run.issue)) == 2


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("cut.pdf", b"%PDF-1.7\n1 0 obj <<", "cannot be read"),
        ("bomb.docx", zip_bomb(), "unpacks to more than"),
        ("other.zip", b"PK\x03\x04broken", "not a Word document"),
    ],
    ids=["truncated-pdf", "zip-bomb", "not-a-docx"],
)
def test_admin_refuses_an_unreadable_file_and_writes_nothing(admin_client, name, content, message):
    bulletin = BulletinFactory()
    response = admin_client.post(
        reverse(IMPORT_URL), {"file": upload(name, content), "bulletin": bulletin.pk}
    )
    assert message in response.content.decode()
    assert not ImportRun.objects.exists() and not Issue.objects.exists()


def test_admin_refuses_an_encrypted_pdf(admin_client):
    pdf = encrypted_pdf(html_to_pdf(f"<html><body>{LINKED}</body></html>").data)
    response = admin_client.post(
        reverse(IMPORT_URL), {"file": upload("x.pdf", pdf), "bulletin": BulletinFactory().pk}
    )
    assert "encrypted" in response.content.decode()
    assert not ImportRun.objects.exists()
