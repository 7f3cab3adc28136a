"""The write services the admin calls, called directly (as a script or a bulk action would): each
checks the role first, refuses and writes nothing without it, and does its work with it."""

import pytest
import reversion
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from bulletin.models import Issue, Job, WorkflowEvent
from bulletin.roles import Role, require, require_draft_reader
from bulletin.services.entries import entry_delete, entry_save, jurisdictions_from_catalogue
from bulletin.services.issues import issue_delete, issue_entries_reorder, issue_save
from bulletin.services.jobs import job_retry
from bulletin.services.versions import entry_revert, issue_revert
from bulletin.services.workflow import WorkflowError
from entries.models import Entry, Jurisdiction
from tests.factories import (
    BulletinFactory,
    CommentaryFactory,
    EntryFactory,
    EntryLinkFactory,
    IssueFactory,
    SectionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
REFUSED = "Your role does not allow this."


def test_require_refuses_a_user_without_any_of_the_roles(users):
    with pytest.raises(PermissionDenied, match=REFUSED):
        require(users["partner"], Role.EDITOR, Role.PUBLISHER)
    with pytest.raises(PermissionDenied, match=REFUSED):
        require(None, Role.EDITOR)
    require(users["publisher"], Role.EDITOR, Role.PUBLISHER)  # no exception


def test_require_draft_reader_refuses_staff_without_a_role(users):
    with pytest.raises(PermissionDenied, match=REFUSED):
        require_draft_reader(UserFactory(username="no-role"))
    require_draft_reader(users["partner"])


# entry_save


@pytest.mark.parametrize("role", ["reviewer", "publisher", "partner"])
def test_entry_save_refuses_a_role_that_does_not_write(users, entry, role):
    entry.title = "改写"
    with pytest.raises(PermissionDenied, match=REFUSED):
        entry_save(entry=entry, user=users[role])
    entry.refresh_from_db()
    assert entry.title != "改写"
    assert entry.version == 1


def test_entry_save_refuses_an_author_someone_elses_entry_and_lets_an_editor(users, entry):
    other = UserFactory(username="other-author", roles=["Author"])
    entry.title = "别人改写"
    with pytest.raises(PermissionDenied):
        entry_save(entry=entry, user=other)
    entry_save(entry=entry, user=users["editor"])
    entry.refresh_from_db()
    assert entry.title == "别人改写"
    assert entry.last_edited_by == users["editor"]


def test_entry_save_refuses_an_entry_in_review(users, entry):
    Entry.objects.filter(pk=entry.pk).update(state=Entry.State.IN_REVIEW)
    entry.refresh_from_db()
    with pytest.raises(WorkflowError, match="In review"):
        entry_save(entry=entry, user=users["editor"])


def test_entry_save_sends_an_approved_entry_back_to_draft(users, entry):
    Entry.objects.filter(pk=entry.pk).update(state=Entry.State.APPROVED)
    entry.refresh_from_db()
    entry.summary = "<p>改过的摘要。</p>"
    entry_save(entry=entry, user=users["editor"])
    entry.refresh_from_db()
    assert entry.state == Entry.State.DRAFT
    assert entry.summary == "<p>改过的摘要。</p>"
    assert (entry.version, entry.last_edited_by) == (2, users["editor"])
    event = WorkflowEvent.objects.get(entry=entry)
    assert (event.action, event.from_state, event.to_state) == ("edit", "approved", "draft")
    assert Job.objects.filter(name="workflow.notify", payload={"event_id": event.pk}).exists()


def test_entry_save_cannot_set_the_state_it_keeps_the_stored_one(users, entry):
    entry.state = Entry.State.APPROVED
    entry_save(entry=entry, user=users["author"])
    entry.refresh_from_db()
    assert entry.state == Entry.State.DRAFT
    assert entry.version == 2


def test_entry_save_of_nothing_changed_keeps_an_approval(users, entry):
    Entry.objects.filter(pk=entry.pk).update(state=Entry.State.APPROVED)
    entry.refresh_from_db()
    entry_save(entry=entry, user=users["editor"], changed=False)
    entry.refresh_from_db()
    assert entry.state == Entry.State.APPROVED
    assert entry.version == 2  # an open form is out of date all the same
    assert entry.last_edited_by == users["author"]
    assert not WorkflowEvent.objects.exists()


def test_entry_save_creates_a_draft_of_its_writer_with_what_hangs_on_it(users):
    section = SectionFactory()
    entry = EntryFactory.build(section=section, issue=None, state=Entry.State.APPROVED)
    entry_save(
        entry=entry,
        user=users["author"],
        write_related=lambda: EntryLinkFactory(entry=entry, url="https://example.org/new"),
    )
    entry.refresh_from_db()
    assert (entry.state, entry.issue) == (Entry.State.DRAFT, section.issue)
    assert entry.created_by == entry.last_edited_by == users["author"]
    assert list(entry.links.values_list("url", flat=True)) == ["https://example.org/new"]


@pytest.mark.parametrize("role", ["author", "reviewer", "publisher", "partner"])
def test_entry_delete_refuses_a_role_other_than_editor(users, entry, role):
    with pytest.raises(PermissionDenied, match=REFUSED):
        entry_delete(entry=entry, user=users[role])
    assert Entry.objects.filter(pk=entry.pk).exists()


def test_entry_delete_refuses_an_entry_of_an_approved_issue(users, entry):
    Issue.objects.filter(pk=entry.issue_id).update(state=Issue.State.APPROVED)
    with pytest.raises(WorkflowError, match="Approved"):
        entry_delete(entry=entry, user=users["editor"])
    assert Entry.objects.filter(pk=entry.pk).exists()


def test_entry_delete_deletes_for_an_editor(users, entry):
    EntryLinkFactory(entry=entry)
    entry_delete(entry=entry, user=users["editor"])
    assert not Entry.objects.filter(pk=entry.pk).exists()


# issue_save


@pytest.mark.parametrize("role", ["author", "reviewer", "publisher", "partner"])
def test_issue_save_refuses_a_role_other_than_editor(users, role):
    issue = IssueFactory(title="原标题")
    issue.title = "新标题"
    with pytest.raises(PermissionDenied, match=REFUSED):
        issue_save(issue=issue, user=users[role])
    issue.refresh_from_db()
    assert (issue.title, issue.version) == ("原标题", 1)


def test_issue_save_saves_a_draft_for_an_editor_and_keeps_its_state(users):
    issue = IssueFactory(title="原标题")
    issue.title, issue.state = "新标题", Issue.State.APPROVED
    issue_save(issue=issue, user=users["editor"])
    issue.refresh_from_db()
    assert (issue.title, issue.state, issue.version) == ("新标题", Issue.State.DRAFT, 2)
    assert issue.last_edited_by == users["editor"]


def test_issue_save_refuses_an_issue_no_longer_a_draft(users):
    issue = IssueFactory(state=Issue.State.APPROVED)
    with pytest.raises(WorkflowError, match="Approved"):
        issue_save(issue=issue, user=users["editor"])


def test_issue_save_gives_a_new_issue_its_default_sections(users):
    bulletin = BulletinFactory()
    issue = IssueFactory.build(bulletin=bulletin)
    issue_save(issue=issue, user=users["editor"])
    assert [s.title for s in issue.sections.all()] == bulletin.default_section_titles
    assert issue.created_by == users["editor"]


@pytest.mark.parametrize("role", ["author", "reviewer", "publisher", "partner"])
def test_issue_delete_refuses_a_role_other_than_editor(users, entry, role):
    with pytest.raises(PermissionDenied, match=REFUSED):
        issue_delete(issue=entry.issue, user=users[role])
    assert Issue.objects.filter(pk=entry.issue_id).exists()


def test_issue_delete_deletes_a_draft_with_its_entries_for_an_editor(users, entry):
    issue_delete(issue=entry.issue, user=users["editor"])
    assert not Issue.objects.filter(pk=entry.issue_id).exists()
    assert not Entry.objects.filter(pk=entry.pk).exists()


# issue_entries_reorder


@pytest.fixture
def two_entries():
    issue = IssueFactory()
    section = SectionFactory(issue=issue, position=1)
    first = EntryFactory(section=section, position=1, title="甲", state=Entry.State.APPROVED)
    second = EntryFactory(section=section, position=2, title="乙")
    return issue, section, first, second


@pytest.mark.parametrize("role", ["author", "reviewer", "publisher", "partner"])
def test_reorder_refuses_a_role_other_than_editor(users, two_entries, role):
    issue, section, first, second = two_entries
    places = {first.pk: (section.pk, 2), second.pk: (section.pk, 1)}
    with pytest.raises(PermissionDenied, match=REFUSED):
        issue_entries_reorder(issue=issue, user=users[role], places=places)
    assert list(issue.entries.order_by("position").values_list("title", flat=True)) == ["甲", "乙"]


def test_reorder_swaps_two_entries_and_keeps_an_approval(users, two_entries):
    issue, section, first, second = two_entries
    places = {first.pk: (section.pk, 2), second.pk: (section.pk, 1)}
    issue_entries_reorder(issue=issue, user=users["editor"], places=places)
    assert list(issue.entries.order_by("position").values_list("title", flat=True)) == ["乙", "甲"]
    first.refresh_from_db()
    assert (first.state, first.version) == (Entry.State.APPROVED, 2)


def test_reorder_refuses_two_entries_in_one_place(users, two_entries):
    issue, section, first, second = two_entries
    with pytest.raises(WorkflowError, match="have position 2"):
        issue_entries_reorder(issue=issue, user=users["editor"], places={first.pk: (section.pk, 2)})
    first.refresh_from_db()
    assert first.position == 1


def test_reorder_refuses_a_section_of_another_issue(users, two_entries):
    issue, _section, first, _second = two_entries
    elsewhere = SectionFactory()
    with pytest.raises(WorkflowError, match="within their issue"):
        issue_entries_reorder(
            issue=issue, user=users["editor"], places={first.pk: (elsewhere.pk, 1)}
        )
    first.refresh_from_db()
    assert first.section_id != elsewhere.pk


def issue_order_post(issue, section, rows) -> dict:
    """The issue page's form as posted, with each entry's (entry, position) in `rows`."""
    data = {
        "bulletin": issue.bulletin_id,
        "number": issue.number,
        "year": issue.year,
        "month": issue.month,
        "title": issue.title,
        "slug": issue.slug,
        "editors_note": "<p>导读</p>",
        "version": issue.version,
        "sections-TOTAL_FORMS": "0",
        "sections-INITIAL_FORMS": "0",
        "entries-TOTAL_FORMS": str(len(rows)),
        "entries-INITIAL_FORMS": str(len(rows)),
    }
    for index, (entry, position) in enumerate(rows):
        prefix = f"entries-{index}-"
        data.update({prefix + "id": entry.pk, prefix + "issue": issue.pk})
        data.update({prefix + "section": section.pk, prefix + "position": position})
    return data


def test_the_issue_admin_swaps_entries_through_the_service(client, users, two_entries):
    issue, section, first, second = two_entries
    client.force_login(users["editor"])
    url = reverse("admin:bulletin_issue_change", args=[issue.pk])
    response = client.post(url, issue_order_post(issue, section, [(first, 2), (second, 1)]))
    assert response.status_code == 302, response.context and response.context["errors"]
    assert list(issue.entries.order_by("position").values_list("title", flat=True)) == ["乙", "甲"]


# reverts


def _saved_version(obj, user, save):
    with reversion.create_revision():
        reversion.set_user(user)
        save()
    return Version.objects.get_for_object(obj).order_by("-pk").first()


@pytest.mark.parametrize("role", ["reviewer", "publisher", "partner"])
def test_entry_revert_refuses_a_role_that_does_not_write(users, entry, role):
    version = _saved_version(entry, users["author"], entry.save)
    Entry.objects.filter(pk=entry.pk).update(title="后来的标题")
    entry.refresh_from_db()
    with pytest.raises(PermissionDenied, match=REFUSED):
        entry_revert(entry=entry, version=version, user=users[role])
    entry.refresh_from_db()
    assert entry.title == "后来的标题"


def test_entry_revert_brings_back_text_links_and_commentary(users, entry):
    EntryLinkFactory(entry=entry, url="https://example.org/old")
    CommentaryFactory(entry=entry, body="<p>旧短评。</p>")
    version = _saved_version(entry, users["author"], entry.save)
    entry.links.update(url="https://example.org/new")
    entry.commentary.delete()
    Entry.objects.filter(pk=entry.pk).update(title="后来的标题", state=Entry.State.APPROVED)
    entry.refresh_from_db()
    entry_revert(entry=entry, version=version, user=users["author"])
    entry.refresh_from_db()
    assert entry.title == version.field_dict["title"]
    assert list(entry.links.values_list("url", flat=True)) == ["https://example.org/old"]
    assert entry.commentary.body == "<p>旧短评。</p>"
    assert entry.state == Entry.State.DRAFT  # approved, then changed: reviewed again
    assert WorkflowEvent.objects.filter(entry=entry, action="edit").exists()


@pytest.mark.parametrize("role", ["author", "reviewer", "publisher", "partner"])
def test_issue_revert_refuses_a_role_other_than_editor(users, role):
    issue = IssueFactory(title="旧标题")
    version = _saved_version(issue, users["editor"], issue.save)
    Issue.objects.filter(pk=issue.pk).update(title="新标题")
    issue.refresh_from_db()
    with pytest.raises(PermissionDenied, match=REFUSED):
        issue_revert(issue=issue, version=version, user=users[role])
    issue.refresh_from_db()
    assert issue.title == "新标题"


def test_issue_revert_brings_back_an_editors_older_version(users):
    issue = IssueFactory(title="旧标题")
    version = _saved_version(issue, users["editor"], issue.save)
    Issue.objects.filter(pk=issue.pk).update(title="新标题")
    issue.refresh_from_db()
    issue_revert(issue=issue, version=version, user=users["editor"])
    issue.refresh_from_db()
    assert (issue.title, issue.last_edited_by) == ("旧标题", users["editor"])
    assert Version.objects.get_for_object(issue).count() == 2


# job_retry


def test_job_retry_refuses_a_partner_and_queues_for_a_publisher(users):
    job = Job.objects.create(
        name="workflow.notify", status=Job.Status.FAILED, attempts=8, run_after=timezone.now()
    )
    with pytest.raises(PermissionDenied, match=REFUSED):
        job_retry(job=job, user=users["partner"])
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    job_retry(job=job, user=users["publisher"])
    job.refresh_from_db()
    assert (job.status, job.attempts) == (Job.Status.PENDING, 0)


def test_the_entry_admin_deletes_selected_entries_through_the_service(client, users, entry):
    kept = EntryFactory(title="已批准期的条目")
    Issue.objects.filter(pk=kept.issue_id).update(state=Issue.State.APPROVED)
    client.force_login(users["editor"])
    url = reverse("admin:entries_entry_changelist")
    data = {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"}
    assert client.post(url, data).status_code == 302
    assert not Entry.objects.filter(pk=entry.pk).exists()
    data["_selected_action"] = [kept.pk]
    assert client.post(url, data).status_code == 403
    assert Entry.objects.filter(pk=kept.pk).exists()


@pytest.mark.parametrize(
    ("positions", "shown"),
    [
        (("x", "1"), 'aria-invalid="true"'),  # not a number: the row says so beside the field
        (("1", "1"), "have position 1"),  # two entries in one place: said above the table
    ],
)
def test_the_issue_admin_shows_a_refused_order_in_its_rows(
    client, users, two_entries, positions, shown
):
    issue, section, first, second = two_entries
    first.title = "<b>甲</b>"
    first.save()
    client.force_login(users["editor"])
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    url = reverse("admin:bulletin_issue_change", args=[issue.pk])
    data = issue_order_post(issue, section, list(zip([first, second], positions, strict=True)))
    response = client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert shown in html
    # The rows keep what was typed, and an entry's title is text, never markup.
    assert f'name="entries-0-position" value="{positions[0]}"' in html
    assert "&lt;b&gt;甲&lt;/b&gt;" in html and "<b>甲</b>" not in html
    assert list(issue.entries.order_by("position").values_list("pk", flat=True)) == [
        first.pk,
        second.pk,
    ]


@pytest.mark.parametrize("role", ["reviewer", "publisher", "partner"])
def test_only_who_writes_entries_adds_places_from_the_catalogue(users, role):
    with pytest.raises(PermissionDenied, match=REFUSED):
        jurisdictions_from_catalogue(codes=["us-ca"], user=users[role])
    assert not Jurisdiction.objects.exists()
    rows = jurisdictions_from_catalogue(
        codes=["us-ca", "no-such-place", "us"], user=users["author"]
    )
    assert [row.code for row in rows] == ["us-ca", "us"]
    assert Jurisdiction.objects.count() == 2  # the parent once
