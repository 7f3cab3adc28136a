"""Translations as editorial work: who may write and review them, their states, the four-eyes
rule, optimistic locking, sanitizing, and the outdated mark after an edit of the source."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from taggit.models import Tag

from bulletin.services.entries import entry_save
from bulletin.services.events import WorkflowError
from bulletin.services.issues import issue_save
from bulletin.translation.models import Translation, TranslationEvent
from bulletin.translation.selectors import source_diff, text_in, unit_texts
from bulletin.translation.services import (
    TranslationConflict,
    translation_save,
    translation_transition,
    translation_transitions,
)
from entries.models import Entry, Section
from tests.factories import IssueFactory, JurisdictionFactory, SectionFactory
from tests.translation.conftest import english

pytestmark = pytest.mark.django_db
T = Translation.State


def _save(entry, user, texts=None, version=None, language="en"):
    return translation_save(
        subject=entry, language=language, texts=texts or english(entry), user=user, version=version
    )


def _approved(entry, users):
    translation = _save(entry, users["translator"])
    translation = translation_transition(
        translation=translation, user=users["translator"], action="submit"
    )
    return translation_transition(translation=translation, user=users["reviewer"], action="approve")


@pytest.mark.parametrize("role", ["reviewer", "publisher", "partner"])
def test_a_role_that_does_not_write_cannot_save_a_translation(users, entry, role):
    with pytest.raises(PermissionDenied):
        _save(entry, users[role])
    assert not Translation.objects.exists()


def test_an_author_saves_a_draft_translation_of_an_entry(users, entry):
    translation = _save(entry, users["translator"])
    assert translation.state == T.DRAFT
    assert translation.translator == users["translator"]
    assert translation.texts["title"] == "Provisions on Generative AI"
    assert translation.events.get().action == "save"


def test_only_the_units_keys_are_kept(users, entry):
    texts = {**english(entry), "docket_number": "x", "link:999999": "stray", "evil": "<script>"}
    translation = _save(entry, users["translator"], texts)
    assert set(translation.texts) == set(english(entry))


def test_hostile_html_is_sanitized_with_the_source_allow_list(users, entry):
    texts = {
        **english(entry),
        "summary": '<p onclick="x()">Hi<script>alert(1)</script><img src=x onerror=y></p>',
        "commentary": '<p><a href="javascript:alert(1)">link</a> <em>ok</em></p>',
    }
    translation = _save(entry, users["translator"], texts)
    assert translation.texts["summary"] == "<p>Hi</p>"
    assert "javascript" not in translation.texts["commentary"]
    assert "<em>ok</em>" in translation.texts["commentary"]


def test_rich_text_that_sanitizing_empties_is_refused(users, entry):
    with pytest.raises(ValidationError) as caught:
        _save(entry, users["translator"], {**english(entry), "summary": "<script>x</script>"})
    assert "summary" in caught.value.message_dict
    assert not Translation.objects.exists()


def test_a_title_longer_than_its_column_is_refused(users, entry):
    with pytest.raises(ValidationError) as caught:
        _save(entry, users["translator"], {**english(entry), "title": "x" * 501})
    assert "title" in caught.value.message_dict


def test_a_save_from_an_out_of_date_form_is_refused(users, entry):
    first = _save(entry, users["translator"])
    _save(entry, users["editor"], {**english(entry), "title": "Theirs"}, version=first.version)
    with pytest.raises(TranslationConflict):
        _save(entry, users["translator"], {**english(entry), "title": "Mine"}, version=1)
    assert Translation.objects.get().texts["title"] == "Theirs"


def test_a_second_new_translation_of_the_same_language_is_a_conflict_not_a_duplicate(users, entry):
    _save(entry, users["translator"])
    with pytest.raises(TranslationConflict):
        _save(entry, users["editor"], version=None)
    assert Translation.objects.count() == 1


def test_submit_needs_every_text_translated(users, entry):
    texts = english(entry)
    del texts["commentary"]
    translation = _save(entry, users["translator"], texts)
    with pytest.raises(WorkflowError, match="(?i)commentary|短评"):
        translation_transition(translation=translation, user=users["translator"], action="submit")
    assert Translation.objects.get().state == T.DRAFT


def test_the_translator_cannot_approve_their_own_translation(users, entry):
    translation = _save(entry, users["reviewer2"])
    translation_transition(translation=translation, user=users["reviewer2"], action="submit")
    with pytest.raises(PermissionDenied, match="Four-eyes|四眼"):
        translation_transition(translation=translation, user=users["reviewer2"], action="approve")
    assert Translation.objects.get().state == T.IN_REVIEW


def test_an_earlier_editor_cannot_approve_after_someone_else_saves(users, entry):
    first = _save(entry, users["reviewer2"])
    second = _save(entry, users["editor"], {**english(entry), "title": "X"}, version=first.version)
    translation_transition(translation=second, user=users["editor"], action="submit")
    with pytest.raises(PermissionDenied):
        translation_transition(translation=second, user=users["reviewer2"], action="approve")


def test_a_reviewer_approves_and_the_source_is_kept(users, entry):
    translation = _approved(entry, users)
    assert translation.state == T.APPROVED
    assert translation.reviewer == users["reviewer"]
    assert translation.approved_source["title"] == entry.title
    actions = list(translation.events.order_by("pk").values_list("action", flat=True))
    assert actions == ["save", "submit", "approve"]


def test_an_author_cannot_approve(users, entry):
    translation = _save(entry, users["translator"])
    translation_transition(translation=translation, user=users["translator"], action="submit")
    with pytest.raises(PermissionDenied):
        translation_transition(translation=translation, user=users["author"], action="approve")


def test_request_changes_needs_a_comment_and_goes_back_to_the_translator(users, entry):
    translation = _save(entry, users["translator"])
    translation_transition(translation=translation, user=users["translator"], action="submit")
    with pytest.raises(WorkflowError):
        translation_transition(
            translation=translation, user=users["reviewer"], action="request_changes"
        )
    translation = translation_transition(
        translation=translation, user=users["reviewer"], action="request_changes", comment="Why?"
    )
    assert translation.state == T.CHANGES_REQUESTED
    assert translation_transitions(user=users["translator"], translation=translation) == ["submit"]


def test_a_translation_in_review_cannot_be_edited(users, entry):
    translation = _save(entry, users["translator"])
    translation = translation_transition(
        translation=translation, user=users["translator"], action="submit"
    )
    with pytest.raises(WorkflowError):
        _save(entry, users["translator"], version=translation.version)


def test_editing_an_approved_translation_returns_it_to_draft(users, entry):
    translation = _approved(entry, users)
    edited = _save(entry, users["editor"], {**english(entry), "title": "New"}, translation.version)
    assert edited.state == T.DRAFT
    assert edited.events.first().action == "edit"


def _edit_entry(entry, user, **changes):
    entry = Entry.objects.get(pk=entry.pk)
    for name, value in changes.items():
        setattr(entry, name, value)
    return entry_save(entry=entry, user=user)


def test_editing_the_source_after_approval_marks_the_translation_outdated(users, entry):
    _approved(entry, users)
    _edit_entry(entry, users["author"], title="关于生成式人工智能服务的规定")
    translation = Translation.objects.get()
    assert translation.outdated
    assert translation.state == T.APPROVED
    assert translation.events.first().action == "outdated"
    diff = source_diff(translation)
    assert len(diff) == 1
    assert "<ins>服务</ins>" in diff[0]["diff"]


def test_an_edit_of_an_untranslated_field_does_not_mark_it_outdated(users, entry):
    _approved(entry, users)
    _edit_entry(entry, users["author"], docket_number="2024-1", published_on=None)
    assert not Translation.objects.get().outdated
    _edit_entry(entry, users["author"], source="新的来源")
    assert Translation.objects.get().outdated


def test_an_edit_of_a_link_label_or_the_commentary_marks_it_outdated(users, entry):
    _approved(entry, users)
    entry.commentary.body = "<p>本所认为值得高度关注。</p>"

    def write():
        entry.commentary.save()

    entry_save(entry=Entry.objects.get(pk=entry.pk), user=users["author"], write_related=write)
    translation = Translation.objects.get()
    assert translation.outdated
    assert "<ins>高度</ins>" in source_diff(translation)[0]["diff"]


def test_approving_again_clears_the_outdated_mark(users, entry):
    translation = _approved(entry, users)
    _edit_entry(entry, users["author"], title="新标题")
    translation = Translation.objects.get()
    texts = {**english(entry), "title": "New title"}
    translation = _save(entry, users["translator"], texts, translation.version)
    assert translation.state == T.DRAFT
    translation_transition(translation=translation, user=users["translator"], action="submit")
    translation = translation_transition(
        translation=translation, user=users["reviewer"], action="approve"
    )
    assert not translation.outdated
    assert translation.approved_source["title"] == "新标题"


def test_an_outdated_translation_that_still_fits_is_submitted_again_as_it_stands(users, entry):
    translation = _approved(entry, users)
    assert translation_transitions(user=users["translator"], translation=translation) == []
    _edit_entry(entry, users["author"], title="关于生成式人工智能的规定。")
    translation = Translation.objects.get()
    assert translation_transitions(user=users["translator"], translation=translation) == ["submit"]
    translation = translation_transition(
        translation=translation, user=users["translator"], action="submit"
    )
    translation = translation_transition(
        translation=translation, user=users["reviewer"], action="approve"
    )
    assert not translation.outdated


def test_the_diff_escapes_markup_in_plain_text(users, entry):
    _approved(entry, users)
    _edit_entry(entry, users["author"], title="<b>规定</b>")
    diff = source_diff(Translation.objects.get())[0]["diff"]
    assert "<b>" not in diff
    assert "&lt;b&gt;" in diff


def test_an_issue_title_or_section_edit_marks_the_issue_translation_outdated(users):
    issue = IssueFactory(title="第八期", editors_note="<p>编者按。</p>")
    section = SectionFactory(issue=issue, title="监管动态", position=1)
    texts = {"title": "Issue 8", "editors_note": "<p>Note.</p>", f"section:{section.pk}": "Rules"}
    translation = translation_save(
        subject=issue, language="en", texts=texts, user=users["editor"], version=None
    )
    translation_transition(translation=translation, user=users["editor"], action="submit")
    translation_transition(translation=translation, user=users["reviewer"], action="approve")
    Section.objects.filter(pk=section.pk).update(title="最新监管动态")
    issue.refresh_from_db()
    issue_save(issue=issue, user=users["editor"])
    assert Translation.objects.get().outdated


def test_a_tag_name_is_approved_as_an_editor_saves_it(users):
    tag = Tag.objects.create(name="数据保护", slug="data")
    translation = translation_save(
        subject=tag,
        language="en",
        texts={"name": "Data protection"},
        user=users["editor"],
        version=None,
    )
    assert translation.state == T.APPROVED
    assert text_in(tag, "name", "en").value == "Data protection"
    with pytest.raises(PermissionDenied):
        translation_save(
            subject=tag,
            language="en",
            texts={"name": "X"},
            user=users["author"],
            version=translation.version,
        )


def test_renaming_a_tag_marks_its_name_translation_outdated(users):
    tag = Tag.objects.create(name="数据保护", slug="data")
    translation_save(
        subject=tag,
        language="en",
        texts={"name": "Data protection"},
        user=users["editor"],
        version=None,
    )
    tag.save()
    assert not Translation.objects.get().outdated
    tag.name = "个人数据保护"
    tag.save()
    assert Translation.objects.get().outdated


def test_a_jurisdiction_reads_its_catalogue_english_name_until_translated(users):
    place = JurisdictionFactory(code="de", name="德国", name_en="Germany")
    assert text_in(place, "name", "en").value == "Germany"
    assert text_in(place, "name", "zh-hans").value == "德国"


def test_text_in_says_whether_a_text_is_translated(users, entry):
    untranslated = text_in(entry, "title", "en")
    assert (untranslated.value, untranslated.language, untranslated.translated) == (
        entry.title,
        "zh-hans",
        False,
    )
    _approved(entry, users)
    link = entry.links.get(position=1)
    assert text_in(entry, "title", "en").translated
    assert text_in(link, "label", "en").value == "Official text"
    assert text_in(entry.commentary, "body", "en").value == "<p>We think it matters.</p>"


def test_a_draft_translation_is_not_read_as_the_text(users, entry):
    _save(entry, users["translator"])
    assert text_in(entry, "title", "en").value == entry.title
    assert not unit_texts(entry, "en")["title"].translated
    assert unit_texts(entry, "zh-hans")["title"].value == entry.title


def test_a_language_outside_the_settings_is_refused(users, entry):
    with pytest.raises(WorkflowError):
        _save(entry, users["translator"], language="fr")
    with pytest.raises(WorkflowError):
        _save(entry, users["translator"], language="zh-hans")  # the source language


LANGUAGES_3 = [("zh-hans", "Simplified Chinese"), ("en", "English"), ("fr", "French")]


@override_settings(LANGUAGES=LANGUAGES_3)
def test_a_third_language_is_a_settings_change(users, entry):
    french = {**english(entry), "title": "Dispositions sur l'IA générative"}
    translation = _save(entry, users["translator"], french, language="fr")
    translation_transition(translation=translation, user=users["translator"], action="submit")
    translation_transition(translation=translation, user=users["reviewer"], action="approve")
    assert text_in(entry, "title", "fr").value == "Dispositions sur l'IA générative"
    assert not text_in(entry, "title", "en").translated


def test_deleting_the_entry_deletes_its_translations(users, entry):
    _save(entry, users["translator"])
    entry.delete()
    assert not Translation.objects.exists()
    assert not TranslationEvent.objects.exists()


def test_two_new_translations_saved_at_once_make_one_row_and_a_clear_error(
    users, entry, monkeypatch
):
    # The second request read "no translation yet" before the first one committed.
    from bulletin.translation import services

    first = _save(entry, users["translator"])
    monkeypatch.setattr(services, "translation_get", lambda **kwargs: None)
    with pytest.raises(TranslationConflict):
        _save(entry, users["editor"], {**english(entry), "title": "Theirs"})
    assert Translation.objects.get().texts["title"] == first.texts["title"]
