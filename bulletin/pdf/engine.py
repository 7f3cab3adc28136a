"""WeasyPrint, set up once per process: one font configuration, a URL fetcher that reads only
the project's own media (never the network) and the PDF options of the house."""

import functools
import mimetypes
import threading
from dataclasses import dataclass, field

import pydyf
from django.conf import settings
from django.core.files.storage import default_storage
from weasyprint import HTML
from weasyprint.pdf import fonts as pdf_fonts
from weasyprint.text.ffi import ffi, fontconfig, harfbuzz, harfbuzz_subset
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

# Images of the document (authors' photos) are named media:<storage name>.
MEDIA_SCHEME = "media:"


@dataclass(frozen=True)
class RenderedPdf:
    data: bytes
    pages: int
    # The page (from 0) of each element id: where a part's contents entries point.
    anchors: dict[str, int] = field(default_factory=dict)


def _page_references(pdf) -> tuple:
    """pydyf's page_references, built once per page count: the tagging asks for it for every
    structure element, and rebuilding it each time was a third of the writing at 120 pages."""
    count = len(pdf.pages["Kids"])
    cached = pdf.__dict__.get("_page_references")
    if cached is None or cached[0] != count:
        cached = (count, tuple(f"{n} 0 R".encode("ascii") for n in pdf.pages["Kids"][::3]))
        pdf.__dict__["_page_references"] = cached
    return cached[1]


pydyf.PDF.page_references = property(_page_references)


# WeasyPrint copies each font's whole file into memory when a page first draws with it (65 MB
# for the three Noto CJK collections), though HarfBuzz subsets from the face it already has and
# replaces the copy with the subset. The copy is made only when something reads it (fontTools
# subsetting, variable or colour fonts): a third of the peak memory of a 160-entry issue.
_face_data = pdf_fonts.get_hb_object_data
_font_init = pdf_fonts.Font.__init__
_making_font = threading.local()


def _face_data_unless_making_font(hb_object, ot_color=None, glyph=None):
    if ot_color is None and glyph is None and getattr(_making_font, "now", False):
        return None
    return _face_data(hb_object, ot_color, glyph)


def _font_init_without_copy(font, *args, **kwargs):
    _making_font.now = True
    try:
        _font_init(font, *args, **kwargs)
    finally:
        _making_font.now = False


def _file_content(font) -> bytes:
    data = font.__dict__.get("_file_content")
    if data is None:
        data = font.__dict__["_file_content"] = _face_data(font.hb_face)
    return data


def _set_file_content(font, data) -> None:
    font.__dict__["_file_content"] = data


pdf_fonts.get_hb_object_data = _face_data_unless_making_font
pdf_fonts.Font.__init__ = _font_init_without_copy
pdf_fonts.Font.file_content = property(_file_content, _set_file_content)


@functools.cache
def font_config() -> FontConfiguration:
    """One per worker process: building it reads the system's fonts."""
    return FontConfiguration()


class MediaOnlyFetcher(URLFetcher):
    """Content comes from editors: it may name images of our storage, nothing else."""

    def fetch(self, url, headers=None):
        if not url.startswith(MEDIA_SCHEME):
            raise ValueError(f"not fetched: {url[:100]}")
        name = url.removeprefix(MEDIA_SCHEME)
        with default_storage.open(name, "rb") as image:
            body = image.read()
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body, {"Content-Type": content_type})


def harfbuzz_subset_available() -> bool:
    """HarfBuzz's subsetter makes CJK fonts ten times faster to embed than fontTools."""
    return bool(harfbuzz_subset) and bool(harfbuzz.hb_version_atleast(4, 1, 0))


def html_to_pdf(html: str, *, tagged: bool = True) -> RenderedPdf:
    """Typeset an HTML document: tagged, with subset and embedded fonts (untagged: the page
    furniture of a document typeset in parts, drawn over its pages as an artifact)."""
    options = {"pdf_tags": True, "pdf_variant": settings.PDF_VARIANT or None} if tagged else {}
    document = HTML(
        string=html, base_url=settings.SITE_URL + "/", url_fetcher=MediaOnlyFetcher()
    ).render(font_config=font_config(), **options)
    data = document.write_pdf(**options)
    anchors: dict[str, int] = {}
    for number, page in enumerate(document.pages):
        for name in page.anchors:
            anchors.setdefault(name, number)
    return RenderedPdf(data=data, pages=len(document.pages), anchors=anchors)


FONT_FAMILIES = ["Noto Serif CJK SC", "Noto Sans CJK SC", "Noto Serif", "Noto Sans"]


def missing_fonts() -> list[str]:
    """The document's font families that fontconfig does not have."""
    config = fontconfig.FcInitLoadConfigAndFonts()
    try:
        return [family for family in FONT_FAMILIES if not _has_family(config, family)]
    finally:
        fontconfig.FcConfigDestroy(config)


def _has_family(config, family: str) -> bool:
    pattern = fontconfig.FcPatternCreate()
    fontconfig.FcPatternAddString(pattern, b"family", family.encode())
    fontconfig.FcConfigSubstitute(config, pattern, fontconfig.FcMatchPattern)
    fontconfig.FcDefaultSubstitute(pattern)
    match = fontconfig.FcFontMatch(config, pattern, ffi.new("FcResult *"))
    fontconfig.FcPatternDestroy(pattern)
    if match == ffi.NULL:
        return False
    name, names = ffi.new("FcChar8 **"), []
    while fontconfig.FcPatternGetString(match, b"family", len(names), name) == 0:
        names.append(ffi.string(name[0]).decode())
    fontconfig.FcPatternDestroy(match)
    return family in names
