"""The partners' page: every PDF the user may download, newest first, searchable by title."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from bulletin.pdf.models import Rendering
from tests.factories import EntryFactory, IssueFactory, SectionFactory, UserFactory, publish

pytestmark = pytest.mark.django_db
LIST = reverse("pdf:list")


@pytest.fixture
def render(django_capture_on_commit_callbacks):
    def render(title, days_ago, **kwargs):
        issue = IssueFactory(title=title, **kwargs)
        EntryFactory(section=SectionFactory(issue=issue))
        with django_capture_on_commit_callbacks(execute=True):
            publish(issue, now=timezone.now() - datetime.timedelta(days=days_ago))
        assert Rendering.objects.get(issue=issue).status == Rendering.Status.DONE
        return issue

    return render


@pytest.fixture
def three(render):
    return [
        render("七月刊 OPEN-OLD", 60),
        render("八月刊 PARTNERS-ONLY", 30, partners_only=True),
        render("九月刊 OPEN-NEW", 1),
    ]


def titles(response) -> list[str]:
    return [r.title for r in response.context["page"]]


def test_a_partner_sees_every_pdf_newest_first(client, three):
    client.force_login(UserFactory(roles=["Partner"]))
    assert titles(client.get(LIST)) == [
        "九月刊 OPEN-NEW",
        "八月刊 PARTNERS-ONLY",
        "七月刊 OPEN-OLD",
    ]


def test_other_users_see_only_open_pdfs(client, three):
    client.force_login(UserFactory(roles=["Editor"]))
    assert titles(client.get(LIST)) == ["九月刊 OPEN-NEW", "七月刊 OPEN-OLD"]


def test_search_by_title(client, three):
    client.force_login(UserFactory(roles=["Partner"]))
    assert titles(client.get(LIST, {"q": "八月"})) == ["八月刊 PARTNERS-ONLY"]


def test_links_on_the_page_download_the_pdfs(client, three):
    client.force_login(UserFactory(roles=["Partner"]))
    response = client.get(LIST)
    for rendering in response.context["page"]:
        assert rendering.url in response.content.decode()
        assert client.get(rendering.url).status_code == 200


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(LIST)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_titles_come_from_the_publication(client, three):
    published_title = three[0].title
    three[0].__class__.objects.filter(pk=three[0].pk).update(title="UNPUBLISHED-TITLE-77")
    client.force_login(UserFactory(roles=["Partner"]))
    html = client.get(LIST).content.decode()
    assert published_title in html
    assert "UNPUBLISHED-TITLE-77" not in html


def test_page_queries_do_not_grow_with_pdfs(client, render, django_assert_max_num_queries):
    client.force_login(UserFactory(roles=["Partner"]))
    render("一", 3)
    with django_assert_max_num_queries(12) as few:
        client.get(LIST)
    for number in range(4):
        render(f"第 {number} 期", 10 + number)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(LIST).status_code == 200
