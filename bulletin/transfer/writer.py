"""Writing a transfer document into the database, for the text import and the JSON import alike.

Every row goes through full_clean (so URLs are http(s) and rich text is sanitized on save) and is
written only when something changed, so importing the same document twice writes nothing the
second time. A row that fails validation is reported with the line (text) or path (JSON) it came
from; the caller then rolls everything back. Existing authors and jurisdictions are matched,
never duplicated, and never overwritten: a blank field of an author is filled, a differing one
is noted. The user's permissions hold here as in the admin: who may not add authors (or change
the bulletin) gets a note instead of the row.
"""

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext as _

from bulletin.content import (
    AUTHOR_FIELDS,
    COMMENTARY_FIELDS,
    ENTRY_FIELDS,
    ISSUE_FIELDS,
    LINK_FIELDS,
)
from bulletin.models import Bulletin, Issue
from bulletin.transfer.report import Change, Report
from core.fields import RichTextField, sanitize_rich_text
from entries.catalogue import places
from entries.models import Commentary, Entry, EntryLink, Jurisdiction, Section
from people.models import CONTACT_VISIBILITY_FIELDS, Author

AUTHOR_RICH = {"experience", "representative_matters", "honours"}
TAGS = re.compile(r"<[^>]+>|\s+")


@dataclass
class Writer:
    """Writes one document for one user; `from_text` keeps what editors set that text lacks."""

    bulletin: Bulletin
    user: object
    report: Report
    from_text: bool = False

    def may(self, permission: str) -> bool:
        """The command line may do anything; a user what their role allows."""
        return self.user is None or self.user.has_perm(permission)

    def where(self, data: dict, path: str) -> str:
        if "_line" in data:
            return self.report.place_of(data["_line"])
        return path

    def valid(self, obj, where: str) -> bool:
        try:
            obj.full_clean()
        except ValidationError as exc:
            messages = [
                f"{_field_name(type(obj), field)}: {' '.join(errors)}"
                if field
                else " ".join(errors)
                for field, errors in _errors(exc)
            ]
            self.report.error(where, "; ".join(messages))
            return False
        return True

    def upsert(self, model, lookup: dict, fields: dict, *, row: str, where: str):
        """(row, status): the row created or changed as needed; (None, "failed") if invalid."""
        obj = model.objects.filter(**lookup).first()
        if obj is None:
            obj, status = model(**lookup, **fields), "created"
        else:
            changed = {k: value for k, value in fields.items() if getattr(obj, k) != value}
            if not changed:
                self.report.count(row, "unchanged")
                return obj, "unchanged"
            for name, value in changed.items():
                setattr(obj, name, value)
            status = "updated"
        if not self.valid(obj, where):
            return None, "failed"
        obj.save()
        self.report.count(row, status)
        return obj, status

    # Authors and jurisdictions

    def authors(self, items: list[dict]) -> dict[str, Author]:
        """Each author of the document as a row: matched by email, then name, or created."""
        found = {}
        for n, item in enumerate(items):
            where = self.where(item, f"authors[{n}]")
            author = _match_author(item)
            if author is None:
                author = self._new_author(item, where)
            else:
                self._complete_author(author, item, where)
            if author is not None:
                found[item["key"]] = author
        return found

    def _new_author(self, item: dict, where: str) -> Author | None:
        """An author the text names who has no profile yet. Someone who may not add authors
        still gets the commentary credited: the profile is added inactive (no public page) and
        the report asks for it to be checked and made active."""
        fields = {f: _clean_author_value(f, item.get(f, "")) for f in AUTHOR_FIELDS}
        kept = ("display_order", "is_active", *CONTACT_VISIBILITY_FIELDS)
        fields |= {k: item[k] for k in kept if k in item}
        if not self.may("people.add_author"):
            fields["is_active"] = False
            message = _(
                "%(name)s had no profile here and you may not add authors: added as an inactive "
                "profile, for a publisher to check and make active"
            )
            self.report.note(item.get("_line"), message % {"name": item["name"]})
        self._leave_out_bad_contacts(fields, item)
        author = Author(
            slug=_free_slug(item["key"], fields["name_latin"] or fields["name"]), **fields
        )
        if not self.valid(author, where):
            return None
        author.save()
        self.report.count("author", "created")
        return author

    def _complete_author(self, author: Author, item: dict, where: str) -> None:
        if not self.may("people.change_author"):
            self.report.count("author", "matched")
            return
        filled = []
        item = dict(item)
        self._leave_out_bad_contacts(item, item)
        for field in AUTHOR_FIELDS:
            new, old = _clean_author_value(field, item.get(field, "")), getattr(author, field)
            if not new or _plain(new) == _plain(old):
                continue
            if not old.strip():
                setattr(author, field, new)
                filled.append(field)
            else:
                message = _("%(name)s's %(field)s differs: kept, not the text's “%(value)s”")
                values = {
                    "name": author.name,
                    "field": _field_name(Author, field),
                    "value": _shown(new),
                }
                self.report.note(item.get("_line"), message % values)
        if filled and self.valid(author, where):
            author.save()
            self.report.count("author", "updated")
        else:
            self.report.count("author", "matched")

    def _leave_out_bad_contacts(self, fields: dict, item: dict) -> None:
        """A phone, mobile or email that is not valid is left out (and quoted), so that one
        "转 123" does not stop the import of a whole issue."""
        for name in ("phone", "mobile", "email"):
            value = fields.get(name, "")
            if not value:
                continue
            try:
                Author._meta.get_field(name).run_validators(value)
            except ValidationError:
                message = _("%(name)s's %(field)s is not valid and was left out: “%(value)s”")
                values = {
                    "name": item.get("name", ""),
                    "field": _field_name(Author, name),
                    "value": value,
                }
                self.report.note(item.get("_line"), message % values)
                fields[name] = ""

    def jurisdictions(self, items: list[dict]) -> dict[str, Jurisdiction]:
        """Each jurisdiction of the document by its code, created (parent first) if missing."""
        by_code, found = {item["code"]: item for item in items}, {}

        def get(code: str, depth: int = 0) -> Jurisdiction | None:
            if code not in found:
                found[code] = Jurisdiction.objects.filter(code=code).first()
                if found[code] is None and code in by_code and depth < 5:
                    found[code] = self._new_jurisdiction(by_code[code], get, depth)
            return found[code]

        for code in by_code:
            get(code)
        return found

    def _new_jurisdiction(self, item: dict, get, depth: int) -> Jurisdiction | None:
        if not self.may("entries.add_jurisdiction") and item["code"] not in places():
            return None  # the entries naming it report it; the catalogue's places may be added
        parent = get(item["parent"], depth + 1) if item.get("parent") else None
        fields = {k: item[k] for k in ("code", "name", "name_en", "kind")}
        jurisdiction = Jurisdiction(parent=parent, **fields)
        if not self.valid(jurisdiction, f"jurisdictions: {item['code']}"):
            return None
        jurisdiction.save()
        self.report.count("jurisdiction", "created")
        return jurisdiction

    # The bulletin (text import): fill what is empty, note what differs

    def fill_bulletin(self, data: dict, authors: dict[str, Author]) -> None:
        bulletin, filled = self.bulletin, []
        may_change = self.may("bulletin.change_bulletin")
        for field in ("disclaimer", "contact_email", "team_name", "firm_name"):
            if field not in data:
                continue
            new = sanitize_rich_text(data[field]) if field == "disclaimer" else data[field]
            old = getattr(bulletin, field)
            line = data.get("_disclaimer_line" if field == "disclaimer" else "_firm_line")
            values = {"field": _field_name(Bulletin, field), "value": _shown(new)}
            if not old.strip() and not may_change:
                message = _("the bulletin has no %(field)s and you may not change it: “%(value)s”")
                self.report.note(line, message % values)
            elif not old.strip():
                setattr(bulletin, field, new)
                filled.append(field)
            elif _plain(old) != _plain(new):
                message = _("the bulletin's %(field)s differs: kept, not the text's “%(value)s”")
                self.report.note(line, message % values)
        if filled and self.valid(bulletin, _("bulletin")):
            bulletin.save()
        filled += self._fill_team([authors[k] for k in data.get("team", []) if k in authors], data)
        self.report.count("bulletin", "updated" if filled else "unchanged")

    def _fill_team(self, members: list[Author], data: dict) -> list[str]:
        if not members:
            return []
        current = set(self.bulletin.team.values_list("pk", flat=True))
        values = {
            "field": _field_name(Bulletin, "team"),
            "value": "、".join(a.name for a in members),
        }
        if not current and not self.may("bulletin.change_bulletin"):
            message = _("the bulletin has no %(field)s and you may not change it: “%(value)s”")
            self.report.note(data.get("_team_line"), message % values)
        elif not current:
            self.bulletin.team.set(members)
            return ["team"]
        elif current != {a.pk for a in members}:
            message = _("the bulletin's %(field)s differs: kept, not the text's “%(value)s”")
            self.report.note(data.get("_team_line"), message % values)
        return []

    # The issue and its content

    def issue(self, data: dict, issue: Issue | None, authors: dict[str, Author]) -> Issue | None:
        fields = {k: _value(Issue, k, data[k]) for k in ISSUE_FIELDS if k in data}
        if "partners_only" in data:
            fields["partners_only"] = data["partners_only"]
        if issue is None:
            issue = Issue(bulletin=self.bulletin, created_by=self.user, last_edited_by=self.user)
        changed = [k for k, value in fields.items() if getattr(issue, k) != value]
        for name in changed:
            setattr(issue, name, fields[name])
        status = "created" if issue.pk is None else ("updated" if changed else "unchanged")
        if status == "updated":
            issue.version += 1
            issue.last_edited_by = self.user
        if status != "unchanged":
            issue.imported_by = self.user
        if status != "unchanged":
            if not self.valid(issue, _("issue")):
                return None
            issue.save()
        self.report.count("issue", status)
        if "writers" in data:
            issue.writers.set([authors[k] for k in data["writers"] if k in authors])
        return issue

    def sections(self, issue: Issue, sections: list[dict], refs: dict) -> None:
        """The sections and their entries; those the document no longer has are deleted."""
        kept_sections, kept_entries = [], []
        for s, data in enumerate(sections):
            where = self.where(data, f"issue.sections[{s}]")
            section, _status = self.upsert(
                Section,
                {"issue": issue, "position": data["position"]},
                {"title": data["title"]},
                row="section",
                where=where,
            )
            if section is None:
                continue
            kept_sections.append(section.pk)
            for e, entry in enumerate(data["entries"]):
                path = f"issue.sections[{s}].entries[{e}]"
                saved = self.entry(issue, section, entry, self.where(entry, path), refs)
                kept_entries += [saved.pk] if saved else []
        removed = issue.entries.exclude(pk__in=kept_entries)
        for title, state in removed.order_by("section__position", "position").values_list(
            "title", "state"
        ):
            self.report.changes.append(Change("removed", title, Entry.State(state).label))
        _delete(removed, "entry", self.report)
        _delete(issue.sections.exclude(pk__in=kept_sections), "section", self.report)

    def entry(self, issue: Issue, section: Section, data: dict, where: str, refs: dict):
        """The entry at its section and position, created or changed as needed; a changed entry
        goes back to draft (its review was of other content)."""
        existing = Entry.objects.filter(section=section, position=data["position"]).first()
        entry = existing or Entry(
            section=section, position=data["position"], created_by=self.user, state="draft"
        )
        entry.issue = issue
        existing_title = entry.title
        fields = self._entry_fields(data, existing)
        changed = [k for k, value in fields.items() if getattr(entry, k) != value]
        for name in changed:
            setattr(entry, name, fields[name])
        if existing and not changed:
            self.report.count("entry", "unchanged")
        else:
            if existing:
                before = Entry.State(entry.state).label
                self.report.changes.append(Change("replaced", existing_title, before))
                entry.state, entry.version = Entry.State.DRAFT, entry.version + 1
            entry.last_edited_by = self.user
            if not self.valid(entry, where):
                return None
            entry.save()
            self.report.count("entry", "updated" if existing else "created")
        self._entry_relations(entry, data, where, refs, created=existing is None)
        return entry

    def _entry_fields(self, data: dict, existing: Entry | None) -> dict:
        # The position is the entry's place, set by the caller; the kind is decided below.
        names = [f for f in ENTRY_FIELDS if f not in ("position", "kind")]
        fields = {f: _value(Entry, f, data.get(f)) for f in names}
        # A text holds no kind: an editor's choice stands, unless "case" lost its caption.
        keep = existing and self.from_text and (existing.kind != "case" or fields["case_caption"])
        fields["kind"] = existing.kind if keep else data["kind"]
        return fields

    def _entry_relations(self, entry, data: dict, where: str, refs: dict, *, created: bool) -> None:
        # Only when they differ: taggit signals even an empty change, which records a version.
        if "tags" in data and set(data["tags"]) != set(entry.tags.names()):
            entry.tags.set(data["tags"])
        if "jurisdictions" in data and (data["jurisdictions"] or not created):
            codes = data["jurisdictions"]
            missing = [c for c in codes if refs["jurisdictions"].get(c) is None]
            for code in missing:
                self.report.error(where, _("unknown jurisdiction “%(code)s”") % {"code": code})
            entry.jurisdictions.set([refs["jurisdictions"][c] for c in codes if c not in missing])
        kept = []
        for n, link in enumerate(data.get("links", [])):
            saved, _status = self.upsert(
                EntryLink,
                {"entry": entry, "position": link.get("position") or n + 1},
                {k: _value(EntryLink, k, link.get(k)) for k in LINK_FIELDS if k != "position"},
                row="link",
                where=self.where(link, f"{where}.links[{n}]"),
            )
            kept += [saved.pk] if saved else []
        _delete(entry.links.exclude(pk__in=kept), "link", self.report)
        self._commentary(entry, data.get("commentary"), where, refs["authors"])

    def _commentary(self, entry: Entry, data: dict | None, where: str, authors: dict) -> None:
        if data is None:
            _delete(Commentary.objects.filter(entry=entry), "commentary", self.report)
            return
        commentary, status = self.upsert(
            Commentary,
            {"entry": entry},
            {k: _value(Commentary, k, data.get(k)) for k in COMMENTARY_FIELDS},
            row="commentary",
            where=where,
        )
        if commentary is not None and "authors" in data:
            commentary.authors.set([authors[k] for k in data["authors"] if k in authors])


def _delete(queryset, row: str, report: Report) -> None:
    count = queryset.count()
    if count:
        queryset.delete()
        report.count(row, "deleted", count)


def _value(model, name: str, value):
    """A document's value for one of the content fields (bulletin.content), as the model keeps
    it: rich text sanitized, dates parsed, an absent text empty."""
    field = model._meta.get_field(name)
    if isinstance(field, RichTextField):
        return sanitize_rich_text(value or "")
    if isinstance(field, models.DateField):
        return _date(value)
    if value is None and isinstance(field, models.CharField | models.TextField):
        return ""
    return value


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def _field_name(model, field: str) -> str:
    """A field as the report names it: its verbose name, in the report's language."""
    try:
        return str(model._meta.get_field(field).verbose_name)
    except FieldDoesNotExist:
        return field


def _errors(exc: ValidationError):
    if hasattr(exc, "error_dict"):
        return [(field, [str(m) for m in errors]) for field, errors in exc.message_dict.items()]
    return [("", [str(m) for m in exc.messages])]


def _plain(value: str) -> str:
    """Text to compare, without tags and white space."""
    return TAGS.sub("", value or "")


def _shown(value: str, limit: int = 300) -> str:
    """A value as the report quotes it: plain text, shortened."""
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", value or "")).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _clean_author_value(field: str, value: str) -> str:
    return sanitize_rich_text(value) if field in AUTHOR_RICH and value else value


def _match_author(item: dict) -> Author | None:
    email = item.get("email", "").strip()
    if email:
        author = Author.objects.filter(email__iexact=email).first()
        if author:
            return author
    exact = Author.objects.filter(name=item["name"]).order_by("pk").first()
    if exact or not (wanted := _name_key(item["name"])):
        return exact
    # "张 三", "Zhang San" and "zhang-san" name the same person as "张三" / "ZHANG San".
    for author in Author.objects.order_by("pk").only("pk", "name", "name_latin"):
        if wanted in (_name_key(author.name), _name_key(author.name_latin)):
            return Author.objects.get(pk=author.pk)
    return None


def _name_key(name: str) -> str:
    return re.sub(r"[\s·.\-]+", "", name or "").casefold()


def _free_slug(preferred: str, name: str) -> str:
    """The preferred slug if it is free and valid, else one made from the name."""
    base = preferred if re.fullmatch(r"[-\w]+", preferred or "") else ""
    base = (base or slugify(name, allow_unicode=True) or "author")[:110]
    slug, n = base, 1
    while Author.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug
