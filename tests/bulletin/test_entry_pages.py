"""Published entry pages are stored with their issue's pages, in both languages, and served the
same way; a correction renders them again, a withdrawal removes them, and no stored page of
another issue keeps a link to an entry that is withdrawn (PageLink)."""

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bulletin import pages
from bulletin.models import Issue, Job, PageLink, PublishedEntry
from bulletin.pages import serving
from bulletin.services.entries import entry_save
from bulletin.services.workflow import entry_transition, issue_transition
from tests.bulletin.test_pages import get_counting_templates, headers, stored
from tests.factories import EntryFactory, IssueFactory, SectionFactory, publish

pytestmark = pytest.mark.django_db
_months = itertools.count(1)


@pytest.fixture(autouse=True)
def web_outputs_only(settings):
    """The PDF and the email are not what these tests are about (and are slow)."""
    settings.BULLETIN_PUBLISH_OUTPUTS = ["web.invalidate", "web.pages"]


def published_with(capture, *titles, tags=(), **entry):
    """An issue of these entries (sharing these tags), published with its outputs run."""
    issue = IssueFactory(slug=f"2024-{next(_months):02}")
    section = SectionFactory(issue=issue)
    for title in titles:
        summary = f"<p>{title}摘要。</p>"
        EntryFactory(section=section, title=title, tags=list(tags), summary=summary, **entry)
    with capture(execute=True):
        publish(issue)
    return issue


def entry_paths(title: str) -> list[str]:
    """The Chinese and English addresses of the published entry of this title."""
    entry = PublishedEntry.objects.get(title=title)
    zh, en = pages.entry_addresses(entry_id=entry.entry_id, title=title)
    assert (zh, en) == (f"/entries/{entry.entry_id}/{title}/", f"/en{zh}")
    return [zh, en]


def is_stored(path: str) -> bool:
    return pages.page_folder(path).joinpath(pages.PAGE).exists()


def test_publication_stores_each_entry_page_in_both_languages_as_the_view_renders_it(
    client, settings, django_assert_num_queries, django_capture_on_commit_callbacks
):
    published_with(django_capture_on_commit_callbacks, "数据出境新规", "个人信息保护认证")
    for title in ("数据出境新规", "个人信息保护认证"):
        for path in entry_paths(title):
            assert f"{title}摘要".encode() in stored(path)
            with django_assert_num_queries(0):
                fast, templates = get_counting_templates(client, path)
            assert fast.status_code == 200 and templates == []
            assert fast.getvalue() == stored(path)

            settings.PUBLISHED_PAGES_SERVE = False
            view, templates = get_counting_templates(client, path)
            settings.PUBLISHED_PAGES_SERVE = True
            assert "bulletin/entry_detail.html" in templates
            assert view.content == stored(path)
            assert headers(fast) == headers(view)
            assert "Content-Security-Policy" in headers(fast) and "ETag" in headers(fast)
    zh, en = entry_paths("数据出境新规")
    assert b'<html lang="zh-hans">' in stored(zh) and b'<html lang="en">' in stored(en)
    # Its neighbour in the issue, linked from the stored page.
    assert "个人信息保护认证".encode() in stored(zh)


def test_a_stored_entry_page_answers_a_query_string_head_and_conditional_request(
    client, django_assert_num_queries, django_capture_on_commit_callbacks
):
    published_with(django_capture_on_commit_callbacks, "数据出境新规")
    path = entry_paths("数据出境新规")[1]
    with django_assert_num_queries(0):
        tagged = client.get(path + "?utm_source=mail")
        head = client.head(path)
        again = client.get(path, HTTP_IF_NONE_MATCH=tagged["ETag"])
    assert tagged.status_code == 200 and tagged.getvalue() == stored(path)
    assert head.status_code == 200 and head.content == b""
    assert head["Content-Length"] == str(len(stored(path)))
    assert head["Content-Security-Policy"] == tagged["Content-Security-Policy"]
    assert again.status_code == 304


def test_a_draft_is_never_stored(users, client, django_capture_on_commit_callbacks):
    """Neither an unpublished issue's entries nor the draft of a correction under way."""
    by = {"created_by": users["author"]}
    issue = published_with(django_capture_on_commit_callbacks, "数据出境新规", **by)
    draft = IssueFactory(slug="draft")
    EntryFactory(section=SectionFactory(issue=draft), title="草稿条目", summary="<p>草稿正文</p>")
    publisher = users["publisher"]
    issue_transition(issue=issue, user=publisher, action="open_correction", comment="更正。")
    entry = issue.entries.get()
    entry.summary = "<p>未发布的更正</p>"
    entry_save(entry=entry, user=users["author"])

    with django_capture_on_commit_callbacks(execute=True):
        assert pages.pages_write_all() == 4  # the issue's page and its entry's, twice

    files = list(pages.pages_root().rglob(pages.PAGE))
    assert len(files) == 4
    texts = [file.read_text() for file in files]
    assert all("未发布的更正" not in text and "草稿" not in text for text in texts)
    assert all("数据出境新规摘要" in text for text in texts)
    assert client.get(f"/entries/{draft.entries.get().pk}/草稿条目/").status_code == 404


def test_withdrawal_removes_the_entry_pages_on_commit_and_forgets_their_links(
    client, users, settings, django_capture_on_commit_callbacks
):
    issue = published_with(django_capture_on_commit_callbacks, "数据出境新规")
    paths = entry_paths("数据出境新规")
    assert all(is_stored(path) for path in paths)
    settings.BULLETIN_PUBLISH_OUTPUTS = []  # first only what the commit itself does
    with django_capture_on_commit_callbacks(execute=True):
        issue_transition(issue=issue, user=users["publisher"], action="withdraw", comment="有误")
    assert not any(is_stored(path) for path in paths)
    assert all(client.get(path).status_code == 404 for path in paths)

    pages.issue_pages_write(issue_id=issue.pk)  # its job
    assert not any(is_stored(path) for path in paths)
    assert not PageLink.objects.filter(address__in=paths).exists()


def test_withdrawal_renders_again_other_pages_listing_its_entries_as_related(
    client, users, settings, django_capture_on_commit_callbacks
):
    later = published_with(django_capture_on_commit_callbacks, "后来的判决", tags=["版权"])
    published_with(django_capture_on_commit_callbacks, "早先的法规", tags=["版权"])
    zh, en = entry_paths("早先的法规")
    assert "后来的判决".encode() in stored(zh).split(b'id="related-heading"')[1]

    settings.BULLETIN_PUBLISH_OUTPUTS = []  # first only what the commit itself does
    with django_capture_on_commit_callbacks(execute=True):
        issue_transition(issue=later, user=users["publisher"], action="withdraw", comment="有误")
    assert not is_stored(zh) and not is_stored(en)  # the view answers meanwhile
    assert "后来的判决" not in client.get(zh).content.decode()

    written = pages.issue_pages_write(issue_id=later.pk)  # its job
    assert set(written) == {zh, en}
    for path in (zh, en):
        assert "后来的判决".encode() not in stored(path) and "早先的法规".encode() in stored(path)
    assert not PageLink.objects.filter(entry_id=later.entries.get().pk).exists()


def test_a_page_rendered_while_an_entry_it_links_to_is_withdrawn_is_removed_on_commit(
    monkeypatch, django_capture_on_commit_callbacks
):
    """The withdrawal commits while another issue's job renders a page relating to its entry
    and before that job's links are committed: the job checks them once committed."""
    published_with(django_capture_on_commit_callbacks, "后来的判决", tags=["版权"])
    issue = published_with(django_capture_on_commit_callbacks, "早先的法规", tags=["版权"])
    zh, en = entry_paths("早先的法规")
    store = pages.page_store

    def store_then_withdraw(path, response):
        store(path, response)
        if path == zh:  # the other transaction, right after the Chinese page was rendered
            PublishedEntry.objects.filter(title="后来的判决").delete()

    monkeypatch.setattr(pages, "page_store", store_then_withdraw)
    with django_capture_on_commit_callbacks(execute=True):
        written = pages.issue_pages_write(issue_id=issue.pk)
        assert "后来的判决".encode() in stored(zh)
    assert {zh, en} <= set(written)
    assert not is_stored(zh)
    # Rendered after the withdrawal: kept, as are the issue's pages (which link to neither).
    assert "后来的判决".encode() not in stored(en) and "早先的法规".encode() in stored(en)
    assert all(is_stored(path) for path in pages.issue_addresses(issue))


def test_a_corrected_title_moves_the_page_and_renders_again_the_pages_relating_to_it(
    users, django_capture_on_commit_callbacks
):
    by = {"created_by": users["author"]}
    issue = published_with(django_capture_on_commit_callbacks, "原标题", tags=["版权"], **by)
    published_with(django_capture_on_commit_callbacks, "相关条目", tags=["版权"])
    old = entry_paths("原标题")
    related = entry_paths("相关条目")[0]
    assert "原标题".encode() in stored(related)
    publisher = users["publisher"]
    issue_transition(issue=issue, user=publisher, action="open_correction", comment="改标题。")
    entry = issue.entries.get()
    entry.title = "更正后的标题"
    entry_save(entry=entry, user=users["author"])
    entry_transition(entry=entry, user=users["author"], action="submit")
    entry_transition(entry=entry, user=users["reviewer"], action="approve")

    with django_capture_on_commit_callbacks(execute=True):
        issue_transition(issue=issue, user=publisher, action="publish_correction")

    assert not any(is_stored(path) for path in old)
    assert all(is_stored(path) for path in entry_paths("更正后的标题"))
    assert "更正后的标题".encode() in stored(related) and "原标题".encode() not in stored(related)
    assert not PageLink.objects.filter(address__in=old).exists()


def test_the_pdf_renders_again_the_issue_page_only(django_capture_on_commit_callbacks):
    issue = published_with(django_capture_on_commit_callbacks, "数据出境新规")
    path = entry_paths("数据出境新规")[0]
    pages.page_remove(path)
    pages.web_pages({"issue_id": issue.pk, "entries": False})
    assert not is_stored(path)
    assert all(is_stored(address) for address in pages.issue_addresses(issue))


@pytest.mark.parametrize("entries", [2, 6])
def test_rendering_an_issue_costs_the_same_queries_for_each_entry(
    entries, django_capture_on_commit_callbacks
):
    titles = [f"条目{n}" for n in range(entries)]
    issue = published_with(django_capture_on_commit_callbacks, *titles)
    pages.pages_remove_all()
    with CaptureQueriesContext(connection) as queries:
        written = pages.issue_pages_write(issue_id=issue.pk)
    assert len(written) == 2 + 2 * entries
    # What to render (a few queries), then 7 per page: the entry, its neighbours, its related
    # entries (two), its links recorded (two) and written… (the issue's page: fewer).
    assert len(queries) <= 10 + 8 * len(written), [q["sql"] for q in queries]


def test_the_issue_of_a_withdrawn_entry_page_is_checked_again_once_written(
    users, monkeypatch, django_capture_on_commit_callbacks
):
    issue = published_with(django_capture_on_commit_callbacks, "数据出境新规")
    store = pages.page_store

    def store_then_withdraw(path, response):
        store(path, response)
        Issue.objects.filter(pk=issue.pk).update(state=Issue.State.WITHDRAWN)

    monkeypatch.setattr(pages, "page_store", store_then_withdraw)
    assert pages.issue_pages_write(issue_id=issue.pk) == []
    assert pages.stored_addresses() == set()


@pytest.mark.parametrize(
    "path",
    ["/entries/1/数据出境新规/", "/en/entries/1/data-rules/", "/entries/12/a_b-c/"],
)
def test_page_folder_accepts_entry_addresses(settings, tmp_path, path):
    settings.PUBLISHED_PAGES_ROOT = tmp_path
    assert pages.page_folder(path) == tmp_path.joinpath(*path.strip("/").split("/"))


@pytest.mark.parametrize(
    "path",
    [
        "/entries/1/../",
        "/entries/1/a.b/",
        "/entries/x/slug/",
        "/entries/1/slug/more/",
        "/entries/1/slug",
        "/entries/1/sl\x00ug/",
        "/entries/1/sl ug/",
        "/entries/1/" + "长" * 61 + "/",
        "/zh-hans/entries/1/slug/",
    ],
)
def test_page_folder_refuses_other_entry_like_addresses(settings, tmp_path, path):
    settings.PUBLISHED_PAGES_ROOT = tmp_path
    assert pages.page_folder(path) is None


def test_a_web_process_keeps_the_headers_of_a_bounded_number_of_pages(
    rf, monkeypatch, django_capture_on_commit_callbacks
):
    published_with(django_capture_on_commit_callbacks, "第一条", "第二条", "第三条")
    monkeypatch.setattr(serving, "KNOWN_PAGES", 2)
    middleware = serving.PublishedPagesMiddleware(lambda request: None)
    paths = [path for title in ("第一条", "第二条", "第三条") for path in entry_paths(title)]
    for path in paths * 2:
        response = middleware(rf.get(path))
        assert response.status_code == 200 and b"".join(response) == stored(path)
        assert len(middleware.known) <= 2


def test_every_page_is_written_again_by_one_job_per_issue(django_capture_on_commit_callbacks):
    """At 200,000 entries, writing every page takes hours: no single task may."""
    first = published_with(django_capture_on_commit_callbacks, "数据出境新规")
    second = published_with(django_capture_on_commit_callbacks, "个人信息保护认证")
    pages.pages_remove_all()
    with django_capture_on_commit_callbacks(execute=True):
        pages.web_pages({})
    jobs = Job.objects.filter(name="web.pages", payload__linking=False)
    assert sorted(job.payload["issue_id"] for job in jobs) == sorted([first.pk, second.pk])
    assert all(job.status == Job.Status.DONE for job in jobs)
    assert all(is_stored(path) for path in entry_paths("个人信息保护认证"))
    assert all(is_stored(path) for path in pages.issue_addresses(first))


def test_only_links_to_our_own_entries_are_recorded(django_capture_on_commit_callbacks):
    """Another site's /entries/999/ in a summary is no link of ours: the page stays stored."""
    issue = IssueFactory(slug="2024-links")
    summary = '<p>见 <a href="https://example.org/entries/999999/x/">他处</a>。</p>'
    EntryFactory(section=SectionFactory(issue=issue), title="外部链接", summary=summary)
    with django_capture_on_commit_callbacks(execute=True):
        publish(issue)
    zh, en = entry_paths("外部链接")
    entry_id = issue.entries.get().pk
    assert b"example.org/entries/999999/" in stored(zh) and is_stored(en)
    recorded = set(PageLink.objects.filter(address=zh).values_list("entry_id", flat=True))
    assert recorded == {entry_id}
