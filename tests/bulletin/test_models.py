import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from bulletin.models import Issue
from bulletin.services.issues import issue_create_default_sections
from tests.factories import BulletinFactory, IssueFactory, SectionFactory, published_issue

pytestmark = pytest.mark.django_db


def test_issue_number_is_unique_within_its_bulletin():
    issue = IssueFactory(number=8)
    duplicate = IssueFactory.build(bulletin=issue.bulletin, number=8, slug="other")
    with pytest.raises(ValidationError) as excinfo:
        duplicate.full_clean()
    assert "already has an issue with this number" in str(excinfo.value)


def test_issue_slug_is_unique_within_its_bulletin_only():
    issue = IssueFactory(slug="2024-08")
    other_bulletin = BulletinFactory(slug="data-monthly", name="数据合规月刊")
    IssueFactory(bulletin=other_bulletin, slug="2024-08").full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        IssueFactory(bulletin=issue.bulletin, slug="2024-08")


@pytest.mark.parametrize("month", [0, 13])
def test_month_outside_the_year_is_refused(month):
    issue = IssueFactory.build(bulletin=BulletinFactory(), month=month)
    with pytest.raises(ValidationError) as excinfo:
        issue.full_clean()
    assert "month" in excinfo.value.message_dict


def test_month_outside_the_year_is_refused_by_the_database():
    issue = IssueFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Issue.objects.filter(pk=issue.pk).update(month=13)


def test_published_issue_needs_its_publication_time():
    issue = IssueFactory.build(bulletin=BulletinFactory(), state=Issue.State.PUBLISHED)
    with pytest.raises(ValidationError) as excinfo:
        issue.full_clean()
    assert "published_at" in excinfo.value.message_dict


def test_only_published_issues_are_public():
    published = published_issue()
    IssueFactory()
    IssueFactory(state=Issue.State.APPROVED)
    assert list(Issue.objects.published()) == [published]


def test_a_new_issue_gets_its_bulletins_default_sections():
    issue = IssueFactory(bulletin=BulletinFactory(default_sections="法律动态\n\n 行业动态 \n"))
    issue_create_default_sections(issue=issue)
    assert list(issue.sections.values_list("position", "title")) == [
        (1, "法律动态"),
        (2, "行业动态"),
    ]


def test_default_sections_are_not_added_twice():
    issue = IssueFactory()
    SectionFactory(issue=issue, position=1, title="自定义")
    assert issue_create_default_sections(issue=issue) == []
    assert issue.sections.count() == 1


def test_two_sections_cannot_share_a_position():
    section = SectionFactory(position=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        SectionFactory(issue=section.issue, position=1)


def test_a_draft_issue_is_deleted_with_its_sections_and_entries():
    from entries.models import Entry, Section
    from tests.factories import EntryFactory

    issue = IssueFactory()
    EntryFactory(section=SectionFactory(issue=issue))
    issue.delete()
    assert not Section.objects.exists() and not Entry.objects.exists()


def test_a_section_with_entries_cannot_be_deleted_alone():
    from django.db.models import RestrictedError

    from tests.factories import EntryFactory

    entry = EntryFactory()
    with pytest.raises(RestrictedError):
        entry.section.delete()
