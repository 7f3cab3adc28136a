"""Published issue pages are rendered once, stored as files per language and served without
template work; a correction renders them again, a withdrawal removes them."""

import hashlib
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test.signals import template_rendered

from bulletin import pages
from bulletin.identity import firm_identity_save
from bulletin.models import Issue
from bulletin.services.entries import entry_save
from bulletin.services.workflow import entry_transition, issue_transition
from tests.bulletin.workflow.helpers import issue_in
from tests.factories import (
    AuthorFactory,
    BulletinFactory,
    EntryFactory,
    IssueFactory,
    SectionFactory,
    publish,
)

pytestmark = pytest.mark.django_db

# What the outer middleware adds to each response anew.
PER_REQUEST = {"X-Request-ID", "Date"}


@pytest.fixture(autouse=True)
def web_outputs_only(settings):
    """The PDF and the email are not what these tests are about (and are slow)."""
    settings.BULLETIN_PUBLISH_OUTPUTS = ["web.invalidate", "web.pages"]


@pytest.fixture
def published(django_capture_on_commit_callbacks):
    issue = IssueFactory(slug="2024-08")
    EntryFactory(
        section=SectionFactory(issue=issue), title="数据出境新规", summary="<p>原文：罚款 3%。</p>"
    )
    with django_capture_on_commit_callbacks(execute=True):
        publish(issue)
    return issue


def addresses(issue) -> list[str]:
    """Its Chinese and English addresses."""
    zh, en = pages.issue_addresses(issue)
    assert (zh, en) == (f"/{issue.bulletin.slug}/{issue.slug}/", f"/en{zh}")
    return [zh, en]


def stored(path: str) -> bytes:
    return (pages.page_folder(path) / pages.PAGE).read_bytes()


def get_counting_templates(client, path: str, **extra):
    rendered = []

    def record(sender, **kwargs):
        rendered.append(kwargs["template"].name)

    template_rendered.connect(record)
    try:
        response = client.get(path, **extra)
    finally:
        template_rendered.disconnect(record)
    return response, rendered


def headers(response) -> dict:
    return {name: value for name, value in response.items() if name not in PER_REQUEST}


def test_publication_stores_both_languages_served_without_templates_as_the_view_renders_them(
    client, published, settings, django_assert_num_queries
):
    for path, heading in zip(addresses(published), ["数据出境新规", "数据出境新规"], strict=True):
        assert heading.encode() in stored(path)
        with django_assert_num_queries(0):
            fast, templates = get_counting_templates(client, path)
        assert fast.status_code == 200 and templates == []
        assert fast.getvalue() == stored(path)

        settings.PUBLISHED_PAGES_SERVE = False
        view, templates = get_counting_templates(client, path)
        settings.PUBLISHED_PAGES_SERVE = True
        assert "bulletin/issue_detail.html" in templates
        assert view.content == stored(path)
        assert headers(fast) == headers(view)
        assert "Content-Security-Policy" in headers(fast) and "ETag" in headers(fast)
    assert b'lang="en"' in stored(addresses(published)[1])
    assert b'<html lang="zh-hans">' in stored(addresses(published)[0])


def test_a_stored_page_carries_nothing_of_one_request(published):
    page = stored(addresses(published)[0]).decode()
    assert "数据出境新规" in page
    for marker in ("csrfmiddlewaretoken", "nonce", "sessionid", "testserver"):
        assert marker not in page


def test_stored_page_answers_a_conditional_request_with_304(client, published):
    path = addresses(published)[0]
    first = client.get(path)
    assert first.status_code == 200 and first["ETag"]
    again = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    since = client.get(path, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304


def test_head_of_a_stored_page_has_its_headers_and_no_body(client, published):
    path = addresses(published)[0]
    response = client.head(path)
    assert response.status_code == 200
    assert response["Content-Length"] == str(len(stored(path)))
    assert response.content == b""


def test_correction_renders_the_pages_again(client, users, django_capture_on_commit_callbacks):
    issue = IssueFactory(created_by=users["editor"])
    entry = EntryFactory(
        section=SectionFactory(issue=issue),
        summary="<p>原文：罚款 3%。</p>",
        created_by=users["author"],
    )
    with django_capture_on_commit_callbacks(execute=True):
        publish(issue)
    publisher = users["publisher"]
    issue_transition(issue=issue, user=publisher, action="open_correction", comment="更正比例。")
    entry.refresh_from_db()
    entry.summary = "<p>更正：罚款 7%。</p>"
    entry_save(entry=entry, user=users["author"])
    entry_transition(entry=entry, user=users["author"], action="submit")
    entry_transition(entry=entry, user=users["reviewer"], action="approve")
    assert "原文：罚款 3%".encode() in stored(addresses(issue)[0])

    with django_capture_on_commit_callbacks(execute=True):
        issue_transition(issue=issue, user=publisher, action="publish_correction")

    for path in addresses(issue):
        page = stored(path).decode()
        assert "更正：罚款 7%" in page and "原文：罚款 3%" not in page
        assert "更正：罚款 7%" in client.get(path).getvalue().decode()


def test_withdrawal_removes_the_pages(client, users, django_capture_on_commit_callbacks):
    issue = issue_in(Issue.State.APPROVED, users)
    with django_capture_on_commit_callbacks(execute=True):
        publish(issue)
    assert all(pages.page_folder(path).joinpath(pages.PAGE).exists() for path in addresses(issue))
    with django_capture_on_commit_callbacks(execute=True):
        issue_transition(issue=issue, user=users["publisher"], action="withdraw", comment="有误")
    for path in addresses(issue):
        assert not pages.page_folder(path).joinpath(pages.PAGE).exists()
        assert client.get(path).status_code == 404


def test_withdrawal_removes_the_pages_on_commit_before_its_job_runs(
    client, users, settings, django_capture_on_commit_callbacks
):
    issue = issue_in(Issue.State.APPROVED, users)
    with django_capture_on_commit_callbacks(execute=True):
        publish(issue)
    settings.BULLETIN_PUBLISH_OUTPUTS = []  # no job: only what the commit itself does
    with django_capture_on_commit_callbacks(execute=True):
        issue_transition(issue=issue, user=users["publisher"], action="withdraw", comment="有误")
    assert not pages.page_folder(addresses(issue)[0]).joinpath(pages.PAGE).exists()
    assert client.get(addresses(issue)[0]).status_code == 404


def test_a_change_of_the_firm_renders_every_page_again(
    users, published, django_capture_on_commit_callbacks
):
    assert "衡川律师事务所".encode() not in stored(addresses(published)[0])
    with django_capture_on_commit_callbacks(execute=True):
        firm_identity_save(user=users["publisher"], name="衡川律师事务所", name_en="Hengchuan")
    assert "衡川律师事务所".encode() in stored(addresses(published)[0])
    assert b"Hengchuan" in stored(addresses(published)[1])


def test_a_signed_in_reader_gets_the_view(client, users, published):
    client.force_login(users["publisher"])
    response, templates = get_counting_templates(client, addresses(published)[0])
    assert response.status_code == 200 and "bulletin/issue_detail.html" in templates
    assert "数据出境新规" in response.content.decode()


def test_a_missing_page_is_rendered_by_the_view(client, published):
    path = addresses(published)[0]
    pages.page_remove(path)
    response, templates = get_counting_templates(client, path)
    assert response.status_code == 200 and "bulletin/issue_detail.html" in templates
    assert "数据出境新规" in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/../secret/page/",
        "/..%2Fsecret/page/",
        "/%2e%2e/secret/",
        "/a%2F..%2F..%2Fsecret/page/",
        "/secret/page/%00",
        "/en/../secret/page/",
        "//secret/page/",
        "/secret/page/index.html",
        "/secret/page",
    ],
)
def test_a_hostile_address_never_reads_outside_the_stored_pages(client, settings, tmp_path, path):
    root = tmp_path / "pages"
    settings.PUBLISHED_PAGES_ROOT = root
    # A page a careless join would find, complete with its headers: next to the root, and
    # inside it under another name.
    meta = json.dumps({"sha256": hashlib.sha256(b"SECRET").hexdigest(), "headers": []})
    for folder in (tmp_path / "secret" / "page", root / "secret" / "page" / "index.html"):
        folder.mkdir(parents=True)
        (folder / pages.PAGE).write_text("SECRET")
        (folder / pages.HEADERS).write_text(meta)
    response = client.get(path)
    assert b"SECRET" not in response.getvalue()
    assert response.status_code != 200


def test_page_folder_accepts_issue_addresses_only(settings, tmp_path):
    settings.PUBLISHED_PAGES_ROOT = tmp_path
    assert pages.page_folder("/monthly/2024-08/") == tmp_path / "monthly" / "2024-08"
    assert pages.page_folder("/en/monthly/2024-08/") == tmp_path / "en" / "monthly" / "2024-08"
    for path in ["/../x/", "/a/../", "/a/b/c/d/", "/a/b\x00/", "/a/b", "/a.b/c/", "/a/b/\n"]:
        assert pages.page_folder(path) is None


def test_pages_render_writes_every_public_page_and_removes_the_others(published, settings):
    stray = Path(settings.PUBLISHED_PAGES_ROOT) / "gone" / "issue"
    stray.mkdir(parents=True)
    (stray / pages.PAGE).write_text("an issue no longer public")
    pages.page_remove(addresses(published)[1])
    call_command("pages_render", verbosity=0)
    entry = published.published_entries.get()
    entries = pages.entry_addresses(entry_id=entry.entry_id, title=entry.title)
    assert pages.stored_addresses() == {*addresses(published), *entries}


def test_a_page_rendered_while_its_issue_is_withdrawn_is_not_kept(users, published, monkeypatch):
    """The withdrawal commits between the rendering and the writing of a page: the job finds
    it withdrawn once written, and removes it."""
    store = pages.page_store

    def store_then_withdraw(path, response):
        store(path, response)
        Issue.objects.filter(pk=published.pk).update(state=Issue.State.WITHDRAWN)

    monkeypatch.setattr(pages, "page_store", store_then_withdraw)
    assert pages.issue_pages_write(issue_id=published.pk) == []
    assert pages.stored_addresses() == set()


def test_a_new_bulletin_renders_every_page_again(published, django_capture_on_commit_callbacks):
    """Every page's footer offers each bulletin's subscription."""
    assert "劳动法季刊".encode() not in stored(addresses(published)[0])
    with django_capture_on_commit_callbacks(execute=True):
        BulletinFactory(name="劳动法季刊", slug="labour")
    assert "劳动法季刊".encode() in stored(addresses(published)[0])
    assert "数据出境新规".encode() in stored(addresses(published)[0])


def test_an_author_who_leaves_renders_every_page_again(django_capture_on_commit_callbacks):
    author = AuthorFactory(name="王律师", slug="wang")
    issue = IssueFactory(slug="2024-09")
    issue.writers.set([author])
    EntryFactory(section=SectionFactory(issue=issue))
    with django_capture_on_commit_callbacks(execute=True):
        publish(issue)
    assert b'href="/authors/wang/"' in stored(addresses(issue)[0])
    author.is_active = False
    with django_capture_on_commit_callbacks(execute=True):
        author.save()
    page = stored(addresses(issue)[0]).decode()
    assert "王律师" in page and 'href="/authors/wang/"' not in page


def test_one_run_stands_for_every_same_refresh_waiting_when_it_starts(
    users, published, django_capture_on_commit_callbacks
):
    """Three saves in one transaction (as the demo loader makes, or an editor saving several
    authors) ask three times for every page: the first run is the other two's too, so every
    issue's pages are rendered once; a different job has its own run."""
    from django.db import transaction

    from bulletin.models import Job

    before = set(Job.objects.values_list("pk", flat=True))
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        firm_identity_save(user=users["publisher"], name="衡川律师事务所", name_en="Hengchuan")
        BulletinFactory(name="劳动法季刊", slug="labour")
        AuthorFactory(name="王律师", slug="wang")
        pages.job_enqueue(name="web.pages", payload={"issue_id": published.pk})
    jobs = Job.objects.exclude(pk__in=before).filter(name="web.pages").order_by("pk")
    everything = [job for job in jobs if job.payload == {}]
    assert len(everything) == 3 and {job.status for job in jobs} == {"done"}
    assert [job.last_error for job in everything] == [""] + [f"done by job {everything[0].pk}"] * 2
    assert [job.payload for job in jobs if job.payload.get("issue_id")] == [
        {"issue_id": published.pk},  # its own run
        {"issue_id": published.pk, "linking": False},  # one, not one per save
    ]
    assert "衡川律师事务所".encode() in stored(addresses(published)[0])
    assert "劳动法季刊".encode() in stored(addresses(published)[0])
