"""PDF fixtures: each test keeps its PDFs in its own folder, and a worker process uses it too."""

import io
import re

import pytest
from pypdf import PdfReader


@pytest.fixture(autouse=True)
def pdf_root(tmp_path, settings, monkeypatch):
    root = tmp_path / "pdf"
    settings.PDF_STORAGE = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(root)},
    }
    monkeypatch.setenv("PDF_ROOT", str(root))  # read by a Celery worker started by the test
    return root


def read_pdf(data: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(data))


def squeeze(text: str) -> str:
    """Text without any white space: lines of a PDF break anywhere in Chinese and URLs."""
    return re.sub(r"\s+", "", text)


def page_texts(reader: PdfReader) -> list[str]:
    return [page.extract_text() or "" for page in reader.pages]
