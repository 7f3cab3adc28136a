from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from bulletin.models import Bulletin, Issue
from bulletin.services import issue_create_default_sections
from entries.models import Entry, Section


@admin.register(Bulletin)
class BulletinAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "language", "firm_name", "contact_email"]
    search_fields = ["name", "firm_name"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["team"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "description", "language"]}),
        (_("Firm and team"), {"fields": ["firm_name", "team_name", "team", "contact_email"]}),
        (_("Content"), {"fields": ["commentary_label", "default_sections", "disclaimer"]}),
    ]


class SectionInline(admin.TabularInline):
    model = Section
    extra = 0
    fields = ["position", "title"]


class EntryInline(admin.TabularInline):
    """The issue's entries in reading order; each opens on its own page for the full text."""

    model = Entry
    extra = 0
    fields = ["section", "position", "kind", "title", "published_on"]
    show_change_link = True
    ordering = ["section__position", "position"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "section":
            issue_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = Section.objects.filter(issue_id=issue_id).order_by("position")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Issue)
class IssueAdmin(admin.ModelAdmin):
    list_display = ["title", "bulletin", "number", "period_label", "state", "published_at"]
    list_filter = ["bulletin", "state", "year"]
    search_fields = ["title", "slug"]
    list_select_related = ["bulletin"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["writers"]
    readonly_fields = ["state", "published_at"]
    fieldsets = [
        (None, {"fields": ["bulletin", "number", "volume", "year", "month", "title", "slug"]}),
        (None, {"fields": ["editors_note", "writers"]}),
        (_("Publication"), {"fields": ["state", "published_at"]}),
    ]

    def get_inlines(self, request, obj):
        # Entries pick one of the issue's sections, which exist only once the issue is saved.
        return [SectionInline, EntryInline] if obj else [SectionInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if not change:
            issue_create_default_sections(issue=form.instance)

    @admin.display(description=_("period"), ordering="year")
    def period_label(self, issue):
        return issue.period_label
