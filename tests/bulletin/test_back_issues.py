"""An imported back issue is history: a second person checks it against its source and approves
it whole, and a publisher publishes it with its original date, without email, behind the
current issue on the home page and marked as a back issue in the feed."""

import datetime

import feedparser
import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone, translation

from bulletin.mailing.models import Send
from bulletin.mailing.services.sending import SendError, send_create
from bulletin.models import Issue, Job, WorkflowEvent
from bulletin.services.jobs import job_run
from bulletin.services.publishing import issue_publish_back
from bulletin.services.workflow import issue_transition, issue_transitions
from entries.models import Entry
from tests.factories import EntryFactory, IssueFactory, SectionFactory, UserFactory, publish
from tests.mailing.factories import SubscriptionFactory

pytestmark = pytest.mark.django_db

FIRST_APPEARED = datetime.datetime(2024, 9, 3, 10, tzinfo=datetime.UTC)


@pytest.fixture
def imported(users):
    """A draft imported by the editor: three entries, one already approved."""
    issue = IssueFactory(
        title="2024 年 8 月刊",
        year=2024,
        month=8,
        imported_by=users["editor"],
        created_by=users["editor"],
    )
    section = SectionFactory(issue=issue, position=1)
    for n, day in enumerate([5, 28, 12]):
        EntryFactory(
            section=section,
            position=n + 1,
            published_on=datetime.date(2024, 8, day),
            created_by=users["editor"],
            last_edited_by=users["editor"],
            state=Entry.State.APPROVED if n == 2 else Entry.State.DRAFT,
        )
    return issue


def test_a_second_person_approves_the_whole_imported_issue_at_once(users, imported):
    assert "confirm_import" in dict(issue_transitions(user=users["reviewer"], issue=imported))
    issue_transition(issue=imported, user=users["reviewer"], action="confirm_import")
    imported.refresh_from_db()
    assert imported.state == Issue.State.APPROVED
    assert set(imported.entries.values_list("state", flat=True)) == {Entry.State.APPROVED}
    note = "Imported by editor, checked against the source by reviewer."
    approvals = WorkflowEvent.objects.filter(entry__issue=imported, action="approve")
    assert approvals.count() == 2  # the two that waited; the approved one keeps its history
    assert set(approvals.values_list("comment", "actor__username")) == {(note, "reviewer")}
    event = imported.events.get(action="confirm_import")
    assert event.comment == note and event.to_state == Issue.State.APPROVED


def test_who_imported_or_edited_it_does_not_check_it(users, imported):
    both = UserFactory(username="both", roles=["Editor", "Reviewer"])
    Issue.objects.filter(pk=imported.pk).update(imported_by=both)
    with pytest.raises(PermissionDenied, match="Four-eyes"):
        issue_transition(issue=imported, user=both, action="confirm_import")
    other = UserFactory(username="other", roles=["Editor", "Reviewer"])
    entry = imported.entries.first()
    Entry.objects.filter(pk=entry.pk).update(last_edited_by=other)
    with pytest.raises(PermissionDenied, match="Four-eyes"):
        issue_transition(issue=imported, user=other, action="confirm_import")
    imported.refresh_from_db()
    assert imported.state == Issue.State.DRAFT
    assert imported.entries.filter(state=Entry.State.DRAFT).count() == 2
    # A third person may.
    issue_transition(issue=imported, user=users["reviewer"], action="confirm_import")
    assert imported.entries.filter(state=Entry.State.APPROVED).count() == 3


def test_an_issue_written_here_is_neither_checked_nor_published_as_history(users):
    issue = IssueFactory()
    EntryFactory(section=SectionFactory(issue=issue), state=Entry.State.APPROVED)
    Issue.objects.filter(pk=issue.pk).update(state=Issue.State.APPROVED)
    issue.refresh_from_db()
    offered = dict(issue_transitions(user=users["publisher"], issue=issue))
    assert "publish" in offered and "publish_back" not in offered
    with pytest.raises(Exception, match="Only an imported issue"):
        issue_publish_back(issue=issue, user=users["publisher"])
    issue.refresh_from_db()
    assert issue.state == Issue.State.APPROVED and not issue.back_issue


def approved(issue, users):
    issue_transition(issue=issue, user=users["reviewer"], action="confirm_import")
    issue.refresh_from_db()
    return issue


def run_jobs():
    for job in Job.objects.filter(status=Job.Status.PENDING):
        job_run(job_id=job.pk)


def test_a_back_issue_keeps_its_date_and_is_never_emailed(users, imported, client):
    subscription = SubscriptionFactory(bulletin=imported.bulletin)
    current = publish(IssueFactory(bulletin=imported.bulletin, title="当期", year=2026, month=11))
    run_jobs()
    assert Send.objects.filter(issue=current).count() == 1  # the current issue was emailed
    issue_publish_back(
        issue=approved(imported, users), user=users["publisher"], published_at=FIRST_APPEARED
    )
    issue_publish_back(
        issue=imported, user=users["publisher"], published_at=FIRST_APPEARED
    )  # twice
    run_jobs()
    imported.refresh_from_db()
    assert imported.back_issue and imported.published_at == FIRST_APPEARED
    assert imported.publications.get().published_at == FIRST_APPEARED
    assert imported.events.filter(action="publish_back").count() == 1
    assert not Send.objects.filter(issue=imported).exists()
    with pytest.raises(SendError, match="not emailed"):
        send_create(issue=imported, user=users["publisher"])
    assert subscription.subscriber.email  # a confirmed subscriber who would have been written to

    # The current issue still leads the home page; the back issue is listed below it.
    html = client.get(reverse("bulletin:home")).content.decode()
    assert html.index("当期") < html.index("2024 年 8 月刊")
    # In the feed: dated when it first appeared, marked as a back issue.
    # The Chinese feed (an earlier admin request left its language active in this thread).
    with translation.override("zh-hans"):
        feed_url = reverse("bulletin:feed", args=[imported.bulletin.slug])
    feed = feedparser.parse(client.get(feed_url).content)
    items = {item.title: item for item in feed.entries}
    back = items["2024 年 8 月刊"]
    assert back.published_parsed[:3] == (2024, 9, 3)
    assert [tag.term for tag in back.tags] == ["back-issue"]
    assert "tags" not in items["当期"]


def test_the_date_defaults_to_the_latest_entry_and_is_never_in_the_future(users, imported):
    approved(imported, users)
    with pytest.raises(Exception, match="in the past"):
        issue_publish_back(
            issue=imported,
            user=users["publisher"],
            published_at=timezone.now() + datetime.timedelta(days=1),
        )
    imported.refresh_from_db()
    assert imported.state == Issue.State.APPROVED
    issue_publish_back(issue=imported, user=users["publisher"])
    imported.refresh_from_db()
    assert timezone.localtime(imported.published_at).date() == datetime.date(2024, 8, 28)


def test_only_a_publisher_publishes_a_back_issue(users, imported):
    approved(imported, users)
    for role in ["editor", "reviewer", "author"]:
        with pytest.raises(PermissionDenied):
            issue_publish_back(issue=imported, user=users[role], published_at=FIRST_APPEARED)
    imported.refresh_from_db()
    assert imported.state == Issue.State.APPROVED and not imported.publications.exists()
