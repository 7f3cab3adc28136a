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
