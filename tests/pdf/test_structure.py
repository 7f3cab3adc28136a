"""The PDF's tag structure, as PDF/UA checkers read it: contents links holding their titles
inside list bodies, list items made of a label and a body, links named after their targets."""

import re
import subprocess

import pytest
from django.db import transaction

from bulletin.pdf.document import document_pdf
from bulletin.snapshot import hydrate, issue_for_snapshot, issue_snapshot
from tests.pdf.builders import rich_issue
from tests.pdf.conftest import read_pdf
from tests.pdf.structure import parents_of, structure

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def rendered(django_db_setup, django_db_blocker, tmp_path_factory):
    """One rendering of a rich issue for the module; its rows are rolled back."""
    with django_db_blocker.unblock(), transaction.atomic():
        issue = rich_issue()
        content = hydrate(issue_snapshot(issue_for_snapshot(issue.pk), published_at=None))
        transaction.set_rollback(True)
    pdf = document_pdf(content)
    path = tmp_path_factory.mktemp("structure") / "issue.pdf"
    path.write_bytes(pdf.data)
    return {"content": content, "tree": structure(read_pdf(pdf.data)), "path": path}


def entries_of(content):
    return [e for section in content["sections"] for e in section["entries"]]


def contents_links(tree):
    """The links of the contents: internal ones, named after their targets."""
    return [
        (p, link) for p, link in parents_of(tree, "Link") if not re.match(r"^\w+:", link.contents)
    ]


def test_contents_links_are_in_list_bodies_and_hold_the_title_directly(rendered):
    links = contents_links(rendered["tree"])
    content = rendered["content"]
    assert len(links) == len(content["sections"]) + len(entries_of(content)) + 3  # + end matter
    assert {parent.role for parent, _ in links} == {"LBody"}
    assert all(link.children == [] and link.content_items for _, link in links)


def test_no_link_wraps_a_span_or_another_link(rendered):
    links = [link for _, link in parents_of(rendered["tree"], "Link")]
    assert len(links) > 20
    assert [link.outline() for link in links if link.children] == []


def test_list_items_are_a_label_and_a_body(rendered):
    items = [item for _, item in parents_of(rendered["tree"], "LI")]
    assert {child.role for item in items for child in item.children} == {"Lbl", "LBody"}
    labelled = [item for item in items if [c.role for c in item.children] == ["Lbl", "LBody"]]
    # The contents (sections and entries) and each summary's "1)", "2)", "a)", "b)".
    content = rendered["content"]
    expected = len(content["sections"]) + len(entries_of(content)) * 5
    assert len(labelled) >= expected


def test_no_list_item_holds_a_paragraph_directly(rendered):
    tree = rendered["tree"]
    assert [p for p, item in parents_of(tree, "P") if p.role == "LI"] == []
    assert any(p.role == "LBody" for p, _ in parents_of(tree, "P"))


def test_internal_links_are_named_after_their_targets_titles(rendered):
    names = [link.contents for _, link in contents_links(rendered["tree"])]
    for entry in entries_of(rendered["content"]):
        title = re.sub(r"\s+", "-", entry["title"])
        assert any(name.endswith(title) for name in names), entry["title"]
    assert not [name for name in names if re.fullmatch(r"(entry|section)-\d+", name)]


def test_pdfinfo_reads_a_tagged_pdf(rendered):
    info = subprocess.run(["pdfinfo", rendered["path"]], capture_output=True, text=True, check=True)
    assert re.search(r"^Tagged:\s+yes$", info.stdout, re.M)


def test_pdffonts_lists_only_embedded_subset_fonts(rendered):
    listing = subprocess.run(
        ["pdffonts", rendered["path"]], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert listing
    for line in listing:
        name, *_, emb, sub, uni, _obj, _gen = line.split()
        assert (emb, sub, uni) == ("yes", "yes", "yes"), line
        assert "CJK" in name
