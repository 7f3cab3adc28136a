"""A staff account without a role reads nothing unpublished: every staff-only address, the admin's
own and our previews, is walked from the URL configuration, so a new one is covered too."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.factories import (
    CommentaryFactory,
    EntryFactory,
    IssueFactory,
    SectionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

MARKER = "DRAFT-STAFF-ONLY-2b7e"
# Pages a signed-in staff member may always open (they show nothing of the content).
OPEN = {
    "admin:index",
    "admin:logout",
    "admin:password_change",
    "admin:password_change_done",
    "my_notifications",
}
SKIPPED = {"admin:login", "admin:jsi18n", "admin:view_on_site", "admin:autocomplete"}


def _patterns(resolver: URLResolver, prefix: str = "", namespace: str = ""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _patterns(
                pattern, prefix + str(pattern.pattern), pattern.namespace or namespace
            )
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), f"{namespace}:{pattern.name}".lstrip(":")


def _staff_only_paths(issue, entry) -> list[tuple[str, str]]:
    """Every admin and preview address, with the draft's ids filled in."""
    values = {
        "issue_id": issue.pk,
        "id": 1,
        "pk": issue.pk,
        "version_id": 1,
        "action": "submit",
        "app_label": "bulletin",
        "content_type_id": 1,
    }
    paths = []
    for route, name in _patterns(get_resolver()):
        if not route.startswith(("admin/", "preview/", "pdf/preview/")) or name in SKIPPED:
            continue
        if route.endswith("(?P<url>.*)$"):
            continue
        object_id = entry.pk if "/entries/entry/" in route else issue.pk
        path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(values.get(m[1], 1)), route)
        path = re.sub(r"<(?:\w+:)?object_id>", str(object_id), path)
        path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values.get(m[1], 1)), path)
        paths.append(("/" + path.lstrip("^").rstrip("$"), name))
    return paths


@pytest.fixture
def draft():
    issue = IssueFactory(title=f"{MARKER} issue")
    entry = EntryFactory(section=SectionFactory(issue=issue), title=f"{MARKER} entry")
    CommentaryFactory(entry=entry, body=f"<p>{MARKER} commentary</p>")
    return issue, entry


def test_a_staff_account_without_a_role_reads_no_draft_anywhere(client, draft):
    client.force_login(UserFactory(username="staff-no-role"))
    paths = _staff_only_paths(*draft)
    assert len(paths) > 40
    for path, name in paths:
        response = client.get(path)
        body = response.content.decode(errors="replace")
        assert MARKER not in body, (path, name, response.status_code)
        if name not in OPEN:
            assert response.status_code in (302, 403, 404, 405), (path, response.status_code)


@pytest.mark.parametrize("path", ["/preview/issue/{}/", "/admin/mailing/send/preview/{}/"])
def test_previews_show_the_draft_to_a_role_that_reads_issues(client, draft, path):
    issue, _entry = draft
    client.force_login(UserFactory(username="reviewer", roles=["Reviewer"]))
    response = client.get(path.format(issue.pk))
    assert response.status_code == 200
    assert f"{MARKER} entry" in response.content.decode()


@pytest.mark.parametrize("path", ["/preview/issue/{}/", "/pdf/preview/{}/"])
def test_previews_are_not_found_for_a_staff_account_without_a_role(client, draft, path):
    issue, _entry = draft
    client.force_login(UserFactory(username="staff-no-role"))
    assert client.get(path.format(issue.pk)).status_code == 404
