"""The captures of cited pages, read only; "open" hands a member of staff a signed address of
the copy on the archive origin (which has no session to know them by)."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from bulletin.admin.operations import ReadOnlyAdmin
from bulletin.captures import RENDERINGS, archive_host, copy_url
from bulletin.roles import LINK_WATCHERS, has_role
from bulletin.services.captures import link_capture_again
from bulletin.services.links import link_check_again, links_report
from entries.models import LinkCapture


@admin.register(LinkCapture)
class LinkCaptureAdmin(ReadOnlyAdmin):
    list_display = ["captured_at", "source", "status", "content_type", "size", "open"]
    list_filter = ["truncated", "content_type"]
    search_fields = ["url", "final_url", "sha256"]
    list_select_related = ["link"]
    exclude = ["text"]
    readonly_fields = ["open"]

    def get_urls(self):
        opened = self.admin_site.admin_view(self.open_view)
        return [
            path("<int:pk>/open/", opened, name="entries_linkcapture_open"),
            path(
                "<int:pk>/open/<str:part>",
                opened,
                name="entries_linkcapture_open_part",
            ),
            path(
                "watch/",
                self.admin_site.admin_view(self.report_view),
                name="entries_linkcapture_report",
            ),
            path(
                "watch/<int:link_id>/<str:action>/",
                self.admin_site.admin_view(self.report_action_view),
                name="entries_linkcapture_report_action",
            ),
            *super().get_urls(),
        ]

    @admin.display(description=_("URL"), ordering="url")
    def source(self, capture: LinkCapture):
        """The URL cut to fit the list (whole in its title and on the capture's page)."""
        short = Truncator(capture.url).chars(48)
        return format_html('<span title="{}">{}</span>', capture.url, short)

    @admin.display(description=_("archived copy"))
    def open(self, capture: LinkCapture):
        if not capture.warc_name or not archive_host():
            return Truncator(capture.error).chars(40) or "—"
        links = [(reverse("admin:entries_linkcapture_open", args=[capture.pk]), _("Open"))]
        for part, label in (("screenshot.png", _("Screenshot")), ("rendered.pdf", _("PDF"))):
            if getattr(capture, RENDERINGS[part][0]):
                href = reverse("admin:entries_linkcapture_open_part", args=[capture.pk, part])
                links.append((href, label))
        return format_html_join(" · ", '<a href="{}" target="_blank" rel="noopener">{}</a>', links)

    def open_view(self, request, pk: int, part: str = ""):
        """Redirect to a signed, expiring address of the copy or of its rendering's screenshot
        or PDF (staff who may see captures)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        capture = get_object_or_404(LinkCapture.objects.kept(), pk=pk)
        if not archive_host() or (part and part not in RENDERINGS):
            raise PermissionDenied
        return redirect(copy_url(capture, signed=True, part=part))

    def report_view(self, request):
        """Dead and drifted links of the published issues, with a button to capture each again
        and one to check it again now (editors, reviewers, publishers)."""
        if not has_role(request.user, *LINK_WATCHERS):
            raise PermissionDenied
        issues = links_report()
        context = {
            **self.admin_site.each_context(request),
            "title": _("Dead and drifted links"),
            "issues": issues,
            "count": sum(len(rows) for _issue, rows in issues),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/entries/links_report.html", context)

    def report_action_view(self, request, link_id: int, action: str):
        if request.method != "POST" or action not in ("capture", "check"):
            raise PermissionDenied
        service = link_capture_again if action == "capture" else link_check_again
        try:
            asked = service(user=request.user, link_id=link_id)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            if action == "capture":
                done = _("A new capture of the link is on its way.")
                already = _("A capture of this link is already on its way.")
            else:
                done = _("The link is being checked again.")
                already = _("A check of this link is already on its way.")
            messages.success(request, done) if asked else messages.info(request, already)
        return redirect(reverse("admin:entries_linkcapture_report") + f"#link-{link_id}")
