"""The rows of the issue page's entry table, written in Python: an issue of 300 entries has 1,200
form fields there, and rendering each through Django's widget templates took most of the page's
time. The markup is `admin/edit_inline/tabular.html`'s, with the fields' own names and ids."""

from django.contrib.admin.utils import display_for_field
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

# Constant attribute strings, marked safe once.
SELECTED = mark_safe(" selected")  # noqa: S308
INVALID = mark_safe(' aria-invalid="true"')  # noqa: S308
NUMBER = mark_safe(' class="vIntegerField" min="0"')  # noqa: S308
NOTHING = mark_safe("")  # noqa: S308


def _value(bound) -> str:
    value = bound.value()
    return "" if value is None else str(getattr(value, "pk", value))


def _input(bound, kind: str, extra: str = NOTHING) -> str:
    return format_html(
        '<input type="{}" name="{}" value="{}"{} id="{}"{}>',
        kind,
        bound.html_name,
        _value(bound),
        extra,
        bound.auto_id,
        INVALID if bound.errors else NOTHING,
    )


def _select(bound, choices: list[tuple[str, str]]) -> str:
    chosen = _value(bound)
    options = format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((value, SELECTED if value == chosen else NOTHING, label) for value, label in choices),
    )
    invalid = INVALID if bound.errors else NOTHING
    return format_html(
        '<select name="{}" id="{}"{}>{}</select>', bound.html_name, bound.auto_id, invalid, options
    )


def entry_rows(inline_admin_formset) -> str:
    """One row per entry: its title and change link, the hidden keys, the section drop-down and
    position (with their errors), and the read-only kind, title and state."""
    inline = inline_admin_formset.opts
    formset = inline_admin_formset.formset
    editable = inline_admin_formset.has_change_permission
    change_link = reverse("admin:entries_entry_change", args=[0]).replace("/0/", "/{}/")
    link_class, link_text = (
        ("inlinechangelink", _("Change")) if editable else ("inlineviewlink", _("View"))
    )
    readonly = set(inline.get_readonly_fields(None))
    empty = inline.get_empty_value_display()
    choices = None
    rows = []
    for index, form in enumerate(formset.forms):
        entry = form.instance
        cells = []
        for name in inline.fields:
            if name in readonly:
                value = display_for_field(getattr(entry, name), entry._meta.get_field(name), empty)
                cells.append(format_html('<td class="field-{}"><p>{}</p></td>', name, value))
                continue
            bound = form[name]
            if name == "section":
                if choices is None:  # the same sections on every row
                    choices = [(str(v), str(label)) for v, label in bound.field.choices]
                widget = _select(bound, choices)
            else:
                widget = _input(bound, "number", NUMBER)
            errors = bound.errors.as_ul() if bound.errors else ""
            cells.append(format_html('<td class="field-{}">{}{}</td>', name, errors, widget))
        if form.non_field_errors():
            rows.append(
                format_html(
                    '<tr class="row-form-errors"><td colspan="{}">{}</td></tr>',
                    len(inline.fields) + 2,
                    form.non_field_errors(),
                )
            )
        rows.append(
            format_html(
                '<tr class="form-row has_original" id="{}-{}"><td class="original"><p>{} '
                '<a href="{}" class="{}">{}</a></p>{}{}</td>{}<td class="delete"></td></tr>',
                formset.prefix,
                index,
                entry,
                change_link.format(entry.pk),
                link_class,
                link_text,
                _input(form[formset._pk_field.name], "hidden"),
                _input(form[formset.fk.name], "hidden"),
                mark_safe("".join(cells)),  # noqa: S308 — each cell is built by format_html
            )
        )
    return mark_safe("".join(rows))  # noqa: S308 — each row is built by format_html
