"""Kinds, tags, jurisdictions and authors are public only through published entries; an entry's
own page shows every field of it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from bulletin.models import PublishedEntry
from tests.factories import (
    AuthorFactory,
    CommentaryFactory,
    EntryFactory,
    EntryLinkFactory,
    IssueFactory,
    JurisdictionFactory,
    SectionFactory,
    publish,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive():
    """A published issue and a draft one, each with metadata of its own."""
    shown, hidden = (
        JurisdictionFactory(code="shown", name="公开法域"),
        JurisdictionFactory(code="drafted", name="草稿法域"),
    )
    shown_author, hidden_author = (
        AuthorFactory(slug="shown-author"),
        AuthorFactory(slug="drafted-author"),
    )
    public = IssueFactory()
    entry = EntryFactory(
        section=SectionFactory(issue=public),
        title="公开条目",
        tags=["公开标签"],
        jurisdictions=[shown],
    )
    CommentaryFactory(entry=entry, authors=[shown_author])
    publish(public)
    draft = IssueFactory()
    drafted = EntryFactory(
        section=SectionFactory(issue=draft),
        kind="case",
        case_caption="Roe v. Draft Corp.",
        tags=["草稿标签"],
        jurisdictions=[hidden],
    )
    CommentaryFactory(entry=drafted, authors=[hidden_author])
    draft.writers.add(hidden_author)
    return public


@pytest.mark.parametrize(
    ("name", "kwargs", "expected"),
    [
        ("bulletin:jurisdiction", {"code": "shown"}, 200),
        ("bulletin:jurisdiction", {"code": "drafted"}, 404),
        ("bulletin:tag", {"name": "公开标签"}, 200),
        ("bulletin:tag", {"name": "草稿标签"}, 404),
        ("bulletin:kind", {"kind": "regulation"}, 200),
        ("bulletin:kind", {"kind": "case"}, 404),
        ("bulletin:author", {"slug": "shown-author"}, 200),
        ("bulletin:author", {"slug": "drafted-author"}, 404),
    ],
)
def test_metadata_pages_exist_only_through_published_entries(
    client, archive, name, kwargs, expected
):
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == expected
    if expected == 200:
        assert "公开条目" in response.content.decode()


def test_an_author_named_only_in_a_published_issue_team_is_public(client):
    member = AuthorFactory(slug="team-member")
    issue = IssueFactory()
    issue.bulletin.team.add(member)
    url = reverse("bulletin:author", kwargs={"slug": "team-member"})
    assert client.get(url).status_code == 404
    publish(issue)
    response = client.get(url)
    assert response.status_code == 200
    assert member.name in response.content.decode()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_an_entry_page_shows_every_field_of_the_entry(client, language):
    issue = IssueFactory()
    place = JurisdictionFactory(code="us-ca", name="美国加利福尼亚州", name_en="California")
    entry = EntryFactory(
        section=SectionFactory(issue=issue, title="最新司法动态"),
        case=True,
        title="示例集体诉讼",
        published_on=datetime.date(2024, 8, 16),
        source="示例新闻网",
        summary="<p>原告主张被告擅自使用其作品。</p>",
        tags=["版权"],
        jurisdictions=[place],
    )
    EntryLinkFactory(entry=entry, kind="primary", url="https://news.example.org/story")
    EntryLinkFactory(entry=entry, kind="complaint", url="https://court.example.gov/1.pdf")
    CommentaryFactory(entry=entry, body="<p>本所认为此案值得关注。</p>")
    publish(issue)
    with translation.override(language):
        page = PublishedEntry.objects.get(entry_id=entry.pk).get_absolute_url()
    html = client.get(page).content.decode()
    date_text = "16 August 2024" if language == "en" else "2024 年 8 月 16 日"
    for text in [
        "示例集体诉讼",
        '<time datetime="2024-08-16">' + date_text + "</time>",
        "示例新闻网",
        "Doe v. Example AI, Inc.",
        "3:24-cv-01234",
        "N.D. Cal.",
        "原告主张被告擅自使用其作品。",
        "https://news.example.org/story",
        "https://court.example.gov/1.pdf",
        "本所认为此案值得关注。",
        issue.bulletin.commentary_label,
        "最新司法动态",
        "版权",
    ]:
        assert text in html, text
    assert '<time datetime=""' not in html
