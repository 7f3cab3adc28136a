"""Read-only views of what the system did: the audit trail, publications and jobs."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from bulletin.models import Job, Publication, WorkflowEvent
from bulletin.services.jobs import job_retry
from core.admin import ReadOnlyRichTextMixin


class ReadOnlyMixin(ReadOnlyRichTextMixin):
    """For records the system writes: seen in the admin, never added, changed or deleted."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadOnlyMixin, admin.ModelAdmin):
    pass


@admin.register(WorkflowEvent)
class WorkflowEventAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "actor",
        "action",
        "issue",
        "entry",
        "from_state_label",
        "to_state_label",
        "comment",
    ]
    list_filter = ["action"]
    search_fields = ["comment", "entry__title", "issue__title"]
    list_select_related = ["actor", "issue__bulletin", "entry"]
    date_hierarchy = "created_at"
    fields = list_display
    readonly_fields = ["created_at", "from_state_label", "to_state_label"]

    # The states by their names, not their stored values.
    @admin.display(description=_("from"), ordering="from_state")
    def from_state_label(self, event):
        return event.from_state_label

    @admin.display(description=_("to"), ordering="to_state")
    def to_state_label(self, event):
        return event.to_state_label


@admin.register(Publication)
class PublicationAdmin(ReadOnlyAdmin):
    list_display = ["issue", "published_at", "published_by"]
    list_select_related = ["issue__bulletin", "published_by"]
    exclude = ["content"]


@admin.register(Job)
class JobAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "name",
        "status",
        "attempts",
        "run_after",
        "finished_at",
        "last_error",
    ]
    list_filter = ["status", "name"]
    actions = ["retry"]

    @admin.action(description=_("Retry the selected failed jobs"))
    def retry(self, request, queryset):
        failed = list(queryset.filter(status=Job.Status.FAILED))
        for job in failed:
            job_retry(job=job, user=request.user)
        messages.success(request, _("%(count)s jobs queued again.") % {"count": len(failed)})
