import pytest
from django.urls import reverse

from tests.factories import (
    CommentaryFactory,
    EntryFactory,
    EntryLinkFactory,
    IssueFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db


def test_home_lists_published_issues_only(client):
    IssueFactory(published=True, title="已发布的一期")
    IssueFactory(title="DRAFT-MARKER-7f3a")
    html = client.get(reverse("bulletin:home")).content.decode()
    assert "已发布的一期" in html
    assert "DRAFT-MARKER-7f3a" not in html


def test_draft_issue_page_is_not_found(client):
    issue = IssueFactory()
    assert client.get(issue.get_absolute_url()).status_code == 404


def test_issue_page_shows_every_part_of_an_entry(client):
    issue = IssueFactory(published=True)
    entry = EntryFactory(section=SectionFactory(issue=issue), case=True, title="示例诉讼")
    EntryLinkFactory(entry=entry, kind="complaint", url="https://court.example.gov/complaint.pdf")
    CommentaryFactory(entry=entry, body="<p>本所认为值得关注。</p>")
    html = client.get(issue.get_absolute_url()).content.decode()
    for text in [
        "示例诉讼",
        "Doe v. Example AI, Inc.",
        "3:24-cv-01234",
        "N.D. Cal.",
        "https://court.example.gov/complaint.pdf",
        "本所认为值得关注。",
        issue.bulletin.commentary_label,
        "本刊物不构成法律意见。",
    ]:
        assert text in html, text


def test_issue_page_query_count_does_not_grow_with_entries(client, django_assert_max_num_queries):
    issue = IssueFactory(published=True)
    section = SectionFactory(issue=issue)
    for _ in range(3):
        CommentaryFactory(entry=EntryFactory(section=section))
    with django_assert_max_num_queries(12) as few:
        client.get(issue.get_absolute_url())
    for _ in range(20):
        entry = EntryFactory(section=section)
        EntryLinkFactory(entry=entry)
        CommentaryFactory(entry=entry)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(issue.get_absolute_url())
