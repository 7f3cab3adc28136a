"""Uploaded portraits: a size and type limit, then re-encoded, so that what is served is a
plain image made here (no SVG, no HTML, no metadata, nothing hidden after the image data)."""

import io

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 6000 * 6000
FORMATS = {
    "JPEG": ("jpg", "image/jpeg"),
    "PNG": ("png", "image/png"),
    "WEBP": ("webp", "image/webp"),
}


def reencode_image(upload, *, basename: str) -> SimpleUploadedFile:
    """Check an uploaded image and return it decoded and encoded again."""
    if upload.size > MAX_BYTES:
        raise ValidationError(_("The image is larger than 5 MB."))
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            if image.format not in FORMATS:
                raise ValidationError(_("Upload a JPEG, PNG or WebP image."))
            if image.width * image.height > MAX_PIXELS:
                raise ValidationError(_("The image has too many pixels."))
            image_format = image.format
            image.load()
            upright = ImageOps.exif_transpose(image)  # phone photos store their rotation in EXIF
            clean = upright.convert("RGBA" if image_format == "PNG" else "RGB")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise ValidationError(_("Upload a JPEG, PNG or WebP image.")) from exc
    output = io.BytesIO()
    clean.save(output, format=image_format, quality=88)
    extension, content_type = FORMATS[image_format]
    return SimpleUploadedFile(f"{basename}.{extension}", output.getvalue(), content_type)
