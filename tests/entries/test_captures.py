"""Capturing what approved entries cite: the WARC file read back with warcio, the text, the
size limit, a worker killed half-way, and when an approval asks for a capture."""

import datetime
import gzip
import hashlib

import pytest
import weasyprint
from django.conf import settings
from django.utils import timezone
from warcio.archiveiterator import ArchiveIterator

from bulletin.models import Job
from bulletin.services.captures import (
    CAPTURE_JOB,
    TEXT_JOB,
    link_capture_job,
    links_capture_request,
)
from bulletin.services.workflow import entry_transition
from entries import capture as capture_module
from entries.capture import capture_storage, link_capture, sha256_base32
from entries.models import Entry, LinkCapture
from tests.factories import EntryFactory, EntryLinkFactory, UserFactory

pytestmark = pytest.mark.django_db
NOTICE = (
    b"<!doctype html><html><head><title>Notice</title><style>p{}</style>"
    b"<script>var hidden = 'no';</script></head>"
    b"<body><h1>Notice No. 5</h1><p>Providers must label &amp; file.</p></body></html>"
)


def records(capture: LinkCapture) -> list:
    with capture_storage().open(capture.warc_name, "rb") as warc:
        return [
            (r.rec_type, r.rec_headers, r.http_headers, r.content_stream().read())
            for r in ArchiveIterator(warc, check_digests="raise")
        ]


def response(capture: LinkCapture) -> tuple:
    return next(rest for kind, *rest in records(capture) if kind == "response")


def test_capture_is_a_warc_that_warcio_reads_back_with_matching_digests(page_server, capture_root):
    page_server.pages["/notice"] = (200, "text/html; charset=utf-8", NOTICE)
    capture = link_capture(link=EntryLinkFactory(url=page_server.url("/notice")))
    assert (capture.status, capture.content_type, capture.error) == (200, "text/html", "")
    assert capture.sha256 == hashlib.sha256(NOTICE).hexdigest() and capture.size == len(NOTICE)
    kept = {kind: (headers, http, body) for kind, headers, http, body in records(capture)}
    assert sorted(kept) == ["metadata", "request", "response"]
    headers, http, body = kept["response"]
    assert body == NOTICE
    assert headers["WARC-Target-URI"] == page_server.url("/notice")
    assert headers["WARC-Date"].startswith(f"{timezone.now():%Y-%m-%d}")
    assert headers["WARC-Payload-Digest"] == sha256_base32(NOTICE)
    assert http.get_statuscode() == "200" and http.get_header("Set-Cookie") == "tracker=1; Path=/"
    request = kept["request"][1]
    assert f"{request.protocol} {request.statusline}" == "GET /notice HTTP/1.1"
    # Kept in the capture root, never under MEDIA_ROOT.
    assert (capture_root / capture.warc_name).is_file()
    assert not str(capture_root).startswith(str(settings.MEDIA_ROOT))
    with gzip.open(capture_root / capture.warc_name) as warc:
        assert warc.read().startswith(b"WARC/1")


def test_capture_keeps_the_text_of_html_without_scripts_and_styles(page_server):
    page_server.pages["/notice"] = (200, "text/html; charset=utf-8", NOTICE)
    capture = link_capture(link=EntryLinkFactory(url=page_server.url("/notice")))
    assert capture.text == "Notice No. 5\nProviders must label & file."


def test_capture_keeps_the_text_of_a_pdf(page_server):
    pdf = weasyprint.HTML(string="<p>Interim Measures for Generative AI</p>").write_pdf()
    page_server.pages["/measures.pdf"] = (200, "application/pdf", pdf)
    capture = link_capture(link=EntryLinkFactory(url=page_server.url("/measures.pdf")))
    assert capture.content_type == "application/pdf"
    assert "Interim Measures for Generative AI" in capture.text
    assert response(capture)[2] == pdf


def test_a_body_over_the_limit_is_cut_and_marked_truncated(page_server, settings):
    settings.LINK_CAPTURE_MAX_BYTES = 1000
    page_server.pages["/big"] = (200, "text/plain", b"x" * 5000)
    capture = link_capture(link=EntryLinkFactory(url=page_server.url("/big")))
    assert capture.truncated and capture.size == 1000
    headers, _, body = response(capture)
    assert body == b"x" * 1000 and headers["WARC-Truncated"] == "length"
    page_server.pages["/small"] = (200, "text/plain", b"x" * 1000)
    whole = link_capture(link=EntryLinkFactory(url=page_server.url("/small")))
    assert not whole.truncated and "WARC-Truncated" not in response(whole)[0]


def test_an_unreachable_target_is_recorded_with_its_error_and_no_file(page_server, settings):
    settings.LINK_FETCH_ALLOW = []  # the policy refuses the loopback server
    capture = link_capture(link=EntryLinkFactory(url=page_server.url("/notice")))
    assert capture.error and capture.warc_name == "" and capture.status is None
    assert not LinkCapture.objects.kept().exists()


def test_a_worker_killed_while_writing_leaves_no_file_and_no_row(
    page_server, capture_root, monkeypatch
):
    page_server.pages["/notice"] = (200, "text/html", NOTICE)
    link = EntryLinkFactory(url=page_server.url("/notice"))

    def dies_half_way(fetched, out):
        out.write(b"WARC/1.1\r\nhalf")
        raise SystemExit("killed")

    monkeypatch.setattr(capture_module, "warc_bytes", dies_half_way)
    with pytest.raises(SystemExit):
        link_capture(link=link)
    assert not LinkCapture.objects.exists()
    assert [p for p in capture_root.rglob("*") if p.is_file()] == []
    monkeypatch.undo()
    capture = link_capture(link=link)  # the next attempt writes it whole
    assert response(capture)[2] == NOTICE


def _in_review(**kwargs) -> Entry:
    author = UserFactory(roles=["Author"])
    entry = EntryFactory(state=Entry.State.IN_REVIEW, created_by=author, **kwargs)
    return entry


def test_approving_an_entry_captures_each_of_its_links(
    page_server, django_capture_on_commit_callbacks
):
    page_server.pages["/a"] = (200, "text/html", NOTICE)
    page_server.pages["/b"] = (200, "text/plain", b"plain")
    entry = _in_review()
    for path in ("/a", "/b"):
        EntryLinkFactory(entry=entry, url=page_server.url(path))
    reviewer = UserFactory(roles=["Reviewer"])
    with django_capture_on_commit_callbacks(execute=True):
        entry_transition(entry=entry, user=reviewer, action="approve")
    captured = LinkCapture.objects.kept().filter(link__entry=entry)
    assert sorted(c.url for c in captured) == [page_server.url("/a"), page_server.url("/b")]
    assert set(Job.objects.filter(name=CAPTURE_JOB).values_list("status", flat=True)) == {"done"}


def test_submitting_does_not_capture_only_approving_does(
    page_server, django_capture_on_commit_callbacks
):
    page_server.pages["/a"] = (200, "text/html", NOTICE)
    author = UserFactory(roles=["Author"])
    entry = EntryFactory(state=Entry.State.DRAFT, created_by=author)
    EntryLinkFactory(entry=entry, url=page_server.url("/a"))
    with django_capture_on_commit_callbacks(execute=True):
        entry_transition(entry=entry, user=author, action="submit")
    assert not LinkCapture.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        entry_transition(entry=entry, user=UserFactory(roles=["Reviewer"]), action="approve")
    assert LinkCapture.objects.kept().count() == 1


def test_approving_again_captures_only_a_changed_link_or_an_old_capture(page_server, settings):
    page_server.pages["/a"] = (200, "text/html", NOTICE)
    page_server.pages["/b"] = (200, "text/html", NOTICE)
    same, edited, old = (EntryLinkFactory(url=page_server.url("/a")) for _ in range(3))
    for link in (same, edited, old):
        link_capture(link=link)
    LinkCapture.objects.filter(link=old).update(
        captured_at=timezone.now() - datetime.timedelta(seconds=settings.LINK_CAPTURE_MAX_AGE + 60)
    )
    edited.url = page_server.url("/b")
    edited.save()
    entries = [same.entry, edited.entry, old.entry]
    assert sorted(links_capture_request(entries=entries)) == sorted([edited.pk, old.pk])
    # Asked for once: a second request while the jobs wait asks for nothing more.
    assert links_capture_request(entries=entries) == []


def test_a_capture_job_run_twice_captures_once_and_skips_an_edited_link(page_server):
    page_server.pages["/a"] = (200, "text/html", NOTICE)
    link = EntryLinkFactory(url=page_server.url("/a"))
    payload = {"link": link.pk, "url": link.url, "asked_at": timezone.now().isoformat()}
    link_capture_job(payload)
    link_capture_job(payload)
    assert LinkCapture.objects.count() == 1
    link_capture_job({**payload, "url": page_server.url("/other")})
    assert LinkCapture.objects.count() == 1


def test_a_cited_pdfs_text_is_read_in_a_job_of_its_own(
    page_server, django_capture_on_commit_callbacks
):
    pdf = weasyprint.HTML(string="<p>Interim Measures for Generative AI</p>").write_pdf()
    page_server.pages["/measures.pdf"] = (200, "application/pdf", pdf)
    entry = _in_review()
    EntryLinkFactory(entry=entry, url=page_server.url("/measures.pdf"))
    with django_capture_on_commit_callbacks(execute=True):
        entry_transition(entry=entry, user=UserFactory(roles=["Reviewer"]), action="approve")
    capture = LinkCapture.objects.kept().get(link__entry=entry)
    assert "Interim Measures for Generative AI" in capture.text
    jobs = Job.objects.filter(status="done", name__startswith="links.capture")
    assert sorted(jobs.values_list("name", flat=True)) == [CAPTURE_JOB, TEXT_JOB]
