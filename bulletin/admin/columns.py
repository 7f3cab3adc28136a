"""What the issue and entry admins show in their lists and drop-downs, in words a lawyer reads at a
glance: issue titles rather than database names, sections as the bulletin numbers them."""

from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from bulletin.pdf.document import section_number
from entries.models import Entry, Section


def _state_count_name(state: str) -> str:
    return f"entries_{state}"


class IssueChangeList(ChangeList):
    def get_queryset(self, request, exclude_parameters=None):
        counts = {
            _state_count_name(state): Count("entries", filter=Q(entries__state=state))
            for state in Entry.State.values
        }
        return super().get_queryset(request, exclude_parameters).annotate(**counts)


class IssueEntryStatesMixin:
    """For IssueAdmin: the list counts each issue's entries by state (in one query)."""

    def get_changelist(self, request, **kwargs):
        return IssueChangeList

    @admin.display(description=_("entries"))
    def entry_states(self, issue):
        """How many entries are in each state, linked to the issue's review page."""
        counts = [(state, getattr(issue, _state_count_name(state), 0)) for state in Entry.State]
        shown = [(state.value, state.label, count) for state, count in counts if count]
        if not shown:
            return "—"
        spans = format_html_join(
            " ", '<span class="entry-count entry-count--{}">{} {}</span>', shown
        )
        url = reverse("admin:bulletin_issue_review", args=[issue.pk])
        return format_html('<a href="{}">{}</a>', url, spans)


@admin.display(description=_("published or scheduled for"), ordering="published_at")
def issue_publication_time(issue):
    """When it was published, or is to be: one column for both, the state tells which."""
    return issue.published_at or issue.scheduled_at


@admin.display(description=_("issue"), ordering="issue")
def entry_issue(entry) -> str:
    """The issue's own title: its bulletin is in the filters, and would double the column."""
    return entry.issue.title


def section_label(section: Section, *, with_bulletin: bool = False) -> str:
    """A section to choose in a list, numbered as its bulletin prints it:
    "2024 年 8 月刊 · 一、最新法律与监管动态"."""
    issue = section.issue
    number = section_number(section.position, issue.bulletin.language)
    issue_name = f"{issue.bulletin.name} · {issue.title}" if with_bulletin else issue.title
    return f"{issue_name} · {number}{section.title}"


def section_labeller(sections):
    """label_from_instance for a choice of these sections: with the bulletin's name when they
    belong to several bulletins."""
    several = sections.values("issue__bulletin").distinct().count() > 1
    return lambda section: section_label(section, with_bulletin=several)
