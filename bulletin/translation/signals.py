"""The units saved without a service of their own (a bulletin, an author, a tag, a place) mark
their approved translations outdated when a source text changes, whatever path saved them.
Entries and issues are marked by their save services, after their links, commentary and
sections are written."""

from django.db.models.signals import post_save
from taggit.models import Tag

from bulletin.models import Bulletin
from bulletin.translation.models import Translation
from bulletin.translation.services import translations_source_changed
from bulletin.translation.units import kind_of
from entries.models import Jurisdiction
from people.models import Author


def _source_saved(sender, instance, created, raw=False, **kwargs):
    if created or raw:
        return
    kind = kind_of(instance)
    if Translation.objects.filter(**{kind: instance}, approved_source__isnull=False).exists():
        translations_source_changed(subject=instance)


def connect() -> None:
    for model in (Bulletin, Author, Tag, Jurisdiction):
        post_save.connect(_source_saved, sender=model, dispatch_uid=f"translation-{model.__name__}")
