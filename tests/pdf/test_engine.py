"""The typesetting engine's own set-up: fonts are subset from the face HarfBuzz already holds,
without a copy of the whole font file in memory."""

import pypdf
import pytest
from weasyprint.pdf import fonts as pdf_fonts

from bulletin.pdf import engine

DOCUMENT = (
    "<html lang='zh-Hans'><body style='font-family: \"Noto Serif CJK SC\"'>"
    "<h1>人工智能法律月刊 AI Law Monthly</h1>"
    "<p>监管机构发布《人工智能服务管理办法》，Example Corp. v. Doe, No. 3:24-cv-01234。</p>"
    "<p style='font-family: \"Noto Sans CJK SC\"; font-weight: bold'>本所短评：及早评估。</p>"
    "</body></html>"
)


@pytest.fixture
def face_reads(monkeypatch):
    """The size of every font blob WeasyPrint reads out of HarfBuzz while typesetting."""
    sizes, read = [], engine._face_data

    def recorded(hb_object, ot_color=None, glyph=None):
        data = read(hb_object, ot_color, glyph)
        if data and ot_color is None:
            sizes.append(len(data))
        return data

    monkeypatch.setattr(engine, "_face_data", recorded)
    return sizes


def test_fonts_are_embedded_from_subsets_without_a_copy_of_the_whole_font(face_reads):
    pdf = engine.html_to_pdf(DOCUMENT)

    # Each embedded face is read once, as its subset…
    fonts = pdf_fonts_of(pdf.data)
    assert {"Noto-Serif-CJK-SC", "Noto-Serif-CJK-SC-Bold", "Noto-Sans-CJK-SC-Bold"} <= fonts
    assert len(face_reads) == len(fonts)
    # …and never as the whole collection file (the smallest Noto CJK file is 19 MB).
    assert 0 < max(face_reads) < 2_000_000


def test_the_pdf_is_the_same_as_with_weasyprints_own_copy(monkeypatch):
    ours = engine.html_to_pdf(DOCUMENT).data
    monkeypatch.setattr(pdf_fonts, "get_hb_object_data", engine._face_data)
    monkeypatch.setattr(pdf_fonts.Font, "__init__", engine._font_init)
    monkeypatch.delattr(pdf_fonts.Font, "file_content")

    assert engine.html_to_pdf(DOCUMENT).data == ours


def pdf_fonts_of(data: bytes) -> set[str]:
    import io

    names = set()
    for page in pypdf.PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]).partition("+")[2])
    return names
