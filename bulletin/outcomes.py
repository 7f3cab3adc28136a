"""What an action on an issue will do beyond its workflow, said on the confirmation page before
it is done. An output registers what it will do, as it registers its job handler (the email
says how many subscribers it will write to): the core never imports an output."""

from collections.abc import Callable

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from bulletin.models import Issue

Outcome = Callable[[Issue], str | None]
OUTCOMES: dict[str, dict[str, Outcome]] = {}


def outcome_of(action: str, *, output: str):
    """Register the function that says what the output (a job name of BULLETIN_PUBLISH_OUTPUTS)
    will do when the action is taken on an issue (None: nothing worth saying)."""

    def register(function: Outcome) -> Outcome:
        OUTCOMES.setdefault(action, {})[output] = function
        return function

    return register


def issue_outcomes(*, issue: Issue, action: str) -> list[str]:
    """What the action will do to the public site, then what each enabled output will do."""
    registered = OUTCOMES.get(action, {})
    said = (
        registered[name](issue) for name in settings.BULLETIN_PUBLISH_OUTPUTS if name in registered
    )
    return [*_on_the_site(issue, action), *(sentence for sentence in said if sentence)]


def _on_the_site(issue: Issue, action: str) -> list[str]:
    count = issue.entries.count()
    if action == "publish":
        return [
            ngettext(
                "The issue and its %(count)s entry go online: on the public site, in the archive, "
                "in search and in the feeds.",
                "The issue and its %(count)s entries go online: on the public site, in the "
                "archive, in search and in the feeds.",
                count,
            )
            % {"count": count}
        ]
    if action == "publish_back":
        return [
            ngettext(
                "The issue and its %(count)s entry go online as a back issue, dated when it first "
                "appeared: in the archive, in search and in the feeds (marked as a back issue).",
                "The issue and its %(count)s entries go online as a back issue, dated when it "
                "first appeared: in the archive, in search and in the feeds (marked as a back "
                "issue).",
                count,
            )
            % {"count": count},
            _("No email is sent, and the current issue stays first on the home page."),
        ]
    if action == "confirm_import":
        pending = issue.entries.not_approved().count()
        return [
            ngettext(
                "You confirm that you checked the issue against its source: its %(count)s entry "
                "not yet approved and the issue are approved at once.",
                "You confirm that you checked the issue against its source: its %(count)s entries "
                "not yet approved and the issue are approved at once.",
                pending,
            )
            % {"count": pending},
            _("The audit trail records who imported it and that you checked it."),
        ]
    if action == "withdraw":
        return [
            ngettext(
                "The public pages go offline: the issue and its %(count)s entry leave the public "
                "site, the archive, search and the feeds.",
                "The public pages go offline: the issue and its %(count)s entries leave the "
                "public site, the archive, search and the feeds.",
                count,
            )
            % {"count": count},
            _("Emails already sent cannot be called back."),
        ]
    return []
