"""The email that tells one person of their workflow notifications: plain text and HTML, in
their language, titles and comments escaped in the HTML, every link absolute."""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from bulletin.models import Issue, WorkflowEvent
from entries.models import Entry
from people.models import NotificationPreference


@dataclass(frozen=True)
class Item:
    """One line of the email: an event, the entry or issue it concerns, and its link."""

    event: WorkflowEvent
    subject: Entry | Issue
    url: str
    waiting: bool  # it still waits for this person
    moved_on: bool  # the entry or issue has left the state the event put it in

    @property
    def kind(self) -> str:
        return _("Entry") if self.event.entry_id else _("Issue")

    @property
    def actor_name(self) -> str:
        actor = self.event.actor
        return (actor.get_full_name() or actor.get_username()) if actor else ""

    @property
    def comment_text(self) -> str:
        """The comment, its lines indented under the item in the plain text."""
        return self.event.comment.replace("\n", "\n    ")


@dataclass
class Group:
    """The items of one issue."""

    issue: Issue
    url: str
    items: list[Item] = field(default_factory=list)


def admin_url(name: str, pk: int) -> str:
    """An absolute link to an admin page."""
    return settings.SITE_URL + reverse(name, args=[pk])


def _item(notification) -> Item:
    event = notification.event
    if event.entry_id:
        subject, url = event.entry, admin_url("admin:entries_entry_change", event.entry_id)
    else:
        subject, url = event.issue, admin_url("admin:bulletin_issue_change", event.issue_id)
    moved_on = subject.state != event.to_state
    return Item(event, subject, url, notification.needs_action and not moved_on, moved_on)


def _by_issue(items: list[Item]) -> list[Group]:
    groups: dict[int, Group] = {}
    for item in items:
        issue = item.subject.issue if item.event.entry_id else item.subject
        group = groups.setdefault(
            issue.pk, Group(issue, admin_url("admin:bulletin_issue_change", issue.pk))
        )
        group.items.append(item)
    return list(groups.values())


def _sections(items: list[Item]) -> list[dict]:
    waiting = [item for item in items if item.waiting]
    happened = [item for item in items if not item.waiting]
    sections = [
        (_("Waiting for you (%(count)s)"), waiting),
        (_("What happened (%(count)s)"), happened),
    ]
    return [
        {"title": title % {"count": len(part)}, "groups": _by_issue(part)}
        for title, part in sections
        if part
    ]


def _subject(items: list[Item]) -> str:
    if len(items) == 1:
        item = items[0]
        text = f"[{item.kind}] {item.subject}: {item.event.get_action_display()}"
    else:
        count, waiting = len(items), sum(item.waiting for item in items)
        text = ngettext("%(count)s workflow update", "%(count)s workflow updates", count) % {
            "count": count
        }
        if waiting:
            text += " · " + ngettext(
                "%(count)s waiting for you", "%(count)s waiting for you", waiting
            ) % {"count": waiting}
    return " ".join(text.split())  # one line, whatever a title holds


def notice_email(*, user, notifications: list) -> EmailMultiAlternatives:
    """One email to the user covering these notifications, in the language they chose."""
    preference = NotificationPreference.of(user)
    with translation.override(preference.language):
        items = [_item(notification) for notification in notifications]
        context = {
            "subject": _subject(items),
            "sections": _sections(items),
            "preference": preference,
            "language": preference.language,
            "settings_url": settings.SITE_URL + reverse("my_notifications"),
        }
        text = render_to_string("email/workflow_notice.txt", context)
        html = render_to_string("email/workflow_notice.html", context)
    message = EmailMultiAlternatives(
        context["subject"], text, settings.DEFAULT_FROM_EMAIL, [user.email]
    )
    message.attach_alternative(html, "text/html")
    return message
