"""The PDF in the admin: each issue's PDF and downloads, the renderings (with their errors and a
retry button), the publishers' signed links and the download log."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, OuterRef, Subquery
from django.http import Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from bulletin.admin.operations import ReadOnlyMixin
from bulletin.models import Issue
from bulletin.pdf import services
from bulletin.pdf.models import Download, IssuePdf, Rendering, SignedLink
from bulletin.roles import Role, has_role


def _may(request, *roles: str) -> bool:
    user = request.user
    return user.is_active and user.is_staff and has_role(user, *roles)


class PdfStaffAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Seen by publishers and editors; nothing is added, changed or deleted by hand."""

    roles = (Role.PUBLISHER, Role.EDITOR)

    def has_module_permission(self, request):
        return _may(request, Role.PUBLISHER, Role.EDITOR)

    def has_view_permission(self, request, obj=None):
        return _may(request, *self.roles)


@admin.register(IssuePdf)
class IssuePdfAdmin(PdfStaffAdmin):
    list_display = ["title", "bulletin", "state", "pdf_status", "downloads", "pdf_links"]
    list_display_links = None
    list_filter = ["bulletin", "state"]
    search_fields = ["title", "slug"]
    list_select_related = ["bulletin"]

    def get_queryset(self, request):
        latest = Rendering.objects.filter(issue=OuterRef("pk")).order_by("-created_at", "-pk")
        return (
            super()
            .get_queryset(request)
            .annotate(
                download_count=Count("pdf_downloads", distinct=True),
                rendering_status=Subquery(latest.values("status")[:1]),
                rendering_id=Subquery(latest.values("pk")[:1]),
            )
        )

    @admin.display(description=_("PDF"))
    def pdf_status(self, issue):
        if not issue.rendering_status:
            return "—"
        url = reverse("admin:pdf_rendering_change", args=[issue.rendering_id])
        label = Rendering.Status(issue.rendering_status).label
        return format_html('<a href="{}">{}</a>', url, label)

    @admin.display(description=_("downloads"), ordering="download_count")
    def downloads(self, issue):
        url = reverse("admin:pdf_download_changelist") + f"?issue__id__exact={issue.pk}"
        return format_html('<a href="{}">{}</a>', url, issue.download_count)

    @admin.display(description=_("actions"))
    def pdf_links(self, issue):
        links = [(reverse("pdf:preview", args=[issue.pk]), _("Preview the PDF"))]
        if issue.is_public:
            add_link = reverse("admin:pdf_signedlink_add") + f"?issue={issue.pk}"
            links.append((add_link, _("New signed link")))
        return format_html_join(" · ", '<a href="{}">{}</a>', links)


@admin.register(Rendering)
class RenderingAdmin(PdfStaffAdmin):
    list_display = [
        "created_at",
        "issue",
        "status",
        "attempts",
        "pages",
        "size",
        "started_at",
        "finished_at",
        "short_error",
    ]
    list_filter = ["status"]
    list_select_related = ["issue__bulletin"]
    search_fields = ["issue__title", "sha256", "content_hash"]
    readonly_fields = [
        "issue",
        "publication",
        "status",
        "attempts",
        "content_hash",
        "file_name",
        "pages",
        "size",
        "sha256",
        "error",
        "created_at",
        "started_at",
        "finished_at",
    ]
    actions = ["retry"]

    def get_urls(self):
        retry = self.admin_site.admin_view(require_POST(self.retry_view))
        return [
            path("<int:object_id>/retry/", retry, name="pdf_rendering_retry"),
            *super().get_urls(),
        ]

    @admin.display(description=_("error"))
    def short_error(self, rendering):
        return rendering.error[:120]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra = {"can_retry": _may(request, Role.PUBLISHER, Role.EDITOR)}
        return super().change_view(request, object_id, form_url, {**extra, **(extra_context or {})})

    def retry_view(self, request, object_id):
        rendering = Rendering.objects.filter(pk=object_id).first()
        if rendering is None:
            raise Http404
        if services.rendering_retry(rendering=rendering, user=request.user):
            messages.success(request, _("The PDF is being rendered again."))
        else:
            messages.warning(request, _("Only a failed rendering can be retried."))
        return HttpResponseRedirect(reverse("admin:pdf_rendering_change", args=[rendering.pk]))

    @admin.action(description=_("Retry the selected failed renderings"))
    def retry(self, request, queryset):
        try:
            count = sum(
                services.rendering_retry(rendering=r, user=request.user)
                for r in queryset.filter(status=Rendering.Status.FAILED)
            )
        except PermissionDenied as exc:
            messages.error(request, str(exc))
            return
        messages.success(request, _("%(count)s renderings queued again.") % {"count": count})


class SignedLinkForm(forms.ModelForm):
    class Meta:
        model = SignedLink
        fields = ["issue", "valid_days", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "issue" in self.fields:
            self.fields["issue"].queryset = Issue.objects.published().select_related("bulletin")
        if "valid_days" in self.fields:
            self.fields["valid_days"].widget.attrs.update(
                min=1, max=settings.PDF_SIGNED_LINK_MAX_DAYS
            )

    def clean_valid_days(self):
        days = self.cleaned_data["valid_days"]
        if not 1 <= days <= settings.PDF_SIGNED_LINK_MAX_DAYS:
            raise ValidationError(
                _("A link is valid for 1 to %(days)s days.")
                % {"days": settings.PDF_SIGNED_LINK_MAX_DAYS}
            )
        return days


@admin.register(SignedLink)
class SignedLinkAdmin(admin.ModelAdmin):
    form = SignedLinkForm
    list_display = ["created_at", "issue", "note", "created_by", "expires_at", "state", "uses"]
    list_select_related = ["issue__bulletin", "created_by"]
    search_fields = ["note", "issue__title"]
    readonly_fields = ["address", "created_by", "created_at", "expires_at", "revoked_at"]
    actions = ["revoke"]

    def has_module_permission(self, request):
        return _may(request, Role.PUBLISHER)

    def has_view_permission(self, request, obj=None):
        return _may(request, Role.PUBLISHER)

    def has_add_permission(self, request):
        return _may(request, Role.PUBLISHER)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(download_count=Count("downloads"))

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["issue", "valid_days", "note"]
        return ["issue", "note", "address", "created_by", "created_at", "expires_at", "revoked_at"]

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "issue", "note"] if obj else []

    @admin.display(description=_("address"))
    def address(self, link):
        url = settings.SITE_URL + reverse("pdf:signed", args=[link.token])
        return format_html('<a href="{0}"><code>{0}</code></a>', url)

    @admin.display(description=_("expires"))
    def expires_at(self, link):
        return link.expires_at

    @admin.display(description=_("state"))
    def state(self, link):
        if link.revoked_at:
            return _("revoked")
        return _("valid") if link.is_valid else _("expired")

    @admin.display(description=_("downloads"), ordering="download_count")
    def uses(self, link):
        return link.download_count

    def save_model(self, request, obj, form, change):
        try:
            link = services.signed_link_create(
                issue=obj.issue, user=request.user, valid_days=obj.valid_days, note=obj.note
            )
        except ValidationError as exc:
            raise PermissionDenied(" ".join(exc.messages)) from exc
        obj.pk, obj.token, obj.created_by, obj.created_at = (
            link.pk,
            link.token,
            link.created_by,
            link.created_at,
        )

    def response_add(self, request, obj, post_url_continue=None):
        messages.success(request, format_html("{} {}", _("Send this address:"), self.address(obj)))
        return HttpResponseRedirect(reverse("admin:pdf_signedlink_change", args=[obj.pk]))

    @admin.action(description=_("Revoke the selected links"))
    def revoke(self, request, queryset):
        for link in queryset:
            services.signed_link_revoke(link=link, user=request.user)
        messages.success(request, _("Links revoked."))


@admin.register(Download)
class DownloadAdmin(PdfStaffAdmin):
    list_display = ["created_at", "issue", "user", "link"]
    list_filter = ["issue"]
    list_select_related = ["issue__bulletin", "user", "link"]
    date_hierarchy = "created_at"
    search_fields = ["issue__title", "user__username", "link__note"]
