"""The translations panel on the admin pages of the units without a workflow of their own (a
bulletin, an author, a tag, a place); entries and issues show it in their workflow panel."""

from django import template

from bulletin.roles import can_read_drafts
from bulletin.translation.selectors import translation_rows
from bulletin.translation.units import KINDS

register = template.Library()
PANEL_KINDS = {kind: model for kind, model in KINDS.items() if kind not in ("entry", "issue")}


@register.inclusion_tag("admin/translation/panel.html", takes_context=True)
def translations_panel(context, obj):
    """The panel for obj, if it is such a unit and the user may read unpublished work."""
    shown = isinstance(obj, tuple(PANEL_KINDS.values())) and obj.pk
    if not shown or not can_read_drafts(context["request"].user):
        return {"translations": []}
    return {"translations": translation_rows(obj)}
