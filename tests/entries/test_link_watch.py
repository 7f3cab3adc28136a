"""Watching the links of published entries: which URLs a periodic run asks to check (due,
oldest first, a batch at a time, published only), and drift against the latest capture."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from bulletin.models import Job
from bulletin.services.jobs import job_run
from bulletin.services.links import CHECK_JOB, links_watch, text_similarity
from entries.capture import link_capture
from entries.models import LinkCheck
from tests.factories import EntryFactory, EntryLinkFactory, IssueFactory, SectionFactory, publish

pytestmark = pytest.mark.django_db
O = LinkCheck.Outcome  # noqa: E741
PAGE = (
    "<!doctype html><title>Notice</title><body><h1>Notice on generated content</h1>"
    "<p>Providers of generative services must label generated pictures, audio and video, "
    "keep logs for six months and report incidents to the regulator within one day.</p>"
    "<p>提供者应当对生成的图片、音频和视频进行标识，并保存日志六个月。</p></body>"
)


def _published(urls, *, publish_it=True):
    issue = IssueFactory()
    entry = EntryFactory(section=SectionFactory(issue=issue))
    links = [EntryLinkFactory(entry=entry, url=url) for url in urls]
    if publish_it:
        publish(issue)
    return entry, links


def _checked(url, days_ago):
    return LinkCheck.objects.create(
        url=url, checked_at=timezone.now() - datetime.timedelta(days=days_ago), outcome=O.OK
    )


def _asked():
    return [job.payload["url"] for job in Job.objects.filter(name=CHECK_JOB).order_by("pk")]


def test_only_published_links_not_checked_within_the_interval_are_asked_for(settings):
    settings.LINK_WATCH_INTERVAL = 7 * 24 * 3600
    _published(
        ["https://gov.example/fresh", "https://gov.example/stale", "https://gov.example/new"]
    )
    _published(["https://gov.example/draft-only"], publish_it=False)
    Job.objects.all().delete()
    _checked("https://gov.example/fresh", days_ago=2)
    _checked("https://gov.example/stale", days_ago=8)
    _checked("https://gov.example/draft-only", days_ago=30)
    assert links_watch() == ["https://gov.example/new", "https://gov.example/stale"]
    assert _asked() == ["https://gov.example/new", "https://gov.example/stale"]
    assert all(job.payload["watch"] for job in Job.objects.filter(name=CHECK_JOB))
    # Asked for and not yet done: not asked again.
    assert links_watch() == []
    assert len(_asked()) == 2


def test_a_run_takes_the_oldest_checks_first_up_to_the_batch(settings):
    settings.LINK_WATCH_BATCH = 2
    urls = [f"https://court.example/{n}" for n in range(5)]
    _published(urls)
    Job.objects.all().delete()
    for days, url in zip([10, 30, 20, 9, 40], urls, strict=True):
        _checked(url, days_ago=days)
    assert links_watch() == [urls[4], urls[1]]
    assert links_watch() == [urls[2], urls[0]]
    assert links_watch() == [urls[3]]
    assert links_watch() == []


def test_run_periodic_asks_for_a_batch_once_per_interval(settings):
    settings.LINK_WATCH_BATCH = 1
    _published(["https://gov.example/one", "https://gov.example/two"])
    Job.objects.all().delete()
    call_command("run_periodic")
    assert _asked() == ["https://gov.example/one"]
    call_command("run_periodic")  # a minute later: not again within LINK_WATCH_EVERY
    assert _asked() == ["https://gov.example/one"]
    Job.objects.update(created_at=timezone.now() - datetime.timedelta(hours=2))
    call_command("run_periodic")
    assert _asked() == ["https://gov.example/one", "https://gov.example/two"]
    assert "links-watch" in settings.CELERY_BEAT_SCHEDULE


def _watch_run(url):
    Job.objects.all().delete()
    _checked(url, days_ago=8)
    assert links_watch() == [url]
    job = Job.objects.get(name=CHECK_JOB)
    job_run(job_id=job.pk)
    return LinkCheck.objects.latest_for([url])[url]


def test_a_page_that_changed_beyond_the_threshold_has_drifted(page_server, settings):
    settings.LINK_DRIFT_THRESHOLD = 0.8
    page_server.pages["/notice"] = (200, "text/html; charset=utf-8", PAGE.encode())
    _, (link,) = _published([page_server.url("/notice")])
    link_capture(link=link)
    rewritten = "<!doctype html><title>Notice</title><p>This notice was withdrawn on 3 May.</p>"
    page_server.pages["/notice"] = (200, "text/html; charset=utf-8", rewritten.encode())
    check = _watch_run(link.url)
    assert check.outcome == O.OK and check.drifted is True
    assert 0 <= check.similarity < 0.2


def test_a_page_with_a_small_change_has_not_drifted(page_server, settings):
    settings.LINK_DRIFT_THRESHOLD = 0.8
    page_server.pages["/notice"] = (200, "text/html; charset=utf-8", PAGE.encode())
    _, (link,) = _published([page_server.url("/notice")])
    link_capture(link=link)
    tweaked = PAGE.replace("</body>", "<p>Updated 2 May.</p></body>")
    page_server.pages["/notice"] = (200, "text/html; charset=utf-8", tweaked.encode())
    check = _watch_run(link.url)
    assert check.outcome == O.OK and check.drifted is False
    assert settings.LINK_DRIFT_THRESHOLD <= check.similarity < 1


def test_a_dead_page_is_broken_not_drifted(page_server):
    page_server.pages["/notice"] = (200, "text/html; charset=utf-8", PAGE.encode())
    _, (link,) = _published([page_server.url("/notice")])
    link_capture(link=link)
    del page_server.pages["/notice"]
    check = _watch_run(link.url)
    assert check.outcome == O.BROKEN and check.similarity is None and not check.drifted


def test_similarity_of_texts():
    assert text_similarity("a b c d e", "a b c d e") == 1.0
    assert text_similarity("a b c d e", "v w x y z") == 0.0
    assert 0 < text_similarity("a b c d e f", "a b c d e g") < 1
    assert text_similarity("监管机构发布通知", "监管机构发布通知") == 1.0
    assert text_similarity("监管机构发布通知", "法院作出判决书") == 0.0
