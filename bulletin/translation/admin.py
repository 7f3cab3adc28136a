"""The translations in the admin: the translate screen of a unit (its source, rendered and
read-only, beside the translation's form, with the steps the user may take), the list of all
translations, and the entry list's filters by translation state. Every write calls
bulletin.translation.services."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bulletin.roles import can_read_drafts
from bulletin.services.events import WorkflowError
from bulletin.services.workflow import four_eyes_relaxed
from bulletin.translation.forms import TranslationForm, version_of
from bulletin.translation.languages import language_name, source_language, target_languages
from bulletin.translation.machine import MachineError, provider_configured
from bulletin.translation.models import Translation
from bulletin.translation.selectors import FILTER_CHOICES, filter_by_translation, source_diff
from bulletin.translation.services import (
    TranslationConflict,
    translation_can_write,
    translation_get,
    translation_machine_draft,
    translation_save,
    translation_transition,
    translation_transitions,
    untranslated,
)
from bulletin.translation.units import KINDS, SIMPLE_KINDS, source_texts

T = Translation.State
STEP_LABELS = {
    "submit": gettext_lazy("Submit for review"),
    "request_changes": gettext_lazy("Request changes"),
    "approve": gettext_lazy("Approve"),
}


def translate_url(kind: str, pk: int, language: str) -> str:
    return reverse("admin:translation_translation_translate", args=[kind, pk, language])


def translation_filter(*, kind: str, language: str) -> type[admin.SimpleListFilter]:
    """A list filter of the units by the state of their translation into the language."""

    class TranslationStateFilter(admin.SimpleListFilter):
        parameter_name = f"translation_{language}"
        title = "translation"  # replaced per request, in the user's language

        def __init__(self, request, params, model, model_admin):
            self.title = _("%(language)s translation") % {"language": language_name(language)}
            super().__init__(request, params, model, model_admin)

        def lookups(self, request, model_admin):
            return FILTER_CHOICES

        def queryset(self, request, queryset):
            if not self.value():
                return queryset
            return filter_by_translation(queryset, kind=kind, language=language, value=self.value())

    return TranslationStateFilter


def translation_filters(kind: str) -> list[type[admin.SimpleListFilter]]:
    """One filter per language the content is translated into (the settings' languages)."""
    return [translation_filter(kind=kind, language=code) for code in target_languages()]


@admin.register(Translation)
class TranslationAdmin(admin.ModelAdmin):
    """Every translation, to find work by language, state and outdated mark; each opens its
    translate screen (this list itself edits nothing)."""

    list_display = ["subject_link", "language", "state", "outdated", "translator", "reviewer"]
    list_filter = ["language", "state", "outdated"]
    list_select_related = ["entry", "issue", "bulletin", "author", "tag", "jurisdiction"]
    list_display_links = None

    @admin.display(description=gettext_lazy("translated text"))
    def subject_link(self, obj):
        url = translate_url(obj.subject_kind, obj.subject.pk, obj.language)
        return format_html('<a href="{}">{}</a>', url, obj.subject)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        view = self.admin_site.admin_view(self.translate_view)
        return [
            path(
                "translate/<slug:kind>/<int:pk>/<str:language>/",
                view,
                name="translation_translation_translate",
            ),
            *super().get_urls(),
        ]

    def translate_view(self, request, kind, pk, language):
        """The translate screen: GET shows it; POST saves, or takes a step, then comes back."""
        if request.method not in ("GET", "POST"):
            raise Http404
        if kind not in KINDS:
            raise Http404
        if not can_read_drafts(request.user):
            raise PermissionDenied
        subject = get_object_or_404(KINDS[kind], pk=pk)
        if language not in target_languages(subject):
            raise Http404
        translation = translation_get(subject=subject, language=language)
        sources = source_texts(subject)
        can_write = translation_can_write(user=request.user, subject=subject, language=language)
        form = TranslationForm(
            request.POST if request.method == "POST" and can_write else None,
            sources=sources,
            translation=translation,
            subject=subject,
        )
        if request.method == "POST":
            done = self._post(request, subject, language, translation, form, can_write)
            if done:
                return HttpResponseRedirect(request.path)
            translation = translation_get(subject=subject, language=language)
        return self._render(request, kind, subject, language, translation, form, can_write)

    def _post(self, request, subject, language, translation, form, can_write) -> bool:
        action = request.POST.get("_action", "")
        if action in ("save", "save_submit"):
            if not can_write:
                raise PermissionDenied
            return self._save(request, subject, language, form, submit=action == "save_submit")
        if action == "machine":
            if not can_write:
                raise PermissionDenied
            return self._machine(request, subject, language)
        if action in STEP_LABELS and translation is not None:
            return self._step(request, translation, action)
        raise Http404

    def _machine(self, request, subject, language) -> bool:
        seen = request.POST.get("version", "")
        try:
            _translation, labels = translation_machine_draft(
                subject=subject,
                language=language,
                user=request.user,
                version=int(seen) if seen.isdigit() else None,
            )
        except (MachineError, TranslationConflict, WorkflowError, PermissionDenied) as exc:
            messages.error(request, str(exc))
            return True  # nothing was written: show the screen as it stands
        messages.success(
            request,
            _(
                "Machine draft written for: %(texts)s. Each is marked “machine draft” until you "
                "edit it: read it against the original before you submit it."
            )
            % {"texts": _(", ").join(labels)},
        )
        return True

    def _save(self, request, subject, language, form, *, submit: bool) -> bool:
        if not form.is_valid():
            messages.error(request, _("Nothing was saved: correct the errors below."))
            return False
        try:
            saved = translation_save(
                subject=subject,
                language=language,
                texts=form.texts(),
                user=request.user,
                version=form.cleaned_data.get("version"),
            )
        except ValidationError as exc:
            form.add_text_errors(exc.message_dict if hasattr(exc, "error_dict") else {"": exc})
            messages.error(request, _("Nothing was saved: correct the errors below."))
            return False
        except (TranslationConflict, WorkflowError, PermissionDenied) as exc:
            messages.error(request, str(exc))
            return False
        if not submit:
            messages.success(request, _("The translation is saved."))
            return True
        return self._step(request, saved, "submit", saved_first=True)

    def _step(self, request, translation, action, *, saved_first: bool = False) -> bool:
        seen = request.POST.get("version") if not saved_first else None
        try:
            translation_transition(
                translation=translation,
                user=request.user,
                action=action,
                comment=request.POST.get("comment", "")[:5000],
                version=int(seen) if seen and seen.isdigit() else None,
                machine_checked=request.POST.get("machine_checked") == "1",
            )
        except (WorkflowError, PermissionDenied) as exc:
            values = {"action": STEP_LABELS[action], "reason": str(exc)}
            text = (
                _("Your changes are saved, but “%(action)s” was not done: %(reason)s")
                if saved_first
                else _("“%(action)s” was not done: %(reason)s")
            )
            messages.error(request, text % values)
            return saved_first
        if action == "approve" and four_eyes_relaxed():
            messages.warning(
                request,
                _("The four-eyes rule is relaxed on this installation (WORKFLOW_FOUR_EYES=0)."),
            )
        messages.success(request, _("Done: %(action)s.") % {"action": STEP_LABELS[action]})
        return True

    def _render(self, request, kind, subject, language, translation, form, can_write):
        steps = translation_transitions(user=request.user, translation=translation)
        model = KINDS[kind]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "subject_opts": model._meta,
            "subject": subject,
            "kind": kind,
            "simple": kind in SIMPLE_KINDS,
            "title": _("Translate into %(language)s: %(subject)s")
            % {"language": language_name(language), "subject": subject},
            "language": language,
            "language_name": language_name(language),
            "source_language": source_language(subject),
            "source_language_name": language_name(source_language(subject)),
            "translation": translation,
            "form": form,
            "rows": form.rows(),
            "can_write": can_write,
            "editable": can_write and (translation is None or translation.state != T.IN_REVIEW),
            "can_submit": can_write and kind not in SIMPLE_KINDS,
            "steps": [(name, STEP_LABELS[name]) for name in steps if name != "submit"],
            "diff": source_diff(translation) if translation and translation.outdated else [],
            "events": translation.events.select_related("actor")[:50] if translation else [],
            "version": version_of(translation),
            "media": self.media + form.media,
            "subject_url": _subject_url(subject),
            "four_eyes_relaxed": four_eyes_relaxed(),
            "machine_available": provider_configured()
            and can_write
            and (translation is None or bool(untranslated(translation))),
            "machine_keys": set(translation.machine_keys) if translation else set(),
        }
        return TemplateResponse(request, "admin/translation/translate.html", context)


def _subject_url(subject) -> str:
    meta = subject._meta
    try:
        return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[subject.pk])
    except NoReverseMatch:  # a model without an admin page has no link
        return ""
