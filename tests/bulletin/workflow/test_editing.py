"""Editing under the workflow: approved entries return to draft, concurrent edits, read-only
roles, versions, compare and revert, deletes."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from bulletin.models import Issue
from bulletin.services.workflow import entry_transition
from entries.models import Entry
from tests.bulletin.workflow.helpers import entry_form_data, issue_in
from tests.factories import EntryFactory, IssueFactory

pytestmark = pytest.mark.django_db


def test_editing_an_approved_entry_sends_it_back_to_draft(client, users, entry):
    Entry.objects.filter(pk=entry.pk).update(state=Entry.State.APPROVED)
    client.force_login(users["editor"])
    url = reverse("admin:entries_entry_change", args=[entry.pk])
    form = client.get(url).context["adminform"].form
    data = entry_form_data(form, title="改过的标题")
    assert client.post(url, data).status_code == 302
    entry.refresh_from_db()
    assert (entry.title, entry.state) == ("改过的标题", Entry.State.DRAFT)
    assert entry.events.get().action == "edit"


def test_second_of_two_concurrent_edits_is_refused_with_a_link(client, users, entry):
    url = reverse("admin:entries_entry_change", args=[entry.pk])
    client.force_login(users["editor"])
    first = entry_form_data(client.get(url).context["adminform"].form, title="第一位编辑")
    second = entry_form_data(client.get(url).context["adminform"].form, title="第二位编辑")
    assert client.post(url, first).status_code == 302
    response = client.post(url, second, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "Someone saved this entry while you were editing it" in response.content.decode()
    assert f'href="{url}"' in response.content.decode()
    entry.refresh_from_db()
    assert entry.title == "第一位编辑"


def test_an_entry_in_review_cannot_be_edited(client, users, entry):
    Entry.objects.filter(pk=entry.pk).update(state=Entry.State.IN_REVIEW)
    client.force_login(users["editor"])
    url = reverse("admin:entries_entry_change", args=[entry.pk])
    data = entry_form_data(client.get(url).context["adminform"].form, title="偷改")
    assert client.post(url, data).status_code == 403
    entry.refresh_from_db()
    assert entry.title != "偷改"


def test_partner_reads_but_cannot_edit(client, users, entry):
    client.force_login(users["partner"])
    url = reverse("admin:entries_entry_change", args=[entry.pk])
    assert client.get(url).status_code == 200
    data = entry_form_data(client.get(url).context["adminform"].form, title="偷改")
    assert client.post(url, data).status_code == 403


def test_revert_brings_back_an_older_version_as_a_new_version(client, users, entry):
    from reversion.models import Version

    client.force_login(users["editor"])
    url = reverse("admin:entries_entry_change", args=[entry.pk])
    for title in ["第一版标题", "第二版标题"]:
        data = entry_form_data(client.get(url).context["adminform"].form, title=title)
        assert client.post(url, data).status_code == 302
    versions = list(Version.objects.get_for_object(entry).order_by("pk"))
    assert len(versions) == 2
    compare = client.get(
        reverse("admin:entries_entry_compare", args=[entry.pk]),
        {"a": versions[0].pk, "b": versions[1].pk},
    ).content.decode()
    assert "<del>一</del><ins>二</ins>" in compare
    response = client.post(reverse("admin:entries_entry_revert", args=[entry.pk, versions[0].pk]))
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.title == "第一版标题"
    assert Version.objects.get_for_object(entry).count() == 3


def test_only_editors_may_revert(client, users, entry):
    from reversion.models import Version

    client.force_login(users["editor"])
    url = reverse("admin:entries_entry_change", args=[entry.pk])
    client.post(url, entry_form_data(client.get(url).context["adminform"].form, title="v1"))
    version = Version.objects.get_for_object(entry).get()
    client.force_login(users["partner"])
    response = client.post(reverse("admin:entries_entry_revert", args=[entry.pk, version.pk]))
    assert response.status_code == 403


def test_issue_versions_compare_and_revert(client, users):
    from reversion.models import Version

    issue = IssueFactory(created_by=users["editor"])
    client.force_login(users["editor"])
    url = reverse("admin:bulletin_issue_change", args=[issue.pk])
    for note in ["<p>旧导读</p>", "<p>新导读</p>"]:
        form = client.get(url).context["adminform"].form
        data = {
            "bulletin": issue.bulletin_id,
            "number": issue.number,
            "volume": "",
            "year": issue.year,
            "month": issue.month,
            "title": issue.title,
            "slug": issue.slug,
            "editors_note": note,
            "version": form.fields["version"].initial,
            "sections-TOTAL_FORMS": "0",
            "sections-INITIAL_FORMS": "0",
            "entries-TOTAL_FORMS": "0",
            "entries-INITIAL_FORMS": "0",
        }
        assert client.post(url, data).status_code == 302
    older, newer = Version.objects.get_for_object(issue).order_by("pk")
    page = client.get(
        reverse("admin:bulletin_issue_compare", args=[issue.pk]), {"a": older.pk, "b": newer.pk}
    ).content.decode()
    assert "<del>旧</del><ins>新</ins>" in page
    client.post(reverse("admin:bulletin_issue_revert", args=[issue.pk, older.pk]))
    issue.refresh_from_db()
    assert issue.editors_note == "<p>旧导读</p>"
    assert Version.objects.get_for_object(issue).count() == 3


def test_entries_of_an_approved_issue_cannot_be_deleted(client, users):
    issue = issue_in(Issue.State.APPROVED, users)
    entry = issue.entries.get()
    client.force_login(users["editor"])
    url = reverse("admin:entries_entry_delete", args=[entry.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert Entry.objects.filter(pk=entry.pk).exists()


def test_a_no_op_save_by_someone_else_does_not_let_the_writer_approve(client, users):
    reviewer = users["reviewer"]
    entry = EntryFactory(created_by=users["author"], last_edited_by=users["author"])
    url = reverse("admin:entries_entry_change", args=[entry.pk])
    # The reviewer writes a new summary (as an editor would), then an editor saves without change.
    reviewer.groups.add(*users["editor"].groups.all())
    client.force_login(reviewer)
    data = entry_form_data(client.get(url).context["adminform"].form, title="审核人改写")
    assert client.post(url, data).status_code == 302
    client.force_login(users["editor"])
    data = entry_form_data(client.get(url).context["adminform"].form)
    assert client.post(url, data).status_code == 302
    entry.refresh_from_db()
    assert entry.last_edited_by == reviewer
    Entry.objects.filter(pk=entry.pk).update(state=Entry.State.IN_REVIEW)
    with pytest.raises(PermissionDenied, match="Four-eyes|四眼原则"):  # the last request's language
        entry_transition(entry=entry, user=reviewer, action="approve")
