"""An issue's content is listed once (bulletin.content): every field of every list reaches the
snapshot, the transfer document, the version history and the PDF's data, and the previews show
the very snapshot the publication freezes."""

import datetime
import json
from unittest import mock

import pytest
import reversion
from django.db import models
from django.urls import reverse
from reversion.models import Version

from bulletin import content, history
from bulletin.models import Bulletin, Correction, Issue
from bulletin.pdf.document import document_context
from bulletin.pdf.engine import RenderedPdf
from bulletin.snapshot import hydrate, issue_snapshot_live
from bulletin.transfer.document import issue_export, validate_document
from bulletin.transfer.services import issue_import_document
from core.fields import RichTextField
from entries.models import Commentary, Entry, EntryLink, Jurisdiction, Section
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

LISTS = {
    Bulletin: content.BULLETIN_FIELDS,
    Author: content.AUTHOR_FIELDS,
    Issue: content.ISSUE_FIELDS,
    Section: content.SECTION_FIELDS,
    Entry: content.ENTRY_FIELDS,
    EntryLink: content.LINK_FIELDS,
    Commentary: content.COMMENTARY_FIELDS,
    Jurisdiction: content.JURISDICTION_FIELDS,
    Correction: content.CORRECTION_FIELDS,
}
# Numbers no factory gives, each field its own; month and year must make a date.
NUMBERS = {"year": 2031, "month": 11}
FIRST_NUMBER = 21


def marker(model, name: str, numbers) -> tuple:
    """A value for the field that no default has, and the text any output of it contains."""
    field = model._meta.get_field(name)
    tag = f"{model.__name__}-{name}".lower().replace("_", "-")
    if field.choices:
        value = field.choices[-1][0]  # the last choice: none of the defaults
        return value, value
    if isinstance(field, models.DateTimeField):
        return datetime.datetime(2031, 11, 23, 9, 30, tzinfo=datetime.UTC), "2031-11-23"
    if isinstance(field, models.DateField):
        return datetime.date(2031, 11, 23), "2031-11-23"
    if isinstance(field, models.IntegerField):
        number = NUMBERS.get(name) or next(numbers)
        return number, str(number)
    if isinstance(field, models.EmailField):
        return f"{tag}@example.org", tag
    if name == "url":
        return f"https://example.org/{tag}", tag
    if isinstance(field, RichTextField):
        return f"<p>{tag}</p>", tag
    return tag, tag


@pytest.fixture
def marked():
    """Every field of every list filled with its own marker: {model: {name: (value, text)}}."""
    numbers = iter(range(FIRST_NUMBER, 1000))
    return {
        model: {name: marker(model, name, numbers) for name in names}
        for model, names in LISTS.items()
    }


def values(marked, model) -> dict:
    return {name: value for name, (value, _) in marked[model].items()}


@pytest.fixture
def issue(marked):
    """An issue whose every content field holds a marker, saved as a version of the history."""
    author = AuthorFactory(**values(marked, Author))
    bulletin = BulletinFactory(**values(marked, Bulletin))
    bulletin.team.set([author])
    issue = IssueFactory(bulletin=bulletin, **values(marked, Issue))
    issue.writers.set([author])
    place = JurisdictionFactory(**values(marked, Jurisdiction))
    entry = EntryFactory(section=SectionFactory(issue=issue, **values(marked, Section)))
    for name, value in values(marked, Entry).items():
        setattr(entry, name, value)
    entry.jurisdictions.set([place])
    entry.tags.set(["entry-tag"])
    EntryLinkFactory(entry=entry, **values(marked, EntryLink))
    CommentaryFactory(entry=entry, authors=[author], **values(marked, Commentary))
    Correction.objects.create(issue=issue, **values(marked, Correction))
    with reversion.create_revision():
        entry.save()
        issue.save()
    return issue


def assert_carries(data: dict, marked, model, *, leave_out=()) -> None:
    """Each field of the model's list is in data under its name, with its marker."""
    for name, (_, text) in marked[model].items():
        if name not in leave_out:
            assert text in str(data[name]), f"{model.__name__}.{name} is missing"


def assert_issue_carries(data, marked, *, authors, jurisdiction, corrections=True) -> None:
    """An issue's data (snapshot, document, PDF data) carries every marker of its content."""
    section = data["sections"][0]
    entry = section["entries"][0]
    assert_carries(data, marked, Issue)
    assert_carries(data["bulletin"], marked, Bulletin)
    assert_carries(authors, marked, Author)
    assert_carries(section, marked, Section)
    assert_carries(entry, marked, Entry)
    assert_carries(entry["links"][0], marked, EntryLink)
    assert_carries(entry["commentary"], marked, Commentary)
    assert_carries(jurisdiction, marked, Jurisdiction)
    if corrections:
        assert_carries(data["corrections"][0], marked, Correction)


def test_every_content_field_is_a_plain_field_of_its_model():
    for model, names in LISTS.items():
        for name in names:
            field = model._meta.get_field(name)
            assert field.concrete and not field.is_relation and field.attname == name


def test_the_snapshot_carries_every_content_field(issue, marked):
    snapshot = issue_snapshot_live(issue.pk)
    entry = snapshot["sections"][0]["entries"][0]
    author = snapshot["bulletin"]["team"][0]
    assert snapshot["writers"] == [author]
    assert_issue_carries(snapshot, marked, authors=author, jurisdiction=entry["jurisdictions"][0])


def test_the_transfer_document_carries_every_content_field(issue, marked):
    """Exported, then read back as an import reads it."""
    exported = issue_export(issue=issue)
    for document in (exported, validate_document(json.loads(json.dumps(exported)))):
        (author,) = document["authors"]
        assert document["issue"]["writers"] == document["bulletin"]["team"] == [author["key"]]
        assert_issue_carries(
            document["issue"] | {"bulletin": document["bulletin"]},
            marked,
            authors=author,
            jurisdiction=document["jurisdictions"][0],
            corrections=False,  # a publication's corrections are not carried (docs/transfer.md)
        )


def shown(version: Version) -> dict:
    """The history's rows of one saved version: {label: text}."""
    return {row["field"]: row["new"] for row in history.compare(version, version)}


def by_name(rows: dict, model, marked) -> dict:
    labels = {str(model._meta.get_field(name).verbose_name): name for name in marked[model]}
    return {labels[label]: text for label, text in rows.items() if label in labels}


def test_the_version_history_carries_every_versioned_content_field(issue, marked):
    (entry_version,) = Version.objects.get_for_object(issue.entries.get())
    (issue_version,) = Version.objects.get_for_object(issue)
    entry_rows = shown(entry_version)
    assert_carries(by_name(shown(issue_version), Issue, marked), marked, Issue)
    assert_carries(by_name(entry_rows, Entry, marked), marked, Entry)
    # The commentary is one row; the links are one line each (kind, label, address), in the
    # order of their positions.
    assert_carries(dict.fromkeys(marked[Commentary], entry_rows["commentary"]), marked, Commentary)
    links = dict.fromkeys(marked[EntryLink], entry_rows["links"])
    assert_carries(links, marked, EntryLink, leave_out=["position"])


def test_the_pdf_data_carries_every_content_field(issue, marked):
    data = document_context(hydrate(issue_snapshot_live(issue.pk)))
    entry = data["sections"][0]["entries"][0]
    assert_issue_carries(
        data["issue"] | {"sections": data["sections"]},
        marked,
        authors=data["profiles"][0],
        jurisdiction=entry["jurisdictions"][0],
    )


def test_every_preview_shows_the_snapshot_the_publication_froze(client, admin_client, issue):
    """The web, PDF and email previews of a published issue, its date included."""
    publish(issue)
    frozen = issue.current_publication().content
    assert frozen["published_at"] and frozen["sections"][0]["entries"]
    client.force_login(UserFactory(roles=["Editor"]))
    web = client.get(reverse("issue_preview", args=[issue.pk])).context["issue"]
    with mock.patch("bulletin.pdf.views.document_pdf", return_value=RenderedPdf(b"%PDF", 1)) as pdf:
        client.get(reverse("pdf:preview", args=[issue.pk]))
    with mock.patch(
        "bulletin.mailing.services.preview.email_render",
        return_value={"html": "", "greeting_anonymous": ""},
    ) as email:
        admin_client.get(f"/admin/mailing/send/preview/{issue.pk}/")
    assert web == pdf.call_args.args[0] == hydrate(frozen)
    assert email.call_args.args[0] == frozen


def test_an_imported_document_writes_every_content_field(issue, marked):
    """Exported, the issue deleted, then imported again: the new issue carries every marker, so
    the import writes each field of the lists (its bulletin, authors and places are matched)."""
    document = json.loads(json.dumps(issue_export(issue=issue)))
    Issue.objects.filter(pk=issue.pk).delete()
    result = issue_import_document(data=document)
    assert result.issue is not None and result.issue.pk != issue.pk
    copy = issue_snapshot_live(result.issue.pk)
    entry = copy["sections"][0]["entries"][0]
    assert_issue_carries(
        copy,
        marked,
        authors=copy["bulletin"]["team"][0],
        jurisdiction=entry["jurisdictions"][0],
        corrections=False,
    )
