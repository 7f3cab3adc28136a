"""Writes that touch several rows of the publishing domain."""

from django.db import transaction

from bulletin.models import Issue
from entries.models import Section


@transaction.atomic
def issue_create_default_sections(*, issue: Issue) -> list[Section]:
    """Give a new issue its bulletin's default sections, unless it already has sections."""
    if issue.sections.exists():
        return []
    return Section.objects.bulk_create(
        Section(issue=issue, title=title, position=position)
        for position, title in enumerate(issue.bulletin.default_section_titles, start=1)
    )
