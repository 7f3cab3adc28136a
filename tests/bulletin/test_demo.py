"""The demo bulletin has the seed's shape, is what its transfer documents hold, and loading it
twice changes nothing."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Count
from django.utils.dateparse import parse_datetime
from reversion.models import Version

from bulletin.demo.loader import demo_documents
from bulletin.models import Bulletin, Issue, Job, Publication, WorkflowEvent
from bulletin.transfer.document import issue_export
from bulletin.translation.models import Translation, TranslationEvent
from entries.models import Commentary, Entry, EntryLink, Jurisdiction, Section
from people.models import Author

pytestmark = pytest.mark.django_db
MODELS = [Bulletin, Issue, Section, Entry, EntryLink, Commentary, Author, Jurisdiction]
# What the loader writes besides the content: the review's events, the publication, the jobs
# they record, and the versions of the history.
RECORDS = [WorkflowEvent, Publication, Job, Version, Translation, TranslationEvent]


def snapshot():
    rows = {
        model.__name__: list(model.objects.order_by("pk").values()) for model in MODELS + RECORDS
    }
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
    assert before["Entry"] and before["WorkflowEvent"] and before["Version"]


def documents() -> list[dict]:
    return [json.loads(path.read_text(encoding="utf-8")) for path in demo_documents()]


def named_jurisdictions(document: dict) -> list[dict]:
    """The document's jurisdictions that its entries name, with their parents (what an export
    lists); the demo also carries a few that no entry names, for the admin's choices."""
    by_code = {j["code"]: j for j in document["jurisdictions"]}
    entries = [e for s in document["issue"]["sections"] for e in s["entries"]]
    codes = {code for entry in entries for code in entry["jurisdictions"]}
    codes |= {by_code[code]["parent"] for code in codes} - {None}
    return [j for j in document["jurisdictions"] if j["code"] in codes]


def instant(value: str | None):
    return parse_datetime(value) if value else None


def test_loaded_demo_is_what_its_documents_hold(demo):
    for document in documents():
        issue = Issue.objects.get(slug=document["issue"]["slug"])
        exported = issue_export(issue=issue)
        assert exported.pop("exported_at")
        source = exported.pop("source")
        translations = exported.pop("translations")
        published = document["source"]["state"] == "published"
        assert set(translations) == ({"en"} if published else set())
        if published:
            assert translations["en"]["issue"]["title"] == "August 2024"
        assert (source["state"], instant(source["published_at"])) == (
            document["source"]["state"],
            instant(document["source"]["published_at"]),
        )
        expected = {k: v for k, v in document.items() if k not in ("source", "exported_at")}
        expected["jurisdictions"] = named_jurisdictions(document)
        assert exported == expected
    codes = {j["code"] for document in documents() for j in document["jurisdictions"]}
    assert set(Jurisdiction.objects.values_list("code", flat=True)) == codes


def test_demo_documents_are_exports_of_a_published_issue_and_a_draft():
    states = [document["source"]["state"] for document in documents()]
    assert states == ["published", "draft"]
    assert all(document["format"] == "bulletin-cms.issue" for document in documents())


def test_reloading_the_demo_restores_an_edited_draft_entry(demo):
    entry = Entry.objects.filter(issue__state="draft", state="in_review").get()
    title = entry.title
    Entry.objects.filter(pk=entry.pk).update(title="改过的标题", state="draft")
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    entry.refresh_from_db()
    assert (entry.title, entry.state, entry.created_by.username) == (title, "in_review", "author")


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
