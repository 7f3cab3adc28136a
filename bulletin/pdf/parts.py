"""A large issue typeset in parts, side by side, then joined into one tagged PDF.

Sections start on a new page and no page style depends on a page's number, so each group of
sections (the last with the end matter) is typeset on its own, in a process of its own, and has
the same pages it would have in the whole document. Then the cover and contents are typeset with
the page numbers the parts found, and the page furniture (running heads, "Page X of Y") of the
whole document in one untagged document of empty sheets, drawn over every page as an artifact.
The join keeps what the whole document has: one structure tree, the bookmarks, the named
destinations of the internal links, the metadata.
"""

import io
import math
import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor

from django.conf import settings
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    Fit,
    IndirectObject,
    NameObject,
    NumberObject,
)

from bulletin.pdf.engine import RenderedPdf, html_to_pdf

# Lines of the contents on one page, to guess the contents' length before typesetting it (a
# wrong guess costs one more typesetting of the cover and contents, never a wrong number).
CONTENTS_LINES_PER_PAGE = 35

# What renders the HTML for a part: (part, **context overrides) -> HTML.
PartHtml = Callable[..., str]


def parts_wanted(content: dict) -> bool:
    """Typeset in parts: parallelism on, an issue of several sections and enough entries."""
    entries = sum(len(section["entries"]) for section in content["sections"])
    return (
        settings.PDF_PARALLEL_WORKERS > 1
        and len(content["sections"]) > 1
        and entries >= settings.PDF_PARALLEL_MIN_ENTRIES
    )


def section_groups(sections: list[dict], count: int) -> list[list[dict]]:
    """Consecutive sections in at most `count` groups of about the same number of entries."""
    total = sum(len(s["entries"]) + 1 for s in sections)
    groups, current, weight = [], [], 0
    for section in sections:
        size = len(section["entries"]) + 1
        target = total * (len(groups) + 1) / count
        # A group ends where the running total comes closest to its share.
        if (
            current
            and len(groups) < count - 1
            and abs(weight - target) <= abs(weight + size - target)
        ):
            groups.append(current)
            current = []
        current.append(section)
        weight += size
    return groups + [current] if current else groups


def typeset_in_parts(context: dict, part_html: PartHtml) -> RenderedPdf:
    """The whole document's PDF (its template context given), its body typeset by
    PDF_PARALLEL_WORKERS processes."""
    workers, sections = settings.PDF_PARALLEL_WORKERS, context["sections"]
    groups = section_groups(sections, workers)
    bodies_html = [
        part_html(
            {"body": True, "preamble": n == 0, "sections": group, "end": n == len(groups) - 1}
        )
        for n, group in enumerate(groups)
    ]
    # Forked: the workers start with this process's fonts and templates loaded.
    forked = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=forked) as pool:
        bodies = list(pool.map(html_to_pdf, bodies_html))
        front_pages = 1 + math.ceil(_contents_lines(sections) / CONTENTS_LINES_PER_PAGE)
        while True:
            numbers = _page_numbers(bodies, start=front_pages + 1)
            total = front_pages + sum(body.pages for body in bodies)
            front = pool.submit(html_to_pdf, _front_html(context, numbers, part_html))
            furniture = pool.submit(
                html_to_pdf,
                part_html({"sheets": range(total), "bare": False}, template="furniture"),
                tagged=False,
            )
            if front.result().pages == front_pages:
                break
            front_pages = front.result().pages
    return RenderedPdf(
        data=join([front.result(), *bodies], furniture.result()),
        pages=total,
        anchors={name: number - 1 for name, number in numbers.items()},
    )


def _contents_lines(sections: list[dict]) -> int:
    return sum(len(s["entries"]) + 2 for s in sections) + 6  # its title, the end matter


def _page_numbers(bodies: list[RenderedPdf], *, start: int) -> dict[str, int]:
    """Each anchor's page number in the whole document (from 1)."""
    numbers = {}
    for body in bodies:
        numbers |= {name: start + page for name, page in body.anchors.items()}
        start += body.pages
    return numbers


def _front_html(context: dict, numbers: dict[str, int], part_html: PartHtml) -> str:
    """The cover and contents, with the page numbers of the contents' targets written in."""
    numbered = [
        {
            **section,
            "page": numbers.get(section["anchor"], ""),
            "entries": [{**e, "page": numbers.get(e["anchor"], "")} for e in section["entries"]],
        }
        for section in context["sections"]
    ]
    ends = {key: numbers.get(anchor, "") for key, anchor in context["anchors"].items()}
    return part_html({"front": True, "pages": ends}, sections=numbered)


def join(parts: list[RenderedPdf], furniture: RenderedPdf) -> bytes:
    """One PDF of the parts' pages in order, with one structure tree, their bookmarks and
    named destinations, and the furniture's pages drawn over theirs."""
    writer = PdfWriter()
    readers = [PdfReader(io.BytesIO(part.data)) for part in parts]
    tree = _StructureJoin(writer)
    destinations = {}
    for reader in readers:
        first = len(writer.pages)
        for page in reader.pages:
            writer.add_page(page)
        tree.add(reader, first)
        destinations |= _destinations(reader, writer, first)
        _copy_outline(reader, reader.outline, writer, first, parent=None)
    tree.finish()
    _write_destinations(writer, destinations)
    _copy_document_entries(readers[0], writer)
    _draw_furniture(PdfReader(io.BytesIO(furniture.data)), writer)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


class _StructureJoin:
    """The parts' structure trees under one Document element, their parent trees renumbered."""

    def __init__(self, writer: PdfWriter):
        self.writer = writer
        self.kids = ArrayObject()
        self.nums = ArrayObject()
        self.next_key = 0

    def add(self, reader: PdfReader, first: int) -> None:
        root = reader.trailer["/Root"]["/StructTreeRoot"]
        document = root["/K"][0].get_object()
        offset = self.next_key
        self.kids.extend(document["/K"].clone(self.writer, ignore_fields=("/P",)))
        nums = root["/ParentTree"]["/Nums"]
        for key, value in zip(nums[::2], nums[1::2], strict=True):
            self.nums.append(NumberObject(key + offset))
            self.nums.append(value.clone(self.writer, ignore_fields=("/P",)))
            self.next_key = max(self.next_key, key + offset + 1)
        for page in self.writer.pages[first:]:
            if "/StructParents" in page:
                page[NameObject("/StructParents")] = NumberObject(page["/StructParents"] + offset)
            for annotation in page.get("/Annots", []):
                annotation = annotation.get_object()
                if "/StructParent" in annotation:
                    annotation[NameObject("/StructParent")] = NumberObject(
                        annotation["/StructParent"] + offset
                    )

    def finish(self) -> None:
        writer = self.writer
        root = writer._add_object(
            DictionaryObject({NameObject("/Type"): NameObject("/StructTreeRoot")})
        )
        document = writer._add_object(
            DictionaryObject(
                {
                    NameObject("/Type"): NameObject("/StructElem"),
                    NameObject("/S"): NameObject("/Document"),
                    NameObject("/P"): root,
                    NameObject("/K"): self.kids,
                }
            )
        )
        _set_parents(document)
        root_object = root.get_object()
        root_object[NameObject("/K")] = ArrayObject([document])
        root_object[NameObject("/ParentTree")] = DictionaryObject({NameObject("/Nums"): self.nums})
        root_object[NameObject("/ParentTreeNextKey")] = NumberObject(self.next_key)
        writer._root_object[NameObject("/StructTreeRoot")] = root


def _set_parents(element) -> None:
    """Each structure element's /P, which the copy left out (it led back to the part's root)."""
    stack = [element]
    while stack:
        parent = stack.pop()
        kids = parent.get_object().get("/K")
        kids = kids.get_object() if kids is not None else None
        for kid in kids if isinstance(kids, ArrayObject) else [kids]:
            kid_object = kid.get_object() if kid is not None else None
            if isinstance(kid_object, DictionaryObject) and "/S" in kid_object:
                kid_object[NameObject("/P")] = parent
                stack.append(kid)


def _destinations(reader: PdfReader, writer: PdfWriter, first: int) -> dict:
    """The part's named destinations on the joined pages (a later part's name wins: the cover
    and contents name every target only so that their links are kept)."""
    pages = {page.indirect_reference.idnum: n for n, page in enumerate(reader.pages)}
    names = reader.trailer["/Root"].get("/Names", {}).get("/Dests", {}).get("/Names", [])
    found = {}
    for name, destination in zip(names[::2], names[1::2], strict=True):
        destination = destination.get_object()
        page = writer.pages[first + pages[destination[0].idnum]]
        found[name] = ArrayObject([page.indirect_reference, *destination[1:]])
    return found


def _write_destinations(writer: PdfWriter, destinations: dict) -> None:
    flat = ArrayObject()
    for name in sorted(destinations, key=lambda name: name.original_bytes):
        flat.extend([name, destinations[name]])
    writer._root_object[NameObject("/Names")] = DictionaryObject(
        {NameObject("/Dests"): DictionaryObject({NameObject("/Names"): flat})}
    )


def _copy_outline(reader: PdfReader, items: list, writer: PdfWriter, first: int, parent) -> None:
    previous = None
    for item in items:
        if isinstance(item, list):
            _copy_outline(reader, item, writer, first, parent=previous)
            continue
        page = first + reader.get_destination_page_number(item)
        fit = Fit.xyz(item.get("/Left"), item.get("/Top"), item.get("/Zoom"))
        previous = writer.add_outline_item(
            title=item.title, page_number=page, parent=parent, fit=fit
        )


def _copy_document_entries(reader: PdfReader, writer: PdfWriter) -> None:
    """The language, metadata (XMP and Info), marks and viewer preferences of the first part."""
    source = reader.trailer["/Root"]
    for key in ("/Lang", "/MarkInfo", "/ViewerPreferences", "/Metadata"):
        if key in source:
            writer._root_object[NameObject(key)] = source.raw_get(key).clone(writer)
    writer.add_metadata(reader.metadata)
    writer.pdf_header = reader.pdf_header


def _draw_furniture(furniture: PdfReader, writer: PdfWriter) -> None:
    """Each furniture page as a form drawn last on its page, marked as an artifact."""
    for page, sheet in zip(writer.pages, furniture.pages, strict=True):
        content = sheet.get_contents()
        if content is None or not content.get_data().strip():
            continue
        form = DecodedStreamObject()
        form.set_data(content.get_data())
        form.update(
            {
                NameObject("/Type"): NameObject("/XObject"),
                NameObject("/Subtype"): NameObject("/Form"),
                NameObject("/BBox"): sheet.mediabox,
                NameObject("/Resources"): sheet["/Resources"].clone(writer),
            }
        )
        # The parts' pages share their resources: each page gets its own, with its form.
        resources = DictionaryObject(page["/Resources"])
        resources[NameObject("/XObject")] = DictionaryObject(resources.get("/XObject", {}))
        resources["/XObject"][NameObject("/Furniture")] = writer._add_object(form)
        page[NameObject("/Resources")] = resources
        before, after = DecodedStreamObject(), DecodedStreamObject()
        before.set_data(b"q\n")
        after.set_data(b"\nQ\nq /Artifact BMC /Furniture Do EMC Q\n")
        contents = page.raw_get("/Contents").get_object()
        streams = (
            list(contents) if isinstance(contents, ArrayObject) else [page.raw_get("/Contents")]
        )
        # Streams are indirect objects in an array of contents.
        streams = [s if isinstance(s, IndirectObject) else writer._add_object(s) for s in streams]
        page[NameObject("/Contents")] = ArrayObject(
            [writer._add_object(before), *streams, writer._add_object(after)]
        )
