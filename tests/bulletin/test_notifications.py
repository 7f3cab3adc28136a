"""Workflow notifications: each person hears of the workflow as they chose (at once, one email
per commit; a digest per interval; nothing but urgent matters), in their language, with every
title and comment as text, and a digest is sent once however many workers run it."""

import datetime
import smtplib
import threading
from collections import Counter
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.core import mail
from django.core.mail.backends import locmem
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from bulletin.models import Issue
from bulletin.notifications.models import Notification
from bulletin.notifications.services import notifications_send_due
from bulletin.services.publishing import issue_publish, issues_publish_due
from bulletin.services.workflow import entry_transition, issue_transition
from entries.models import Entry
from people.services import notification_preference_set
from tests.factories import EntryFactory, IssueFactory, SectionFactory, UserFactory
from tests.hostile.payloads import PAYLOADS

pytestmark = pytest.mark.django_db
SITE = "https://desk.example-law.cn"
ROLES = ["editor", "reviewer", "publisher"]


@pytest.fixture
def desk(settings):
    """An editor, a reviewer and a publisher; publishing asks for no outputs (this file is about
    the staff's emails, not the subscribers')."""
    settings.BULLETIN_PUBLISH_OUTPUTS = []
    settings.SITE_URL = SITE
    return {role: UserFactory(username=role, roles=[role.capitalize()]) for role in ROLES}


def choose(users, delivery: str, language: str = "en") -> None:
    for user in users:
        notification_preference_set(user=user, delivery=delivery, language=language)


def issue_of(editor, count: int, **entry_fields) -> tuple[Issue, list[Entry]]:
    issue = IssueFactory(created_by=editor, last_edited_by=editor)
    sections = [SectionFactory(issue=issue) for _ in range(2)]
    entries = [
        EntryFactory(
            section=sections[n % 2], created_by=editor, last_edited_by=editor, **entry_fields
        )
        for n in range(count)
    ]
    return issue, entries


def later(minutes: float | None = None) -> datetime.datetime:
    minutes = settings.WORKFLOW_DIGEST_MINUTES if minutes is None else minutes
    return timezone.now() + datetime.timedelta(minutes=minutes)


def run_the_issue(users, issue, entries, between) -> None:
    """The editor submits every entry, the reviewer approves every one, the editor submits the
    issue, the reviewer approves it, the publisher publishes it; `between` runs each step."""
    editor, reviewer, publisher = (users[role] for role in ROLES)
    steps = [
        lambda: [entry_transition(entry=e, user=editor, action="submit") for e in entries],
        lambda: [entry_transition(entry=e, user=reviewer, action="approve") for e in entries],
        lambda: issue_transition(issue=issue, user=editor, action="submit"),
        lambda: issue_transition(issue=issue, user=reviewer, action="approve"),
        lambda: issue_publish(issue=issue, user=publisher),
    ]
    for step in steps:
        between(step)


def text_and_html(message) -> tuple[str, str]:
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return message.body, html


def emails_per_person(users) -> dict[str, int]:
    counts = Counter(address for message in mail.outbox for address in message.to)
    return {role: counts[users[role].email] for role in ROLES}


def assert_each_email_lists_what_it_covers(users) -> int:
    """Every email names and links every entry and issue whose notification it sent; returns
    the number of notifications the emails covered."""
    covered = 0
    for role in ROLES:
        user = users[role]
        messages = [m for m in mail.outbox if m.to == [user.email]]
        sent = Notification.objects.filter(user=user).select_related("event__entry", "event__issue")
        batches = sorted({n.sent_at for n in sent})
        assert len(batches) == len(messages), role
        for message, sent_at in zip(messages, batches, strict=True):
            text, html = text_and_html(message)
            for notification in [n for n in sent if n.sent_at == sent_at]:
                event = notification.event
                subject = event.entry or event.issue
                name = "entries_entry" if event.entry_id else "bulletin_issue"
                url = SITE + reverse(f"admin:{name}_change", args=[subject.pk])
                assert subject.title in text and subject.title in html, (role, subject.title)
                assert url in text and f'href="{url}"' in html, (role, url)
                covered += 1
    return covered


def test_the_42_entry_run_sends_each_person_at_most_3_digests(desk, capsys):
    choose(desk.values(), "digest")
    issue, entries = issue_of(desk["editor"], 42)

    def quarter_of_an_hour_later(step):
        step()
        notifications_send_due(now=later())

    run_the_issue(desk, issue, entries, quarter_of_an_hour_later)
    issue.refresh_from_db()
    assert issue.state == Issue.State.PUBLISHED
    counts = emails_per_person(desk)
    assert counts == {"editor": 2, "reviewer": 2, "publisher": 1}
    # 42 submissions to the reviewer, 42 approvals to the editor, and the issue's three events.
    assert assert_each_email_lists_what_it_covers(desk) == 42 + 42 + 3
    assert not Notification.objects.pending().exists()
    with capsys.disabled():
        print(f"\n42-entry run, digest, a digest between every step: emails {counts}")


def test_the_42_entry_run_in_one_interval_sends_each_person_one_digest(desk, capsys):
    choose(desk.values(), "digest")
    issue, entries = issue_of(desk["editor"], 42)
    run_the_issue(desk, issue, entries, lambda step: step())
    assert mail.outbox == []  # nothing before the interval has passed
    assert notifications_send_due(now=later(1)) == 0
    assert notifications_send_due(now=later()) == 3
    assert emails_per_person(desk) == {"editor": 1, "reviewer": 1, "publisher": 1}
    assert assert_each_email_lists_what_it_covers(desk) == 42 + 42 + 3
    with capsys.disabled():
        print(f"\n42-entry run, digest, within one interval: emails {emails_per_person(desk)}")


def test_at_once_a_commit_of_42_entries_makes_one_email(
    desk, capsys, django_capture_on_commit_callbacks
):
    choose(desk.values(), "immediate")
    issue, entries = issue_of(desk["editor"], 42)

    def one_commit(step):  # as a bulk action does: one request, one transaction
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            step()

    run_the_issue(desk, issue, entries, one_commit)
    first = mail.outbox[0]
    assert first.to == [desk["reviewer"].email]
    assert first.subject == "42 workflow updates · 42 waiting for you"
    counts = emails_per_person(desk)
    assert counts == {"editor": 2, "reviewer": 2, "publisher": 1}
    assert assert_each_email_lists_what_it_covers(desk) == 42 + 42 + 3
    with capsys.disabled():
        print(f"\n42-entry run, at once, each step one commit: emails {counts}")


def test_none_hears_nothing_but_an_urgent_failure(desk, django_capture_on_commit_callbacks):
    quiet, colleague = desk["publisher"], UserFactory(username="publisher2", roles=["Publisher"])
    choose([quiet], "none")
    issue, _ = issue_of(desk["editor"], 2, state=Entry.State.APPROVED)
    Issue.objects.filter(pk=issue.pk).update(state=Issue.State.IN_REVIEW)
    with django_capture_on_commit_callbacks(execute=True):
        issue_transition(issue=issue, user=desk["reviewer"], action="approve")
    assert notifications_send_due(now=later()) == 1
    assert [m.to for m in mail.outbox] == [[colleague.email]]  # the approval was worth telling
    mail.outbox.clear()
    # Scheduled, then an entry is sent back: the scheduled publication fails.
    when = timezone.now()
    Issue.objects.filter(pk=issue.pk).update(state=Issue.State.SCHEDULED, scheduled_at=when)
    Entry.objects.filter(pk=issue.entries.first().pk).update(state=Entry.State.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        assert issues_publish_due(now=when) == []
    assert sorted(m.to[0] for m in mail.outbox) == sorted([quiet.email, colleague.email])
    message = next(m for m in mail.outbox if m.to == [quiet.email])
    assert "Scheduled publication failed" in message.subject
    assert "not approved yet" in message.body
    assert notifications_send_due(now=later(60)) == 0


def test_each_person_reads_in_their_language(desk):
    english = UserFactory(username="reviewer-en", roles=["Reviewer"])
    choose([desk["reviewer"]], "digest", "zh-hans")
    choose([english], "digest", "en")
    [entry] = issue_of(desk["editor"], 1)[1]
    entry_transition(entry=entry, user=desk["editor"], action="submit")
    assert notifications_send_due(now=later()) == 2
    chinese = next(m for m in mail.outbox if m.to == [desk["reviewer"].email])
    other = next(m for m in mail.outbox if m.to == [english.email])
    assert chinese.subject == f"[条目] {entry.title}: 已提交审核"
    assert other.subject == f"[Entry] {entry.title}: Submitted for review"
    assert 'lang="zh-hans"' in text_and_html(chinese)[1]
    assert SITE + reverse("my_notifications") in chinese.body


def test_the_digest_waits_for_its_interval(desk, settings):
    settings.WORKFLOW_DIGEST_MINUTES = 5
    [entry] = issue_of(desk["editor"], 1)[1]
    entry_transition(entry=entry, user=desk["editor"], action="submit")
    assert notifications_send_due(now=later(4)) == 0
    assert notifications_send_due(now=later(5)) == 1
    assert notifications_send_due(now=later(6)) == 0
    assert [m.to for m in mail.outbox] == [[desk["reviewer"].email]]


class FailingOnceBackend(locmem.EmailBackend):
    failed = False

    def send_messages(self, messages):
        if not FailingOnceBackend.failed:
            FailingOnceBackend.failed = True
            raise smtplib.SMTPServerDisconnected("the mail server went away")
        return super().send_messages(messages)


def test_a_digest_that_fails_is_sent_on_a_later_run(desk, settings):
    settings.EMAIL_BACKEND = f"{__name__}.FailingOnceBackend"
    FailingOnceBackend.failed = False
    issue, entries = issue_of(desk["editor"], 3)
    for entry in entries:
        entry_transition(entry=entry, user=desk["editor"], action="submit")
    at = later()
    assert notifications_send_due(now=at) == 0
    rows = Notification.objects.filter(user=desk["reviewer"])
    assert {(n.sent_at, n.attempts) for n in rows} == {(None, 1)}
    assert "went away" in rows[0].last_error
    assert notifications_send_due(now=at) == 0  # it waits before trying again
    assert notifications_send_due(now=at + datetime.timedelta(minutes=2)) == 1
    [message] = mail.outbox
    assert all(entry.title in message.body for entry in entries)


class GatedBackend(locmem.EmailBackend):
    """Holds the first message until the test lets it go, so that another sweep runs while the
    first holds that person's notifications."""

    sending = threading.Event()
    release = threading.Event()
    waited_in_vain = False

    def send_messages(self, messages):
        if not GatedBackend.sending.is_set():
            GatedBackend.sending.set()
            # A guard against a hang, not a measure: the test releases it at once.
            GatedBackend.waited_in_vain = not GatedBackend.release.wait(timeout=60)
        return super().send_messages(messages)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_send_each_digest_exactly_once(desk, settings):
    settings.EMAIL_BACKEND = f"{__name__}.GatedBackend"
    GatedBackend.sending.clear()
    GatedBackend.release.clear()
    reviewers = [desk["reviewer"]] + [
        UserFactory(username=f"reviewer{n}", roles=["Reviewer"]) for n in (2, 3)
    ]
    for entry in issue_of(desk["editor"], 5)[1]:
        entry_transition(entry=entry, user=desk["editor"], action="submit")
    at, sent = later(), {}

    def first_sweep():
        try:
            sent["first"] = notifications_send_due(now=at)
        finally:
            connection.close()

    worker = threading.Thread(target=first_sweep)
    worker.start()
    assert GatedBackend.sending.wait(timeout=60)
    sent["second"] = notifications_send_due(now=at)  # while the first holds one person's rows
    GatedBackend.release.set()
    worker.join()
    assert not GatedBackend.waited_in_vain  # the second sweep passed over them, did not wait
    assert sent == {"first": 1, "second": 2}
    counts = Counter(address for message in mail.outbox for address in message.to)
    assert counts == {reviewer.email: 1 for reviewer in reviewers}
    assert all(m.body.count("/admin/entries/entry/") == 5 for m in mail.outbox)
    assert not Notification.objects.pending().exists()


class Markup(HTMLParser):
    """The elements, attributes and text of an HTML document."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.attributes, self.text = set(), [], []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attributes += attrs

    def handle_data(self, data):
        self.text.append(data)


TEMPLATE_TAGS = {"html", "head", "meta", "title", "body", "h2", "h3", "ul", "li", "a", "br"}
TEMPLATE_TAGS |= {"span", "blockquote", "p"}


def test_hostile_titles_and_comments_are_text_in_every_email(desk):
    payloads = [payload.format(n=n) for n, payload in enumerate(PAYLOADS)]
    issue, entries = issue_of(desk["editor"], 0)
    section = SectionFactory(issue=issue)
    for payload in payloads:
        entry = EntryFactory(section=section, created_by=desk["editor"], title=payload)
        entry_transition(entry=entry, user=desk["editor"], action="submit")
        comment = f"{payload}\n{payload}"
        entry_transition(
            entry=entry, user=desk["reviewer"], action="request_changes", comment=comment
        )
    assert notifications_send_due(now=later()) == 2  # the reviewer's and the editor's digests
    for message in mail.outbox:
        text, html = text_and_html(message)
        markup = Markup()
        markup.feed(html)
        assert markup.tags <= TEMPLATE_TAGS, markup.tags - TEMPLATE_TAGS
        assert not [name for name, _ in markup.attributes if name.startswith("on")]
        hrefs = [value for name, value in markup.attributes if name == "href"]
        assert len(hrefs) > len(payloads) and all(h.startswith(SITE + "/admin/") for h in hrefs)
        shown = "".join(markup.text)
        assert all(payload in shown and payload in text for payload in payloads)
        assert "\n" not in message.subject
    editor_email = next(m for m in mail.outbox if m.to == [desk["editor"].email])
    assert text_and_html(editor_email)[1].count("<blockquote") == len(payloads)
