import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from core.fields import HttpURLFormField
from entries.models import Entry, EntryLink, Jurisdiction
from tests.factories import (
    EntryFactory,
    EntryLinkFactory,
    IssueFactory,
    JurisdictionFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db


def test_case_without_caption_is_refused_with_a_message():
    entry = EntryFactory.build(section=SectionFactory(), kind=Entry.Kind.CASE, case_caption="")
    entry.issue = entry.section.issue
    with pytest.raises(ValidationError) as excinfo:
        entry.full_clean()
    assert "case_caption" in excinfo.value.message_dict


def test_case_without_caption_is_refused_by_the_database():
    entry = EntryFactory(kind=Entry.Kind.CASE, case_caption="Doe v. Roe")
    with pytest.raises(IntegrityError), transaction.atomic():
        Entry.objects.filter(pk=entry.pk).update(case_caption="")


def test_case_with_caption_docket_and_court_is_valid():
    entry = EntryFactory(case=True)
    entry.full_clean()
    assert entry.is_case


def test_two_entries_cannot_share_a_position_in_a_section():
    first = EntryFactory(position=3)
    duplicate = EntryFactory.build(section=first.section, issue=first.issue, position=3)
    with pytest.raises(ValidationError) as excinfo:
        duplicate.full_clean()
    assert "Another entry of this section has this position." in str(excinfo.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_same_position_in_another_section_is_fine():
    first = EntryFactory(position=1)
    other = EntryFactory(section=SectionFactory(issue=first.issue), position=1)
    other.full_clean()


def test_entry_takes_its_issue_from_its_section():
    section = SectionFactory()
    entry = EntryFactory(section=section, issue=IssueFactory())
    entry.refresh_from_db()
    assert entry.issue_id == section.issue_id


def test_section_of_another_issue_is_refused():
    entry = EntryFactory.build(section=SectionFactory(), issue=IssueFactory())
    with pytest.raises(ValidationError) as excinfo:
        entry.full_clean()
    assert "section" in excinfo.value.message_dict


def test_overlong_title_is_refused():
    entry = EntryFactory()
    entry.title = "长" * 100_000
    with pytest.raises(ValidationError) as excinfo:
        entry.full_clean()
    assert "title" in excinfo.value.message_dict


def test_position_zero_is_refused():
    entry = EntryFactory()
    entry.position = 0
    with pytest.raises(ValidationError):
        entry.full_clean()


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "ftp://example.org/file",
        "//example.org/no-scheme",
        "https://",
        "not a url",
    ],
)
def test_link_refuses_anything_but_http_and_https(url):
    link = EntryLinkFactory.build(entry=EntryFactory(), url=url)
    with pytest.raises(ValidationError) as excinfo:
        link.full_clean()
    assert "url" in excinfo.value.message_dict


def test_link_accepts_a_url_of_two_thousand_five_hundred_characters():
    url = "https://court.example.gov/docket?" + "&".join(f"p{i}=v{i}" for i in range(400))
    assert len(url) > 2500
    link = EntryLinkFactory(url=url)
    link.full_clean()
    link.refresh_from_db()
    assert link.url == url


def test_pasted_url_broken_across_lines_is_joined_back():
    field = HttpURLFormField()
    broken = "https://legislature.example.gov/faces/billText.xhtml?bill_id=2023\n2024 0AB2013 "
    assert (
        field.clean(broken)
        == "https://legislature.example.gov/faces/billText.xhtml?bill_id=202320240AB2013"
    )


def test_other_link_needs_a_label():
    link = EntryLinkFactory.build(entry=EntryFactory(), kind=EntryLink.Kind.OTHER, label="")
    with pytest.raises(ValidationError) as excinfo:
        link.full_clean()
    assert "label" in excinfo.value.message_dict


def test_link_heading_is_its_label_or_its_kind():
    assert EntryLinkFactory(kind=EntryLink.Kind.OTHER, label="项目主页").heading == "项目主页"
    assert str(EntryLinkFactory(kind=EntryLink.Kind.REFERENCE).heading) == "Reference link"


def test_subdivision_needs_its_country():
    subdivision = Jurisdiction(code="us-ca", name="加州", kind=Jurisdiction.Kind.SUBDIVISION)
    with pytest.raises(ValidationError) as excinfo:
        subdivision.full_clean()
    assert "parent" in excinfo.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        subdivision.save()


def test_subdivision_with_its_country_is_valid():
    country = JurisdictionFactory(code="us", name="美国")
    state = Jurisdiction(
        code="us-ca", name="加州", kind=Jurisdiction.Kind.SUBDIVISION, parent=country
    )
    state.full_clean()
    state.save()
    assert list(country.children.all()) == [state]


def test_supranational_body_stands_alone():
    Jurisdiction(code="eu", name="欧盟", kind=Jurisdiction.Kind.SUPRANATIONAL).full_clean()


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", " https://example.org", "data:text/html,<b>", "//evil.example"]
)
def test_the_database_refuses_a_link_that_is_not_http(url):
    entry = EntryFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        EntryLink.objects.create(entry=entry, url=url)
    EntryLink.objects.create(entry=entry, url="HTTPS://Example.org/Case.pdf")
    assert list(entry.links.values_list("url", flat=True)) == ["HTTPS://Example.org/Case.pdf"]
