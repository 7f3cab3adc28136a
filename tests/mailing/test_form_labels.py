"""Labels of the subscription form end as the language writes them."""

import re

import pytest

from tests.factories import BulletinFactory

pytestmark = pytest.mark.django_db


def labels(response) -> dict[str, str]:
    html = response.content.decode()
    return dict(re.findall(r'<label for="id_(\w+)"[^>]*>(.*?)</label>', html, re.DOTALL))


def test_chinese_labels_end_with_a_full_width_colon(client):
    bulletin = BulletinFactory()
    found = labels(client.get(f"/mail/subscribe/{bulletin.slug}/"))
    assert found["email"].endswith("：")
    assert ":" not in found["email"]


def test_english_labels_end_with_a_colon(client):
    bulletin = BulletinFactory()
    found = labels(client.get(f"/en/mail/subscribe/{bulletin.slug}/"))
    assert found["email"] == "Email:"


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_the_consent_sentence_ends_with_its_full_stop(client, prefix):
    bulletin = BulletinFactory()
    consent = labels(client.get(f"{prefix}/mail/subscribe/{bulletin.slug}/"))["consent"]
    assert consent.rstrip().endswith(("。", "."))
    assert bulletin.name in consent
