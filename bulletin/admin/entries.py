"""The entry admin: lawyers write entries with their links and commentary, and move them
through review. The rules come from bulletin.services.workflow, not from hidden buttons."""

import html

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from bulletin.admin import columns
from bulletin.admin.deletion import LinkRowsHiddenMixin
from bulletin.admin.review import EntryBulkActionsMixin
from bulletin.admin.workflow import OptimisticLockForm, WorkflowAdminMixin
from bulletin.models import Issue
from bulletin.roles import Role, has_role
from bulletin.services import workflow
from bulletin.services.entries import entry_delete, entry_save, jurisdictions_from_catalogue
from bulletin.services.links import links_waiting
from bulletin.services.versions import entry_revert
from bulletin.translation.admin import translation_filters
from entries.admin import CommentaryInline, EntryLinkInline
from entries.catalogue import places, suggest_entry
from entries.models import Entry, Section

SUGGESTED = "suggested_jurisdictions"


class CodesField(forms.MultipleChoiceField):
    def to_python(self, value):
        return [code for code in super().to_python(value) if code]  # "" is no choice

    def has_changed(self, initial, data):
        return bool(self.to_python(data))  # a tick is a change; nothing ticked is none


class EntryForm(OptimisticLockForm):
    suggested_jurisdictions = CodesField(
        label=_("Suggested from the text"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "The places the title, source or court name (else the summary), as last saved: tick "
            "one to add it."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field, entry = self.fields["suggested_jurisdictions"], self.instance
        if entry.pk:
            codes = suggest_entry(
                title=entry.title,
                source=entry.source,
                court=entry.court,
                caption=entry.case_caption,
                summary=html.unescape(strip_tags(entry.summary)),
            )
            tagged = {j.code for j in self.initial.get("jurisdictions") or []}
            catalogue = places()
            field.choices = [
                (code, f"{catalogue[code].name} · {catalogue[code].name_en} ({code})")
                for code in codes
                if code not in tagged
            ]
        if not field.choices:
            field.widget = forms.MultipleHiddenInput()  # nothing to offer: no row

    def _get_validation_exclusions(self):
        # The position is checked in clean(), so that its message stands next to the field.
        return {*super()._get_validation_exclusions(), "position"}

    def clean(self):
        cleaned = super().clean()
        section, position = cleaned.get("section"), cleaned.get("position")
        taken = Entry.objects.filter(section=section, position=position).exclude(
            pk=self.instance.pk
        )
        if section and position and taken.exists():
            self.add_error("position", _("Another entry of this section has this position."))
        return cleaned


class CheckedLinkInline(EntryLinkInline):
    """The links with their state, and whether a check of them is on its way."""

    def waiting_urls(self, urls: list[str]) -> set[str]:
        return links_waiting(urls)


class EntryStateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return Entry.State.choices

    def queryset(self, request, queryset):
        return queryset.filter(state=self.value()) if self.value() else queryset


class IssueListFilter(admin.RelatedFieldListFilter):
    """The issues to filter by, each named with its bulletin, read in one query."""

    def field_choices(self, field, request, model_admin):
        issues = Issue.objects.select_related("bulletin")
        ordering = self.field_admin_ordering(field, request, model_admin)
        if ordering:
            issues = issues.order_by(*ordering)
        return [(issue.pk, str(issue)) for issue in issues]


@admin.register(Entry)
class EntryAdmin(EntryBulkActionsMixin, LinkRowsHiddenMixin, WorkflowAdminMixin, admin.ModelAdmin):
    form = EntryForm
    list_display = [
        "title",
        columns.entry_issue,
        "section",
        "position",
        "kind",
        "state",
        "published_on",
    ]
    list_display_links = ["title"]
    list_filter = [
        EntryStateFilter,
        "issue__bulletin",
        ("issue", IssueListFilter),
        "kind",
        "tags",
        "jurisdictions",
    ]
    search_fields = ["title", "summary", "source", "case_caption", "docket_number"]
    list_select_related = ["issue__bulletin", "section"]
    autocomplete_fields = ["jurisdictions"]
    date_hierarchy = "published_on"
    inlines = [CheckedLinkInline, CommentaryInline]
    readonly_fields = ["state"]
    transitions_all = workflow.ENTRY_TRANSITIONS
    fieldsets = [
        (None, {"fields": ["section", "position", "kind", "title", "state"]}),
        (
            None,
            {
                "fields": [
                    "published_on",
                    "source",
                    "jurisdictions",
                    "suggested_jurisdictions",
                    "tags",
                ]
            },
        ),
        (_("Case"), {"fields": ["case_caption", "docket_number", "court"]}),
        (None, {"fields": ["summary"]}),
    ]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and self.has_change_permission(request, obj):
            return fieldsets
        # Suggestions are for whoever may edit the entry (and a saved one has text to read).
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f != SUGGESTED]})
            for name, options in fieldsets
        ]

    def get_list_filter(self, request):
        # One filter per language the entries are translated into (the settings' languages).
        return [*super().get_list_filter(request), *translation_filters("entry")]

    def get_queryset(self, request):
        # The permission checks read each entry's issue. The list applies list_select_related
        # only to a queryset that selects nothing yet, so this selects what both need.
        return super().get_queryset(request).select_related(*self.list_select_related)

    def has_add_permission(self, request):
        return super().has_add_permission(request) and has_role(
            request.user, Role.AUTHOR, Role.EDITOR
        )

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or workflow.entry_can_edit(user=request.user, entry=obj)

    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request, obj) or not has_role(
            request.user, Role.EDITOR
        ):
            return False
        return obj is None or workflow.entry_can_delete(user=request.user, entry=obj)

    def delete_model(self, request, obj):
        entry_delete(entry=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for entry in queryset:
            entry_delete(entry=entry, user=request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "section":
            open_issues = Issue.objects.accepting_entry_edits().values("pk")
            kwargs["queryset"] = (
                Section.objects.filter(issue__in=open_issues)
                .select_related("issue__bulletin")
                .order_by("-issue__year", "-issue__month", "issue_id", "position")
            )
            field = super().formfield_for_foreignkey(db_field, request, **kwargs)
            field.label_from_instance = columns.section_labeller(kwargs["queryset"])
            return field
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_with_service(self, request, form, formsets, write_related):
        # A change to its links or commentary is a change to the entry.
        changed = form.has_changed() or any(formset.has_changed() for formset in formsets)
        chosen = form.cleaned_data.get("suggested_jurisdictions") or []

        def write():
            write_related()
            if chosen:
                rows = jurisdictions_from_catalogue(codes=chosen, user=request.user)
                form.instance.jurisdictions.add(*rows)

        entry_save(entry=form.instance, user=request.user, changed=changed, write_related=write)

    def available_transitions(self, request, obj):
        return workflow.entry_transitions(user=request.user, entry=obj)

    def run_transition(self, request, obj, action, comment, when):
        workflow.entry_transition(entry=obj, user=request.user, action=action, comment=comment)

    def revert(self, obj, version, user):
        entry_revert(entry=obj, version=version, user=user)

    def preview_url(self, obj):
        return reverse("issue_preview", args=[obj.issue_id]) + f"#entry-{obj.pk}"
