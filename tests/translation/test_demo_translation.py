"""The demo loads its issue's English edition (bulletin/demo/ai-monthly-2024-08.en.json) into
approved translations, translated by the demo editor and approved by the demo reviewer, and
loading it again changes nothing."""

import pytest
from django.core.management import call_command

from bulletin.demo.loader import load_demo
from bulletin.models import Issue
from bulletin.translation.models import Translation, TranslationEvent
from bulletin.translation.selectors import text_in
from bulletin.translation.services import untranslated
from entries.models import Entry

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return Issue.objects.get(slug="2024-08")


def test_every_unit_of_the_published_issue_has_an_approved_english_translation(demo):
    entries = list(demo.entries.all())
    assert len(entries) == 19
    rows = Translation.objects.filter(language="en")
    assert rows.filter(entry__in=entries, state="approved").count() == 19
    assert rows.filter(issue=demo, state="approved").exists()
    assert rows.filter(bulletin=demo.bulletin, state="approved").exists()
    assert rows.filter(author__isnull=False, state="approved").count() == 5
    assert rows.filter(tag__name="产品责任", state="approved").get().texts == {
        "name": "Product liability"
    }
    assert not rows.exclude(state="approved").exists()
    for translation in rows:
        assert untranslated(translation) == [], translation


def test_the_editor_translated_and_the_reviewer_approved(demo):
    translation = Translation.objects.get(entry=demo.entries.first(), language="en")
    assert translation.translator.username == "editor"
    assert translation.reviewer.username == "reviewer"
    assert not translation.outdated
    actions = list(translation.events.order_by("pk").values_list("action", flat=True))
    assert actions == ["save", "submit", "approve"]


def test_the_english_texts_are_the_editions(demo):
    entry = Entry.objects.get(section__issue=demo, section__position=1, position=1)
    title = text_in(entry, "title", "en")
    assert title.translated
    assert title.value.startswith("Council of the EU adopts the revised Product Liability")
    assert text_in(demo, "title", "en").value == "August 2024"
    # The source stays Chinese.
    assert entry.title.startswith("欧盟理事会")


def test_loading_again_changes_nothing(demo):
    before = list(Translation.objects.order_by("pk").values())
    events = TranslationEvent.objects.count()
    load_demo()
    assert list(Translation.objects.order_by("pk").values()) == before
    assert TranslationEvent.objects.count() == events
    assert len(before) > 30


def test_a_translation_someone_edited_is_kept(demo):
    translation = Translation.objects.get(issue=demo, language="en")
    Translation.objects.filter(pk=translation.pk).update(texts={"title": "Edited"})
    load_demo()
    assert Translation.objects.get(pk=translation.pk).texts == {"title": "Edited"}


def test_the_published_issue_has_its_english_edition_published_once(demo, client):
    edition = demo.current_edition("en")
    assert edition is not None and edition.published_by.username == "publisher"
    assert edition.content["title"] == "August 2024" and not edition.content["untranslated"]
    load_demo()
    assert demo.editions.count() == 1
    html = client.get(demo.get_absolute_url()).content.decode()  # under /en/: tests speak English
    assert "August 2024" in html and "Council of the EU adopts" in html
    assert "Not yet translated" not in html
    # The draft issue has no edition: nothing of it is published in any language.
    assert not Issue.objects.get(slug="2024-09").editions.exists()
