"""Subscribers in the admin: list, filters, search, add with consent, CSV import and export,
a subscriber's data as JSON, unsubscribe and erasure on request."""

import csv

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bulletin.mailing import selectors
from bulletin.mailing.admin.base import PublisherAdmin, ReadOnlyInline
from bulletin.mailing.forms import ImportForm, SubscriberAddForm
from bulletin.mailing.models import Consent, Subscriber, Subscription
from bulletin.mailing.services import imports
from bulletin.mailing.services import subscribers as services

# Cells that a spreadsheet would run as a formula get a leading apostrophe.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class SubscriptionInline(ReadOnlyInline):
    model = Subscription
    fields = ["bulletin", "status", "created_at", "confirmed_at", "unsubscribed_at"]
    readonly_fields = fields


class ConsentInline(ReadOnlyInline):
    model = Consent
    fields = ["created_at", "bulletin", "action", "route", "text", "ip", "user_agent", "actor"]
    readonly_fields = fields


class _Echo:
    def write(self, value):
        return value


def _safe(cell: str) -> str:
    return "'" + cell if cell.startswith(FORMULA_START) else cell


def csv_response(subscribers, filename: str) -> StreamingHttpResponse:
    """The subscriptions of these subscribers as CSV (with a BOM, so spreadsheets read UTF-8)."""
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff"
        yield writer.writerow(selectors.EXPORT_COLUMNS)
        for row in selectors.subscriptions_export_rows(subscribers):
            yield writer.writerow([_safe(cell) for cell in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@admin.register(Subscriber)
class SubscriberAdmin(PublisherAdmin):
    list_display = ["email", "name", "organisation", "language", "created_at"]
    list_filter = ["subscriptions__status", "subscriptions__bulletin", "language", "created_at"]
    search_fields = ["email", "name", "organisation"]
    fields = ["email", "name", "organisation", "language", "created_at"]
    readonly_fields = ["email", "created_at"]
    inlines = [SubscriptionInline, ConsentInline]
    actions = ["export_csv", "unsubscribe_all"]
    change_list_template = "mailing/admin/subscriber_change_list.html"
    change_form_template = "mailing/admin/subscriber_change_form.html"

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("import/", view(self.import_view), name="mailing_subscriber_import"),
            path("export/", view(self.export_view), name="mailing_subscriber_export"),
            path("<int:pk>/data/", view(self.data_view), name="mailing_subscriber_data"),
            *super().get_urls(),
        ]

    def get_queryset(self, request):
        return super().get_queryset(request).distinct()

    def add_view(self, request, form_url="", extra_context=None):
        """Add one person who consented elsewhere (by phone, on paper): with that statement."""
        if not self.has_add_permission(request):
            return self._denied(request)
        form = SubscriberAddForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            subscription = services.subscriber_add(
                origin=services.Origin(route=Consent.Route.ADMIN, actor=request.user), **data
            )
            messages.success(request, _("%(email)s added.") % {"email": data["email"]})
            url = reverse("admin:mailing_subscriber_change", args=[subscription.subscriber_id])
            return HttpResponseRedirect(url)
        context = {**self.admin_site.each_context(request), "form": form, "opts": self.opts}
        context["title"] = _("Add a subscriber")
        return TemplateResponse(request, "mailing/admin/form.html", context)

    def import_view(self, request):
        if not self.has_add_permission(request):
            return self._denied(request)
        form = ImportForm(request.POST or None, request.FILES or None)
        report, error = None, None
        if request.method == "POST" and form.is_valid():
            try:
                report = imports.subscribers_import(
                    data=form.cleaned_data["file"].read(),
                    bulletin=form.cleaned_data["bulletin"],
                    consent_text=form.cleaned_data["consent_text"],
                    origin=services.Origin(route=Consent.Route.IMPORT, actor=request.user),
                )
            except imports.ImportFileError as exc:
                error = str(exc)
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "report": report,
            "error": error,
            "opts": self.opts,
            "title": _("Import subscribers from a CSV file"),
        }
        return TemplateResponse(request, "mailing/admin/import.html", context)

    def export_view(self, request):
        if not self.has_view_permission(request):
            return self._denied(request)
        return csv_response(Subscriber.objects.all(), "subscribers.csv")

    def data_view(self, request, pk):
        if not self.has_view_permission(request):
            return self._denied(request)
        subscriber = get_object_or_404(Subscriber, pk=pk)
        response = JsonResponse(
            selectors.subscriber_data(subscriber),
            json_dumps_params={"ensure_ascii": False, "indent": 2},
        )
        response["Content-Disposition"] = f'attachment; filename="subscriber-{pk}.json"'
        return response

    def _denied(self, request):
        raise PermissionDenied

    @admin.action(description=gettext_lazy("Export the selected subscribers (CSV)"))
    def export_csv(self, request, queryset):
        return csv_response(queryset, "subscribers.csv")

    @admin.action(description=gettext_lazy("Unsubscribe the selected from every bulletin"))
    def unsubscribe_all(self, request, queryset):
        origin = services.Origin(route=Consent.Route.ADMIN, actor=request.user)
        count = 0
        for subscription in Subscription.objects.filter(subscriber__in=queryset).select_related(
            "subscriber"
        ):
            services.subscription_unsubscribe(
                subscriber=subscription.subscriber,
                bulletin_id=subscription.bulletin_id,
                origin=origin,
            )
            count += 1
        messages.success(request, _("%(count)s subscriptions stopped.") % {"count": count})

    def delete_model(self, request, obj):
        origin = services.Origin(route=Consent.Route.ADMIN, actor=request.user)
        services.subscriber_delete(subscriber=obj, origin=origin)

    def delete_queryset(self, request, queryset):
        origin = services.Origin(route=Consent.Route.ADMIN, actor=request.user)
        for subscriber in queryset:
            services.subscriber_delete(subscriber=subscriber, origin=origin)
