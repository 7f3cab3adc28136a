"""What an import reads, whatever the file: the kind of an upload, told by its content and not by
its name, and the text the text parser reads of a PDF, a Word file or a UTF-8 text."""

import zipfile
from io import BytesIO

from django.utils.translation import gettext as _

from bulletin.transfer.extracted import Extracted, UnreadableFile
from bulletin.transfer.pdf import open_pdf, read_pdf
from bulletin.transfer.word import check_archive, read_docx


def file_kind(content: bytes) -> str:
    """ "pdf", "docx", "zip" (another archive), "json" or "text"."""
    if content[:5] == b"%PDF-":
        return "pdf"
    if content[:4] == b"PK\x03\x04":
        try:
            names = zipfile.ZipFile(BytesIO(content)).namelist()
        except (zipfile.BadZipFile, ValueError):
            return "zip"
        return "docx" if "word/document.xml" in names else "zip"
    if content.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"{":
        return "json"
    return "text"


def check_file(content: bytes, kind: str) -> None:
    """What can be checked at once of an upload (a large one is read later by a worker): a PDF
    opens and is not encrypted, a Word file does not unpack to too much, a text is UTF-8."""
    if kind == "pdf":
        open_pdf(content)
    elif kind == "docx":
        check_archive(content)
    elif kind == "zip":
        raise UnreadableFile(_("The file is an archive but not a Word document (.docx)."))
    else:
        content.decode("utf-8-sig")


def extracted_text(content: bytes, kind: str = "") -> Extracted:
    """The text of a PDF, a Word file or a UTF-8 text, for the text parser."""
    kind = kind or file_kind(content)
    if kind == "pdf":
        return read_pdf(content)
    if kind == "docx":
        return read_docx(content)
    if kind == "zip":
        raise UnreadableFile(_("The file is an archive but not a Word document (.docx)."))
    try:
        return Extracted(content.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise UnreadableFile(
            _("The file is not UTF-8 text. Save it as UTF-8 and try again.")
        ) from exc
