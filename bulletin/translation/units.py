"""What is translated in each unit of editorial work, under which key: the unit's source texts
as they stand now, read from the source columns. Keys are stable names ("title") or a row of a
part of the unit and its id ("link:12", "section:3"), so a translation follows its row when
rows are reordered. An empty source text has nothing to translate and no key."""

from dataclasses import dataclass

from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from bulletin.models import Bulletin, Issue
from core.fields import RichTextField
from entries.models import Commentary, Entry, EntryLink, Jurisdiction, Section
from people.models import Author


@dataclass(frozen=True)
class SourceText:
    """One text of a unit: its key, its label, the source value and the model field that holds
    it (which gives the translation its form field, length limit and sanitizing)."""

    key: str
    label: str
    value: str
    field: models.Field

    @property
    def rich(self) -> bool:
        return isinstance(self.field, RichTextField)


# The translatable columns of each model, in the order the translate screen shows them.
FIELDS = {
    Entry: ["title", "source", "summary", "case_caption"],
    EntryLink: ["label"],
    Commentary: ["body"],
    Issue: ["title", "editors_note", "commentary_label"],
    Section: ["title"],
    Bulletin: ["name", "description", "disclaimer", "commentary_label"],
    Author: [
        "name",
        "title",
        "office_city",
        "practice_areas",
        "experience",
        "representative_matters",
        "honours",
        "education",
    ],
    Tag: ["name"],
    Jurisdiction: ["name"],
}
KINDS = {
    "entry": Entry,
    "issue": Issue,
    "bulletin": Bulletin,
    "author": Author,
    "tag": Tag,
    "jurisdiction": Jurisdiction,
}
# Simple names: approved as an editor saves them, with no review of their own.
SIMPLE_KINDS = {"tag", "jurisdiction"}


def kind_of(subject) -> str:
    for kind, model in KINDS.items():
        if isinstance(subject, model):
            return kind
    raise TypeError(f"{type(subject).__name__} is not translated")


def _texts(obj, *, prefix: str = "", label_prefix: str = "") -> list[SourceText]:
    values = {name: getattr(obj, name) for name in FIELDS[type(obj)]}
    return _texts_of(type(obj), values, prefix=prefix, label_prefix=label_prefix)


def _texts_of(model, values: dict, *, prefix: str = "", label_prefix: str = "") -> list[SourceText]:
    found = []
    for name in FIELDS[model]:
        field = model._meta.get_field(name)
        value = values.get(name) or ""
        if str(value).strip():
            label = f"{label_prefix}{capfirst(field.verbose_name)}"
            found.append(SourceText(f"{prefix}{name}", label, str(value), field))
    return found


def source_texts(subject) -> list[SourceText]:
    """The unit's texts in its source language, as they stand now."""
    kind = kind_of(subject)
    texts = _texts(subject)
    if kind == "entry":
        texts += _entry_parts(subject)
    elif kind == "issue":
        for section in subject.sections.order_by("position"):
            label = _("Section %(position)s: ") % {"position": section.position}
            label = str(label)
            texts += _single(section, f"section:{section.pk}", label)
    return texts


def _single(obj, key: str, label_prefix: str) -> list[SourceText]:
    """A part's one translatable text under the part's own key."""
    return [
        SourceText(key, text.label, text.value, text.field)
        for text in _texts(obj, label_prefix=label_prefix)
    ]


def _entry_parts(entry: Entry) -> list[SourceText]:
    texts = []
    for link in entry.links.order_by("position", "pk"):
        label = _("Link %(position)s: ") % {"position": link.position}
        texts += _single(link, f"link:{link.pk}", label)
    commentary = Commentary.objects.filter(entry=entry).first()
    if commentary is not None:
        texts += _single(commentary, "commentary", "")
    return texts


def snapshot_entry_texts(data: dict) -> list[SourceText]:
    """An entry's texts as a snapshot holds them (its links with their ids), under the keys and
    labels of source_texts, without reading the rows again."""
    texts = _texts_of(Entry, data)
    for link in data.get("links", []):
        label = str(_("Link %(position)s: ") % {"position": link["position"]})
        texts += [
            SourceText(f"link:{link['id']}", text.label, text.value, text.field)
            for text in _texts_of(EntryLink, link, label_prefix=label)
        ]
    if data.get("commentary"):
        texts += [
            SourceText("commentary", text.label, text.value, text.field)
            for text in _texts_of(Commentary, data["commentary"])
        ]
    return texts


def source_values(subject) -> dict[str, str]:
    return {text.key: text.value for text in source_texts(subject)}


def snapshot_issue_texts(content: dict) -> list[SourceText]:
    """An issue's own texts and its sections' titles as a snapshot holds them, under the keys and
    labels of source_texts, without reading the rows again."""
    texts = _texts_of(Issue, content)
    for section in content.get("sections", []):
        label = str(_("Section %(position)s: ") % {"position": section["position"]})
        texts += [
            SourceText(f"section:{section['id']}", text.label, text.value, text.field)
            for text in _texts_of(Section, section, label_prefix=label)
        ]
    return texts
