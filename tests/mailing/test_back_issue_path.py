"""A back issue in a real browser: an editor imports the firm's back issue, a reviewer checks it
against its source and approves it whole, a publisher publishes it with the date it first
appeared. The bulletin's subscriber is not written to (the real SMTP sink receives nothing),
while the current issue it was sent still leads the home page."""

import pytest
from django.utils import timezone

from bulletin.mailing.models import Send
from bulletin.models import Issue, Job
from bulletin.services.jobs import job_run
from entries.models import Entry
from tests.factories import BulletinFactory, IssueFactory, UserFactory, publish
from tests.mailing.factories import SubscriptionFactory
from tests.transfer.test_seed import SEED

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not SEED.is_file(), reason=f"needs the seed back issue at {SEED}"),
]


def run_jobs():
    for job in Job.objects.filter(status=Job.Status.PENDING):
        job_run(job_id=job.pk)


def test_a_back_issue_is_imported_checked_and_published_without_email(
    open_admin_as, live_server, smtp
):
    open_as = open_admin_as
    for name, role in [("ed", "Editor"), ("rev", "Reviewer"), ("pub", "Publisher")]:
        UserFactory(username=name, roles=[role])
    bulletin = BulletinFactory(slug="seed", commentary_label="本所短评", disclaimer="")
    subscription = SubscriptionFactory(bulletin=bulletin)
    current = publish(IssueFactory(bulletin=bulletin, title="当期月刊", year=2026, month=11))
    run_jobs()
    assert len(smtp.to(subscription.subscriber.email)) == 1  # the current issue reached them
    smtp.clear()

    # The editor imports the back issue's text.
    editor = open_as("ed")
    editor.goto(f"{live_server.url}/admin/bulletin/issue/import/")
    editor.set_input_files("#id_file", str(SEED))
    editor.select_option("#id_bulletin", value=str(bulletin.pk))
    editor.click("#content-main form [type=submit]")
    editor.click("text=Open the imported issue")
    issue = Issue.objects.get(bulletin=bulletin, imported_by__username="ed")
    entries = issue.entries.count()
    assert entries > 40 and issue.entries.filter(state=Entry.State.DRAFT).count() == entries

    # A reviewer checks it against the source and approves it whole, in one step.
    reviewer = open_as("rev")
    reviewer.goto(f"{live_server.url}/admin/bulletin/issue/{issue.pk}/change/")
    reviewer.click(".workflow-action--confirm_import a")
    assert f"{entries} entries not yet approved" in reviewer.content()
    reviewer.click(".transition-confirm button[type=submit]")
    reviewer.wait_for_load_state()
    assert "Imported by ed, checked against the source by rev." in reviewer.content()
    issue.refresh_from_db()
    assert issue.state == Issue.State.APPROVED
    assert issue.entries.filter(state=Entry.State.APPROVED).count() == entries

    # The publisher publishes it as a back issue, dated when it first appeared.
    publisher = open_as("pub")
    publisher.goto(f"{live_server.url}/admin/bulletin/issue/{issue.pk}/change/")
    publisher.click(".workflow-action--publish_back a")
    assert "No email is sent" in publisher.content()
    date = publisher.locator("input[name=when]")
    assert date.input_value().startswith("2024-")  # from its entries' dates
    date.fill("2024-09-03")
    publisher.click(".transition-confirm button[type=submit]")
    publisher.wait_for_load_state()
    run_jobs()

    issue.refresh_from_db()
    assert issue.back_issue and issue.state == Issue.State.PUBLISHED
    assert timezone.localtime(issue.published_at).date().isoformat() == "2024-09-03"
    assert not Send.objects.filter(issue=issue).exists()
    assert smtp.received == []
    # It is online with its date, and the current issue leads the home page.
    public = open_as("ed")
    public.goto(f"{live_server.url}{issue.get_absolute_url()}")
    assert (
        public.locator(".issue-published time").get_attribute("datetime").startswith("2024-09-03")
    )
    public.goto(f"{live_server.url}/")
    home = public.content()
    assert home.index(current.title) < home.index(issue.title)
