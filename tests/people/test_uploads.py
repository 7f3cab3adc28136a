"""Author portraits: images only, within limits, re-encoded; anything else is refused."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from people.models import Author

pytestmark = pytest.mark.django_db


def image_bytes(fmt="PNG", size=(40, 40), extra=b""):
    buffer = io.BytesIO()
    Image.new("RGB", size, "navy").save(buffer, format=fmt)
    return buffer.getvalue() + extra


def post_author(admin_client, upload):
    data = {
        "name": "王林",
        "name_latin": "Wang Lin",
        "slug": "wang-lin",
        "is_active": "on",
        "display_order": "0",
        "photo": upload,
    }
    return admin_client.post(reverse("admin:people_author_add"), data)


def test_a_photo_is_re_encoded_with_a_fresh_name(admin_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    trailer = b"<script>alert(1)</script>"
    upload = SimpleUploadedFile("original-portrait.png", image_bytes(extra=trailer), "image/png")
    assert post_author(admin_client, upload).status_code == 302
    photo = Author.objects.get().photo
    assert photo.name.endswith(".png") and "original-portrait" not in photo.name
    assert trailer not in photo.read()


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        (
            "x.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "image/svg+xml",
        ),
        ("x.html", b"<html><script>alert(1)</script></html>", "text/html"),
        ("x.png", b"\x89PNG not really", "image/png"),
        ("x.gif", image_bytes("GIF"), "image/gif"),
        ("big.png", image_bytes(extra=b"\0" * (5 * 1024 * 1024 + 1)), "image/png"),
    ],
)
def test_anything_but_a_modest_image_is_refused(admin_client, name, content, content_type):
    response = post_author(admin_client, SimpleUploadedFile(name, content, content_type))
    assert response.status_code == 200
    assert "photo" in response.context["adminform"].form.errors
    assert not Author.objects.exists()


def _jpeg_segments(data: bytes) -> list[int]:
    """The marker of every segment before the image data of a JPEG file."""
    markers, at = [], 2
    while at < len(data) and data[at] == 0xFF:
        marker = data[at + 1]
        markers.append(marker)
        if marker == 0xDA:  # start of scan: the image data follows
            break
        at += 2 + int.from_bytes(data[at + 2 : at + 4], "big")
    return markers


def _polyglot_jpeg() -> bytes:
    """A real JPEG that is also an HTML page: markup in its comment, EXIF, XMP and ICC data."""
    from PIL import ImageCms

    buffer = io.BytesIO()
    image = Image.new("RGB", (32, 32), "teal")
    exif = Image.Exif()
    exif[0x010E] = "<script>alert('exif')</script>"  # ImageDescription
    exif[0x0112] = 1  # orientation
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    image.save(
        buffer,
        format="JPEG",
        comment=b"<html><body><script>alert('com')</script></body></html>",
        exif=exif.tobytes(),
        icc_profile=icc,
        xmp=b"<x:xmpmeta><script>alert('xmp')</script></x:xmpmeta>",
    )
    return buffer.getvalue()


def test_a_jpeg_keeps_no_metadata_segment_after_re_encoding(admin_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    original = _polyglot_jpeg()
    assert 0xFE in _jpeg_segments(original) and b"alert('com')" in original
    upload = SimpleUploadedFile("portrait.jpg", original, "image/jpeg")
    assert post_author(admin_client, upload).status_code == 302
    stored = Author.objects.get().photo.read()
    with Image.open(io.BytesIO(stored)) as image:
        assert (image.format, image.size) == ("JPEG", (32, 32))
    segments = _jpeg_segments(stored)
    assert 0xDB in segments and 0xDA in segments  # quantisation tables, then the image data
    # No comment (FE) and no application segment (E1-EF: EXIF, XMP, ICC, ...); E0 is JFIF.
    assert not [m for m in segments if m == 0xFE or 0xE1 <= m <= 0xEF]
    for marker in (b"alert(", b"<script", b"<html", b"xmpmeta"):
        assert marker not in stored


def test_a_png_keeps_no_text_or_profile_chunk_after_re_encoding(admin_client, settings, tmp_path):
    from PIL import ImageCms, PngImagePlugin

    settings.MEDIA_ROOT = tmp_path
    text = PngImagePlugin.PngInfo()
    text.add_text("Comment", "<script>alert('png')</script>")
    buffer = io.BytesIO()
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    Image.new("RGB", (20, 10), "olive").save(buffer, format="PNG", pnginfo=text, icc_profile=icc)
    assert b"iCCP" in buffer.getvalue() and b"alert(" in buffer.getvalue()
    upload = SimpleUploadedFile("portrait.png", buffer.getvalue(), "image/png")
    assert post_author(admin_client, upload).status_code == 302
    stored = Author.objects.get().photo.read()
    assert stored.startswith(b"\x89PNG") and b"IDAT" in stored
    for chunk in (b"iCCP", b"tEXt", b"iTXt", b"zTXt", b"eXIf", b"alert("):
        assert chunk not in stored
