"""Uploaded portraits: a size and type limit, then re-encoded, so that what is served is a
plain image made here (no SVG, no HTML, no metadata, nothing hidden after the image data)."""

import io

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

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
            clean = _in_srgb(upright, "RGBA" if image_format == "PNG" else "RGB")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise ValidationError(_("Upload a JPEG, PNG or WebP image.")) from exc
    # Pillow writes back what it read (a JPEG's comment, a PNG's ICC profile): the copy keeps the
    # pixels and nothing else, so no metadata segment survives.
    clean.info = {}
    output = io.BytesIO()
    clean.save(output, format=image_format, quality=88)
    extension, content_type = FORMATS[image_format]
    return SimpleUploadedFile(f"{basename}.{extension}", output.getvalue(), content_type)


def _in_srgb(image: Image.Image, mode: str) -> Image.Image:
    """The pixels in sRGB, the colour space an image without a profile is shown in, so that the
    embedded profile can be dropped with the other metadata."""
    profile = image.info.get("icc_profile")
    if profile:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
            srgb = ImageCms.createProfile("sRGB")
            return ImageCms.profileToProfile(image, source, srgb, outputMode=mode)
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # a broken profile: show the pixels as they are
    return image.convert(mode)
