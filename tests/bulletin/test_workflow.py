"""The editorial workflow: roles, states, four-eyes, history, scheduling and corrections."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from bulletin.models import Issue, Job, Publication, WorkflowEvent
from bulletin.services.entries import entry_save
from bulletin.services.publishing import issue_publish, issues_publish_due
from bulletin.services.workflow import WorkflowError, entry_transition, issue_transition
from entries.models import Entry
from people.services import notification_preference_set
from tests.factories import EntryFactory, IssueFactory, SectionFactory, UserFactory, publish

pytestmark = pytest.mark.django_db
ROLES = ["author", "editor", "reviewer", "publisher", "partner"]


@pytest.fixture
def users():
    return {role: UserFactory(username=role, roles=[role.capitalize()]) for role in ROLES}


@pytest.fixture
def entry(users):
    return EntryFactory(created_by=users["author"], last_edited_by=users["author"])


def post_transition(client, user, obj, action, **data):
    client.force_login(user)
    app = "entries_entry" if isinstance(obj, Entry) else "bulletin_issue"
    url = reverse(f"admin:{app}_transition", args=[obj.pk, action])
    return client.post(url, {"comment": "请补充来源。", **data})


ENTRY_MATRIX = [
    ("submit", Entry.State.DRAFT, {"author", "editor"}, Entry.State.IN_REVIEW),
    ("request_changes", Entry.State.IN_REVIEW, {"reviewer"}, Entry.State.CHANGES_REQUESTED),
    ("approve", Entry.State.IN_REVIEW, {"reviewer"}, Entry.State.APPROVED),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("action", "source", "allowed", "target"), ENTRY_MATRIX)
def test_entry_permission_matrix(client, users, entry, role, action, source, allowed, target):
    Entry.objects.filter(pk=entry.pk).update(state=source)
    response = post_transition(client, users[role], entry, action)
    entry.refresh_from_db()
    if role in allowed:
        assert response.status_code == 302
        assert entry.state == target
    else:
        assert response.status_code == 403
        assert entry.state == source
        assert not WorkflowEvent.objects.exists()


def _issue_in(state, users, approved_entries=True):
    issue = IssueFactory(created_by=users["editor"], last_edited_by=users["editor"])
    EntryFactory(
        section=SectionFactory(issue=issue),
        state=Entry.State.APPROVED if approved_entries else Entry.State.DRAFT,
    )
    fields = {"state": state}
    if state == Issue.State.SCHEDULED:
        fields["scheduled_at"] = timezone.now() + datetime.timedelta(days=1)
    if state in (Issue.State.PUBLISHED, Issue.State.CORRECTED):
        Issue.objects.filter(pk=issue.pk).update(state=Issue.State.APPROVED)
        issue = publish(issue)
        fields = {"state": state}
    Issue.objects.filter(pk=issue.pk).update(**fields)
    issue.refresh_from_db()
    return issue


TOMORROW = (timezone.localtime() + datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
ISSUE_MATRIX = [
    ("submit", Issue.State.DRAFT, {"editor"}, Issue.State.IN_REVIEW, {}),
    ("request_changes", Issue.State.IN_REVIEW, {"reviewer"}, Issue.State.DRAFT, {}),
    ("approve", Issue.State.IN_REVIEW, {"reviewer"}, Issue.State.APPROVED, {}),
    ("reopen", Issue.State.APPROVED, {"editor", "publisher"}, Issue.State.DRAFT, {}),
    ("schedule", Issue.State.APPROVED, {"publisher"}, Issue.State.SCHEDULED, {"when": TOMORROW}),
    ("unschedule", Issue.State.SCHEDULED, {"publisher"}, Issue.State.APPROVED, {}),
    ("publish", Issue.State.APPROVED, {"publisher"}, Issue.State.PUBLISHED, {}),
    ("publish", Issue.State.SCHEDULED, {"publisher"}, Issue.State.PUBLISHED, {}),
    ("withdraw", Issue.State.PUBLISHED, {"publisher"}, Issue.State.WITHDRAWN, {}),
    ("open_correction", Issue.State.PUBLISHED, {"publisher"}, Issue.State.PUBLISHED, {}),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("action", "source", "allowed", "target", "extra"), ISSUE_MATRIX)
def test_issue_permission_matrix(client, users, role, action, source, allowed, target, extra):
    issue = _issue_in(source, users)
    events = WorkflowEvent.objects.count()
    response = post_transition(client, users[role], issue, action, **extra)
    issue.refresh_from_db()
    if role in allowed:
        assert response.status_code == 302
        assert issue.state == target
        assert WorkflowEvent.objects.count() == events + 1
    else:
        assert response.status_code == 403
        assert issue.state == source
        assert WorkflowEvent.objects.count() == events


def test_author_cannot_submit_someone_elses_entry(users):
    other = UserFactory(username="other-author", roles=["Author"])
    entry = EntryFactory(created_by=other)
    with pytest.raises(PermissionDenied):
        entry_transition(entry=entry, user=users["author"], action="submit")


@pytest.mark.parametrize(
    ("action", "state"),
    [
        ("approve", Entry.State.DRAFT),
        ("approve", Entry.State.APPROVED),
        ("request_changes", Entry.State.DRAFT),
        ("submit", Entry.State.IN_REVIEW),
        ("submit", Entry.State.APPROVED),
    ],
)
def test_invalid_entry_transitions_are_refused_and_change_nothing(users, entry, action, state):
    Entry.objects.filter(pk=entry.pk).update(state=state)
    user = users["reviewer"] if action != "submit" else users["editor"]
    with pytest.raises(WorkflowError):
        entry_transition(entry=entry, user=user, action=action, comment="x")
    entry.refresh_from_db()
    assert entry.state == state
    assert not WorkflowEvent.objects.exists()


@pytest.mark.parametrize(
    ("action", "state", "role", "comment", "when"),
    [
        ("publish", Issue.State.DRAFT, "publisher", "", None),
        ("publish", Issue.State.IN_REVIEW, "publisher", "", None),
        ("approve", Issue.State.DRAFT, "reviewer", "", None),
        ("schedule", Issue.State.DRAFT, "publisher", "", "future"),
        ("schedule", Issue.State.APPROVED, "publisher", "", "past"),
        ("schedule", Issue.State.APPROVED, "publisher", "", None),
        ("withdraw", Issue.State.PUBLISHED, "publisher", "", None),
        ("withdraw", Issue.State.APPROVED, "publisher", "reason", None),
        ("request_changes", Issue.State.IN_REVIEW, "reviewer", "  ", None),
        ("open_correction", Issue.State.APPROVED, "publisher", "note", None),
        ("publish_correction", Issue.State.PUBLISHED, "publisher", "", None),
        ("no_such_action", Issue.State.DRAFT, "editor", "", None),
    ],
)
def test_invalid_issue_transitions_are_refused_and_change_nothing(
    users, action, state, role, comment, when
):
    issue = _issue_in(state, users)
    offsets = {"future": 1, "past": -1}
    when = timezone.now() + datetime.timedelta(days=offsets[when]) if when else None
    events, publications = WorkflowEvent.objects.count(), Publication.objects.count()
    with pytest.raises(WorkflowError):
        issue_transition(issue=issue, user=users[role], action=action, comment=comment, when=when)
    issue.refresh_from_db()
    assert issue.state == state
    assert WorkflowEvent.objects.count() == events
    assert Publication.objects.count() == publications


def test_an_empty_issue_cannot_be_submitted(users):
    issue = IssueFactory()
    with pytest.raises(WorkflowError, match="no entries"):
        issue_transition(issue=issue, user=users["editor"], action="submit")


def test_an_issue_is_approved_only_when_every_entry_is(users):
    issue = _issue_in(Issue.State.IN_REVIEW, users, approved_entries=False)
    with pytest.raises(WorkflowError, match="not approved"):
        issue_transition(issue=issue, user=users["reviewer"], action="approve")


def test_an_issue_is_published_only_when_every_entry_is_approved(users):
    issue = _issue_in(Issue.State.APPROVED, users, approved_entries=False)
    with pytest.raises(WorkflowError, match="not approved"):
        issue_publish(issue=issue, user=users["publisher"])
    assert not Publication.objects.exists()


@pytest.mark.parametrize("field", ["created_by", "last_edited_by"])
def test_reviewer_cannot_approve_what_they_wrote_or_last_edited(users, field):
    reviewer = users["reviewer"]
    entry = EntryFactory(state=Entry.State.IN_REVIEW, **{field: reviewer})
    with pytest.raises(PermissionDenied, match="Four-eyes"):
        entry_transition(entry=entry, user=reviewer, action="approve")
    issue = _issue_in(Issue.State.IN_REVIEW, users)
    Issue.objects.filter(pk=issue.pk).update(**{field: reviewer})
    issue.refresh_from_db()
    with pytest.raises(PermissionDenied, match="Four-eyes"):
        issue_transition(issue=issue, user=reviewer, action="approve")


def test_relaxed_four_eyes_is_said_on_every_approval(client, users, settings):
    settings.WORKFLOW_FOUR_EYES = False
    entry = EntryFactory(state=Entry.State.IN_REVIEW, created_by=users["reviewer"])
    response = post_transition(client, users["reviewer"], entry, "approve")
    entry.refresh_from_db()
    assert entry.state == Entry.State.APPROVED
    page = client.get(response.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "four-eyes rule is relaxed" in page


def test_review_comment_reaches_the_author_by_email_and_on_the_page(
    client, users, entry, django_capture_on_commit_callbacks
):
    Entry.objects.filter(pk=entry.pk).update(state=Entry.State.IN_REVIEW)
    users["author"].email = "author@example-law.cn"
    users["author"].save()
    notification_preference_set(user=users["author"], delivery="immediate", language="en")
    with django_capture_on_commit_callbacks(execute=True):
        post_transition(
            client, users["reviewer"], entry, "request_changes", comment="第二段缺少出处。"
        )
    assert [m.to for m in mail.outbox] == [["author@example-law.cn"]]
    assert "第二段缺少出处。" in mail.outbox[0].body
    client.force_login(users["author"])
    page = client.get(reverse("admin:entries_entry_change", args=[entry.pk])).content.decode()
    assert "第二段缺少出处。" in page


def test_submitting_tells_the_reviewers(client, users, entry, django_capture_on_commit_callbacks):
    users["reviewer"].email = "reviewer@example-law.cn"
    users["reviewer"].save()
    notification_preference_set(user=users["reviewer"], delivery="immediate", language="en")
    with django_capture_on_commit_callbacks(execute=True):
        post_transition(client, users["author"], entry, "submit")
    assert [m.to for m in mail.outbox] == [["reviewer@example-law.cn"]]


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


def entry_form_data(form, **changes):
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if hasattr(value, "pk"):
            value = value.pk
        if isinstance(value, list):
            value = [getattr(v, "pk", v) for v in value]
        data[name] = "" if value is None else value
    data["tags"] = ""
    for prefix in ("links", "commentary"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    data.update(changes)
    return data


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


def test_publishing_twice_publishes_once(users):
    issue = _issue_in(Issue.State.APPROVED, users)
    issue_publish(issue=issue, user=users["publisher"])
    issue_publish(issue=issue, user=users["publisher"])
    assert Publication.objects.filter(issue=issue).count() == 1
    assert issue.events.filter(action="publish").count() == 1


def test_double_click_on_publish_publishes_once(client, users):
    issue = _issue_in(Issue.State.APPROVED, users)
    for _ in range(2):
        assert post_transition(client, users["publisher"], issue, "publish").status_code == 302
    assert Publication.objects.filter(issue=issue).count() == 1
    assert Job.objects.filter(name="web.invalidate").count() == 1


def test_scheduled_issue_is_published_when_its_time_comes(users):
    issue = _issue_in(Issue.State.APPROVED, users)
    at = timezone.now() + datetime.timedelta(hours=2)
    issue_transition(issue=issue, user=users["publisher"], action="schedule", when=at)
    assert issues_publish_due(now=at - datetime.timedelta(minutes=1)) == []
    assert issues_publish_due(now=at) == [issue.pk]
    issue.refresh_from_db()
    assert (issue.state, issue.published_at) == (Issue.State.PUBLISHED, at)
    assert issues_publish_due(now=at + datetime.timedelta(minutes=1)) == []


def test_a_missed_beat_publishes_on_the_next_run_and_logs_the_delay(users, caplog):
    issue = _issue_in(Issue.State.APPROVED, users)
    at = timezone.now() + datetime.timedelta(minutes=5)
    issue_transition(issue=issue, user=users["publisher"], action="schedule", when=at)
    later = at + datetime.timedelta(hours=3)
    assert issues_publish_due(now=later) == [issue.pk]
    event = issue.events.get(action="publish")
    assert "180 minutes" in event.comment
    assert "late" in caplog.text


def test_a_scheduled_issue_that_cannot_be_published_is_not_silently_dropped(users):
    issue = _issue_in(Issue.State.SCHEDULED, users, approved_entries=False)
    assert issues_publish_due(now=issue.scheduled_at) == []
    issue.refresh_from_db()
    assert issue.state == Issue.State.APPROVED
    assert issue.events.filter(action="publish_failed").exists()


def test_publishing_while_the_broker_is_down_loses_nothing(
    users, settings, django_capture_on_commit_callbacks
):
    from bulletin.services.jobs import jobs_sweep
    from tests.conftest import celery_broker

    issue = _issue_in(Issue.State.APPROVED, users)
    with celery_broker("redis://127.0.0.1:9/0"):  # nothing listens there
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            issue_publish(issue=issue, user=users["publisher"])
        assert callbacks, "the publication asked for its outputs after commit"
    issue.refresh_from_db()
    assert issue.state == Issue.State.PUBLISHED
    job = Job.objects.get(name="web.invalidate")
    assert job.status == Job.Status.PENDING
    assert job.attempts == 0
    assert jobs_sweep() >= 1
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.last_error


def test_withdrawn_issue_leaves_the_public_site(client, users, django_capture_on_commit_callbacks):
    issue = _issue_in(Issue.State.PUBLISHED, users)
    assert client.get(issue.get_absolute_url()).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        issue_transition(
            issue=issue, user=users["publisher"], action="withdraw", comment="内容有误"
        )
    assert client.get(issue.get_absolute_url()).status_code == 404
    assert issue.events.get(action="withdraw").comment == "内容有误"


def test_correction_goes_through_review_and_is_shown_dated(
    client, users, django_capture_on_commit_callbacks
):
    issue = IssueFactory(created_by=users["editor"])
    entry = EntryFactory(
        section=SectionFactory(issue=issue),
        summary="<p>原文：罚款 3%。</p>",
        created_by=users["author"],
    )
    publish(issue)
    publisher, reviewer = users["publisher"], users["reviewer"]
    issue_transition(
        issue=issue, user=publisher, action="open_correction", comment="更正罚款比例。"
    )

    entry.refresh_from_db()
    entry.summary = "<p>更正：罚款 7%。</p>"
    entry_save(entry=entry, user=users["author"])
    assert "原文：罚款 3%" in client.get(issue.get_absolute_url()).content.decode()
    with pytest.raises(WorkflowError, match="not approved"):
        issue_transition(issue=issue, user=publisher, action="publish_correction")

    entry_transition(entry=entry, user=users["author"], action="submit")
    entry_transition(entry=entry, user=reviewer, action="approve")
    with django_capture_on_commit_callbacks(execute=True):
        issue_transition(issue=issue, user=publisher, action="publish_correction")

    html = client.get(issue.get_absolute_url()).content.decode()
    assert "更正：罚款 7%" in html and "原文：罚款 3%" not in html
    assert "更正罚款比例。" in html
    issue.refresh_from_db()
    assert issue.state == Issue.State.CORRECTED
    first = Publication.objects.filter(issue=issue).order_by("pk").first()
    assert "原文：罚款 3%" in str(first.content)


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


def test_each_user_sees_what_waits_for_them(client, users, entry):
    Entry.objects.filter(pk=entry.pk).update(state=Entry.State.IN_REVIEW, title="待审条目")
    client.force_login(users["reviewer"])
    assert "待审条目" in client.get(reverse("admin:index")).content.decode()
    Entry.objects.filter(pk=entry.pk).update(state=Entry.State.CHANGES_REQUESTED)
    client.force_login(users["author"])
    page = client.get(reverse("admin:index")).content.decode()
    assert 'id="inbox-changes-requested"' in page and "待审条目" in page


def test_scheduled_this_week_is_listed_for_publishers(client, users):
    issue = _issue_in(Issue.State.SCHEDULED, users)
    client.force_login(users["publisher"])
    page = client.get(reverse("admin:index")).content.decode()
    assert issue.title in page.split('id="inbox-scheduled"')[1]


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


def test_the_scheduler_leaves_an_issue_unscheduled_meanwhile_alone(users):
    issue = _issue_in(Issue.State.APPROVED, users)
    assert issue_publish(issue=issue, user=None).state == Issue.State.APPROVED
    assert not Publication.objects.filter(issue=issue).exists()


def test_an_impossible_schedule_date_is_refused_not_a_crash(client, users):
    issue = _issue_in(Issue.State.APPROVED, users)
    response = post_transition(
        client, users["publisher"], issue, "schedule", when="2030-02-30T10:00"
    )
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.state == Issue.State.APPROVED


def test_entries_of_an_approved_issue_cannot_be_deleted(client, users):
    issue = _issue_in(Issue.State.APPROVED, users)
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
