from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bulletin.admin import columns
from bulletin.admin.deletion import LinkRowsHiddenMixin
from bulletin.admin.review import IssueReviewAdminMixin
from bulletin.admin.workflow import WorkflowAdminMixin
from bulletin.editions import languages_in_work
from bulletin.models import Bulletin, Issue
from bulletin.outcomes import issue_outcomes
from bulletin.roles import Role, has_role
from bulletin.services import workflow
from bulletin.services.editions import issue_publish_edition
from bulletin.services.events import WorkflowError
from bulletin.services.issues import issue_delete, issue_entries_reorder, issue_save
from bulletin.services.publishing import back_issue_default_date
from bulletin.services.versions import issue_revert
from bulletin.transfer.admin import IssueTransferAdminMixin
from bulletin.translation.languages import language_name, source_language, target_languages
from core.admin import ReadOnlyRichTextMixin
from entries.models import Entry, Section


@admin.register(Bulletin)
class BulletinAdmin(ReadOnlyRichTextMixin, admin.ModelAdmin):
    list_display = ["name", "slug", "language", "firm_name", "contact_email"]
    search_fields = ["name", "firm_name"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["team"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "description", "language"]}),
        (_("Firm and team"), {"fields": ["firm_name", "team_name", "team", "contact_email"]}),
        (_("Content"), {"fields": ["commentary_label", "default_sections", "disclaimer"]}),
        (_("PDF"), {"fields": ["partners_only"]}),
        (_("Cited pages"), {"fields": ["archive_copies"]}),
        (_("Email"), {"fields": ["edition_email"]}),
    ]


class SectionInline(admin.TabularInline):
    model = Section
    extra = 0
    fields = ["position", "title"]


class EntryOrderForm(forms.ModelForm):
    def _get_validation_exclusions(self):
        # Positions are checked across the whole formset (swaps are allowed), not row by row.
        return {*super()._get_validation_exclusions(), "position"}


class EntryOrderFormSet(forms.BaseInlineFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "section" in form.fields:
            # Every row offers the same sections: read them once, not once per row.
            form.fields["section"].choices = self._section_choices(form.fields["section"])

    def _section_choices(self, field) -> list:
        if not hasattr(self, "_shared_section_choices"):
            self._shared_section_choices = list(field.choices)
        return self._shared_section_choices

    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or form in self.deleted_forms or not {"section", "position"} <= data.keys():
                continue
            key = (data["section"].pk, data["position"])
            if key in seen:
                raise ValidationError(
                    _("Two entries of “%(section)s” have position %(position)s.")
                    % {"section": data["section"], "position": data["position"]}
                )
            seen.add(key)

    def save_order(self, *, user) -> None:
        """Save the new order through its service; note what moved for the admin's log."""
        moved = [form for form in self.initial_forms if form.has_changed()]
        places = {
            form.instance.pk: (form.cleaned_data["section"].pk, form.cleaned_data["position"])
            for form in moved
        }
        if places:
            issue_entries_reorder(issue=self.instance, user=user, places=places)
        self.new_objects, self.deleted_objects = [], []
        self.changed_objects = [(form.instance, form.changed_data) for form in moved]


class EntryInline(admin.TabularInline):
    """The issue's entries in reading order; editors set their section and position here and
    open each entry on its own page for the rest."""

    model = Entry
    form = EntryOrderForm
    formset = EntryOrderFormSet
    template = "admin/bulletin/entry_inline.html"
    extra = 0
    max_num = 0
    can_delete = False
    fields = ["section", "position", "kind", "title", "state"]
    readonly_fields = ["kind", "title", "state"]
    show_change_link = True
    ordering = ["section__position", "position"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "section":
            issue_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = Section.objects.filter(issue_id=issue_id).order_by("position")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_add_permission(self, request, obj=None):
        return False  # entries are written on their own page

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if isinstance(getattr(field, "widget", None), RelatedFieldWidgetWrapper):
            # Sections are edited above on this page: no add/change/view links on every row.
            field.widget = field.widget.widget
        return field


@admin.register(Issue)
class IssueAdmin(
    columns.IssueEntryStatesMixin,
    LinkRowsHiddenMixin,
    IssueTransferAdminMixin,
    IssueReviewAdminMixin,
    WorkflowAdminMixin,
    admin.ModelAdmin,
):
    list_display = [
        "title",
        "bulletin",
        "number",
        "period_label",
        "state",
        "entry_states",
        columns.issue_publication_time,
    ]
    list_filter = ["bulletin", "state", "year"]
    search_fields = ["title", "slug"]
    list_select_related = ["bulletin"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["writers"]
    readonly_fields = ["state", "scheduled_at", "published_at"]
    transitions_all = workflow.ISSUE_TRANSITIONS
    fieldsets = [
        (None, {"fields": ["bulletin", "number", "volume", "year", "month", "title", "slug"]}),
        (None, {"fields": ["editors_note", "commentary_label", "writers", "partners_only"]}),
        (_("Publication"), {"fields": ["state", "scheduled_at", "published_at"]}),
    ]

    def get_inlines(self, request, obj):
        # Entries pick one of the issue's sections, which exist only once the issue is saved.
        return [SectionInline, EntryInline] if obj else [SectionInline]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and has_role(request.user, Role.EDITOR)

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or workflow.issue_can_edit(user=request.user, issue=obj)

    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request, obj):
            return False
        return obj is None or workflow.issue_can_edit(user=request.user, issue=obj)

    def delete_model(self, request, obj):
        issue_delete(issue=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for issue in queryset:
            issue_delete(issue=issue, user=request.user)

    def save_with_service(self, request, form, formsets, write_related):
        issue_save(
            issue=form.instance,
            user=request.user,
            changed=form.has_changed(),
            write_related=write_related,
        )

    def save_formset(self, request, form, formset, change):
        if isinstance(formset, EntryOrderFormSet):
            formset.save_order(user=request.user)
        else:
            super().save_formset(request, form, formset, change)

    @admin.display(description=_("period"), ordering="year")
    def period_label(self, issue):
        return issue.period_label

    def available_transitions(self, request, obj):
        return workflow.issue_transitions(user=request.user, issue=obj)

    def get_urls(self):
        publish = self.admin_site.admin_view(self.edition_publish_view)
        return [
            path(
                "<path:object_id>/edition/<str:language>/publish/",
                publish,
                name="bulletin_issue_edition_publish",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        issue = self.get_object(request, object_id)
        extra = {}
        if issue:
            extra["editions"] = self._edition_rows(request, issue)
            in_work = languages_in_work(issue)
            languages = [source_language(issue), *in_work] if in_work else []
            extra["email_languages"] = [(code, language_name(code)) for code in languages]
        return super().change_view(request, object_id, form_url, {**extra, **(extra_context or {})})

    @staticmethod
    def _edition_rows(request, issue: Issue) -> list[dict]:
        """Each language the issue is translated into, with its published edition (or None)."""
        current = issue.current_publication()
        may = issue.is_public and has_role(request.user, Role.PUBLISHER)
        rows = []
        for language in target_languages(issue):
            edition = issue.current_edition(language)
            behind = bool(edition and current and edition.source_id != current.pk)
            rows.append(
                {
                    "language": language,
                    "name": language_name(language),
                    "edition": edition,
                    "behind": behind,
                    "may_publish": may,
                }
            )
        return rows

    def edition_publish_view(self, request, object_id, language):
        """The publisher's button: publish (again) the issue's edition in the language."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        issue = self.get_object(request, object_id)
        if issue is None:
            raise Http404
        try:
            issue_publish_edition(issue=issue, user=request.user, language=language)
        except (WorkflowError, PermissionDenied) as exc:
            self.message_user(
                request, " ".join(getattr(exc, "messages", [str(exc)])), messages.ERROR
            )
        else:
            self.message_user(
                request,
                _("The %(language)s edition is published.") % {"language": language_name(language)},
                messages.SUCCESS,
            )
        return redirect(reverse("admin:bulletin_issue_change", args=[issue.pk]))

    def run_transition(self, request, obj, action, comment, when):
        workflow.issue_transition(
            issue=obj, user=request.user, action=action, comment=comment, when=when
        )

    def when_default(self, obj, action):
        if action != "publish_back":
            return ""
        return timezone.localtime(back_issue_default_date(obj)).date().isoformat()

    def transition_outcomes(self, obj, action):
        return issue_outcomes(issue=obj, action=action)

    def revert(self, obj, version, user):
        issue_revert(issue=obj, version=version, user=user)

    def preview_url(self, obj):
        return reverse("issue_preview", args=[obj.pk])
