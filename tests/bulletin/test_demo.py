"""The demo bulletin has the seed's shape, and loading it twice changes nothing."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Count

from bulletin.models import Bulletin, Issue
from entries.models import Commentary, Entry, EntryLink, Jurisdiction, Section
from people.models import Author

pytestmark = pytest.mark.django_db
MODELS = [Bulletin, Issue, Section, Entry, EntryLink, Commentary, Author, Jurisdiction]


def snapshot():
    rows = {model.__name__: list(model.objects.order_by("pk").values()) for model in MODELS}
    rows["tags"] = sorted((e.pk, tuple(sorted(e.tags.names()))) for e in Entry.objects.all())
    rows["users"] = list(
        get_user_model().objects.order_by("pk").values("pk", "username", "password")
    )
    return rows


@pytest.fixture
def demo():
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_loading_the_demo_twice_changes_nothing(demo):
    before = snapshot()
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert snapshot() == before


def test_demo_prints_a_login_per_role(capsys):
    call_command("load_demo")
    out = capsys.readouterr().out
    for role in ["author", "editor", "reviewer", "publisher", "partner", "admin"]:
        assert f" {role} / " in out
    assert "http://127.0.0.1:8000/admin/" in out


def test_demo_users_hold_their_roles(demo):
    for name in ["author", "editor", "reviewer", "publisher", "partner"]:
        user = get_user_model().objects.get(username=name)
        assert [g.name.lower() for g in user.groups.all()] == [name]


def test_demo_has_the_shape_of_a_real_issue(demo):
    issue = Issue.objects.published().get()
    entries = issue.entries.all()
    assert issue.sections.count() >= 2
    assert entries.count() >= 12
    assert set(entries.values_list("kind", flat=True)) == set(Entry.Kind.values)
    link_kinds = set(EntryLink.objects.filter(entry__issue=issue).values_list("kind", flat=True))
    assert link_kinds == set(EntryLink.Kind.values)
    cases = entries.filter(kind="case").exclude(docket_number="").exclude(court="")
    assert cases.count() >= 2
    commentators = Author.objects.filter(commentaries__entry__issue=issue).distinct()
    assert commentators.count() >= 2
    assert Author.objects.count() >= 3
    assert issue.writers.exists() and issue.bulletin.team.exists()


def test_every_demo_row_passes_validation(demo):
    for model in MODELS:
        for obj in model.objects.all():
            obj.full_clean()


def test_demo_has_a_draft_that_the_public_does_not_see(demo, client):
    draft = Issue.objects.exclude(state="published").annotate(n=Count("entries")).get()
    assert draft.n > 0
    home = client.get("/").content.decode()
    assert draft.title not in home
    assert client.get(draft.get_absolute_url()).status_code == 404
