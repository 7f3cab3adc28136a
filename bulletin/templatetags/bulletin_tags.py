from django import template

from entries.models import Entry, EntryLink

register = template.Library()


@register.filter
def entry_kind_label(kind: str) -> str:
    return Entry.Kind(kind).label if kind in Entry.Kind.values else kind


@register.filter
def link_heading(link: dict) -> str:
    if link.get("label"):
        return link["label"]
    kind = link.get("kind")
    return EntryLink.Kind(kind).label if kind in EntryLink.Kind.values else kind
