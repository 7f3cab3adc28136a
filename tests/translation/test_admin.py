"""The translate screen, the entry page's translation panel and the entry list's filter."""

import pytest
from django.urls import reverse

from bulletin.services.entries import entry_save
from bulletin.translation.models import Translation
from bulletin.translation.services import translation_save, translation_transition
from entries.models import Entry
from tests.factories import EntryFactory, IssueFactory, SectionFactory
from tests.translation.conftest import english

pytestmark = pytest.mark.django_db
T = Translation.State


def url(entry, language="en"):
    return reverse("admin:translation_translation_translate", args=["entry", entry.pk, language])


def as_user(client, user, language="en"):
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    return client


def post_texts(entry, **extra):
    data = {f"t_{key}": value for key, value in english(entry).items()}
    return {**data, **extra}


def test_the_translate_screen_shows_the_source_beside_an_empty_form(client, users, entry):
    response = as_user(client, users["translator"]).get(url(entry))
    page = response.content.decode()
    assert response.status_code == 200
    assert "关于生成式人工智能的规定" in page
    assert 'name="t_title"' in page
    assert 'name="t_summary"' in page  # the prose editor's field
    assert "Save and submit for review" in page


def test_an_author_saves_and_submits_from_the_screen(client, users, entry):
    data = post_texts(entry, _action="save_submit", version="")
    response = as_user(client, users["translator"]).post(url(entry), data)
    assert response.status_code == 302
    translation = Translation.objects.get()
    assert translation.state == T.IN_REVIEW
    assert translation.texts["title"] == "Provisions on Generative AI"


def test_a_stale_form_is_refused_with_the_input_kept(client, users, entry):
    translation_save(
        subject=entry, language="en", texts=english(entry), user=users["editor"], version=None
    )
    data = post_texts(entry, _action="save", version="", t_title="Mine")
    response = as_user(client, users["translator"]).post(url(entry), data)
    assert response.status_code == 200
    assert "Mine" in response.content.decode()
    assert Translation.objects.get().texts["title"] == "Provisions on Generative AI"


def test_a_reviewer_sees_the_translation_read_only_and_approves(client, users, entry):
    translation = translation_save(
        subject=entry, language="en", texts=english(entry), user=users["translator"], version=None
    )
    translation_transition(translation=translation, user=users["translator"], action="submit")
    reviewer = as_user(client, users["reviewer"])
    page = reviewer.get(url(entry)).content.decode()
    assert 'name="t_title"' not in page
    assert "Provisions on Generative AI" in page
    assert 'value="approve"' in page
    version = Translation.objects.get().version
    response = reviewer.post(url(entry), {"_action": "approve", "version": version})
    assert response.status_code == 302
    assert Translation.objects.get().state == T.APPROVED


def test_a_reviewer_cannot_save_a_translation(client, users, entry):
    response = as_user(client, users["reviewer"]).post(
        url(entry), post_texts(entry, _action="save")
    )
    assert response.status_code == 403
    assert not Translation.objects.exists()


def test_a_partner_or_a_language_outside_the_settings_gets_no_screen(client, users, entry):
    assert as_user(client, users["author"]).get(url(entry, "fr")).status_code == 404
    assert as_user(client, users["author"]).get(url(entry, "zh-hans")).status_code == 404
    assert as_user(client, users["author"]).get(url(entry)).status_code == 200


def test_hostile_html_in_the_form_is_stored_sanitized_and_shown_escaped(client, users, entry):
    data = post_texts(
        entry,
        _action="save",
        version="",
        t_title="<script>alert(1)</script>Title",
        t_summary='<p>ok<img src=x onerror="alert(2)"></p>',
    )
    as_user(client, users["translator"]).post(url(entry), data)
    translation = Translation.objects.get()
    assert translation.texts["summary"] == "<p>ok</p>"
    page = client.get(url(entry)).content.decode()
    assert "<script>alert(1)" not in page
    assert "onerror" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;Title" in page


def test_the_outdated_screen_shows_the_source_diff(client, users, entry):
    translation = translation_save(
        subject=entry, language="en", texts=english(entry), user=users["translator"], version=None
    )
    translation_transition(translation=translation, user=users["translator"], action="submit")
    translation_transition(translation=translation, user=users["reviewer"], action="approve")
    stored = Entry.objects.get(pk=entry.pk)
    stored.title = "关于生成式人工智能服务的规定"
    entry_save(entry=stored, user=users["author"])
    page = as_user(client, users["translator"]).get(url(entry)).content.decode()
    assert "The source changed since the translation was approved" in page
    assert "<ins>服务</ins>" in page


def test_the_entry_page_has_a_translation_panel(client, users, entry):
    change = reverse("admin:entries_entry_change", args=[entry.pk])
    page = as_user(client, users["author"]).get(change).content.decode()
    assert 'class="module translation-panel"' in page
    assert url(entry) in page
    assert "Missing" in page


def _issue_with_states(count):
    issue = IssueFactory()
    section = SectionFactory(issue=issue, position=1)
    return [EntryFactory(section=section, position=n + 1) for n in range(count)]


@pytest.mark.parametrize(
    ("value", "expected"),
    [("missing", [0]), ("draft", [1]), ("in_review", []), ("approved", [2]), ("outdated", [3])],
)
def test_the_entry_list_filters_by_english_translation(client, users, value, expected):
    entries = _issue_with_states(4)
    rows = [(1, T.DRAFT, False), (2, T.APPROVED, False), (3, T.APPROVED, True)]
    for number, state, outdated in rows:
        Translation.objects.create(
            entry=entries[number], language="en", state=state, outdated=outdated
        )
    # Another language's row does not count for the English filter.
    Translation.objects.create(entry=entries[0], language="fr", state=T.APPROVED)
    listing = reverse("admin:entries_entry_changelist")
    response = as_user(client, users["editor"]).get(listing, {"translation_en": value})
    shown = {e.pk for e in response.context["cl"].result_list}
    assert shown == {entries[n].pk for n in expected}
    assert "English translation" in response.content.decode()


def test_the_filtered_entry_list_makes_as_many_queries_for_60_entries_as_for_5(
    client, users, django_assert_max_num_queries
):
    listing = reverse("admin:entries_entry_changelist")
    reader = as_user(client, users["editor"])
    entries = _issue_with_states(5)
    for entry in entries[:2]:
        Translation.objects.create(entry=entry, language="en", outdated=True)
    with django_assert_max_num_queries(40) as few:
        response = reader.get(listing, {"translation_en": "outdated"})
    assert len(response.context["cl"].result_list) == 2
    more = _issue_with_states(60)
    for entry in more:
        Translation.objects.create(entry=entry, language="en", outdated=True)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = reader.get(listing, {"translation_en": "outdated"})
    assert response.context["cl"].result_count == 62


def test_the_issue_is_translated_with_its_section_titles_on_one_screen(client, users):
    issue = IssueFactory(title="第八期", editors_note="<p>编者按。</p>")
    section = SectionFactory(issue=issue, title="监管动态", position=1)
    issue_url = reverse("admin:translation_translation_translate", args=["issue", issue.pk, "en"])
    editor = as_user(client, users["editor"])
    page = editor.get(reverse("admin:bulletin_issue_change", args=[issue.pk])).content.decode()
    assert issue_url in page
    page = editor.get(issue_url).content.decode()
    assert f'name="t_section:{section.pk}"' in page
    data = {
        "_action": "save_submit",
        "version": "",
        "t_title": "Issue 8",
        "t_editors_note": "<p>Editor's note.</p>",
        f"t_section:{section.pk}": "Regulation",
    }
    assert editor.post(issue_url, data).status_code == 302
    translation = Translation.objects.get(issue=issue)
    assert translation.state == T.IN_REVIEW
    assert translation.texts[f"section:{section.pk}"] == "Regulation"


def test_an_author_may_read_but_not_write_an_issue_translation(client, users):
    issue = IssueFactory(title="第八期")
    issue_url = reverse("admin:translation_translation_translate", args=["issue", issue.pk, "en"])
    author = as_user(client, users["author"])
    page = author.get(issue_url).content.decode()
    assert "第八期" in page
    assert 'name="t_title"' not in page
    response = author.post(issue_url, {"_action": "save", "t_title": "X", "version": ""})
    assert response.status_code == 403
    assert not Translation.objects.exists()


def test_the_tag_page_has_a_translation_panel_and_its_name_is_approved_on_save(client, users):
    from taggit.models import Tag

    tag = Tag.objects.create(name="数据保护", slug="data")
    editor = as_user(client, users["editor"])
    page = editor.get(reverse("admin:taggit_tag_change", args=[tag.pk])).content.decode()
    tag_url = reverse("admin:translation_translation_translate", args=["tag", tag.pk, "en"])
    assert tag_url in page
    response = editor.post(tag_url, {"_action": "save", "t_name": "Data protection", "version": ""})
    assert response.status_code == 302
    assert Translation.objects.get(tag=tag).state == T.APPROVED


def test_an_authors_english_name_starts_from_the_latin_script_name(client, users):
    from tests.factories import AuthorFactory

    lawyer = AuthorFactory(name="王林", name_latin="Wang Lin", experience="<p>十年。</p>")
    author_url = reverse(
        "admin:translation_translation_translate", args=["author", lawyer.pk, "en"]
    )
    response = as_user(client, users["editor"]).get(author_url)
    assert response.context["form"]["t_name"].value() == "Wang Lin"
    assert 'name="t_experience"' in response.content.decode()
