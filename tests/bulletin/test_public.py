import pytest
from django.urls import reverse

from tests.factories import (
    CommentaryFactory,
    EntryFactory,
    EntryLinkFactory,
    IssueFactory,
    SectionFactory,
    publish,
    published_issue,
)

pytestmark = pytest.mark.django_db


def test_home_lists_published_issues_only(client):
    published_issue(title="已发布的一期")
    IssueFactory(title="DRAFT-MARKER-7f3a")
    html = client.get(reverse("bulletin:home")).content.decode()
    assert "已发布的一期" in html
    assert "DRAFT-MARKER-7f3a" not in html


def test_draft_issue_page_is_not_found(client):
    issue = IssueFactory()
    assert client.get(issue.get_absolute_url()).status_code == 404


def test_issue_page_shows_every_part_of_an_entry(client):
    issue = IssueFactory()
    entry = EntryFactory(section=SectionFactory(issue=issue), case=True, title="示例诉讼")
    EntryLinkFactory(entry=entry, kind="complaint", url="https://court.example.gov/complaint.pdf")
    CommentaryFactory(entry=entry, body="<p>本所认为值得关注。</p>")
    publish(issue)
    html = client.get(issue.get_absolute_url()).content.decode()
    for text in [
        '示例<span class="nowrap">诉讼</span>',  # the last two characters kept together
        "Doe v. Example AI, Inc.",
        "3:24-cv-01234",
        "N.D. Cal.",
        "https://court.example.gov/complaint.pdf",
        "本所认为值得关注。",
        issue.bulletin.commentary_label,
        "本刊物不构成法律意见。",
    ]:
        assert text in html, text


def _issue_with(entries: int):
    issue = IssueFactory()
    section = SectionFactory(issue=issue)
    for _ in range(entries):
        entry = EntryFactory(section=section)
        EntryLinkFactory(entry=entry)
        CommentaryFactory(entry=entry)
    return publish(issue)


def test_issue_page_query_count_does_not_grow_with_entries(client, django_assert_max_num_queries):
    small, large = _issue_with(3), _issue_with(40)
    # 8: the publication, its editions in other languages, its PDF, the authors with pages, and
    # the firm's identity (two queries, then cached with the public pages).
    with django_assert_max_num_queries(8) as few:
        client.get(small.get_absolute_url())
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(large.get_absolute_url()).status_code == 200


def test_publishing_freezes_its_content_in_a_fixed_number_of_queries(django_assert_max_num_queries):
    def unpublished(entries):
        issue = IssueFactory()
        section = SectionFactory(issue=issue)
        for _ in range(entries):
            CommentaryFactory(entry=EntryFactory(section=section, tags=["版权"]))
        return issue

    small, large = unpublished(2), unpublished(30)
    with django_assert_max_num_queries(40) as few:
        publish(small)
    with django_assert_max_num_queries(len(few.captured_queries)):
        publish(large)


def test_edits_after_publication_do_not_reach_the_public_page(client):
    issue = published_issue()
    published_title = issue.entries.get().title
    issue.entries.update(title="UNPUBLISHED-EDIT-91c2")
    html = client.get(issue.get_absolute_url()).content.decode()
    assert published_title in html
    assert "UNPUBLISHED-EDIT-91c2" not in html


def test_staff_preview_shows_the_draft_and_others_get_404(client, admin_user):
    issue = IssueFactory()
    EntryFactory(section=SectionFactory(issue=issue), title="DRAFT-PREVIEW-5d1e")
    url = f"/preview/issue/{issue.pk}/"
    assert client.get(url).status_code == 404
    client.force_login(admin_user)
    response = client.get(url)
    assert response.status_code == 200
    assert "DRAFT-PREVIEW-5d1e" in response.content.decode()
