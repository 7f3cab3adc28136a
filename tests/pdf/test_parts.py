"""An issue typeset in parts (sections side by side in processes of their own, then joined) is
the same document as the one typeset whole: pages, bookmarks, internal links and where they
land, page numbers, the contents' numbers, the tag structure and the metadata."""

import re
import shutil
import subprocess

import pytest
from django.db import transaction
from django.test import override_settings

from bulletin.pdf.document import document_pdf
from bulletin.pdf.parts import parts_wanted, section_groups
from bulletin.snapshot import hydrate, issue_for_snapshot, issue_snapshot
from tests.pdf.builders import rich_issue
from tests.pdf.conftest import page_texts, read_pdf, squeeze
from tests.pdf.structure import structure

pytestmark = pytest.mark.django_db

PAGE_NUMBER = re.compile(r"第(\d+)页/共(\d+)页")


@pytest.fixture(scope="module")
def pdfs(django_db_setup, django_db_blocker, tmp_path_factory):
    """The rich issue (two sections) typeset whole and in parts; its rows are rolled back."""
    with django_db_blocker.unblock(), transaction.atomic():
        content = hydrate(issue_snapshot(issue_for_snapshot(rich_issue().pk), published_at=None))
        transaction.set_rollback(True)
    with override_settings(PDF_PARALLEL_WORKERS=1):
        whole = document_pdf(content)
    with override_settings(PDF_PARALLEL_WORKERS=2, PDF_PARALLEL_MIN_ENTRIES=1):
        assert parts_wanted(content)
        parts = document_pdf(content)
    folder = tmp_path_factory.mktemp("parts")
    (folder / "parts.pdf").write_bytes(parts.data)
    return {"content": content, "whole": whole, "parts": parts, "path": folder / "parts.pdf"}


def outline(reader, items=None, depth=0) -> list[tuple]:
    """Each bookmark: its depth, title and page."""
    found = []
    for item in reader.outline if items is None else items:
        if isinstance(item, list):
            found += outline(reader, item, depth + 1)
        else:
            found.append((depth, item.title, reader.get_destination_page_number(item)))
    return found


def links(reader) -> list[tuple]:
    """Each link annotation: its page, its target and, for an internal one, the target's page."""
    pages = {
        name: reader.get_destination_page_number(d) for name, d in reader.named_destinations.items()
    }
    found = []
    for number, page in enumerate(reader.pages):
        for annotation in page.get("/Annots", []):
            annotation = annotation.get_object()
            if "/Dest" in annotation:
                name = str(annotation["/Dest"])
                found.append((number, name, pages[name]))
            else:
                found.append((number, str(annotation["/A"]["/URI"])))
    return found


def test_parts_have_the_pages_of_the_whole(pdfs):
    assert pdfs["parts"].pages == pdfs["whole"].pages == len(read_pdf(pdfs["parts"].data).pages)
    assert pdfs["whole"].pages > 4


def test_parts_keep_the_bookmarks_and_where_they_point(pdfs):
    whole = outline(read_pdf(pdfs["whole"].data))
    assert outline(read_pdf(pdfs["parts"].data)) == whole
    sections = pdfs["content"]["sections"]
    assert [title for depth, title, _ in whole if depth == 1] == [
        f"{e['position']}. {e['title']}" for s in sections for e in s["entries"]
    ]


def test_parts_keep_every_link_and_its_target_page(pdfs):
    whole = links(read_pdf(pdfs["whole"].data))
    internal = [link for link in whole if len(link) == 3]
    assert len(internal) >= sum(len(s["entries"]) + 1 for s in pdfs["content"]["sections"])
    assert {page for _, _, page in internal} != {0}
    assert links(read_pdf(pdfs["parts"].data)) == whole


def test_parts_number_every_page_but_the_cover_of_the_total(pdfs):
    texts = [squeeze(text) for text in page_texts(read_pdf(pdfs["parts"].data))]
    total = pdfs["parts"].pages
    numbers = [PAGE_NUMBER.findall(text) for text in texts]
    assert numbers[0] == []
    assert numbers[1:] == [[(str(n), str(total))] for n in range(2, total + 1)]
    whole = [squeeze(text) for text in page_texts(read_pdf(pdfs["whole"].data))]
    assert texts == whole  # the contents' page numbers and running heads included


def test_parts_keep_the_tag_structure_and_metadata(pdfs):
    whole, parts = read_pdf(pdfs["whole"].data), read_pdf(pdfs["parts"].data)
    assert structure(parts).outline() == structure(whole).outline()
    assert len(list(structure(parts).walk())) > 100
    assert parts.metadata.title == whole.metadata.title == pdfs["content"]["title"]
    assert parts.trailer["/Root"]["/Lang"] == "zh-Hans"
    assert parts.trailer["/Root"]["/MarkInfo"]["/Marked"]
    assert parts.xmp_metadata is not None


def test_parts_make_a_sound_file_with_subset_fonts(pdfs):
    assert shutil.which("qpdf") and shutil.which("pdffonts"), "make system-test-deps"
    check = subprocess.run(["qpdf", "--check", pdfs["path"]], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    fonts = subprocess.run(["pdffonts", pdfs["path"]], capture_output=True, text=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows and all("CID Type 0C" in row and " yes yes yes " in row for row in rows)
    assert "Type 3" not in fonts


def test_small_or_single_section_issues_are_typeset_whole(settings):
    settings.PDF_PARALLEL_WORKERS, settings.PDF_PARALLEL_MIN_ENTRIES = 2, 3
    section = {"entries": [{}, {}, {}]}
    assert parts_wanted({"sections": [section, section]})
    assert not parts_wanted({"sections": [section]})
    assert not parts_wanted({"sections": [{"entries": [{}]}, {"entries": [{}]}]})
    settings.PDF_PARALLEL_WORKERS = 1
    assert not parts_wanted({"sections": [section, section]})


def test_sections_are_grouped_in_order_by_their_entries():
    sections = [{"n": n, "entries": [{}] * size} for n, size in enumerate([40, 10, 30, 40])]
    groups = section_groups(sections, 2)
    assert [[s["n"] for s in group] for group in groups] == [[0, 1], [2, 3]]
    assert [[s["n"] for s in g] for g in section_groups(sections, 8)] == [[0], [1], [2], [3]]
