"""Archived copies of cited pages: shown beside a dead link on the public entry page, served
only from the archive origin, in a sandbox, without cookies, to whom the bulletin allows."""

import time

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from bulletin.caching import public_cache_drop
from bulletin.captures import SALT, copy_url, link_is_dead
from bulletin.models import Bulletin
from bulletin.pages import issue_pages_remove
from entries.capture import file_store, link_capture
from entries.models import Entry, LinkCapture, LinkCheck
from tests.factories import (
    BulletinFactory,
    EntryFactory,
    EntryLinkFactory,
    IssueFactory,
    SectionFactory,
    UserFactory,
    publish,
)

pytestmark = pytest.mark.django_db
ARCHIVE = {"HTTP_HOST": "archive.localhost:8000"}
HOSTILE = (
    b"<!doctype html><html><head><title>Notice</title></head><body class=page>"
    b"<script>document.cookie='stolen=1'; parent.location='https://evil.example/'</script>"
    b"<p>Providers must label generated content.</p></body></html>"
)


def _entry(page_server, *, copies=Bulletin.ArchiveCopies.PUBLIC, path="/notice", published=True):
    page_server.pages[path] = (200, "text/html; charset=utf-8", HOSTILE)
    issue = IssueFactory(bulletin=BulletinFactory(archive_copies=copies))
    entry = EntryFactory(section=SectionFactory(issue=issue))
    link = EntryLinkFactory(entry=entry, url=page_server.url(path))
    capture = link_capture(link=link)
    if published:
        publish(issue)
    return entry, link, capture


@pytest.fixture
def dies(django_capture_on_commit_callbacks):
    """Record a failed check of a link (committed: the cached public pages follow)."""

    def record(link, status=404):
        with django_capture_on_commit_callbacks(execute=True):
            LinkCheck.objects.create(
                url=link.url,
                checked_at=timezone.now(),
                outcome=LinkCheck.Outcome.BROKEN,
                status=status,
            )

    return record


def _path(capture):
    return f"/captures/{capture.pk}/"


def test_a_copy_is_served_on_the_archive_host_in_a_sandbox_with_our_banner(client, page_server):
    _, link, capture = _entry(page_server)
    response = client.get(_path(capture), **ARCHIVE)
    assert response.status_code == 200
    assert response["Content-Security-Policy"].split(";")[0] == "sandbox"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "Content-Disposition" not in response
    body = response.content
    assert HOSTILE.split(b"<body class=page>")[1] in body  # the page as captured, after the banner
    assert body.index(b"data-archive-banner") > body.index(b"<body class=page>")
    assert link.url.encode() in body.split(b"</div>")[0]


def test_the_banner_escapes_the_source_address(client, page_server):
    _, link, capture = _entry(page_server)
    LinkCapture.objects.filter(pk=capture.pk).update(url=link.url + '?q="><script>x()</script>')
    signed = copy_url(capture, signed=True).removeprefix("http://archive.localhost:8000")
    body = client.get(signed, **ARCHIVE).content
    banner = body.split(b"data-archive-banner")[1].split(b"</div>")[0]
    assert b"&quot;&gt;&lt;script&gt;" in banner and b"<script>" not in banner


def test_the_archive_host_reads_no_cookie_and_sets_none(client, page_server):
    _, _, capture = _entry(page_server)
    client.cookies["sessionid"] = "someone's session"
    client.cookies["csrftoken"] = "x" * 32
    response = client.get(_path(capture), **ARCHIVE)
    assert response.status_code == 200 and "Set-Cookie" not in response
    assert not response.cookies
    assert b"tracker" not in b"".join(v.encode() for v in response.headers.values())


def test_the_site_itself_never_serves_a_copy(client, page_server):
    _, _, capture = _entry(page_server)
    assert client.get(_path(capture)).status_code == 404
    assert client.get(_path(capture), **ARCHIVE).status_code == 200


def test_the_archive_host_serves_nothing_but_copies(client, page_server):
    _entry(page_server)
    for path in ("/", "/admin/", "/en/", "/captures/", "/static/css/site.css"):
        response = client.get(path, **ARCHIVE)
        assert response.status_code == 404, path
        assert "Set-Cookie" not in response
    assert client.get("/", follow=True).status_code == 200  # the site answers on its own host


def test_anything_but_html_is_an_attachment(client, page_server):
    _, link, _ = _entry(page_server)
    page_server.pages["/order.pdf"] = (200, "application/pdf", b"%PDF-1.4\n%%EOF\n")
    link.url = page_server.url("/order.pdf")
    link.save()
    capture = link_capture(link=link)
    response = client.get(_path(capture), **ARCHIVE)
    # Not cited in the published form (the link was edited after): staff only.
    assert response.status_code == 403
    response = client.get(copy_url(capture, signed=True).split("8000")[1], **ARCHIVE)
    assert response.status_code == 200 and response.content == b"%PDF-1.4\n%%EOF\n"
    assert response["Content-Disposition"] == f'attachment; filename="capture-{capture.pk}.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Security-Policy"].startswith("sandbox")


def test_a_staff_only_copy_needs_a_valid_signed_address(client, page_server):
    _, _, capture = _entry(page_server, copies=Bulletin.ArchiveCopies.STAFF)
    assert client.get(_path(capture), **ARCHIVE).status_code == 403
    signed = copy_url(capture, signed=True).removeprefix("http://archive.localhost:8000")
    assert client.get(signed, **ARCHIVE).status_code == 200
    forged = signed[:-3] + ("abc" if not signed.endswith("abc") else "xyz")
    assert client.get(forged, **ARCHIVE).status_code == 403
    other = signing.TimestampSigner(salt=SALT).sign(str(capture.pk + 1))
    assert client.get(f"{_path(capture)}?key={other}", **ARCHIVE).status_code == 403


def test_an_expired_signed_address_is_refused(client, page_server, monkeypatch, settings):
    _, _, capture = _entry(page_server, copies=Bulletin.ArchiveCopies.STAFF)
    long_ago = time.time() - settings.ARCHIVE_SIGNED_LINK_MAX_AGE - 60
    monkeypatch.setattr(signing.time, "time", lambda: long_ago)
    old = copy_url(capture, signed=True).removeprefix("http://archive.localhost:8000")
    monkeypatch.undo()
    assert client.get(old, **ARCHIVE).status_code == 403
    fresh = copy_url(capture, signed=True).removeprefix("http://archive.localhost:8000")
    assert client.get(fresh, **ARCHIVE).status_code == 200


def test_official_sources_are_public_under_the_staff_only_default(settings, page_server, client):
    settings.ARCHIVE_PUBLIC_DOMAINS = [".gov", "courtlistener.com"]
    _, link, capture = _entry(page_server, copies=Bulletin.ArchiveCopies.STAFF)
    assert client.get(_path(capture), **ARCHIVE).status_code == 403
    settings.ARCHIVE_PUBLIC_DOMAINS = ["127.0.0.1"]  # the test server counts as official now
    assert client.get(_path(capture), **ARCHIVE).status_code == 200


def test_a_draft_entrys_capture_is_not_public_even_in_a_public_bulletin(client, page_server):
    entry, _, capture = _entry(page_server, published=False)
    assert entry.state != Entry.State.APPROVED or not entry.issue.published_at
    assert client.get(_path(capture), **ARCHIVE).status_code == 403
    signed = copy_url(capture, signed=True).removeprefix("http://archive.localhost:8000")
    assert client.get(signed, **ARCHIVE).status_code == 200  # staff still open it


class _Page:
    """The public entry page as text, whether the view rendered it or its stored file served it."""

    def __init__(self, response):
        body = (
            response.getvalue() if not response.streaming else b"".join(response.streaming_content)
        )
        self.content, self.status_code = body, response.status_code


def _entry_page(client, entry):
    return _Page(client.get(reverse("bulletin:entry_short", args=[entry.pk]), follow=True))


def test_a_dead_link_shows_its_archived_copy_on_the_public_page(client, page_server, dies):
    entry, link, capture = _entry(page_server)
    page = _entry_page(client, entry).content.decode()
    assert link.url in page and "archived-copy" not in page  # alive: the link alone
    dies(link)
    assert link_is_dead(link)
    page = _entry_page(client, entry).content.decode()
    assert f'<a class="archived-copy" href="{copy_url(capture)}"' in page


def test_a_staff_only_copy_is_not_shown_on_the_public_page(client, page_server, dies):
    entry, link, capture = _entry(page_server, copies=Bulletin.ArchiveCopies.STAFF)
    dies(link)
    page = _entry_page(client, entry).content.decode()
    assert link.url in page and "archived-copy" not in page and copy_url(capture) not in page


def test_a_per_link_choice_decides_where_the_bulletin_leaves_it_to_links(client, page_server, dies):
    entry, link, capture = _entry(page_server, copies=Bulletin.ArchiveCopies.PER_LINK)
    dies(link)
    assert "archived-copy" not in _entry_page(client, entry).content.decode()
    link.archive_copy = "public"
    link.save()
    # The page is cached and stored; a changed choice shows once both are dropped.
    public_cache_drop()
    issue_pages_remove(issue_id=entry.issue_id)
    assert copy_url(capture) in _entry_page(client, entry).content.decode()


def test_nothing_captured_is_linked_before_publication(client, page_server, dies):
    entry, link, capture = _entry(page_server, published=False)
    dies(link)
    assert _entry_page(client, entry).status_code == 404
    publish(entry.issue)
    assert copy_url(capture) in _entry_page(client, entry).content.decode()


def test_the_admin_opens_a_staff_only_copy_through_a_signed_address(client, page_server):
    _, _, capture = _entry(page_server, copies=Bulletin.ArchiveCopies.STAFF)
    client.force_login(UserFactory(roles=["Reviewer"]))
    listing = client.get(reverse("admin:entries_linkcapture_changelist"))
    opener = reverse("admin:entries_linkcapture_open", args=[capture.pk])
    assert listing.status_code == 200 and opener in listing.content.decode()
    response = client.get(opener)
    assert response.status_code == 302
    assert response["Location"].startswith(
        f"http://archive.localhost:8000/captures/{capture.pk}/?key="
    )
    client.logout()
    assert client.get(opener).status_code == 302  # to the login page, not the copy
    assert "archive.localhost" not in client.get(opener)["Location"]


PNG = b"\x89PNG\r\n\x1a\n" + b"screenshot"
RENDERED_PDF = b"%PDF-1.7\nrendered\n%%EOF\n"


def _rendered(capture: LinkCapture) -> LinkCapture:
    """Give a capture the files a Chromium rendering keeps (the rendering has tests of its own)."""
    stem = capture.warc_name.removesuffix(".warc.gz")
    for field, suffix, body in (("screenshot", "png", PNG), ("rendered_pdf", "pdf", RENDERED_PDF)):
        name = f"{stem}.{suffix}"
        size = file_store(name, lambda out, body=body: out.write(body))
        setattr(capture, f"{field}_name", name)
        setattr(capture, f"{field}_size", size)
    capture.rendered_at = timezone.now()
    capture.save()
    return capture


def test_a_rendering_is_served_beside_its_copy_under_the_same_rules(client, page_server):
    _, _, capture = _entry(page_server, copies=Bulletin.ArchiveCopies.STAFF)
    _rendered(capture)
    for part in ("screenshot.png", "rendered.pdf"):
        assert client.get(_path(capture) + part, **ARCHIVE).status_code == 403  # staff only
        assert client.get(_path(capture) + part).status_code == 404  # never on the site
    signed = copy_url(capture, signed=True, part="screenshot.png").split("8000")[1]
    assert signed.startswith(_path(capture) + "screenshot.png?key=")
    image = client.get(signed, **ARCHIVE)
    assert image.status_code == 200 and image.content == PNG
    assert image["Content-Type"] == "image/png"
    assert image["Content-Disposition"].startswith("inline;")
    assert image["Content-Security-Policy"].split(";")[0] == "sandbox"
    assert "Set-Cookie" not in image
    pdf = client.get(
        copy_url(capture, signed=True, part="rendered.pdf").split("8000")[1], **ARCHIVE
    )
    assert pdf.status_code == 200 and pdf.content == RENDERED_PDF
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"] == (
        f'attachment; filename="capture-{capture.pk}-rendered.pdf"'
    )
    assert pdf["Content-Security-Policy"].split(";")[0] == "sandbox"


def test_a_copy_never_rendered_has_no_rendering_to_serve(client, page_server):
    _, _, capture = _entry(page_server)
    assert client.get(_path(capture), **ARCHIVE).status_code == 200
    for part in ("screenshot.png", "rendered.pdf", "other.png"):
        assert client.get(_path(capture) + part, **ARCHIVE).status_code == 404


def test_the_admin_links_a_capture_to_its_screenshot_and_pdf(client, page_server):
    _, _, capture = _entry(page_server, copies=Bulletin.ArchiveCopies.STAFF)
    _, _, plain = _entry(page_server, copies=Bulletin.ArchiveCopies.STAFF, path="/other")
    _rendered(capture)
    client.force_login(UserFactory(roles=["Reviewer"]))
    listing = client.get(reverse("admin:entries_linkcapture_changelist")).content.decode()
    opener = "admin:entries_linkcapture_open_part"
    screenshot = reverse(opener, args=[capture.pk, "screenshot.png"])
    pdf = reverse(opener, args=[capture.pk, "rendered.pdf"])
    assert screenshot in listing and pdf in listing
    assert reverse("admin:entries_linkcapture_open", args=[plain.pk]) in listing
    assert reverse(opener, args=[plain.pk, "screenshot.png"]) not in listing
    page = client.get(reverse("admin:entries_linkcapture_change", args=[capture.pk]))
    assert screenshot in page.content.decode()
    response = client.get(pdf)
    assert response.status_code == 302
    assert response["Location"].startswith(
        f"http://archive.localhost:8000/captures/{capture.pk}/rendered.pdf?key="
    )
    assert client.get(reverse(opener, args=[capture.pk, "warc.gz"])).status_code == 403
