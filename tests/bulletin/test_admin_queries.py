"""The admin's pages make as many queries for an issue of 300 entries as for one of 5: each page
is measured on a small issue, and the larger ones may not make more queries than it did."""

import pytest
from django.urls import reverse

from bulletin.translation.models import Translation
from entries.models import Entry
from tests.factories import CommentaryFactory, EntryFactory, IssueFactory, SectionFactory

pytestmark = pytest.mark.django_db

# 300 entries take a few seconds to create and render; 60 covers more than one admin list page.
LARGER = [60, 300]


def issue_with(entries: int, users, *, state=Entry.State.DRAFT):
    """An issue of two sections holding this many entries by the author, some with commentary."""
    issue = IssueFactory()
    sections = [SectionFactory(issue=issue, position=1), SectionFactory(issue=issue, position=2)]
    for number in range(entries):
        entry = EntryFactory(
            section=sections[number % 2],
            position=number + 1,
            state=state,
            created_by=users["author"],
            last_edited_by=users["author"],
            tags=["版权"],
        )
        if number % 3 == 0:
            CommentaryFactory(entry=entry)
    return issue


def as_user(client, user):
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def assert_constant(client, django_assert_max_num_queries, url_for, users, *, state, shows, budget):
    """Measure the page for 5 entries (within its budget), then hold each larger issue to that
    count; the page must show what it lists (`shows` reads a text the page must contain)."""
    small = issue_with(5, users, state=state)
    url = url_for(small)  # what url_for reads or writes is not the page's
    with django_assert_max_num_queries(budget) as few:
        response = client.get(url)
    assert response.status_code == 200
    assert shows(small) in response.content.decode()
    for entries in LARGER:
        issue = issue_with(entries, users, state=state)
        url = url_for(issue)
        with django_assert_max_num_queries(len(few.captured_queries)):
            response = client.get(url)
        assert response.status_code == 200
        assert shows(issue) in response.content.decode()


def last_entry_title(issue) -> str:
    return issue.entries.order_by("section__position", "position").last().title


def first_entry_title(issue) -> str:
    return issue.entries.order_by("section__position", "position").first().title


def test_issue_change_page_queries_do_not_grow_with_entries(
    client, users, django_assert_max_num_queries
):
    as_user(client, users["editor"])
    assert_constant(
        client,
        django_assert_max_num_queries,
        lambda issue: reverse("admin:bulletin_issue_change", args=[issue.pk]),
        users,
        state=Entry.State.DRAFT,
        # 27, the translations panel (2), the editions panel (3), the Word import (1), the
        # languages of the email's preview (1)
        budget=34,
        shows=last_entry_title,
    )


def test_issue_review_page_queries_do_not_grow_with_entries(
    client, users, django_assert_max_num_queries
):
    as_user(client, users["reviewer"])
    assert_constant(
        client,
        django_assert_max_num_queries,
        lambda issue: reverse("admin:bulletin_issue_review", args=[issue.pk]),
        users,
        state=Entry.State.IN_REVIEW,
        budget=25,  # 24, and the issue's links with their latest checks (review.failing_links)
        shows=last_entry_title,
    )


def review_beside_url(issue) -> str:
    """The review page with English beside the Chinese, every other entry translated (a draft,
    some of it the machine's) so that each translation's row would show a query per entry."""
    entries = list(issue.entries.order_by("pk"))[::2]
    Translation.objects.bulk_create(
        Translation(
            entry=entry,
            language="en",
            texts={"title": f"English {entry.pk}", "summary": "<p>In English.</p>"},
            machine={"summary": "<p>In English.</p>"},
        )
        for entry in entries
    )
    return reverse("admin:bulletin_issue_review", args=[issue.pk]) + "?beside=en"


def test_issue_review_side_by_side_queries_do_not_grow_with_entries(
    client, users, django_assert_max_num_queries
):
    as_user(client, users["reviewer"])
    assert_constant(
        client,
        django_assert_max_num_queries,
        review_beside_url,
        users,
        state=Entry.State.IN_REVIEW,
        budget=26,  # the single-language page's 25, and the entries' translations (1)
        shows=lambda issue: f"English {issue.entries.order_by('pk').first().pk}",
    )


def test_entry_list_queries_do_not_grow_with_entries(client, users, django_assert_max_num_queries):
    as_user(client, users["editor"])
    assert_constant(
        client,
        django_assert_max_num_queries,
        lambda issue: reverse("admin:entries_entry_changelist") + f"?issue__id__exact={issue.pk}",
        users,
        state=Entry.State.DRAFT,
        budget=18,
        shows=first_entry_title,
    )


def test_entry_change_page_queries_do_not_grow_with_entries(
    client, users, django_assert_max_num_queries
):
    as_user(client, users["author"])
    assert_constant(
        client,
        django_assert_max_num_queries,
        lambda issue: reverse("admin:entries_entry_change", args=[issue.entries.first().pk]),
        users,
        state=Entry.State.DRAFT,
        budget=27,  # 26, and the translations panel's rows
        shows=lambda issue: issue.entries.first().title,
    )


def test_reviewer_inbox_queries_do_not_grow_with_entries(
    client, users, django_assert_max_num_queries
):
    as_user(client, users["reviewer"])
    assert_constant(
        client,
        django_assert_max_num_queries,
        lambda issue: reverse("admin:index"),
        users,
        state=Entry.State.IN_REVIEW,
        budget=11,
        shows=lambda issue: issue.title,
    )


def test_author_inbox_queries_do_not_grow_with_entries(
    client, users, django_assert_max_num_queries
):
    as_user(client, users["author"])
    assert_constant(
        client,
        django_assert_max_num_queries,
        lambda issue: reverse("admin:index"),
        users,
        state=Entry.State.CHANGES_REQUESTED,
        budget=10,
        shows=lambda issue: issue.title,
    )


def test_issue_change_page_rows_keep_their_own_section(client, users):
    issue = issue_with(6, users)
    second = issue.sections.get(position=2)
    as_user(client, users["editor"])
    html = client.get(reverse("admin:bulletin_issue_change", args=[issue.pk])).content.decode()
    # Every row offers both sections, and the three entries of the second have it chosen.
    assert html.count(f'<option value="{second.pk}" selected>') == 3
    assert html.count(f'<option value="{second.pk}">') == 3
    # Entries are added on their own page: no blank row to clone, no add/change links per row.
    assert 'id="entries-empty"' not in html
    assert 'id="entries-5"' in html
    assert "related-widget-wrapper" not in html.split('id="entries-group"')[1]
