"""What readers see of the Chinese typesetting rules: issue names, labels, titles, people."""

import re

import pytest
from django.urls import reverse

from tests.factories import (
    AuthorFactory,
    CommentaryFactory,
    EntryFactory,
    IssueFactory,
    SectionFactory,
    publish,
)

pytestmark = pytest.mark.django_db


def chinese(path: str) -> str:
    """The Chinese page of an address reversed under English (the tests' language)."""
    return path.removeprefix("/en")


def _issue(**kwargs):
    issue = IssueFactory(number=1, year=2024, month=8, volume="2024 年第 8 期", **kwargs)
    EntryFactory(section=SectionFactory(issue=issue), title="关于数据出境的决定", tags=["数据"])
    return publish(issue)


def test_the_issue_page_names_the_period_once(client):
    issue = _issue()
    html = client.get(chinese(issue.get_absolute_url())).content.decode()
    assert "2024 年 8 月刊 · 第 1 期" in html
    assert not re.search(r"2024-08(?!-)", html)  # a date (2024-08-01) may stay
    assert "2024 年第 8 期" not in html


def test_the_issue_page_in_english_names_the_issue_in_english(client):
    issue = _issue()
    html = client.get(issue.get_absolute_url()).content.decode()
    assert "August 2024 · No. 1" in html
    assert "Published " in html


def test_the_entry_breadcrumb_names_the_issue(client):
    issue = _issue()
    html = client.get(chinese(issue.get_absolute_url())).content.decode()
    entry_path = re.search(r'href="(/entries/[^"]+)"', html).group(1)
    page = client.get(entry_path).content.decode()
    assert "2024 年 8 月刊 · 第 1 期</a>" in page
    assert not re.search(r"2024-08(?!-)", page)


def test_labels_end_with_a_full_width_colon_in_chinese(client):
    issue = _issue()
    html = client.get(chinese(issue.get_absolute_url())).content.decode()
    assert "标签：" in html
    assert "标签:" not in html


def test_entry_titles_keep_their_last_two_characters_together(client):
    issue = _issue()
    html = client.get(chinese(issue.get_absolute_url())).content.decode()
    assert '关于数据出境的<span class="nowrap">决定</span>' in html


def test_writers_are_linked_to_their_pages_as_team_members_are(client):
    writer = AuthorFactory(name="王律师")
    issue = IssueFactory()
    issue.writers.set([writer])
    publish(issue)
    html = client.get(chinese(issue.get_absolute_url())).content.decode()
    link = f'<a href="{chinese(reverse("bulletin:author", args=[writer.slug]))}">王律师</a>'
    assert link in html
    assert client.get(chinese(reverse("bulletin:author", args=[writer.slug]))).status_code == 200


def test_the_archive_names_each_issue(client):
    _issue(title="人工智能监管专刊")
    html = client.get(chinese(reverse("bulletin:archive"))).content.decode()
    assert '<span lang="zh-Hans">人工智能监管专刊</span></a>' in html
    assert "2024 年 8 月刊 · 第 1 期" in html


def test_the_archive_does_not_repeat_a_title_that_names_the_period(client):
    _issue(title="2024 年 8 月刊")
    html = client.get(chinese(reverse("bulletin:archive"))).content.decode()
    main = html.split("<main")[1]  # the page's own content, not its title and share tags
    assert ">2024 年 8 月刊 · 第 1 期</a>" in main
    assert main.count("2024 年 8 月刊") == 1


def test_summaries_get_full_width_punctuation_and_keep_their_links(client):
    issue = IssueFactory()
    url = "https://www.cac.gov.cn/a,b:c"
    summary = f'<p>适用范围:境内(含港澳)<a href="{url}">{url}</a></p>'
    EntryFactory(section=SectionFactory(issue=issue), summary=summary)
    publish(issue)
    html = client.get(chinese(issue.get_absolute_url())).content.decode()
    assert f'适用范围：境内（含港澳）<a href="{url}">{url}</a>' in html


def test_a_person_without_a_public_page_is_named_without_a_link(client):
    active, former = AuthorFactory(name="王律师"), AuthorFactory(name="李律师", is_active=False)
    issue = IssueFactory()
    issue.writers.set([active, former])
    publish(issue)
    html = client.get(chinese(issue.get_absolute_url())).content.decode()
    assert f'href="{chinese(reverse("bulletin:author", args=[active.slug]))}"' in html
    assert "李律师" in html
    assert f'href="{chinese(reverse("bulletin:author", args=[former.slug]))}"' not in html


def test_commentators_are_linked_on_the_entry_page(client):
    commentator = AuthorFactory(name="赵律师")
    issue = IssueFactory()
    entry = EntryFactory(section=SectionFactory(issue=issue))
    CommentaryFactory(entry=entry, authors=[commentator])
    publish(issue)
    html = client.get(chinese(issue.get_absolute_url())).content.decode()
    entry_path = re.search(r'href="(/entries/[^"#]+)"', html).group(1)
    page = client.get(entry_path).content.decode()
    link = f'<a href="{chinese(reverse("bulletin:author", args=[commentator.slug]))}">赵律师</a>'
    assert link in page and link in html
