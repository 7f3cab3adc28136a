"""What the entry and issue admins share: role-aware editing, optimistic locking, the workflow
buttons with their comments, the audit trail, saved versions, comparison and revert.

Where the user may edit the page, its workflow buttons belong to the edit form: one POST saves
the form through its service, then takes the step, in one transaction; a form with errors takes
no step and comes back with the user's input. Elsewhere (read-only pages) each button is its own
small form, posted to transition_view; the steps that cannot be undone quietly (publish now,
withdraw) are confirmed on a page that says what will happen."""

import zoneinfo

import reversion
from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from reversion.models import Version

from bulletin import history
from bulletin.inbox import change_request_open
from bulletin.services.workflow import Transition, WorkflowError, four_eyes_relaxed
from bulletin.translation.selectors import translation_rows
from core.admin import ReadOnlyRichTextMixin


class OptimisticLockForm(forms.ModelForm):
    """Refuses a save made from an out-of-date page instead of silently overwriting."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            model = type(self.instance)
            # Lock the row until this request's transaction ends: two saves cannot cross.
            current = (
                model.objects.select_for_update()
                .filter(pk=self.instance.pk)
                .values_list("version", flat=True)
                .first()
            )
            if cleaned.get("version") != current:
                url = reverse(
                    f"admin:{model._meta.app_label}_{model._meta.model_name}_change",
                    args=[self.instance.pk],
                )
                raise ValidationError(
                    format_html(
                        _(
                            "Someone saved this {} while you were editing it. Your changes "
                            'were not saved. <a href="{}">Open the newer version</a> and make '
                            "them again."
                        ),
                        model._meta.verbose_name,
                        url,
                    ),
                    code="stale",
                )
        return cleaned


class WorkflowAdminMixin(ReadOnlyRichTextMixin):
    """Shared by EntryAdmin and IssueAdmin; they name their transitions and services."""

    form = OptimisticLockForm
    change_form_template = "admin/bulletin/workflow_change_form.html"
    object_history_template = "admin/bulletin/object_history.html"
    # Every transition of the model, by name (provided by the admin using the mixin).
    transitions_all: dict[str, Transition] = {}

    class Media:
        js = ["js/admin-unsaved-changes.js"]
        css = {"all": ["css/admin-workflow.css"]}

    # Provided by the admin using the mixin.
    def available_transitions(self, request, obj):
        raise NotImplementedError

    def when_default(self, obj, action) -> str:
        """The value its date input starts with on the confirmation page."""
        return ""

    def transition_outcomes(self, obj, action) -> list[str]:
        """What the action will do, for its confirmation page."""
        return []

    def run_transition(self, request, obj, action, comment, when):
        raise NotImplementedError

    def save_with_service(self, request, form, formsets, write_related):
        """Save form.instance through its save service, which calls write_related."""
        raise NotImplementedError

    def revert(self, obj, version, user):
        raise NotImplementedError

    def preview_url(self, obj) -> str:
        raise NotImplementedError

    def get_urls(self):
        prefix = f"{self.model._meta.app_label}_{self.model._meta.model_name}"
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/transition/<slug:action>/",
                view(self.transition_view),
                name=f"{prefix}_transition",
            ),
            path("<path:object_id>/compare/", view(self.compare_view), name=f"{prefix}_compare"),
            path(
                "<path:object_id>/revert/<int:version_id>/",
                view(self.revert_view),
                name=f"{prefix}_revert",
            ),
            *super().get_urls(),
        ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.base_fields["version"].initial = obj.version if obj else 1
        return form

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        with reversion.create_revision():
            reversion.set_user(request.user)
            return super().changeform_view(request, object_id, form_url, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        extra = {}
        if obj is not None:
            transitions = self.available_transitions(request, obj)
            in_form = self.has_change_permission(request, obj)
            extra = {
                "transitions": transitions,
                "panel_transitions": [] if in_form else transitions,
                "form_transitions": self._form_transitions(request, transitions) if in_form else [],
                "change_request": change_request_open(obj),
                "events": obj.events.select_related("actor")[:50],
                "four_eyes_relaxed": four_eyes_relaxed(),
                "preview_url": self.preview_url(obj),
                "firm_timezone": settings.TIME_ZONE,
                "translations": translation_rows(obj),
                "transition_url_name": (
                    f"admin:{self.model._meta.app_label}_{self.model._meta.model_name}_transition"
                ),
            }
        return super().change_view(request, object_id, form_url, {**extra, **(extra_context or {})})

    @staticmethod
    def _form_transitions(request, transitions):
        """The transitions as buttons of the edit form, with what the user typed for each (kept
        when the form comes back with errors)."""
        posted = request.POST if request.method == "POST" else {}
        return [
            {
                "name": name,
                "transition": transition,
                "comment": posted.get(f"_comment_{name}", ""),
                "when": posted.get(f"_when_{name}", ""),
            }
            for name, transition in transitions
        ]

    def _change_url(self, obj) -> str:
        return reverse(
            f"admin:{self.model._meta.app_label}_{self.model._meta.model_name}_change",
            args=[obj.pk],
        )

    def _label(self, action: str) -> str:
        transition = self.transitions_all.get(action)
        return str(transition.label) if transition else action

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        action = request.POST.get("_transition") if request.method == "POST" else None
        if action:  # a valid form would have been saved and redirected: this one has errors
            messages.error(
                request,
                _(
                    "Nothing was saved and “%(action)s” was not done: correct the errors below "
                    "(your input is still here) and try again."
                )
                % {"action": self._label(action)},
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def response_change(self, request, obj):
        action = request.POST.get("_transition")
        if not action:
            return super().response_change(request, obj)
        # The form is saved, in this request's transaction: the step follows in it. A refused
        # step rolls back alone (its service is atomic) and the saved changes stay.
        comment = request.POST.get(f"_comment_{action}", "")[:5000]
        when = self._parse_when(request.POST.get(f"_when_{action}", ""))
        values = {"action": self._label(action)}
        try:
            self.run_transition(request, obj, action, comment, when)
        except (WorkflowError, PermissionDenied) as exc:
            values["reason"] = str(exc)
            messages.error(
                request,
                _("Your changes are saved, but “%(action)s” was not done: %(reason)s") % values,
            )
        else:
            self._warn_if_relaxed(request, action)
            messages.success(
                request, _("Your changes are saved and “%(action)s” is done.") % values
            )
        return HttpResponseRedirect(self._change_url(obj))

    @staticmethod
    def _warn_if_relaxed(request, action: str) -> None:
        if action == "approve" and four_eyes_relaxed():
            messages.warning(
                request,
                _("The four-eyes rule is relaxed on this installation (WORKFLOW_FOUR_EYES=0)."),
            )

    def save_model(self, request, obj, form, change):
        """Nothing yet: save_related saves the object with its inlines, through its service."""

    def save_related(self, request, form, formsets, change):
        parent = super()
        self.save_with_service(
            request,
            form,
            formsets,
            write_related=lambda: parent.save_related(request, form, formsets, change),
        )

    @staticmethod
    def _parse_when(value: str):
        """A date-time typed in the firm's time zone."""
        try:
            when = parse_datetime((value or "").strip())
        except ValueError:  # a well-formed but impossible date, e.g. 30 February
            return None
        if when is None:
            return None
        if timezone.is_naive(when):
            when = when.replace(tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE))
        return when

    def transition_view(self, request, object_id, action):
        """One step from a read-only page (no form to lose); GET: the confirmation page of a
        step that asks for one."""
        if request.method not in ("GET", "POST"):
            raise Http404
        obj = self.get_object(request, object_id)
        if obj is None:
            raise Http404
        if not self.has_view_permission(request, obj):
            raise PermissionDenied
        if request.method == "GET":
            return self._confirmation(request, obj, action)
        change_url = self._change_url(obj)
        seen = request.POST.get("version")
        if seen is not None and seen != str(obj.version):  # edited since the page was shown
            messages.error(
                request,
                _("It changed after you opened the page: read it again before you act on it."),
            )
            return HttpResponseRedirect(change_url)
        comment = request.POST.get("comment", "")[:5000]
        when = self._parse_when(request.POST.get("when", ""))
        try:
            self.run_transition(request, obj, action, comment, when)
        except WorkflowError as exc:
            messages.error(request, str(exc))
            return HttpResponseRedirect(change_url)
        self._warn_if_relaxed(request, action)
        messages.success(request, _("Done: %(object)s.") % {"object": obj})
        return HttpResponseRedirect(change_url)

    def _confirmation(self, request, obj, action):
        """The page that says what the step will do, with its button (and comment box)."""
        transition = dict(self.available_transitions(request, obj)).get(action)
        if transition is None or not transition.confirm:
            raise Http404
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": obj,
            "title": f"{transition.label}: {obj}",
            "action": action,
            "transition": transition,
            "outcomes": self.transition_outcomes(obj, action),
            "change_url": self._change_url(obj),
            "firm_timezone": settings.TIME_ZONE,
            "when_default": self.when_default(obj, action),
        }
        return TemplateResponse(request, "admin/bulletin/transition_confirm.html", context)

    def history_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, object_id)
        extra = {"versions": history.versions_of(obj)} if obj else {}
        return super().history_view(request, object_id, {**extra, **(extra_context or {})})

    def compare_view(self, request, object_id):
        obj = self.get_object(request, object_id)
        if obj is None or not self.has_view_permission(request, obj):
            raise Http404
        versions = {v.pk: v for v in history.versions_of(obj)}
        try:
            a, b = (versions[int(request.GET[key])] for key in ("a", "b"))
        except (KeyError, ValueError) as exc:
            raise Http404 from exc
        older, newer = sorted([a, b], key=lambda v: v.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": obj,
            "title": _("Compare versions"),
            "older": older,
            "newer": newer,
            "rows": history.compare(older, newer),
            "can_revert": self.has_change_permission(request, obj),
        }
        return TemplateResponse(request, "admin/bulletin/compare.html", context)

    @staticmethod
    def _version_for(obj, version_id):
        return get_object_or_404(Version.objects.get_for_object(obj), pk=version_id)

    def revert_view(self, request, object_id, version_id):
        return require_POST(self._revert)(request, object_id, version_id)

    def _revert(self, request, object_id, version_id):
        obj = self.get_object(request, object_id)
        if obj is None:
            raise Http404
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        version = self._version_for(obj, version_id)
        try:
            self.revert(obj, version, request.user)
        except WorkflowError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Reverted. The result is saved as a new version."))
        return HttpResponseRedirect(self._change_url(obj))
