"""What every app's admin shares: rich text on a page the user may only read is shown as its
readers see it, with the public page's typography, not as escaped tags."""

from django import forms
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import FieldDoesNotExist
from django.utils.html import format_html

from core.fields import RichTextField
from core.richtext import rich_text_html

RICH_TEXT_CSS = ["css/admin-rich-text.css"]


class RichTextDisplay(forms.Widget):
    """Rich text rendered, in the place of its editor."""

    # Django's admin shows a read-only field through the render() of a widget that says so.
    read_only = True

    class Media:
        css = {"all": RICH_TEXT_CSS}

    def render(self, name, value, attrs=None, renderer=None):
        return format_html('<div class="rich">{}</div>', rich_text_html(value))


def _show_rendered(form, names) -> bool:
    """Show the form's read-only rich-text fields rendered; say whether it has any."""
    shown = False
    for name in names:
        try:
            field = form._meta.model._meta.get_field(name)
        except FieldDoesNotExist:  # an admin method, or a callable
            continue
        if not isinstance(field, RichTextField):
            continue
        if name in form.fields:
            form.fields[name].widget = RichTextDisplay()
        else:  # excluded from the form: Django would show the value escaped
            form.fields[name] = forms.CharField(widget=RichTextDisplay(), disabled=True)
        shown = True
    return shown


class ReadOnlyRichTextMixin:
    """For a ModelAdmin: wherever its change page shows rich text read-only (the whole page for
    a user who may only view it, a read-only field, an inline the user may not change), the
    text is rendered, sanitized again, as on the public page."""

    def render_change_form(self, request, context, *args, **kwargs):
        adminform = context.get("adminform")
        shown = adminform is not None and _show_rendered(adminform.form, adminform.readonly_fields)
        for inline in context.get("inline_admin_formsets", []):
            names = list(inline.readonly_fields)
            if not inline.has_change_permission:
                names += flatten_fieldsets(inline.fieldsets)
            for form in inline.formset.initial_forms:
                shown = _show_rendered(form, names) or shown
        if shown:
            context["media"] = context["media"] + RichTextDisplay().media
        return super().render_change_form(request, context, *args, **kwargs)
