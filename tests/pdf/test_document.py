"""The typeset PDF itself, read back with pypdf: one rendering of a rich issue, many checks."""

import logging
import re

import pytest
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext
from pypdf.generic import Destination

from bulletin.pdf.document import document_pdf
from bulletin.pdf.engine import FONT_FAMILIES
from bulletin.snapshot import hydrate, issue_for_snapshot, issue_snapshot
from tests.factories import BulletinFactory
from tests.pdf.builders import LONG_URL, rich_issue
from tests.pdf.conftest import page_texts, read_pdf, squeeze

# Every test here is a database test, so that the module's rendering is made in the test database.
pytestmark = pytest.mark.django_db
MM = 72 / 25.4


def zh(text: str) -> str:
    with translation.override("zh-hans"):
        return gettext(text)


END_MATTER = [zh("Disclaimer"), zh("Team"), zh("About the authors")]


def _content(**kwargs) -> dict:
    issue = rich_issue(**kwargs)
    return hydrate(issue_snapshot(issue_for_snapshot(issue.pk), published_at=None))


@pytest.fixture(scope="module")
def rendered(django_db_setup, django_db_blocker):
    """Render once for the module; the rows it was built from are rolled back."""
    logger = logging.getLogger("weasyprint")
    records = []
    handler = logging.Handler()
    handler.emit = records.append
    logger.addHandler(handler)
    try:
        with django_db_blocker.unblock(), transaction.atomic():
            content = _content()
            transaction.set_rollback(True)
        pdf = document_pdf(content)
    finally:
        logger.removeHandler(handler)
    reader = read_pdf(pdf.data)
    return {
        "content": content,
        "pdf": pdf,
        "reader": reader,
        "texts": page_texts(reader),
        "log": [r.getMessage() for r in records],
    }


def entries_of(content):
    return [entry for section in content["sections"] for entry in section["entries"]]


def first_page_with(texts, needle, start=2):
    return next(i for i, text in enumerate(texts) if i >= start and needle in squeeze(text))


def test_every_entry_title_is_in_the_pdf_in_order(rendered):
    body = squeeze("".join(rendered["texts"][2:]))
    positions = [body.index(squeeze(e["title"])) for e in entries_of(rendered["content"])]
    assert positions == sorted(positions)


def test_contents_page_numbers_are_the_pages_where_entries_start(rendered):
    texts, content = rendered["texts"], rendered["content"]
    numbers = [int(n) for n in re.findall(r"\.{3,}\s*(\d+)", texts[1])]
    expected = []
    for section in content["sections"]:
        expected.append(first_page_with(texts, squeeze(section["title"])) + 1)
        expected += [first_page_with(texts, squeeze(e["title"])) + 1 for e in section["entries"]]
    assert numbers[: len(expected)] == expected
    assert len(set(expected)) > 2  # the entries really spread over several pages


def test_outline_has_a_bookmark_per_section_with_its_entries(rendered):
    outline, content = rendered["reader"].outline, rendered["content"]
    top = [item.title for item in outline if isinstance(item, Destination)]
    sections = [f"{s['number']}{s['title']}" for s in _numbered(content)]
    assert top == [zh("Contents"), *sections, *END_MATTER]
    children = [item for item in outline if isinstance(item, list)]
    assert [[c.title for c in group] for group in children] == [
        [f"{e['position']}. {e['title']}" for e in s["entries"]] for s in content["sections"]
    ]


def _numbered(content):
    from bulletin.pdf.document import section_number

    return [{**s, "number": section_number(s["position"], "zh-hans")} for s in content["sections"]]


def test_bookmarks_point_to_the_pages_where_entries_start(rendered):
    reader, texts = rendered["reader"], rendered["texts"]
    for item in _flatten(reader.outline):
        number, _, title = item.title.partition(". ")
        if number.isdigit():
            assert squeeze(title) in squeeze(texts[reader.get_destination_page_number(item)])


def _flatten(outline):
    for item in outline:
        if isinstance(item, list):
            yield from _flatten(item)
        else:
            yield item


def _uri_annotations(reader):
    for number, page in enumerate(reader.pages):
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            action = annotation.get("/A") or {}
            if action.get("/URI"):
                yield number, str(action["/URI"]), [float(v) for v in annotation["/Rect"]]


def test_link_annotations_are_the_entries_links(rendered):
    expected = {link["url"] for e in entries_of(rendered["content"]) for link in e["links"]}
    uris = {uri for _, uri, _ in _uri_annotations(rendered["reader"])}
    assert expected <= uris
    assert all(uri.startswith("mailto:") for uri in uris - expected)


def test_each_url_is_printed_once_however_long(rendered):
    text = squeeze("".join(rendered["texts"]))
    for entry in entries_of(rendered["content"]):
        for link in entry["links"]:
            assert text.count(link["url"]) == 1, link["url"]


def test_long_urls_wrap_inside_the_text_column(rendered):
    page = rendered["reader"].pages[0]
    right_edge = float(page.mediabox.width) - 20 * MM
    rects = [rect for _, uri, rect in _uri_annotations(rendered["reader"]) if uri == LONG_URL]
    assert len(rects) > 1  # one annotation per line of the wrapped address
    assert all(max(rect[0], rect[2]) <= right_edge + 1 for rect in rects)


def test_chinese_text_extracts_without_missing_glyphs(rendered):
    text = "".join(rendered["texts"])
    assert "\ufffd" not in text
    assert "本所认为企业应尽早评估产品责任风险。" in squeeze(text)
    assert "AIServicesMeasures" in squeeze(text)


def test_only_the_noto_cjk_fonts_are_embedded_as_subsets(rendered):
    fonts = set()
    for page in rendered["reader"].pages:
        for font in page["/Resources"]["/Font"].values():
            descendant = font.get_object()["/DescendantFonts"][0].get_object()
            descriptor = descendant["/FontDescriptor"].get_object()
            assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
            fonts.add(str(descendant["/BaseFont"]))
    families = {re.sub(r"-?(Bold)?$", "", name.split("+", 1)[1]) for name in fonts}
    assert all(re.match(r"^/[A-Z]{6}\+", name) for name in fonts)
    assert families <= {f.replace(" ", "-") for f in FONT_FAMILIES}


def test_metadata_names_the_issue(rendered):
    meta, content = rendered["reader"].metadata, rendered["content"]
    assert meta.title == content["title"]
    assert meta.author == "林青山, 陆知远"
    assert content["bulletin"]["name"] in meta.subject
    assert "产品责任" in meta["/Keywords"]
    assert str(rendered["reader"].trailer["/Root"]["/Lang"]) == "zh-Hans"


def test_pdf_is_tagged(rendered):
    root = rendered["reader"].trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"]
    assert "/StructTreeRoot" in root


def test_entry_shows_its_case_metadata_and_link_headings(rendered):
    text = squeeze("".join(rendered["texts"]))
    for part in ["Doe v. Example AI, Inc.", "3:24-cv-01234", "N.D. Cal.", "起诉状", "项目主页"]:
        assert squeeze(part) in text


def test_commentary_is_shown_with_its_authors(rendered):
    text = squeeze("".join(rendered["texts"]))
    commentary = entries_of(rendered["content"])[0]["commentary"]
    assert "本所短评" + squeeze(commentary["body"])[3:-4] in text
    assert "、".join(a["name"] for a in commentary["authors"]) in text


def test_disclaimer_team_and_each_profile_start_a_page(rendered):
    texts, content = rendered["texts"], rendered["content"]
    markers = [
        zh("Disclaimer") + "本刊物不构成法律意见",
        zh("Team") + squeeze(content["bulletin"]["firm_name"] + content["bulletin"]["team_name"]),
    ] + [a["name"] + squeeze(a["name_latin"]) for a in _profiles(content)]
    pages = [first_page_with(texts, marker) for marker in markers]
    assert pages == list(range(pages[0], pages[0] + len(markers)))
    assert pages[0] > first_page_with(texts, squeeze(entries_of(content)[-1]["title"]))


def _profiles(content):
    team_ids = {a["id"] for a in content["bulletin"]["team"]}
    people = content["bulletin"]["team"] + [
        a for a in content["writers"] if a["id"] not in team_ids
    ]
    return [a for a in people if a["title"] or a["email"] or a["experience"]]


def test_a_writer_known_by_name_alone_is_named_on_the_team_page_without_a_profile():
    content = _content()
    profiled = content["writers"][0]
    content["writers"].append(
        {key: [] if isinstance(value, list) else "" for key, value in profiled.items()}
        | {"id": 10**6, "name": "纪名单", "slug": "ji-mingdan"}
    )
    texts = page_texts(read_pdf(document_pdf(content).data))
    with_name = [i for i, text in enumerate(texts) if "纪名单" in squeeze(text)]
    bulletin = content["bulletin"]
    team_page = first_page_with(
        texts, zh("Team") + squeeze(bulletin["firm_name"] + bulletin["team_name"])
    )
    assert with_name == [team_page]  # in the writers' list, and on no page of its own
    profile = first_page_with(texts, profiled["name"] + squeeze(profiled["name_latin"]))
    assert profile > team_page and "电话" in texts[profile]


def test_profiles_hold_the_authors_details(rendered):
    text = squeeze("".join(rendered["texts"][-3:]))
    for part in ["13900000101", "执业十五年", "代表某游戏公司处理著作权纠纷", "北京大学，法学硕士"]:
        assert part in text


def test_weasyprint_does_not_fall_back_to_fonttools(rendered):
    assert not [m for m in rendered["log"] if "fontTools" in m]


def test_english_bulletin_pdf_says_page_x_of_y():
    bulletin = BulletinFactory(slug="ai-law-en", name="AI Law Monthly", language="en")
    content = _content(bulletin=bulletin, long_summaries=1)
    reader = read_pdf(document_pdf(content).data)
    total = len(reader.pages)
    assert f"Page 2 of {total}" in reader.pages[1].extract_text()
    assert str(reader.trailer["/Root"]["/Lang"]) == "en"
    # Latin text in Noto Serif and Noto Sans; the CJK faces only for the Chinese that remains.
    fonts = embedded_fonts(reader)
    assert {"Noto-Serif", "Noto-Sans-Bold"} <= fonts, fonts
    chinese = read_pdf(document_pdf(_content(long_summaries=1)).data)
    assert not {"Noto-Serif", "Noto-Sans-Bold"} & embedded_fonts(chinese)
    assert "Noto-Serif-CJK-SC" in embedded_fonts(chinese)


def embedded_fonts(reader) -> set[str]:
    """The embedded fonts' names without their subset prefix ("ABCDEF+")."""
    return {
        str(font.get_object()["/BaseFont"]).partition("+")[2]
        for page in reader.pages
        for font in page["/Resources"].get("/Font", {}).values()
    }


def test_preview_is_marked_on_every_page():
    content = _content(long_summaries=1)
    reader = read_pdf(document_pdf(content, preview=True).data)
    # A Chinese bulletin: "预览 – 尚未发布", extracted one character per line.
    assert all("预览" in "".join(page.extract_text().split()) for page in reader.pages)
