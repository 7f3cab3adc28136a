"""The links' states where staff work: each link's badge on the entry page, and the review page
of an issue listing the links that do not work before anyone approves."""

import pytest
from django.urls import reverse
from django.utils import timezone

from bulletin.services.links import links_check_request
from entries.models import LinkCheck
from tests.factories import EntryFactory, EntryLinkFactory, UserFactory

pytestmark = pytest.mark.django_db
O = LinkCheck.Outcome  # noqa: E741


def checked(url, outcome, **fields):
    return LinkCheck.objects.create(url=url, outcome=outcome, checked_at=timezone.now(), **fields)


@pytest.fixture
def editor_client(client):
    client.force_login(UserFactory(username="editor", roles=["Editor"]))
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def entry():
    entry = EntryFactory(title="A regulation with sources")
    for n, url in enumerate(["https://a.test/ok", "https://a.test/old", "https://a.test/gone"]):
        EntryLinkFactory(entry=entry, url=url, position=n + 1)
    checked("https://a.test/ok", O.OK, status=200, title="The notice")
    checked("https://a.test/old", O.REDIRECTED, status=200, final_url="https://a.test/new-home")
    checked("https://a.test/gone", O.BROKEN, status=410)
    return entry


def test_entry_page_shows_each_links_state(editor_client, entry):
    page = editor_client.get(reverse("admin:entries_entry_change", args=[entry.pk]))
    html = page.content.decode()
    assert 'class="link-check link-check--ok">Works · 200' in html
    assert "The notice" in html
    assert 'class="link-check link-check--redirected">Redirected · 200' in html
    assert 'href="https://a.test/new-home"' in html
    assert 'class="link-check link-check--broken">Broken · 410' in html
    assert html.count("checked <time") == 3


def test_entry_page_says_which_links_are_not_checked_yet_or_being_checked(editor_client, entry):
    EntryLinkFactory(entry=entry, url="https://a.test/new", position=4)
    EntryLinkFactory(entry=entry, url="https://a.test/later", position=5)
    LinkCheck.objects.filter(url="https://a.test/later").delete()
    links_check_request(entry=entry)  # asks for /new and /later (the others are recent)
    EntryLinkFactory(entry=entry, url="https://a.test/unasked", position=6)
    html = editor_client.get(reverse("admin:entries_entry_change", args=[entry.pk])).content
    html = html.decode()
    assert html.count("Being checked") == 2
    assert html.count("Not checked yet") == 1
    assert "link-check--ok" in html


def test_unreachable_link_shows_why(editor_client):
    entry = EntryFactory()
    EntryLinkFactory(entry=entry, url="https://down.test/")
    checked("https://down.test/", O.UNREACHABLE, reason="the connection was refused")
    html = editor_client.get(reverse("admin:entries_entry_change", args=[entry.pk])).content
    assert b"link-check--unreachable" in html and b"the connection was refused" in html


def test_review_page_lists_the_links_that_do_not_work(editor_client, entry):
    other = EntryFactory(issue=entry.issue, section=entry.section, title="Another entry")
    EntryLinkFactory(entry=other, url="https://b.test/x")
    checked("https://b.test/x", O.UNREACHABLE, reason="timed out")
    page = editor_client.get(reverse("admin:bulletin_issue_review", args=[entry.issue_id]))
    html = page.content.decode()
    failing = html[html.index('class="failing-links"') : html.index("</section>")]
    assert "2 links do not work" in failing
    assert "https://a.test/gone" in failing and "https://b.test/x" in failing
    assert "Another entry" in failing and "timed out" in failing
    assert "https://a.test/ok" not in failing and "https://a.test/old" not in failing


def test_review_page_has_no_list_when_every_link_works(editor_client, entry):
    LinkCheck.objects.filter(url="https://a.test/gone").update(outcome=O.OK, status=200)
    html = editor_client.get(
        reverse("admin:bulletin_issue_review", args=[entry.issue_id])
    ).content.decode()
    assert "A regulation with sources" in html
    assert "failing-links" not in html and "do not work" not in html
