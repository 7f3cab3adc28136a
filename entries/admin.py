from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.template.loader import render_to_string
from django.utils.safestring import SafeData
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from taggit.admin import TagAdmin
from taggit.models import Tag

from entries.models import Commentary, EntryLink, Jurisdiction, LinkCheck, Section


@admin.register(Jurisdiction)
class JurisdictionAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "code", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["name", "name_en", "code"]
    autocomplete_fields = ["parent"]


class EntryLinkInline(admin.TabularInline):
    """The entry's links, each with the state its latest check found (read once per page)."""

    model = EntryLink
    extra = 1
    fields = ["position", "kind", "label", "url", "archive_copy", "link_state"]
    readonly_fields = ["link_state"]

    @admin.display(description=_("state"))
    def link_state(self, link: EntryLink) -> str:
        if link.pk is None:
            return "–"
        checks, waiting = self._states(link.entry_id)
        return render_to_string(
            "admin/entries/link_check.html",
            {"check": checks.get(link.url), "waiting": link.url in waiting},
        )

    def waiting_urls(self, urls: list[str]) -> set[str]:
        """The URLs whose check is on its way (the outbox knows; content does not import it)."""
        return set()

    def _states(self, entry_id: int):
        if getattr(self, "_states_of", (None,))[0] != entry_id:
            urls = list(EntryLink.objects.filter(entry_id=entry_id).values_list("url", flat=True))
            checks = LinkCheck.objects.latest_for(urls)
            self._states_of = (entry_id, checks, self.waiting_urls(urls))
        return self._states_of[1:]


class CommentaryInline(admin.StackedInline):
    model = Commentary
    extra = 0
    max_num = 1
    fields = ["body", "authors"]
    filter_horizontal = ["authors"]


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    """A list to find sections by; they are written on their issue's page only, where the issue's
    own rules (an editor, a draft issue) apply to them as to the rest of the issue."""

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

    @admin.display(description=_("entries"), ordering="entry_count")
    def entry_count(self, section):
        return section.entry_count

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.unregister(Tag)


@admin.register(Tag)
class GuardedTagAdmin(TagAdmin):
    """django-taggit's admin, whose merge page checks no permission: only those who may change
    tags may merge them."""

    def merge_tags_view(self, request):
        if not self.has_change_permission(request):
            raise PermissionDenied
        return super().merge_tags_view(request)

    # django-taggit names its action and writes its messages in English only.
    @admin.action(description=_("Merge selected tags"), permissions=["change"])
    def render_tag_form(self, request, queryset):
        return super().render_tag_form(request, queryset)

    def message_user(self, request, message, *args, **kwargs):
        if not isinstance(message, SafeData):  # Django's own messages are translated HTML
            message = gettext(str(message))
        super().message_user(request, message, *args, **kwargs)
