"""Rich text the admin shows read-only is rendered as the reader sees it (sanitized again), never
as escaped tags: change pages of those who may only view, inlines, version comparisons."""

import re
from pathlib import Path

import pytest
import reversion
from django.contrib import admin
from django.urls import reverse
from reversion.models import Version

from bulletin.models import Bulletin, Issue
from core.admin import ReadOnlyRichTextMixin
from core.fields import RichTextField
from entries.models import Commentary, Entry
from tests.factories import (
    AuthorFactory,
    CommentaryFactory,
    EntryFactory,
    IssueFactory,
    SectionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

SUMMARY = "<p>新规要点：</p><ol><li><p>登记备案义务</p></li><li><p>标识生成内容</p></li></ol>"
COMMENTARY = (
    '<p>建议企业：</p><ul><li><p>自查<a href="https://example.org/g">指引</a></p></li></ul>'
)
HOSTILE = '<script>alert(1)</script><img src=x onerror="alert(2)">'


@pytest.fixture
def users():
    roles = ["Author", "Editor", "Reviewer", "Publisher", "Partner"]
    return {role.lower(): UserFactory(username=role.lower(), roles=[role]) for role in roles}


@pytest.fixture
def entry(users):
    entry = EntryFactory(summary=SUMMARY, created_by=users["author"], state=Entry.State.IN_REVIEW)
    CommentaryFactory(entry=entry, body=COMMENTARY)
    return entry


def page(client, user, url) -> str:
    client.force_login(user)
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response.content.decode()


def change_url(obj) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def field_html(html: str, name: str) -> str:
    """The read-only contents of one field (its row's div.readonly)."""
    match = re.search(rf'field-{name}\b.*?<div class="readonly">(.*?)</div>\s*</div>', html, re.S)
    assert match, f"no read-only {name}"
    return match.group(1)


def assert_rendered(html: str, *words: str) -> None:
    assert "&lt;p&gt;" not in html and "&lt;li&gt;" not in html
    for word in words:
        assert word in html, word


def test_a_reviewer_reads_the_summary_and_the_commentary_rendered(client, users, entry):
    html = page(client, users["reviewer"], change_url(entry))
    summary = field_html(html, "summary")
    assert summary.startswith('<div class="rich"><p>新规要点：</p><ol><li><p>登记备案义务')
    body = field_html(html, "body")
    assert '<ul><li><p>自查<a href="https://example.org/g">指引</a></p></li></ul>' in body
    assert_rendered(html, "标识生成内容", "建议企业：")
    assert "css/admin-rich-text.css" in html


@pytest.mark.parametrize("role", ["publisher", "partner"])
def test_every_role_that_only_views_reads_rendered_text(client, users, entry, role):
    html = page(client, users[role], change_url(entry))
    assert "<ol><li><p>登记备案义务</p></li>" in field_html(html, "summary")
    assert_rendered(html, "标识生成内容", "指引")


def test_an_author_reads_an_approved_entry_of_a_closed_issue_rendered(client, users, entry):
    Entry.objects.filter(pk=entry.pk).update(state=Entry.State.APPROVED)
    Issue.objects.filter(pk=entry.issue_id).update(state=Issue.State.APPROVED)
    html = page(client, users["author"], change_url(entry))
    assert 'name="summary"' not in html  # the page is read-only
    assert "<ol><li><p>登记备案义务</p></li>" in field_html(html, "summary")
    assert "<ul><li><p>自查" in field_html(html, "body")
    assert_rendered(html, "标识生成内容")


def test_an_author_editing_a_draft_still_gets_the_editor(client, users, entry):
    Entry.objects.filter(pk=entry.pk).update(state=Entry.State.DRAFT)
    html = page(client, users["author"], change_url(entry))
    assert 'name="summary"' in html and 'name="commentary-0-body"' in html
    assert 'class="rich"' not in html


def test_a_reviewer_reads_the_editors_note_rendered(client, users):
    issue = IssueFactory(editors_note="<p>本期导读</p><ol><li><p>要点一</p></li></ol>")
    html = page(client, users["reviewer"], change_url(issue))
    assert "<p>本期导读</p><ol><li><p>要点一</p></li></ol>" in field_html(html, "editors_note")
    assert_rendered(html, "要点一")


def test_profiles_and_the_disclaimer_are_rendered_for_those_who_view_them(client, users):
    author = AuthorFactory(experience="<ul><li><p>十年经验</p></li></ul>")
    html = page(client, users["reviewer"], change_url(author))
    assert "<ul><li><p>十年经验</p></li></ul>" in field_html(html, "experience")
    bulletin = Bulletin.objects.get(pk=IssueFactory().bulletin_id)
    html = page(client, users["editor"], change_url(bulletin))
    assert "<p>本刊物不构成法律意见。</p>" in field_html(html, "disclaimer")
    assert_rendered(html, "本刊物不构成法律意见。")


def test_the_pdf_admins_issue_page_renders_the_editors_note(client, users):
    issue = IssueFactory(editors_note="<p>本期导读</p><ol><li><p>要点一</p></li></ol>")
    url = reverse("admin:pdf_issuepdf_change", args=[issue.pk])
    html = page(client, users["publisher"], url)
    assert "<p>本期导读</p><ol><li><p>要点一</p></li></ol>" in field_html(html, "editors_note")
    assert_rendered(html, "要点一")


def test_stored_markup_the_sanitizer_refuses_is_dropped_on_display(client, users, entry):
    # Written around the model's save (as a raw import or a database restore could).
    Entry.objects.filter(pk=entry.pk).update(summary=f"<p>摘要正文{HOSTILE}</p>")
    Commentary.objects.filter(entry=entry).update(body=f"<p>短评正文</p>{HOSTILE}")
    html = page(client, users["reviewer"], change_url(entry))
    assert field_html(html, "summary") == '<div class="rich"><p>摘要正文</p>'
    assert field_html(html, "body") == '<div class="rich"><p>短评正文</p>'
    assert "alert(" not in html and "onerror" not in html


def test_plain_fields_with_markup_stay_text_on_a_read_only_page(client, users, entry):
    Entry.objects.filter(pk=entry.pk).update(title=f"标题{HOSTILE}")
    html = page(client, users["reviewer"], change_url(entry))
    assert "标题&lt;script&gt;alert(1)&lt;/script&gt;&lt;img" in field_html(html, "title")
    assert "<script>alert(1)" not in html and "<img src=x" not in html


def test_a_rich_text_field_listed_as_read_only_is_rendered_on_an_editable_page(
    client, users, entry, monkeypatch
):
    entry_admin = admin.site._registry[Entry]
    monkeypatch.setattr(entry_admin, "readonly_fields", ["state", "summary"])
    Entry.objects.filter(pk=entry.pk).update(state=Entry.State.DRAFT)
    html = page(client, users["author"], change_url(entry))
    assert 'name="title"' in html  # the rest of the page can be edited
    assert "<ol><li><p>登记备案义务</p></li><li><p>标识生成内容" in field_html(html, "summary")


def test_every_admin_of_rich_text_renders_it_when_read_only():
    for model, model_admin in admin.site._registry.items():
        models = [model, *(inline.model for inline in model_admin.inlines)]
        fields = [field for each in models for field in each._meta.get_fields()]
        if any(isinstance(field, RichTextField) for field in fields):
            assert isinstance(model_admin, ReadOnlyRichTextMixin), model


def test_the_admin_numbers_lists_as_the_public_page_does():
    static = Path(__file__).resolve().parents[2] / "static" / "css"

    def list_rules(name):
        css = (static / name).read_text()
        rules = re.findall(r"^(?:#content )?\.rich (ol[^{]*)\{([^}]*)\}", css, re.M)
        return {(selector.strip(), body.replace(" ", "")) for selector, body in rules}

    public = list_rules("site.css")
    admin_rules = list_rules("admin-rich-text.css")
    assert {selector for selector, _ in public} == {selector for selector, _ in admin_rules}
    for selector, body in public:
        admin_body = dict(admin_rules)[selector]
        for declaration in filter(None, body.split(";")):
            assert declaration in admin_body, (selector, declaration)


# Comparisons of two saved versions.


def versioned(obj, user, **changes):
    for name, value in changes.items():
        setattr(obj, name, value)
    with reversion.create_revision():
        reversion.set_user(user)
        obj.save()


def compare_page(client, user, obj) -> str:
    older, newer = Version.objects.get_for_object(obj).order_by("pk")[:2]
    name = f"admin:{obj._meta.app_label}_{obj._meta.model_name}_compare"
    return page(client, user, reverse(name, args=[obj.pk]) + f"?a={older.pk}&b={newer.pk}")


def row_html(html: str, label: str) -> str:
    match = re.search(rf'<th scope="row">{label}</th>\s*<td>(.*?)</td>\s*</tr>', html, re.S)
    assert match, f"no row {label}"
    return match.group(1)


def test_compare_marks_one_changed_character_of_a_list_item(client, users, entry):
    versioned(entry, users["author"])
    versioned(entry, users["author"], summary=SUMMARY.replace("标识生成内容", "标注生成内容"))
    html = compare_page(client, users["reviewer"], entry)
    summary = row_html(html, "summary")
    assert summary == (
        '<div class="rich"><p>新规要点：</p><ol><li><p>登记备案义务</p></li>'
        "<li><p>标<del>识</del><ins>注</ins>生成内容</p></li></ol></div>"
    )
    assert "unchanged" in row_html(html, "commentary")
    assert_rendered(html)


def test_compare_shows_the_commentary_rendered_with_its_changes(client, users, entry):
    versioned(entry, users["author"])
    Commentary.objects.filter(entry=entry).update(body=COMMENTARY.replace("自查", "自行检查"))
    versioned(Entry.objects.get(pk=entry.pk), users["author"])
    commentary = row_html(compare_page(client, users["reviewer"], entry), "commentary")
    assert commentary == (
        '<div class="rich"><p>建议企业：</p><ul><li><p>自<ins>行检</ins>查'
        '<a href="https://example.org/g">指引</a></p></li></ul></div>'
    )


def test_compare_keeps_hostile_plain_text_as_text(client, users, entry):
    versioned(entry, users["author"])
    versioned(entry, users["author"], title=entry.title + HOSTILE)
    html = compare_page(client, users["reviewer"], entry)
    title = row_html(html, "title")
    assert "<ins>&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=" in title
    assert entry.title.replace(HOSTILE, "") in title
    assert "<script>alert(1)" not in html and "<img src=x" not in html


def test_compare_drops_stored_markup_the_sanitizer_refuses(client, users):
    issue = IssueFactory(editors_note="<p>导读</p>")
    versioned(issue, users["editor"])
    # The second version's note holds markup that skipped the sanitizer (a raw write).
    Issue.objects.filter(pk=issue.pk).update(editors_note=f"<p>导读新增</p>{HOSTILE}")
    issue.refresh_from_db()
    with reversion.create_revision():
        reversion.add_to_revision(issue)
    html = compare_page(client, users["reviewer"], issue)
    assert (
        row_html(html, "editor&#x27;s note") == '<div class="rich"><p>导读<ins>新增</ins></p></div>'
    )
    assert "alert(" not in html and "onerror" not in html


def test_a_version_without_commentary_compares_with_one_that_has_it(client, users):
    entry = EntryFactory(created_by=users["author"], section=SectionFactory())
    versioned(entry, users["author"])
    CommentaryFactory(entry=entry, body="<p>新增短评</p>")
    versioned(entry, users["author"])
    commentary = row_html(compare_page(client, users["editor"], entry), "commentary")
    assert commentary == '<div class="rich"><p><ins>新增短评</ins></p></div>'
