"""Sends in the admin: live progress, pause, resume, cancel, retry of the failed deliveries,
an explicit send of a published issue, a test message to oneself and a browser preview."""

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, re_path, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bulletin.admin.operations import ReadOnlyMixin
from bulletin.mailing import selectors
from bulletin.mailing.admin.base import PublisherAdmin
from bulletin.mailing.forms import IssueChoiceForm
from bulletin.mailing.models import Delivery, Send
from bulletin.mailing.services import preview, sending
from bulletin.models import Issue
from bulletin.translation.languages import language_name, source_language

ACTIONS = {
    "pause": sending.send_pause,
    "resume": sending.send_resume,
    "cancel": sending.send_cancel,
    "retry": sending.send_retry_failed,
}


@admin.register(Send)
class SendAdmin(PublisherAdmin):
    list_display = [
        "issue",
        "edition_language",
        "status",
        "total",
        "sent",
        "failed",
        "created_at",
        "finished_at",
    ]
    list_filter = ["status", "bulletin"]
    list_select_related = ["issue__bulletin", "edition"]
    search_fields = ["issue__title"]
    fields = [
        "issue",
        "bulletin",
        "publication",
        "edition",
        "status",
        "total",
        "created_by",
        "created_at",
    ]
    readonly_fields = [*fields, "finished_at", "note"]
    change_form_template = "mailing/admin/send_change_form.html"
    change_list_template = "mailing/admin/send_change_list.html"

    @admin.display(description=gettext_lazy("edition"))
    def edition_language(self, send: Send) -> str:
        """The language of an edition's send; empty for the send of the publication."""
        return language_name(send.edition.language) if send.edition_id else ""

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .defer("rendered")
            .annotate(
                n_sent=Count("deliveries", filter=Q(deliveries__status="sent")),
                n_failed=Count("deliveries", filter=Q(deliveries__status="failed")),
            )
        )

    @admin.display(description=gettext_lazy("sent"), ordering="n_sent")
    def sent(self, send):
        return send.n_sent

    @admin.display(description=gettext_lazy("failed"), ordering="n_failed")
    def failed(self, send):
        return send.n_failed

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("test/", view(self.test_view), name="mailing_send_test"),
            path("preview/<int:issue_id>/", view(self.preview_view), name="mailing_send_preview"),
            re_path(
                r"^(?P<pk>\d+)/(?P<action>pause|resume|cancel|retry)/$",
                view(self.action_view),
                name="mailing_send_action",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        send = get_object_or_404(Send.objects.defer("rendered"), pk=object_id)
        progress = selectors.send_progress(send)
        extra_context = {
            **(extra_context or {}),
            "progress": progress,
            "send": send,
            "actions_allowed": sending.send_actions_allowed(send=send, failed=progress.failed),
            "preview_languages": self._preview_languages(send),
            # Nothing of a send is edited: it changes through the buttons above only.
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
            "show_delete": False,
        }
        return super().change_view(request, object_id, form_url, extra_context)

    @staticmethod
    def _preview_languages(send: Send) -> list[tuple[str, str]]:
        """The languages the send's email went out in: its edition's, or the issue's own and
        those of its editions published when it started."""
        if send.edition_id:
            languages = [send.edition.language]
        else:
            editions = send.issue.editions.filter(published_at__lte=send.created_at)
            languages = [source_language(send.issue)]
            languages += sorted(set(editions.values_list("language", flat=True)) - {*languages})
        return [(code, language_name(code)) for code in languages]

    def add_view(self, request, form_url="", extra_context=None):
        """An explicit send of a published issue, to those who have not had it yet."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = IssueChoiceForm(request.POST or None, initial={"issue": request.GET.get("issue")})
        if request.method == "POST" and form.is_valid():
            try:
                send = sending.send_create(issue=form.cleaned_data["issue"], user=request.user)
            except sending.SendError as exc:
                form.add_error("issue", str(exc))
            else:
                messages.success(request, _("Sending to %(count)s.") % {"count": send.total})
                url = reverse("admin:mailing_send_change", args=[send.pk])
                return HttpResponseRedirect(url)
        return self._form_page(request, form, _("Email a published issue"))

    def _form_page(self, request, form, title, extra=None):
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "opts": self.opts,
            "title": title,
            **(extra or {}),
        }
        return TemplateResponse(request, "mailing/admin/form.html", context)

    def test_view(self, request):
        """Send a test to me: the published issue's email, to my own address only."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = IssueChoiceForm(request.POST or None, initial={"issue": request.GET.get("issue")})
        if request.method == "POST" and form.is_valid():
            try:
                address = preview.email_send_test(
                    issue=form.cleaned_data["issue"],
                    user=request.user,
                    language=translation.get_language(),
                )
            except sending.SendError as exc:
                form.add_error("issue", str(exc))
            else:
                messages.success(request, _("A test was sent to %(email)s.") % {"email": address})
                return HttpResponseRedirect(reverse("admin:mailing_send_changelist"))
        return self._form_page(request, form, _("Send a test to me"))

    def preview_view(self, request, issue_id):
        """The email in the browser, from the live content: drafts included, staff only; in the
        language asked (?language=en: as its subscribers would get it), else the admin's."""
        get_object_or_404(Issue, pk=issue_id)
        language = request.GET.get("language", "")
        if language not in dict(settings.LANGUAGES):
            language = translation.get_language()
        html = preview.email_preview_html(issue_id=issue_id, language=language, user=request.user)
        return HttpResponse(html)

    def action_view(self, request, pk, action):
        """Pause, resume, cancel, or retry the failed deliveries (POST only)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_change_permission(request):
            raise PermissionDenied
        send = get_object_or_404(Send.objects.defer("rendered"), pk=pk)
        try:
            ACTIONS[action](send=send, user=request.user)
        except sending.SendError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Done."))
        return HttpResponseRedirect(reverse("admin:mailing_send_change", args=[pk]))


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyMixin, PublisherAdmin):
    list_display = [
        "subscriber",
        "send",
        "status",
        "attempts",
        "sent_at",
        "in_doubt",
        "last_error",
    ]
    list_filter = ["status", "in_doubt", "send"]
    search_fields = ["subscriber__email"]
    list_select_related = ["subscriber", "send__issue__bulletin"]
    readonly_fields = [
        "send",
        "subscriber",
        "status",
        "attempts",
        "last_error",
        "message_id",
        "sent_at",
        "next_attempt_at",
        "handed_at",
        "in_doubt",
    ]
    fields = readonly_fields
