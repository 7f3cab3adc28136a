"""The page that confirms a deletion lists what a person would recognise: not the rows Django
keeps to link an entry to its jurisdictions or a commentary to its authors ("Entry-jurisdiction
relationship: Entry_jurisdictions object (21)"), which go with them."""

from django.apps import apps
from django.utils.text import capfirst


def _link_models() -> list:
    """The tables Django creates for many-to-many fields without a model of their own."""
    return [m for m in apps.get_models(include_auto_created=True) if m._meta.auto_created]


def _without(items: list, prefixes: tuple[str, ...]) -> list:
    kept = []
    for item in items:
        if isinstance(item, list):
            children = _without(item, prefixes)
            if children:
                kept.append(children)
        elif not str(item).startswith(prefixes):
            kept.append(item)
    return kept


class LinkRowsHiddenMixin:
    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        links = _link_models()
        prefixes = tuple(f"{capfirst(m._meta.verbose_name)}: " for m in links)
        names = {m._meta.verbose_name_plural for m in links}
        counts = {name: count for name, count in counts.items() if name not in names}
        return _without(deleted, prefixes), counts, perms_needed, protected
