"""Where the PDFs are kept and what they are called: a storage of their own (never MEDIA_ROOT,
which may be served as is), file names that carry the content hash, readable download names."""

import functools
import hashlib
import json
from pathlib import Path

from django.conf import settings
from django.core.files.storage import Storage
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.module_loading import import_string

# Bump when the rendering changes in a way the templates do not show (e.g. WeasyPrint options).
RENDERER_VERSION = "1"
TEMPLATE_DIRS = [Path(settings.BASE_DIR) / "templates" / "pdf"]


@functools.cache
def pdf_storage() -> Storage:
    """The storage of settings.PDF_STORAGE (file system by default, S3 when configured)."""
    config = settings.PDF_STORAGE
    return import_string(config["BACKEND"])(**config.get("OPTIONS", {}))


@receiver(setting_changed)
def _forget_storage(setting, **kwargs):
    if setting == "PDF_STORAGE":
        pdf_storage.cache_clear()


@functools.cache
def _templates_digest() -> str:
    """The PDF's templates as this process loaded them: a new design renders anew."""
    digest = hashlib.sha256(RENDERER_VERSION.encode())
    for folder in TEMPLATE_DIRS:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def content_hash(content: dict) -> str:
    """What a PDF depends on: the published content, the design and the site's address."""
    data = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    digest = hashlib.sha256(data.encode())
    for part in (_templates_digest(), settings.SITE_URL, settings.PDF_VARIANT or ""):
        digest.update(b"\0" + part.encode())
    return digest.hexdigest()


def storage_name(*, bulletin_slug: str, issue_slug: str, digest: str) -> str:
    return f"{bulletin_slug}/{issue_slug}-{digest[:16]}.pdf"


def download_filename(*, bulletin_slug: str, year: int, month: int, preview: bool = False) -> str:
    """ "AI-Monthly-2024-08.pdf": the bulletin's slug with short words as acronyms."""
    words = [w.upper() if len(w) <= 2 else w.capitalize() for w in bulletin_slug.split("-") if w]
    suffix = "-preview" if preview else ""
    return f"{'-'.join(words) or 'Bulletin'}-{year}-{month:02d}{suffix}.pdf"
