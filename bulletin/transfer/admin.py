"""The admin's side of bringing issues in and out: on each issue a link to download its JSON
document, an action to export the selected issues, and a page to import an exported issue or a
back issue's text, which shows the import's report."""

import io
import json
import zipfile

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bulletin.models import Bulletin, Issue
from bulletin.transfer.services import (
    ImportFailed,
    issue_export_document,
    issue_import_document,
    issue_import_text,
)

MAX_UPLOAD = 20 * 1024 * 1024


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy(
            "An exported issue (.json), or a back issue's text as extracted from its PDF (.txt, "
            "UTF-8)."
        ),
    )
    bulletin = forms.ModelChoiceField(
        Bulletin.objects.all(),
        required=False,
        label=gettext_lazy("Bulletin"),
        help_text=gettext_lazy(
            "Required for a text. For an exported issue: import into this bulletin instead of "
            "the one named in the file."
        ),
    )
    replace = forms.BooleanField(
        required=False,
        label=gettext_lazy("Update the draft that has the same slug"),
        help_text=gettext_lazy("A text imported again always updates its draft."),
    )
    dry_run = forms.BooleanField(
        required=False, label=gettext_lazy("Dry run: show the report, write nothing")
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        try:
            self.text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise forms.ValidationError(
                _("The file is not UTF-8 text. Save it as UTF-8 and try again.")
            ) from exc
        self.is_json = upload.name.lower().endswith(".json") or self.text.lstrip()[:1] == "{"
        return upload

    def clean(self):
        cleaned = super().clean()
        if hasattr(self, "is_json") and not self.is_json and not cleaned.get("bulletin"):
            self.add_error("bulletin", _("Choose the bulletin this back issue belongs to."))
        return cleaned


class IssueTransferAdminMixin:
    """For IssueAdmin: export (link and action) and import (page) of issues."""

    change_list_template = "admin/bulletin/transfer_change_list.html"
    change_form_template = "admin/bulletin/transfer_change_form.html"
    actions = ["export_documents"]

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("import/", view(self.import_view), name="bulletin_issue_import"),
            path("<path:object_id>/export/", view(self.export_view), name="bulletin_issue_export"),
            *super().get_urls(),
        ]

    @admin.action(description=gettext_lazy("Export the selected issues as JSON"))
    def export_documents(self, request, queryset):
        issues = list(queryset.select_related("bulletin").order_by("bulletin__slug", "number"))
        if len(issues) == 1:
            return self._download(request, issues[0])
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for issue in issues:
                document = issue_export_document(issue=issue, user=request.user)
                archive.writestr(_filename(issue), _dumps(document))
        response = HttpResponse(buffer.getvalue(), content_type="application/zip")
        response["Content-Disposition"] = 'attachment; filename="issues.zip"'
        return response

    def export_view(self, request, object_id):
        issue = self.get_object(request, object_id)
        if issue is None:
            raise Http404
        if not self.has_view_permission(request, issue):
            raise PermissionDenied
        return self._download(request, issue)

    def _download(self, request, issue: Issue) -> HttpResponse:
        document = issue_export_document(issue=issue, user=request.user)
        response = HttpResponse(_dumps(document), content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{_filename(issue)}"'
        return response

    def import_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form, report, issue = ImportForm(), None, None
        if request.method == "POST":
            form = ImportForm(request.POST, request.FILES)
            if form.is_valid():
                report, issue = self._import(request, form)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import an issue"),
            "form": form,
            "report": report,
            "issue": issue,
        }
        return TemplateResponse(request, "admin/bulletin/transfer_import.html", context)

    def _import(self, request, form: ImportForm):
        data, name = form.cleaned_data, form.cleaned_data["file"].name
        options = {"user": request.user, "source": name, "dry_run": data["dry_run"]}
        try:
            if form.is_json:
                result = issue_import_document(
                    data=json.loads(form.text),
                    bulletin=data["bulletin"],
                    replace=data["replace"],
                    **options,
                )
            else:
                result = issue_import_text(bulletin=data["bulletin"], text=form.text, **options)
        except json.JSONDecodeError as exc:
            form.add_error("file", _("The file is not valid JSON (line %s).") % exc.lineno)
            return None, None
        except ImportFailed as exc:
            messages.error(request, _("The import failed; nothing was written."))
            return exc.report, None
        except PermissionDenied as exc:
            messages.error(request, str(exc))
            return None, None
        if result.issue is not None:
            messages.success(request, _("Imported: %(issue)s.") % {"issue": result.issue})
        return result.report, result.issue


def _filename(issue: Issue) -> str:
    return f"{issue.bulletin.slug}-{issue.slug}.json"


def _dumps(document: dict) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
