"""Checking the links of entries: what a check records for each kind of answer, and when the
desk asks for one (an entry saved; not again within the interval; once however often asked)."""

import datetime

import pytest
from django.utils import timezone

from bulletin.models import Job
from bulletin.services.entries import entry_save
from bulletin.services.jobs import job_run
from bulletin.services.links import CHECK_JOB, links_check_request
from entries.fetching import FetchDeferred
from entries.links import link_check, page_title
from entries.models import LinkCheck
from tests.factories import EntryFactory, EntryLinkFactory, UserFactory

pytestmark = pytest.mark.django_db
O = LinkCheck.Outcome  # noqa: E741


def test_working_page_is_ok_with_its_title_type_size_and_time(allowed_server):
    check = link_check(url=allowed_server.url("/ok?title=Notice+No.+5"))
    assert check.outcome == O.OK and check.status == 200
    assert check.title == "Notice No. 5"
    assert check.content_type == "text/html"
    assert check.size > 0 and check.elapsed_ms is not None
    assert check.final_url == check.url and check.redirects == []
    assert [r[0] for r in allowed_server.requests] == ["HEAD", "GET"]  # GET for the title


def test_redirect_is_recorded_with_where_it_leads(allowed_server):
    check = link_check(url=allowed_server.url("/moved"))
    assert check.outcome == O.REDIRECTED and check.status == 200
    assert check.final_url == allowed_server.url("/ok?title=Moved+here")
    assert check.redirects == [[301, check.final_url]]
    assert check.title == "Moved here"


@pytest.mark.parametrize("path,status", [("/missing", 404), ("/gone", 410)])
def test_error_status_is_broken(allowed_server, path, status):
    check = link_check(url=allowed_server.url(path))
    assert (check.outcome, check.status, check.title) == (O.BROKEN, status, "")


def test_server_refusing_head_is_checked_with_get(allowed_server):
    check = link_check(url=allowed_server.url("/nohead"))
    assert (check.outcome, check.method, check.title) == (O.OK, "GET", "No HEAD here")
    assert [r[0] for r in allowed_server.requests] == ["HEAD", "GET"]


def test_server_dropping_head_is_checked_with_get(allowed_server):
    check = link_check(url=allowed_server.url("/resethead"))
    assert (check.outcome, check.method, check.title) == (O.OK, "GET", "Reset on HEAD")


def test_slow_server_is_unreachable_after_the_time_out(allowed_server, settings):
    settings.LINK_CHECK_TIMEOUT = 1
    check = link_check(url=allowed_server.url("/slow?s=4"))
    assert check.outcome == O.UNREACHABLE and check.reason == "timed out"
    assert check.status is None


def test_endless_page_is_read_only_as_far_as_a_title_could_be(allowed_server):
    check = link_check(url=allowed_server.url("/endless"))
    assert check.outcome == O.OK and check.title == ""


def test_huge_file_is_checked_without_downloading_it(allowed_server):
    check = link_check(url=allowed_server.url("/huge"))
    assert check.outcome == O.OK and check.size == 200 * 1024 * 1024
    assert check.content_type == "application/octet-stream"
    assert [r[0] for r in allowed_server.requests] == ["HEAD"]


def test_pdf_is_checked_with_head_alone(allowed_server):
    check = link_check(url=allowed_server.url("/pdf"))
    assert (check.outcome, check.content_type, check.method) == (O.OK, "application/pdf", "HEAD")
    assert len(allowed_server.requests) == 1


def test_forbidden_address_is_recorded_as_refused(link_server, no_exceptions):
    check = link_check(url=link_server.url("/ok"))
    assert check.outcome == O.REFUSED and "loopback" in check.reason
    assert link_server.requests == []


def test_unknown_name_is_unreachable(fake_dns_records):
    check = link_check(url="https://no-such-host.test/page")
    assert check.outcome == O.UNREACHABLE and "could not be resolved" in check.reason


def test_host_asking_to_slow_down_defers_the_check(allowed_server):
    with pytest.raises(FetchDeferred):
        link_check(url=allowed_server.url("/busy?after=1"))
    assert not LinkCheck.objects.exists()


def test_title_in_a_declared_charset_with_entities():
    body = '<html><head><meta charset="gbk"><title> 通知 &amp;\n 公告 </title>'.encode("gbk")
    assert page_title(body) == "通知 & 公告"
    assert page_title(b"<p>no title</p>") == ""


def test_latest_check_of_each_url_is_read_in_one_query(django_assert_num_queries):
    now = timezone.now()
    for minutes, outcome in ((30, O.OK), (10, O.BROKEN)):
        when = now - datetime.timedelta(minutes=minutes)
        LinkCheck.objects.create(url="https://a.test/", outcome=outcome, checked_at=when)
    LinkCheck.objects.create(url="https://b.test/", outcome=O.OK, checked_at=now)
    with django_assert_num_queries(1):
        latest = LinkCheck.objects.latest_for(["https://a.test/", "https://b.test/", "https://c/"])
    assert {url: c.outcome for url, c in latest.items()} == {
        "https://a.test/": O.BROKEN,
        "https://b.test/": O.OK,
    }


# The desk: saving an entry asks for checks


@pytest.fixture
def author():
    return UserFactory(username="author", roles=["Author"])


@pytest.fixture
def entry_with_links(author, allowed_server):
    entry = EntryFactory(created_by=author, last_edited_by=author)
    for path in ("/ok", "/moved", "/gone"):
        EntryLinkFactory(entry=entry, url=allowed_server.url(path))
    return entry


def _save(entry, user, capture):
    with capture(execute=True):
        entry_save(entry=entry, user=user)


def test_saving_an_entry_checks_each_of_its_links(
    entry_with_links, author, allowed_server, django_capture_on_commit_callbacks
):
    _save(entry_with_links, author, django_capture_on_commit_callbacks)
    latest = LinkCheck.objects.latest_for(entry_with_links.links.values_list("url", flat=True))
    outcomes = {url.rsplit("/", 1)[1]: check.outcome for url, check in latest.items()}
    assert outcomes == {"ok": O.OK, "moved": O.REDIRECTED, "gone": O.BROKEN}
    assert Job.objects.filter(name=CHECK_JOB, status=Job.Status.DONE).count() == 3


def test_no_check_is_asked_for_before_the_commit(entry_with_links, author):
    entry_save(entry=entry_with_links, user=author)  # the test's transaction never commits
    assert Job.objects.filter(name=CHECK_JOB).count() == 3
    assert not LinkCheck.objects.exists()


def test_resaving_within_the_interval_checks_nothing_again(
    entry_with_links, author, allowed_server, django_capture_on_commit_callbacks
):
    _save(entry_with_links, author, django_capture_on_commit_callbacks)
    requests = len(allowed_server.requests)
    _save(entry_with_links, author, django_capture_on_commit_callbacks)
    assert LinkCheck.objects.count() == 3
    assert Job.objects.filter(name=CHECK_JOB).count() == 3
    assert len(allowed_server.requests) == requests


def test_changed_link_is_checked_at_once(
    entry_with_links, author, allowed_server, django_capture_on_commit_callbacks
):
    _save(entry_with_links, author, django_capture_on_commit_callbacks)
    link = entry_with_links.links.get(url__endswith="/gone")
    link.url = allowed_server.url("/missing")
    link.save()
    _save(entry_with_links, author, django_capture_on_commit_callbacks)
    assert LinkCheck.objects.count() == 4
    assert LinkCheck.objects.latest_for([link.url])[link.url].status == 404


def test_links_are_checked_again_after_the_interval(
    entry_with_links, author, settings, django_capture_on_commit_callbacks
):
    _save(entry_with_links, author, django_capture_on_commit_callbacks)
    LinkCheck.objects.update(checked_at=timezone.now() - datetime.timedelta(hours=2))
    settings.LINK_CHECK_INTERVAL = 3600
    _save(entry_with_links, author, django_capture_on_commit_callbacks)
    assert LinkCheck.objects.count() == 6


def test_a_check_on_its_way_is_not_asked_for_twice(entry_with_links, author):
    assert len(links_check_request(entry=entry_with_links)) == 3
    assert links_check_request(entry=entry_with_links) == []
    entry_save(entry=entry_with_links, user=author)
    assert Job.objects.filter(name=CHECK_JOB).count() == 3


def test_a_check_job_run_twice_checks_once(entry_with_links, allowed_server):
    links_check_request(entry=entry_with_links)
    job = Job.objects.filter(name=CHECK_JOB).first()
    assert job_run(job_id=job.pk)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.PENDING)  # as if handed over again
    assert job_run(job_id=job.pk)
    assert LinkCheck.objects.filter(url=job.payload["url"]).count() == 1
