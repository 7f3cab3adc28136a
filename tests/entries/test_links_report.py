"""The report of dead and drifted links of the published issues: its contents, a fixed number
of queries, and its two buttons (role-checked; a double click asks once)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bulletin.models import Job
from bulletin.services.captures import CAPTURE_JOB
from bulletin.services.links import CHECK_JOB
from entries.models import LinkCapture, LinkCheck
from tests.factories import (
    EntryFactory,
    EntryLinkFactory,
    IssueFactory,
    SectionFactory,
    UserFactory,
    publish,
)

pytestmark = pytest.mark.django_db
O = LinkCheck.Outcome  # noqa: E741
REPORT = "admin:entries_linkcapture_report"


def _check(url, outcome, days_ago=0, **fields):
    at = timezone.now() - datetime.timedelta(days=days_ago)
    return LinkCheck.objects.create(url=url, outcome=outcome, checked_at=at, **fields)


def _issue(name, urls, *, published=True):
    issue = IssueFactory()
    entry = EntryFactory(section=SectionFactory(issue=issue), title=f"Entry {name}")
    links = [EntryLinkFactory(entry=entry, url=url, position=n + 1) for n, url in enumerate(urls)]
    if published:
        publish(issue)
    return issue, entry, links


def _client(client, *roles):
    client.force_login(UserFactory(roles=list(roles)))
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def watched():
    """A published issue with a dead, a drifted and a working link; a draft with a dead one."""
    issue, entry, links = _issue(
        "A", ["https://a.test/dead", "https://a.test/drift", "https://a.test/ok"]
    )
    _check("https://a.test/dead", O.OK, days_ago=20)
    _check("https://a.test/dead", O.BROKEN, days_ago=10, status=404)
    _check("https://a.test/dead", O.BROKEN, days_ago=3, status=410)
    _check("https://a.test/drift", O.OK, days_ago=2, similarity=0.31, drifted=True)
    _check("https://a.test/ok", O.BROKEN, days_ago=9, status=500)
    _check("https://a.test/ok", O.OK, days_ago=1)
    LinkCapture.objects.create(
        link=links[0],
        url=links[0].url,
        captured_at=timezone.now() - datetime.timedelta(days=30),
        status=200,
        warc_name="x.warc.gz",
        content_type="text/html",
    )
    _, draft, _ = _issue("Draft", ["https://a.test/draft-dead"], published=False)
    _check("https://a.test/draft-dead", O.BROKEN, status=404)
    return issue, entry, links


def test_report_lists_dead_and_drifted_links_by_issue_with_since_and_capture(client, watched):
    issue, entry, links = watched
    page = _client(client, "Reviewer").get(reverse(REPORT))
    assert page.status_code == 200
    html = page.content.decode()
    assert str(issue) in html and "Entry A" in html
    assert "https://a.test/dead" in html and "https://a.test/drift" in html
    assert "Drifted" in html and "similarity 0.31" in html and "Broken" in html
    assert "https://a.test/ok" not in html  # works again
    assert "draft-dead" not in html and "Entry Draft" not in html  # a draft is nobody's business
    rows = {row.link.url: row for _i, rows in page.context["issues"] for row in rows}
    assert set(rows) == {"https://a.test/dead", "https://a.test/drift"}
    dead = rows["https://a.test/dead"]
    assert (timezone.now() - dead.since).days == 10  # from its first failure after working
    assert dead.capture is not None and rows["https://a.test/drift"].capture is None
    assert "Capture again" in html and "Check again now" in html


def test_report_takes_the_same_number_of_queries_for_more_links(client, watched):
    client = _client(client, "Editor")
    client.get(reverse(REPORT))  # warm the session and the content types
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse(REPORT)).status_code == 200
    for n in range(3):
        urls = [f"https://b{n}.test/{k}" for k in range(4)]
        _, _, links = _issue(f"B{n}", urls)
        for link in links:
            _check(link.url, O.UNREACHABLE, days_ago=2)
            _check(link.url, O.UNREACHABLE, days_ago=1)
            LinkCapture.objects.create(
                link=link,
                url=link.url,
                captured_at=timezone.now(),
                status=200,
                warc_name="y.warc.gz",
                content_type="text/html",
            )
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse(REPORT))
    assert sum(len(rows) for _i, rows in page.context["issues"]) == 14
    assert len(many) == len(few)


def test_report_and_buttons_refuse_a_role_without_them(client, watched):
    _, _, links = watched
    client = _client(client, "Author")
    assert client.get(reverse(REPORT)).status_code == 403
    action = reverse("admin:entries_linkcapture_report_action", args=[links[0].pk, "capture"])
    assert client.post(action).status_code == 403
    assert not Job.objects.filter(name=CAPTURE_JOB).exists()
    assert "Dead and drifted links" not in client.get(reverse("admin:index")).content.decode()
    editor = _client(client, "Editor")
    assert "Dead and drifted links" in editor.get(reverse("admin:index")).content.decode()


def test_capture_again_twice_queues_one_job(client, watched):
    _, _, links = watched
    client = _client(client, "Editor")
    Job.objects.all().delete()
    action = reverse("admin:entries_linkcapture_report_action", args=[links[0].pk, "capture"])
    first = client.post(action)
    second = client.post(action)
    assert first.status_code == second.status_code == 302
    jobs = Job.objects.filter(name=CAPTURE_JOB)
    assert [(j.payload["link"], j.payload["url"]) for j in jobs] == [(links[0].pk, links[0].url)]
    assert client.get(action).status_code == 403  # a GET does nothing
    page = client.get(reverse(REPORT)).content.decode()
    assert "capture on its way" in page


def test_check_again_now_twice_queues_one_watch_check(client, watched):
    _, _, links = watched
    client = _client(client, "Publisher")
    Job.objects.all().delete()
    action = reverse("admin:entries_linkcapture_report_action", args=[links[1].pk, "check"])
    client.post(action)
    client.post(action)
    jobs = list(Job.objects.filter(name=CHECK_JOB))
    assert [(j.payload["url"], j.payload["watch"]) for j in jobs] == [(links[1].url, True)]


def test_a_drafts_link_cannot_be_captured_from_the_report(client, watched):
    _, _, (link,) = _issue("Other draft", ["https://a.test/other"], published=False)
    client = _client(client, "Editor")
    Job.objects.all().delete()
    action = reverse("admin:entries_linkcapture_report_action", args=[link.pk, "capture"])
    page = client.post(action, follow=True)
    assert "This link is not in a published entry." in page.content.decode()
    assert not Job.objects.filter(name=CAPTURE_JOB).exists()
