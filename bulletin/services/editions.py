"""Publishing an issue's edition in another language (its English edition): after the issue
itself, at once or days later. See bulletin.editions for what an edition holds.

A correction of the source edition republishes the source only: the published edition stays as
it was (its pages say it follows an earlier version) until a publisher publishes it again, which
takes the corrected source and the translations approved by then."""

import logging
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bulletin.caching import public_cache_drop
from bulletin.editions import edition_snapshot
from bulletin.models import Edition, Issue
from bulletin.pages import issue_pages_remove
from bulletin.roles import Role, require
from bulletin.services.archive import published_entries_editions
from bulletin.services.events import WorkflowError, event_record
from bulletin.services.jobs import job_enqueue
from bulletin.translation.languages import language_name, target_languages
from bulletin.translation.models import Translation

logger = logging.getLogger(__name__)


def _check(issue: Issue, language: str) -> None:
    if language not in target_languages(issue):
        raise WorkflowError(
            _("This issue is not translated into %(language)s.") % {"language": language}
        )
    if not issue.is_public:
        raise WorkflowError(_("Publish the issue in its own language first."))
    title = (
        Translation.objects.approved()
        .filter(issue=issue, language=language)
        .values_list("texts__title", flat=True)
        .first()
    )
    if not title:
        raise WorkflowError(
            _("The issue's translation into %(language)s (its title) is not approved yet.")
            % {"language": language_name(language)}
        )


@transaction.atomic
def issue_publish_edition(*, issue: Issue, user, language: str) -> Edition:
    """Publish (or publish again) the issue's edition in the language, from its current
    publication and the translations approved now. Nothing changed since the last time: the
    last edition, unchanged (a double click publishes once)."""
    require(user, Role.PUBLISHER)
    issue = Issue.objects.select_for_update().select_related("bulletin").get(pk=issue.pk)
    _check(issue, language)
    publication = issue.current_publication()
    content = edition_snapshot(issue=issue, publication=publication, language=language)
    current = issue.current_edition(language)
    if current and current.source_id == publication.pk and current.content == content:
        return current
    edition = Edition.objects.create(
        issue=issue,
        language=language,
        source=publication,
        published_at=timezone.now(),
        published_by=user,
        content=content,
    )
    published_entries_editions(issue=issue)
    comment = _("Edition in %(language)s published.") % {"language": language_name(language)}
    event_record(
        obj=issue, user=user, action="publish_edition", from_state=issue.state, comment=comment
    )
    transaction.on_commit(public_cache_drop, robust=True)
    transaction.on_commit(partial(issue_pages_remove, issue_id=issue.pk), robust=True)
    for name in settings.BULLETIN_EDITION_OUTPUTS:
        job_enqueue(name=name, payload={"issue_id": issue.pk, "language": language})
    logger.info("issue %s: edition %s published", issue.pk, language)
    return edition
