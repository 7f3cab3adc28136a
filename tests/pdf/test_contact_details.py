"""The PDF's team and profiles show the contact details each author chose for the PDF."""

import pytest

from bulletin.pdf.document import document_pdf
from bulletin.snapshot import hydrate, issue_snapshot_live
from tests.factories import AuthorFactory, EntryFactory, IssueFactory, SectionFactory
from tests.pdf.conftest import page_texts, read_pdf, squeeze

pytestmark = pytest.mark.django_db
MOBILE = "+86 139 0000 1234"


def pdf_text(**author_choice) -> tuple[str, str]:
    author = AuthorFactory(name="王律师", mobile=MOBILE, **author_choice)
    issue = IssueFactory()
    issue.bulletin.team.add(author)
    EntryFactory(section=SectionFactory(issue=issue))
    pdf = document_pdf(hydrate(issue_snapshot_live(issue.pk)))
    return squeeze("".join(page_texts(read_pdf(pdf.data)))), author.email


def test_a_mobile_shown_in_the_pdf_is_in_its_text():
    text, email = pdf_text(show_mobile_pdf=True, show_mobile_web=False)
    assert squeeze(MOBILE) in text
    assert email in text


def test_a_mobile_hidden_from_the_pdf_is_not_in_its_text():
    text, email = pdf_text(show_mobile_pdf=False, show_mobile_web=True)
    assert squeeze(MOBILE) not in text
    assert "王律师" in text and email in text
