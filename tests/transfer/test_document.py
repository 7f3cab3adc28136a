"""The JSON document of an issue: export, import, round trip, and refusals that write nothing."""

import copy
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from reversion.models import Revision

from bulletin.models import Bulletin, Issue
from bulletin.transfer.document import VERSION, issue_export
from bulletin.transfer.services import ImportFailed, issue_import_document
from entries.models import Entry, Jurisdiction
from people.models import Author
from tests.factories import (
    AuthorFactory,
    BulletinFactory,
    CommentaryFactory,
    EntryFactory,
    EntryLinkFactory,
    IssueFactory,
    JurisdictionFactory,
    SectionFactory,
    UserFactory,
    publish,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return UserFactory(username="editor", roles=["Editor"])


def full_issue() -> Issue:
    """An issue with every part the document carries."""
    lin, zhou = (
        AuthorFactory(name="林青山"),
        AuthorFactory(
            name="周映雪", phone="010-5550 0102", show_phone_web=False, show_mobile_pdf=False
        ),
    )
    bulletin = BulletinFactory(team_name="人工智能委员会")
    bulletin.team.set([lin, zhou])
    issue = IssueFactory(bulletin=bulletin, volume="2024 年第 8 期", editors_note="<p>编者按。</p>")
    issue.writers.set([lin])
    laws, industry = (
        SectionFactory(issue=issue, position=1),
        SectionFactory(issue=issue, position=2),
    )
    us = JurisdictionFactory(code="us", name="美国")
    california = JurisdictionFactory(code="us-ca", name="加州", kind="subdivision", parent=us)
    case = EntryFactory(section=laws, position=1, case=True, summary="<ol><li><p>一</p></li></ol>")
    case.jurisdictions.set([california])
    case.tags.set(["版权", "训练数据"])
    EntryLinkFactory(entry=case, position=1, url="https://example.org/news")
    EntryLinkFactory(
        entry=case, position=2, kind="other", label="项目主页", url="https://example.org/"
    )
    CommentaryFactory(entry=case, body="<p>短评。</p>", authors=[lin, zhou])
    EntryFactory(section=laws, position=2, published_on=None)
    EntryFactory(section=industry, position=1, kind="industry")
    return issue


def comparable(document: dict) -> dict:
    """A document without what differs between two exports of equal issues."""
    document = copy.deepcopy(document)
    for key in ("exported_at", "source"):
        document.pop(key)
    for key in ("slug", "number"):
        document["issue"].pop(key)
    return document


def test_export_holds_every_part_of_the_issue():
    document = issue_export(issue=full_issue())
    entry = document["issue"]["sections"][0]["entries"][0]
    assert (entry["tags"], entry["jurisdictions"], entry["case_caption"]) == (
        ["版权", "训练数据"],
        ["us-ca"],
        "Doe v. Example AI, Inc.",
    )
    assert [j["code"] for j in document["jurisdictions"]] == ["us", "us-ca"]
    assert len(entry["commentary"]["authors"]) == 2
    assert {a["key"] for a in document["authors"]} == set(document["bulletin"]["team"])


def test_export_names_its_format_and_version():
    document = issue_export(issue=full_issue())
    assert (document["format"], document["version"]) == ("bulletin-cms.issue", VERSION)


def test_import_of_an_export_gives_an_identical_issue(editor):
    exported = issue_export(issue=full_issue())
    imported = issue_import_document(data=exported, user=editor, slug="copy").issue
    assert comparable(issue_export(issue=imported)) == comparable(exported)


def test_import_on_another_site_creates_the_bulletin_authors_and_jurisdictions():
    issue = full_issue()
    exported = issue_export(issue=issue)
    Entry.objects.all().delete()  # entries protect their sections: they go first
    Issue.objects.all().delete()
    Bulletin.objects.all().delete()
    Author.objects.all().delete()
    Jurisdiction.objects.filter(parent__isnull=False).delete()
    Jurisdiction.objects.all().delete()
    imported = issue_import_document(data=exported).issue
    assert comparable(issue_export(issue=imported)) == comparable(exported)
    assert (Author.objects.count(), Jurisdiction.objects.count()) == (2, 2)
    zhou = Author.objects.get(name="周映雪")
    assert (zhou.show_phone_web, zhou.show_mobile_pdf, zhou.show_email_web) == (False, False, True)


def test_imported_issue_is_a_draft_of_the_importer_with_draft_entries(editor):
    exported = issue_export(issue=publish(full_issue()))
    imported = issue_import_document(data=exported, user=editor, slug="copy").issue
    states = set(imported.entries.values_list("state", flat=True))
    assert (imported.state, imported.published_at, imported.created_by, states) == (
        "draft",
        None,
        editor,
        {"draft"},
    )


def test_existing_author_is_matched_by_email_not_duplicated(editor):
    exported = issue_export(issue=full_issue())
    Author.objects.filter(name="林青山").update(name="林律师", slug="lin")
    issue_import_document(data=exported, user=editor, slug="copy")
    assert Author.objects.count() == 2


def test_existing_slug_is_refused_without_replace(editor):
    exported = issue_export(issue=full_issue())
    with pytest.raises(ImportFailed, match="already has an issue with the slug"):
        issue_import_document(data=exported, user=editor)
    assert Issue.objects.count() == 1


def test_replace_updates_the_draft_in_place(editor):
    issue = full_issue()
    exported = issue_export(issue=issue)
    exported["issue"]["sections"][0]["entries"][1]["title"] = "改过的标题"
    result = issue_import_document(data=exported, user=editor, replace=True)
    assert (result.issue.pk, Entry.objects.filter(title="改过的标题").count()) == (issue.pk, 1)
    assert result.report.rows["entry"] == {"updated": 1, "unchanged": 2}


def test_importing_the_same_document_again_writes_nothing(editor):
    issue = full_issue()
    exported = issue_export(issue=issue)
    issue_import_document(data=exported, user=editor, replace=True)
    revisions = Revision.objects.count()
    result = issue_import_document(data=exported, user=editor, replace=True)
    assert result.report.rows["entry"] == {"unchanged": 3}
    assert Revision.objects.count() == revisions  # no version of an unchanged entry either
    assert comparable(issue_export(issue=issue)) == comparable(exported)


def test_replace_is_refused_for_a_published_issue(editor):
    exported = issue_export(issue=publish(full_issue()))
    exported["issue"]["title"] = "改过的标题"
    with pytest.raises(ImportFailed, match="may only update a draft"):
        issue_import_document(data=exported, user=editor, replace=True)
    assert not Issue.objects.filter(title="改过的标题").exists()


def test_number_taken_by_another_issue_gives_the_next(editor):
    issue = full_issue()
    exported = issue_export(issue=issue)
    result = issue_import_document(data=exported, user=editor, slug="copy")
    assert result.issue.number == issue.number + 1
    assert "is taken" in result.report.notes[-1][1]


def test_a_newer_version_is_refused_and_says_so(editor):
    exported = issue_export(issue=full_issue()) | {"version": VERSION + 1}
    with pytest.raises(ImportFailed, match=f"version {VERSION + 1} of the format"):
        issue_import_document(data=exported, user=editor, slug="copy")


def test_a_file_that_is_not_an_export_is_refused(editor):
    with pytest.raises(ImportFailed, match="not an exported issue"):
        issue_import_document(data={"sections": []}, user=editor)


def test_wrong_fields_are_reported_with_their_path(editor):
    exported = issue_export(issue=full_issue())
    exported["issue"]["sections"][0]["entries"][0]["title"] = 7
    del exported["issue"]["year"]
    with pytest.raises(ImportFailed) as failure:
        issue_import_document(data=exported, user=editor, slug="copy")
    assert [message for _where, message in failure.value.report.errors] == [
        "issue.year: missing",
        "issue.sections[0].entries[0].title: expected str",
    ]


def test_a_javascript_link_is_refused_and_nothing_is_written(editor):
    exported = issue_export(issue=full_issue())
    exported["issue"]["sections"][0]["entries"][0]["links"][0]["url"] = "javascript:alert(1)"
    with pytest.raises(ImportFailed) as failure:
        issue_import_document(data=exported, user=editor, slug="copy")
    assert failure.value.report.errors[0][0] == "issue.sections[0].entries[0].links[0]"
    assert Issue.objects.count() == 1


def test_an_author_missing_from_the_authors_is_an_error(editor):
    exported = issue_export(issue=full_issue())
    exported["issue"]["writers"] = ["nobody"]
    with pytest.raises(ImportFailed, match="“nobody” is not in “authors”"):
        issue_import_document(data=exported, user=editor, slug="copy")


def test_an_editor_may_not_create_a_missing_bulletin(editor):
    exported = issue_export(issue=full_issue())
    exported["bulletin"]["slug"] = "elsewhere"
    with pytest.raises(ImportFailed, match="may not create one"):
        issue_import_document(data=exported, user=editor)
    assert not Bulletin.objects.filter(slug="elsewhere").exists()


def test_import_into_a_chosen_bulletin(editor):
    exported = issue_export(issue=full_issue())
    other = BulletinFactory(slug="other", name="另一份月刊")
    assert issue_import_document(data=exported, user=editor, bulletin=other).issue.bulletin == other


def test_dry_run_writes_nothing(editor):
    exported = issue_export(issue=full_issue())
    result = issue_import_document(data=exported, user=editor, slug="copy", dry_run=True)
    assert (result.issue, Issue.objects.count()) == (None, 1)


def _issue_with_entries(count: int) -> Issue:
    issue = IssueFactory()
    section = SectionFactory(issue=issue)
    for _ in range(count):
        entry = EntryFactory(section=section)
        EntryLinkFactory(entry=entry)
        CommentaryFactory(entry=entry)
        entry.tags.set(["标签"])
    return issue


def test_export_query_count_does_not_grow_with_entries(django_assert_max_num_queries):
    small, large = _issue_with_entries(1), _issue_with_entries(12)
    # 15: the export asks once which languages the issue is translated into.
    with django_assert_max_num_queries(15) as small_queries:
        issue_export(issue=small)
    with django_assert_max_num_queries(len(small_queries)):
        issue_export(issue=large)


def test_commands_export_and_import_a_file(tmp_path):
    issue = full_issue()
    path = tmp_path / "issue.json"
    call_command(
        "export_issue", issue.bulletin.slug, issue.slug, "-o", str(path), stderr=io.StringIO()
    )
    call_command("import_issue", str(path), "--slug", "restored", stdout=io.StringIO())
    restored = Issue.objects.get(slug="restored")
    assert comparable(issue_export(issue=restored)) == comparable(json.loads(path.read_text()))


def test_command_exports_every_issue_into_a_folder(tmp_path):
    issue = full_issue()
    IssueFactory(bulletin=issue.bulletin, slug="second")
    call_command(
        "export_issue", issue.bulletin.slug, "--all", "-o", str(tmp_path), stderr=io.StringIO()
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        f"{issue.bulletin.slug}-{issue.slug}.json",
        f"{issue.bulletin.slug}-second.json",
    ]


def test_import_command_reports_a_file_that_is_not_json(tmp_path):
    path = tmp_path / "issue.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError, match="not valid JSON"):
        call_command("import_issue", str(path))
