"""A publisher's look at the issue email: in the browser (drafts too, staff only) or as a test
message to their own address (published content only: no draft ever leaves by email)."""

import secrets

from django.utils.translation import gettext as _

from bulletin.editions import edition_content, languages_in_work, publication_in
from bulletin.mailing.compose import Composer, Recipient
from bulletin.mailing.rendering import GREETING, email_render
from bulletin.mailing.services.sending import SendError
from bulletin.mailing.transport import PermanentFailure, TemporaryFailure, transport_for_settings
from bulletin.models import Issue
from bulletin.roles import Role, require, require_draft_reader
from bulletin.snapshot import issue_snapshot_live

TEST_PREFIX = "[TEST] "


def email_preview_html(*, issue_id: int, language: str, user) -> str:
    """The email as the subscribers of the language would get it, from the live content: a staff
    preview, never sent. In a language the issue has an edition in or approved translations
    into, the edition's email with the translations approved now (the others marked); in
    another, the source email saying there is no edition in it yet."""
    require_draft_reader(user)
    content = issue_snapshot_live(issue_id)
    issue = Issue.objects.select_related("bulletin").get(pk=issue_id)
    if language in languages_in_work(issue):
        content = edition_content(issue=issue, content=content, language=language)
    rendered = email_render(content, issue=issue, language=language)
    # The greeting in the email's language, whatever the admin's.
    return rendered["html"].replace(GREETING, rendered["greeting_anonymous"])


def email_send_test(*, issue: Issue, user, language: str) -> str:
    """Send the published issue's email to the current user only; return the address."""
    require(user, Role.PUBLISHER)
    if not user.email:
        raise SendError(_("Your account has no email address."))
    publication = issue.current_publication() if issue.is_public else None
    if publication is None:
        raise SendError(_("Only a published issue can be sent."))
    # In the language's edition where there is one, as the subscribers of that language get it.
    content = (publication_in(issue, language) or publication).content
    rendered = email_render(content, issue=issue, language=language)
    rendered["subject"] = TEST_PREFIX + rendered["subject"]
    composer = Composer(
        rendered={language: rendered},
        send_id=0,
        bulletin_id=issue.bulletin_id,
        bulletin=publication.content["bulletin"],
    )
    # A recipient that is no subscriber: its links lead to the "link does not work" page. A
    # fresh Message-ID each time, or mail systems would take a second test for the first.
    delivery_id = secrets.randbelow(10**9)
    recipient = Recipient(delivery_id, 0, user.email, user.get_full_name(), language, "test")
    transport = transport_for_settings()
    try:
        transport.send(composer, recipient)
    except (TemporaryFailure, PermanentFailure) as exc:
        error = _("The mail server refused the message: %(error)s") % {"error": exc}
        raise SendError(error) from exc
    finally:
        transport.close()
    return user.email
