"""Reads for the issue review page and the issue's workflow panel: the issue's entries as the
public will read them (the live snapshot the publication would freeze), each with its state, its
latest comment and what this user may do with it, in a fixed number of queries."""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils.functional import cached_property
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from bulletin.models import Issue, WorkflowEvent
from bulletin.roles import Role, has_role
from bulletin.services.workflow import (
    Transition,
    entry_transitions,
    four_eyes_relaxed,
    issue_accepts_entry_edits,
    issue_transitions,
)
from bulletin.snapshot import hydrate, issue_snapshot_live
from bulletin.translation.languages import language_name, target_languages
from bulletin.translation.models import Translation
from bulletin.translation.units import SourceText, snapshot_entry_texts, snapshot_issue_texts
from core.richtext import rich_text_html
from entries.models import Entry, EntryLink, LinkCheck

E = Entry.State
# The issue's own transitions that belong to reviewing; the rest (schedule, publish, withdraw)
# stay on the issue's page, where they ask for what they need.
ISSUE_REVIEW_ACTIONS = ("submit", "request_changes", "approve")


@dataclass
class SideText:
    """One text of an entry beside its translation (empty when not written yet)."""

    source: SourceText
    value: str
    machine: bool  # still the machine's unedited draft

    def _html(self, text: str) -> SafeString | str:
        return rich_text_html(text) if self.source.rich else text

    @cached_property
    def source_html(self):
        return self._html(self.source.value)

    @cached_property
    def value_html(self):
        return self._html(self.value)


# The badge of a translation beside its entry: its state, or what matters more than its state.
BADGES = {
    "missing": _("Missing"),
    "outdated": _("Outdated"),
    "machine": _("Machine draft"),
    **dict(Translation.State.choices),
}


@dataclass
class SideBySide:
    """An entry's translation into one language (its latest version, whatever its state), text
    by text beside the source, for reading both on the review page."""

    language: str
    row: Translation | None
    texts: list[SideText]

    @property
    def badge(self) -> str:
        row = self.row
        if row is None:
            return "missing"
        if row.outdated:
            return "outdated"
        if row.state == Translation.State.DRAFT and row.machine_keys:
            return "machine"
        return row.state

    @property
    def badge_label(self) -> str:
        return BADGES[self.badge]


def side_by_side(
    data: dict, row: Translation | None, language: str, *, of_issue: bool = False
) -> SideBySide:
    """The entry's texts (as the snapshot holds them) beside their translation in the row; with
    of_issue, the issue's own texts and its sections' titles."""
    texts = row.texts if row else {}
    machine = set(row.machine_keys) if row else set()
    sources = snapshot_issue_texts(data) if of_issue else snapshot_entry_texts(data)
    return SideBySide(
        language,
        row,
        [
            SideText(source, texts.get(source.key) or "", source.key in machine)
            for source in sources
        ],
    )


def review_languages(issue: Issue) -> list[tuple[str, str]]:
    """The languages the issue's entries are translated into, with their names."""
    return [(code, language_name(code)) for code in target_languages(issue)]


@dataclass
class ReviewedEntry:
    data: dict  # the entry as the snapshot holds it: what the public page renders
    entry: Entry  # the row: state and who wrote it
    comment: WorkflowEvent | None  # the latest event with a comment
    actions: list[tuple[str, Transition]]
    wrote_it: bool  # four-eyes: this user may not approve it
    notes: list = field(default_factory=list)  # what the last action here did (messages)
    side: SideBySide | None = None  # its translation, when the page shows both languages

    @property
    def takes_comment(self) -> bool:
        return any(name != "submit" for name, _transition in self.actions)


@dataclass
class IssueReview:
    issue: Issue
    content: dict
    sections: list[dict]
    counts: list[tuple[str, str, int]]  # (state, label, how many), every state
    pending: list[Entry]  # not approved yet, in reading order
    issue_actions: list[tuple[str, Transition]]
    can_submit_drafts: bool
    can_approve_all: bool
    # Links whose latest check found them broken, unreachable or refused, in reading order.
    failing_links: list[tuple[Entry, EntryLink, LinkCheck]] = field(default_factory=list)
    beside: str = ""  # the language shown beside the source, or "" for the source alone
    side: SideBySide | None = None  # the issue's own texts beside their translation, with beside

    @property
    def beside_name(self) -> str:
        return language_name(self.beside) if self.beside else ""

    @property
    def seen_in_review(self) -> str:
        """The entries in review and their versions as this page shows them, for approve-all."""
        return ",".join(f"{e.pk}:{e.version}" for e in self.pending if e.state == E.IN_REVIEW)


def issue_entries_pending(*, issue: Issue) -> QuerySet[Entry]:
    """The entries of the issue that are not approved yet, in reading order."""
    return (
        issue.entries.not_approved()
        .select_related("section")
        .order_by("section__position", "position")
    )


def _latest_comments(issue: Issue) -> dict[int, WorkflowEvent]:
    events = (
        WorkflowEvent.objects.filter(entry__issue=issue)
        .exclude(comment="")
        .select_related("actor")
        .order_by("-created_at", "-pk")
    )
    latest: dict[int, WorkflowEvent] = {}
    for event in events:
        latest.setdefault(event.entry_id, event)
    return latest


def _wrote(entry: Entry, user) -> bool:
    """The cheap part of four-eyes, to hide a button that would be refused (the service also
    reads the entry's saved versions)."""
    return not four_eyes_relaxed() and user.pk in (entry.created_by_id, entry.last_edited_by_id)


def _reviewed(data: dict, entry: Entry, *, user, comment) -> ReviewedEntry:
    wrote_it = _wrote(entry, user)
    actions = [
        (name, transition)
        for name, transition in entry_transitions(user=user, entry=entry)
        if not (name == "approve" and wrote_it)
    ]
    actions.sort(key=lambda action: action[0] == "request_changes")  # the usual move first
    return ReviewedEntry(data, entry, comment, actions, wrote_it and has_role(user, Role.REVIEWER))


def issue_failing_links(
    *, issue: Issue, in_reading_order: list[Entry]
) -> list[tuple[Entry, EntryLink, LinkCheck]]:
    """The issue's links whose latest check failed, entry by entry in reading order."""
    links = EntryLink.objects.filter(entry__issue=issue).order_by("position", "pk")
    links = list(links)
    checks = LinkCheck.objects.latest_for({link.url for link in links})
    failing = {}
    for link in links:
        check = checks.get(link.url)
        if check is not None and check.failing:
            failing.setdefault(link.entry_id, []).append((link, check))
    return [
        (entry, link, check)
        for entry in in_reading_order
        for link, check in failing.get(entry.pk, [])
    ]


def _translations(issue: Issue, language: str) -> dict[int | None, Translation]:
    """The translations into the language of the issue's entries by entry id, and of the issue
    itself under None (one query)."""
    rows = Translation.objects.filter(Q(entry__issue=issue) | Q(issue=issue), language=language)
    return {row.entry_id: row for row in rows}


def issue_review(*, issue: Issue, user, beside: str = "") -> IssueReview:
    """Everything the review page shows, in reading order, section by section; with `beside`
    (a language the entries are translated into), each entry's translation beside it."""
    content = hydrate(issue_snapshot_live(issue.pk))
    rows = {entry.pk: entry for entry in Entry.objects.filter(issue=issue)}
    comments = _latest_comments(issue)
    translations = _translations(issue, beside) if beside else None
    sections = [
        {
            **section,
            "entries": [
                _reviewed(data, rows[data["id"]], user=user, comment=comments.get(data["id"]))
                for data in section["entries"]
            ],
        }
        for section in content["sections"]
    ]
    in_reading_order = [item.entry for section in sections for item in section["entries"]]
    if translations is not None:
        for section in sections:
            for item in section["entries"]:
                row = translations.get(item.entry.pk)
                item.side = side_by_side(item.data, row, beside)
    counted = Counter(entry.state for entry in in_reading_order)
    return IssueReview(
        issue=issue,
        content=content,
        sections=sections,
        counts=[(state, label, counted[state]) for state, label in E.choices],
        pending=[entry for entry in in_reading_order if entry.state != E.APPROVED],
        issue_actions=[
            (name, transition)
            for name, transition in issue_transitions(user=user, issue=issue)
            if name in ISSUE_REVIEW_ACTIONS
        ],
        can_submit_drafts=bool(
            counted[E.DRAFT]
            and has_role(user, Role.EDITOR)
            and issue_accepts_entry_edits(issue=issue)
        ),
        can_approve_all=bool(counted[E.IN_REVIEW] and has_role(user, Role.REVIEWER)),
        failing_links=issue_failing_links(issue=issue, in_reading_order=in_reading_order),
        beside=beside,
        side=side_by_side(content, translations.get(None), beside, of_issue=True)
        if translations is not None
        else None,
    )
