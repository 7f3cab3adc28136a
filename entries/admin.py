from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from entries.models import Commentary, Entry, EntryLink, Jurisdiction, Section


@admin.register(Jurisdiction)
class JurisdictionAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "code", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["name", "name_en", "code"]
    autocomplete_fields = ["parent"]


class EntryLinkInline(admin.TabularInline):
    model = EntryLink
    extra = 1
    fields = ["position", "kind", "label", "url"]


class CommentaryInline(admin.StackedInline):
    model = Commentary
    extra = 0
    max_num = 1
    fields = ["body", "authors"]
    filter_horizontal = ["authors"]


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin):
    list_display = ["title", "issue", "section", "position", "kind", "published_on"]
    list_display_links = ["title"]
    list_filter = ["issue__bulletin", "issue", "kind", "tags", "jurisdictions"]
    search_fields = ["title", "summary", "source", "case_caption", "docket_number"]
    list_select_related = ["issue__bulletin", "section"]
    autocomplete_fields = ["jurisdictions"]
    date_hierarchy = "published_on"
    inlines = [EntryLinkInline, CommentaryInline]
    fieldsets = [
        (None, {"fields": ["section", "position", "kind", "title"]}),
        (None, {"fields": ["published_on", "source", "jurisdictions", "tags"]}),
        (_("Case"), {"fields": ["case_caption", "docket_number", "court"]}),
        (None, {"fields": ["summary"]}),
    ]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "section":
            kwargs["queryset"] = Section.objects.select_related("issue__bulletin").order_by(
                "-issue__year", "-issue__month", "issue_id", "position"
            )
            field = super().formfield_for_foreignkey(db_field, request, **kwargs)
            field.label_from_instance = lambda section: section.label
            return field
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["title", "issue", "position", "entry_count"]
    list_filter = ["issue__bulletin", "issue"]
    search_fields = ["title"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("issue__bulletin")
            .annotate(entry_count=Count("entries"))
        )

    @admin.display(ordering="entry_count")
    def entry_count(self, section):
        return section.entry_count
