"""Reviewing a whole issue on one page, and moving many entries at once.

The issue's review page shows every entry as the public will read it, with its state, latest
comment and history, and lets each role act on one entry, on all of them (an editor submits the
drafts, a reviewer approves what is in review) or on the issue itself, each POST coming back to
the page. The entry list has the same moves as bulk actions. All of them go through
bulletin.services.batches, which report per entry what happened; that report is shown here."""

from collections.abc import Callable

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_POST

from bulletin.review import (
    ISSUE_REVIEW_ACTIONS,
    issue_entries_pending,
    issue_review,
    review_languages,
)
from bulletin.roles import Role, has_role
from bulletin.services import workflow
from bulletin.services.batches import (
    EntryOutcome,
    entries_transition,
    issue_entries_approve,
    issue_entries_submit,
)
from bulletin.services.events import WorkflowError
from bulletin.translation.languages import language_name, source_language
from entries.models import Entry

ENTRY_TAG = "review-entry-"  # a message about one entry is shown beside it on the review page


def _done_sentence(action: str, count: int) -> str:
    sentences = {
        "submit": ngettext(
            "%(count)s entry submitted for review.",
            "%(count)s entries submitted for review.",
            count,
        ),
        "approve": ngettext("%(count)s entry approved.", "%(count)s entries approved.", count),
        "request_changes": ngettext(
            "Changes requested on %(count)s entry.",
            "Changes requested on %(count)s entries.",
            count,
        ),
    }
    return sentences[action] % {"count": count}


def report_outcomes(
    request, outcomes: list[EntryOutcome], *, action: str, link: Callable[[Entry], str]
) -> None:
    """Say per entry what a batch did: the entries moved, and each skipped one with its reason."""
    if not outcomes:
        messages.info(request, _("There were no entries to move."))
        return
    done = [outcome.entry for outcome in outcomes if outcome.done]
    skipped = [outcome for outcome in outcomes if not outcome.done]
    if done:
        items = format_html_join("", '<li><a href="{}">{}</a></li>', ((link(e), e) for e in done))
        messages.success(
            request,
            format_html(
                '{} <details class="outcomes"><summary>{}</summary><ul>{}</ul></details>',
                _done_sentence(action, len(done)),
                _("Which entries"),
                items,
            ),
        )
    if skipped:
        items = format_html_join(
            "",
            '<li><a href="{}">{}</a>: {}</li>',
            ((link(o.entry), o.entry, o.reason) for o in skipped),
        )
        heading = ngettext(
            "%(count)s entry was skipped:", "%(count)s entries were skipped:", len(skipped)
        ) % {"count": len(skipped)}
        messages.warning(request, format_html('{}<ul class="outcomes">{}</ul>', heading, items))
    if done and action == "approve" and workflow.four_eyes_relaxed():
        messages.warning(
            request,
            _("The four-eyes rule is relaxed on this installation (WORKFLOW_FOUR_EYES=0)."),
        )


def parse_seen(value: str) -> dict[int, int]:
    """“id:version,…” as the review page sends it (a malformed pair is left out, which skips
    that entry rather than acting on what the page did not show)."""
    seen = {}
    for pair in value.split(","):
        entry_id, _sep, version = pair.partition(":")
        if entry_id.strip().isdigit() and version.strip().isdigit():
            seen[int(entry_id)] = int(version)
    return seen


def _entry_change_url(entry: Entry) -> str:
    return reverse("admin:entries_entry_change", args=[entry.pk])


class IssueReviewAdminMixin:
    """The review page of an issue, its actions, and the entries still to approve on the
    issue's own page (what submitting it will lead to)."""

    review_template = "admin/bulletin/issue_review.html"

    @property
    def media(self):
        # The entries still to approve, on the issue page; added to the other mixins' media.
        return super().media + forms.Media(css={"all": ["css/admin/review.css"]})

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<path:object_id>/review/", view(self.review_view), name="bulletin_issue_review"),
            path(
                "<path:object_id>/review/entry/<int:entry_id>/",
                view(self.review_entry_view),
                name="bulletin_issue_review_entry",
            ),
            path(
                "<path:object_id>/review/all/<slug:batch>/",
                view(self.review_batch_view),
                name="bulletin_issue_review_batch",
            ),
            path(
                "<path:object_id>/review/issue/<slug:action>/",
                view(self.review_issue_view),
                name="bulletin_issue_review_issue",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        extra = {}
        if obj is not None:
            extra["review_url"] = reverse("admin:bulletin_issue_review", args=[obj.pk])
            if obj.state in (obj.State.DRAFT, obj.State.IN_REVIEW):
                extra["pending_entries"] = list(issue_entries_pending(issue=obj))
        return super().change_view(request, object_id, form_url, {**extra, **(extra_context or {})})

    def _issue_or_404(self, request, object_id):
        issue = self.get_object(request, object_id)
        if issue is None or not self.has_view_permission(request, issue):
            raise Http404
        return issue

    @staticmethod
    def _review_url(issue, entry=None, beside: str = "") -> str:
        url = reverse("admin:bulletin_issue_review", args=[issue.pk])
        if beside in dict(review_languages(issue)):  # the page comes back as it was read
            url += "?" + urlencode({"beside": beside})
        return f"{url}#entry-{entry.pk}" if entry else url

    def review_view(self, request, object_id):
        return require_GET(self._review)(request, object_id)

    def _review(self, request, object_id):
        issue = self._issue_or_404(request, object_id)
        languages = review_languages(issue)
        beside = request.GET.get("beside", "")
        beside = beside if beside in dict(languages) else ""
        review = issue_review(issue=issue, user=request.user, beside=beside)
        page_messages = []
        by_entry = {item.entry.pk: item for s in review.sections for item in s["entries"]}
        for message in messages.get_messages(request):
            tag = message.extra_tags or ""
            target = by_entry.get(int(tag[len(ENTRY_TAG) :])) if tag.startswith(ENTRY_TAG) else None
            (target.notes if target else page_messages).append(message)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": issue,
            "title": _("Review: %(issue)s") % {"issue": issue},
            "review": review,
            "review_languages": languages,
            "source_language_name": language_name(source_language(issue)),
            "source_language": source_language(issue),
            "page_messages": page_messages,
            "is_reviewer": has_role(request.user, Role.REVIEWER),
        }
        return TemplateResponse(request, self.review_template, context)

    def review_entry_view(self, request, object_id, entry_id):
        return require_POST(self._review_entry)(request, object_id, entry_id)

    def _review_entry(self, request, object_id, entry_id):
        issue = self._issue_or_404(request, object_id)
        entry = get_object_or_404(Entry, pk=entry_id, issue=issue)
        action = request.POST.get("action", "")
        tag = f"{ENTRY_TAG}{entry.pk}"
        try:
            outcomes = entries_transition(
                entries=[entry],
                user=request.user,
                action=action,
                comment=request.POST.get("comment", "")[:5000],
                seen=parse_seen(request.POST.get("seen", "")),
            )
        except WorkflowError as exc:
            messages.error(request, str(exc), extra_tags=tag)
        else:
            outcome = outcomes[0]
            if outcome.done:
                messages.success(request, _done_sentence(action, 1), extra_tags=tag)
            else:
                messages.error(request, outcome.reason, extra_tags=tag)
        return HttpResponseRedirect(
            self._review_url(issue, entry, beside=request.POST.get("beside", ""))
        )

    def review_batch_view(self, request, object_id, batch):
        return require_POST(self._review_batch)(request, object_id, batch)

    def _review_batch(self, request, object_id, batch):
        issue = self._issue_or_404(request, object_id)
        if batch not in ("submit-drafts", "approve-all"):
            raise Http404
        if batch == "approve-all":
            seen = parse_seen(request.POST.get("seen", ""))
            outcomes = issue_entries_approve(issue=issue, user=request.user, seen=seen)
        else:
            outcomes = issue_entries_submit(issue=issue, user=request.user)
        action = "submit" if batch == "submit-drafts" else "approve"
        report_outcomes(request, outcomes, action=action, link=lambda entry: f"#entry-{entry.pk}")
        return HttpResponseRedirect(self._review_url(issue))

    def review_issue_view(self, request, object_id, action):
        return require_POST(self._review_issue)(request, object_id, action)

    def _review_issue(self, request, object_id, action):
        issue = self._issue_or_404(request, object_id)
        if action not in ISSUE_REVIEW_ACTIONS:
            raise Http404
        try:
            issue = workflow.issue_transition(
                issue=issue,
                user=request.user,
                action=action,
                comment=request.POST.get("comment", "")[:5000],
            )
        except WorkflowError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _issue_done_sentence(issue))
        return HttpResponseRedirect(self._review_url(issue))


def _issue_done_sentence(issue) -> str:
    """What the issue's new state means for the people who come next."""
    if issue.state == issue.State.IN_REVIEW:
        pending = issue.entries.not_approved().count()
        if pending:
            return ngettext(
                "The issue is in review. %(count)s entry is not approved yet: a reviewer can "
                "approve the issue once it is.",
                "The issue is in review. %(count)s entries are not approved yet: a reviewer can "
                "approve the issue once they are.",
                pending,
            ) % {"count": pending}
        return _("The issue is in review. Every entry is approved: a reviewer can approve it.")
    if issue.state == issue.State.APPROVED:
        return _("The issue is approved: a publisher can now schedule or publish it.")
    return _("The issue is back in draft: the editor sees your comment on its page.")


class EntryBulkActionsMixin:
    """Bulk actions of the entry list: submit, approve, request changes (with one comment, typed
    on a page in between), each entry through the same service as its own buttons."""

    actions = ["submit_selected", "approve_selected", "request_changes_selected"]
    request_changes_template = "admin/bulletin/entry_request_changes.html"

    @property
    def media(self):
        # The per-entry report of a bulk action; added to the other mixins' media.
        return super().media + forms.Media(css={"all": ["css/admin/review.css"]})

    def has_submit_permission(self, request):
        return has_role(request.user, Role.AUTHOR, Role.EDITOR)

    def has_review_permission(self, request):
        return has_role(request.user, Role.REVIEWER)

    def _bulk(self, request, queryset, action, comment=""):
        entries = queryset.select_related("section").order_by(
            "issue_id", "section__position", "position"
        )
        try:
            outcomes = entries_transition(
                entries=entries, user=request.user, action=action, comment=comment
            )
        except WorkflowError as exc:
            messages.error(request, str(exc))
            return
        report_outcomes(request, outcomes, action=action, link=_entry_change_url)

    @admin.action(
        description=gettext_lazy("Submit the selected entries for review"),
        permissions=["submit"],
    )
    def submit_selected(self, request, queryset):
        self._bulk(request, queryset, "submit")

    @admin.action(description=gettext_lazy("Approve the selected entries"), permissions=["review"])
    def approve_selected(self, request, queryset):
        self._bulk(request, queryset, "approve")

    @admin.action(
        description=gettext_lazy("Request changes on the selected entries…"),
        permissions=["review"],
    )
    def request_changes_selected(self, request, queryset):
        comment = request.POST.get("comment", "")[:5000]
        if request.POST.get("post") == "yes" and comment.strip():
            self._bulk(request, queryset, "request_changes", comment)
            return None
        entries = queryset.select_related("issue", "section").order_by(
            "issue_id", "section__position", "position"
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Request changes on the selected entries"),
            "entries": entries,
            "comment": comment,
            "missing_comment": request.POST.get("post") == "yes",
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, self.request_changes_template, context)
