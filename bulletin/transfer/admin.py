"""The admin's side of bringing issues in and out: on each issue a link to download its JSON
document, an action to export the selected issues, and a page to import an exported issue or a
back issue's text, which shows the import's status, progress and report, and asks for a
confirmation (showing the entries it would replace) before an import replaces a draft. On each
issue open to new entries, a page to import one entry from a Word file into one of its sections."""

import io
import json
import uuid
import zipfile

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bulletin.models import Bulletin, Issue
from bulletin.services.events import WorkflowError
from bulletin.transfer.entries import entry_import_check, entry_import_docx
from bulletin.transfer.extracted import UnreadableFile
from bulletin.transfer.models import EntryImport, ImportRun
from bulletin.transfer.runs import import_run_confirm, import_run_create, status_text
from bulletin.transfer.services import ImportFailed, issue_export_document
from bulletin.transfer.translations import issue_import_translation_file
from bulletin.transfer.upload import check_file, file_kind
from bulletin.translation.languages import language_name, target_languages
from entries.models import Section

DOCX_TYPES = ".docx,application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _upload_within_limit(upload) -> bytes:
    limit = settings.IMPORT_MAX_BYTES
    if upload.size > limit:
        raise forms.ValidationError(
            _("The file is %(size)s; an import takes files of %(limit)s at most.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
        )
    return upload.read()


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy(
            "An exported issue (.json), or a back issue: its PDF, its Word file (.docx) or its "
            "text as extracted from its PDF (.txt, UTF-8)."
        ),
    )
    bulletin = forms.ModelChoiceField(
        Bulletin.objects.all(),
        required=False,
        label=gettext_lazy("Bulletin"),
        help_text=gettext_lazy(
            "Required for a back issue. For an exported issue: import into this bulletin instead "
            "of the one named in the file."
        ),
    )
    translation_of = forms.ModelChoiceField(
        Issue.objects.select_related("bulletin").order_by("-year", "-month", "-number"),
        required=False,
        label=gettext_lazy("Translation of"),
        help_text=gettext_lazy(
            "For a back issue in another language: the existing issue it translates. Its entries "
            "are matched by their links, then by position, and written as draft translations; "
            "the issue's own text is not changed."
        ),
    )
    translation_language = forms.ChoiceField(
        required=False, label=gettext_lazy("Language of the translation")
    )
    dry_run = forms.BooleanField(
        required=False, label=gettext_lazy("Dry run: show the report, write nothing")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["translation_language"].choices = [
            (code, language_name(code)) for code in target_languages()
        ]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.content = _upload_within_limit(upload)
        kind = file_kind(self.content)
        self.is_json = kind == "json" or (kind == "text" and upload.name.lower().endswith(".json"))
        try:
            check_file(self.content, kind)
            if self.is_json:
                json.loads(self.content.decode("utf-8-sig"))
        except UnreadableFile as exc:
            raise forms.ValidationError(str(exc)) from exc
        except UnicodeDecodeError as exc:
            raise forms.ValidationError(
                _("The file is not UTF-8 text. Save it as UTF-8 and try again.")
            ) from exc
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(
                _("The file is not valid JSON (line %s).") % exc.lineno
            ) from exc
        return upload

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("translation_of") and getattr(self, "is_json", False):
            self.add_error(
                "translation_of", _("A translation is imported from a back issue's text.")
            )
        if cleaned.get("translation_of"):
            return cleaned
        if hasattr(self, "is_json") and not self.is_json and not cleaned.get("bulletin"):
            self.add_error("bulletin", _("Choose the bulletin this back issue belongs to."))
        return cleaned


class EntryImportForm(forms.Form):
    section = forms.ModelChoiceField(
        Section.objects.none(),
        label=gettext_lazy("Section"),
        help_text=gettext_lazy("The entry is added at the end of this section, as your draft."),
    )
    file = forms.FileField(
        label=gettext_lazy("Word file (.docx)"),
        help_text=gettext_lazy(
            "One entry, written as in an issue: its title first, then 发布日期, 来源, 案件信息 "
            "(or 案件名称, 案号, 法院), 链接 and the other links, 摘要 and the summary, and the "
            "commentary under its heading, with 点评人 naming its authors."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": DOCX_TYPES}),
    )
    # One per form shown: the same form sent twice imports the entry once.
    token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, issue: Issue, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = issue.sections.order_by("position")
        self.fields["token"].initial = uuid.uuid4()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.content = _upload_within_limit(upload)
        if file_kind(self.content) != "docx":
            raise forms.ValidationError(_("The file is not a Word document (.docx)."))
        try:
            check_file(self.content, "docx")
        except UnreadableFile as exc:
            raise forms.ValidationError(str(exc)) from exc
        return upload


class IssueTransferAdminMixin:
    """For IssueAdmin: export (link and action) and import (page) of issues."""

    change_list_template = "admin/bulletin/transfer_change_list.html"
    change_form_template = "admin/bulletin/transfer_change_form.html"
    actions = ["export_documents"]

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("import/", view(self.import_view), name="bulletin_issue_import"),
            path(
                "import/<int:run_id>/",
                view(self.import_run_view),
                name="bulletin_issue_import_run",
            ),
            path(
                "import-entry/<int:record_id>/",
                view(self.import_entry_result_view),
                name="bulletin_issue_import_entry_result",
            ),
            path("<path:object_id>/export/", view(self.export_view), name="bulletin_issue_export"),
            path(
                "<path:object_id>/import-entry/",
                view(self.import_entry_view),
                name="bulletin_issue_import_entry",
            ),
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
        form, run = ImportForm(), None
        if request.method == "POST" and "confirm" in request.POST:
            run = self._confirm(request, request.POST["confirm"])
        elif request.method == "POST":
            form = ImportForm(request.POST, request.FILES)
            if form.is_valid() and form.cleaned_data.get("translation_of"):
                return self._import_translation(request, form)
            if form.is_valid():
                run = self._import(request, form)
        if run is not None and run.status in (ImportRun.Status.PENDING, ImportRun.Status.RUNNING):
            return redirect("admin:bulletin_issue_import_run", run.pk)
        return self._import_page(request, form, run)

    def import_run_view(self, request, run_id):
        """The status, progress and report of one import (a large one runs in a worker)."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        run = get_object_or_404(ImportRun, pk=run_id, created_by=request.user)
        return self._import_page(request, ImportForm(), run)

    def _import_page(self, request, form: ImportForm, run: ImportRun | None):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import an issue"),
            "form": form,
            "run": run,
            "run_status": status_text(run) if run else "",
            "issue": run.issue if run and not run.dry_run else None,
            "max_bytes": settings.IMPORT_MAX_BYTES,
            "refresh": run is not None and not run.is_finished and run.status != "confirm",
        }
        return TemplateResponse(request, "admin/bulletin/transfer_import.html", context)

    def _import(self, request, form: ImportForm) -> ImportRun | None:
        data = form.cleaned_data
        try:
            run = import_run_create(
                user=request.user,
                content=form.content,
                source=data["file"].name,
                is_json=form.is_json,
                bulletin=data["bulletin"],
                dry_run=data["dry_run"],
            )
        except PermissionDenied as exc:
            messages.error(request, str(exc))
            return None
        self._tell(request, run)
        return run

    def _import_translation(self, request, form: ImportForm):
        """A back issue's edition in another language, as the draft translation of an issue:
        at once (a text's parse takes a moment), with its report on the page."""
        data = form.cleaned_data
        try:
            result = issue_import_translation_file(
                issue=data["translation_of"],
                language=data["translation_language"],
                content=form.content,
                user=request.user,
                source=data["file"].name,
                dry_run=data["dry_run"],
            )
        except (PermissionDenied, UnreadableFile, WorkflowError) as exc:
            messages.error(request, str(exc))
            return self._import_page(request, form, None)
        messages.success(
            request,
            _(
                "%(written)s translations written (entries matched by links: %(links)s, by "
                "position: %(position)s; not matched: %(unmatched)s)."
            )
            % {
                "written": result.written,
                "links": result.matched_by_links,
                "position": result.matched_by_position,
                "unmatched": len(result.unmatched),
            },
        )
        response = self._import_page(request, ImportForm(), None)
        response.context_data["translation_report"] = result.report.as_text()
        return response

    def _confirm(self, request, run_id: str) -> ImportRun:
        if not run_id.isdigit():
            raise Http404
        run = get_object_or_404(ImportRun, pk=run_id, created_by=request.user)
        run = import_run_confirm(run=run, user=request.user)
        self._tell(request, run)
        return run

    def _tell(self, request, run: ImportRun) -> None:
        if run.status == ImportRun.Status.DONE and run.issue and not run.dry_run:
            messages.success(request, _("Imported: %(issue)s.") % {"issue": run.issue})
        elif run.status == ImportRun.Status.FAILED:
            messages.error(request, _("The import failed; nothing was written."))
        elif run.status == ImportRun.Status.NEEDS_CONFIRMATION:
            messages.warning(
                request,
                _(
                    "Nothing was written yet: this import replaces an existing draft. Check what "
                    "it would change below, then confirm."
                ),
            )

    # One entry from a Word file

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["can_import_entry"] = obj is not None and _may_import_entry(request.user, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def import_entry_view(self, request, object_id):
        issue = self.get_object(request, object_id)
        if issue is None:
            raise Http404
        try:
            entry_import_check(user=request.user, issue=issue)
        except WorkflowError as exc:
            messages.error(request, str(exc))
            return redirect("admin:bulletin_issue_change", issue.pk)
        form, report = EntryImportForm(issue=issue), None
        if request.method == "POST":
            form = EntryImportForm(request.POST, request.FILES, issue=issue)
            if form.is_valid():
                try:
                    return self._import_entry(request, form)
                except UnreadableFile as exc:
                    form.add_error("file", str(exc))
                except ImportFailed as exc:
                    report = exc.report.as_text()
                    messages.error(request, _("The import failed; nothing was written."))
                except (PermissionDenied, WorkflowError) as exc:
                    messages.error(request, str(exc))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import an entry from Word"),
            "original": issue,
            "form": form,
            "report": report,
            "max_bytes": settings.IMPORT_MAX_BYTES,
        }
        return TemplateResponse(request, "admin/bulletin/transfer_import_entry.html", context)

    def _import_entry(self, request, form: EntryImportForm):
        data = form.cleaned_data
        result = entry_import_docx(
            section=data["section"],
            content=form.content,
            user=request.user,
            source=data["file"].name,
            token=data["token"],
        )
        report_url = reverse("admin:bulletin_issue_import_entry_result", args=[result.record.pk])
        if result.repeated:
            messages.info(
                request,
                _("This form was already sent: its entry was imported then, and not again."),
            )
        else:
            entry = result.entry
            messages.success(
                request,
                format_html(
                    _("Imported “{}” into “{}” as your draft (position {}). {}"),
                    entry.title,
                    entry.section,
                    entry.position,
                    format_html('<a href="{}">{}</a>', report_url, _("See the import's report")),
                ),
            )
            if result.report.unplaced:
                messages.warning(
                    request,
                    _("Some lines of the file were not placed in the entry: see the report."),
                )
        if result.entry is None:
            return redirect(report_url)
        return redirect("admin:entries_entry_change", result.entry.pk)

    def import_entry_result_view(self, request, record_id):
        """The report of an entry import, for the person who imported it."""
        record = get_object_or_404(
            EntryImport.objects.select_related("entry__issue"),
            pk=record_id,
            created_by=request.user,
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import of %(source)s") % {"source": record.source},
            "record": record,
        }
        return TemplateResponse(request, "admin/bulletin/transfer_import_entry_done.html", context)


def _may_import_entry(user, issue: Issue) -> bool:
    try:
        entry_import_check(user=user, issue=issue)
    except (PermissionDenied, WorkflowError):
        return False
    return True


def _filename(issue: Issue) -> str:
    return f"{issue.bulletin.slug}-{issue.slug}.json"


def _dumps(document: dict) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
