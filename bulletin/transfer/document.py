"""The transfer document: a whole issue as JSON, versioned (docs/transfer.md describes it).

`issue_export` builds it from the issue's snapshot (bulletin.snapshot); `validate_document`
checks one read from a file and fills the optional fields, so the writer only ever sees
well-formed data.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from bulletin.content import (
    AUTHOR_FIELDS,
    BULLETIN_FIELDS,
    COMMENTARY_FIELDS,
    ENTRY_FIELDS,
    ISSUE_FIELDS,
    JURISDICTION_FIELDS,
    LINK_FIELDS,
    SECTION_FIELDS,
    row,
)
from bulletin.models import Issue
from bulletin.snapshot import issue_for_snapshot, issue_snapshot
from bulletin.transfer.translations import issue_translations_export
from entries.models import Jurisdiction
from people.models import CONTACT_VISIBILITY_FIELDS, Author

FORMAT = "bulletin-cms.issue"
VERSION = 1


class DocumentError(Exception):
    """A document that cannot be imported; `errors` says where and why."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class Opt:
    """An optional field and the value it takes when missing."""

    spec: object
    default: object


@dataclass(frozen=True)
class Null:
    """A field that may be null."""

    spec: object


DATE = "date"
LINK = {"position": Opt(int, 0), "kind": str, "label": Opt(str, ""), "url": str}
COMMENTARY = {"body": str, "authors": Opt([str], [])}
ENTRY = {
    "position": int,
    "kind": str,
    "title": str,
    "published_on": Opt(Null(DATE), None),
    "source": Opt(str, ""),
    "case_caption": Opt(str, ""),
    "docket_number": Opt(str, ""),
    "court": Opt(str, ""),
    "summary": Opt(str, ""),
    "tags": Opt([str], []),
    "jurisdictions": Opt([str], []),
    "links": Opt([LINK], []),
    "commentary": Opt(Null(COMMENTARY), None),
}
SECTION = {"position": int, "title": str, "entries": Opt([ENTRY], [])}
ISSUE = {
    "number": int,
    "volume": Opt(str, ""),
    "year": int,
    "month": int,
    "title": str,
    "slug": str,
    "editors_note": Opt(str, ""),
    "commentary_label": Opt(str, ""),
    "partners_only": Opt(bool, False),
    "writers": Opt([str], []),
    "sections": Opt([SECTION], []),
}
AUTHOR = {"key": str, "name": str, **{f: Opt(str, "") for f in AUTHOR_FIELDS[1:]}}
AUTHOR |= {"display_order": Opt(int, 0), "is_active": Opt(bool, True)}
# Where each contact detail is shown: the author's own choice travels with them.
AUTHOR |= {f: Opt(bool, Author._meta.get_field(f).default) for f in CONTACT_VISIBILITY_FIELDS}
JURISDICTION = {
    "code": str,
    "name": str,
    "name_en": Opt(str, ""),
    "kind": str,
    "parent": Opt(Null(str), None),
}
BULLETIN = {
    "slug": str,
    "name": str,
    "description": Opt(str, ""),
    "language": Opt(str, "zh-hans"),
    "firm_name": str,
    "team_name": Opt(str, ""),
    "commentary_label": str,
    "disclaimer": Opt(str, ""),
    "contact_email": Opt(str, ""),
    "partners_only": Opt(bool, False),
    "default_sections": Opt([str], []),
    "team": Opt([str], []),
}
DOCUMENT = {
    "format": str,
    "version": int,
    "exported_at": Opt(Null(str), None),
    "source": Opt(Null(dict), None),
    "bulletin": BULLETIN,
    "authors": Opt([AUTHOR], []),
    "jurisdictions": Opt([JURISDICTION], []),
    "issue": ISSUE,
    # {language: the issue's translation, keyed by positions (bulletin.translation.positions)}
    "translations": Opt(dict, {}),
}


def validate_document(data: object) -> dict:
    """The document with its optional fields filled in, or DocumentError listing every problem."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise DocumentError([_("This is not an exported issue (its “format” is not %s).") % FORMAT])
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise DocumentError([_("The document has no valid “version”.")])
    if version > VERSION:
        raise DocumentError(
            [
                _("The document is in version %(version)s of the format; this site reads %(max)s.")
                % {"version": version, "max": VERSION}
            ]
        )
    errors: list[str] = []
    document = _check(data, DOCUMENT, "", errors)
    errors += _check_references(document) if not errors else []
    if errors:
        raise DocumentError(errors)
    return document


def _check(value, spec, path: str, errors: list[str]):
    if isinstance(spec, Null):
        return None if value is None else _check(value, spec.spec, path, errors)
    if isinstance(spec, dict):
        return _check_object(value, spec, path, errors)
    if isinstance(spec, list):
        if not isinstance(value, list):
            errors.append(_("%(path)s: expected a list") % {"path": path})
            return []
        return [_check(item, spec[0], f"{path}[{i}]", errors) for i, item in enumerate(value)]
    if spec == DATE:
        return _check_date(value, path, errors)
    if not isinstance(value, spec) or (spec is int and isinstance(value, bool)):
        errors.append(_("%(path)s: expected %(type)s") % {"path": path, "type": spec.__name__})
    return value


def _check_object(value, spec: dict, path: str, errors: list[str]) -> dict:
    if not isinstance(value, dict):
        errors.append(_("%(path)s: expected an object") % {"path": path or "/"})
        return {}
    result = {}
    for key, field in spec.items():
        where = f"{path}.{key}" if path else key
        if key not in value:
            if isinstance(field, Opt):
                result[key] = field.default
            else:
                errors.append(_("%(path)s: missing") % {"path": where})
            continue
        inner = field.spec if isinstance(field, Opt) else field
        result[key] = _check(value[key], inner, where, errors)
    return result


def _check_date(value, path: str, errors: list[str]):
    try:
        return datetime.date.fromisoformat(value).isoformat()
    except (TypeError, ValueError):
        errors.append(_("%(path)s: expected a date such as 2024-08-01") % {"path": path})
        return None


def _check_references(document: dict) -> list[str]:
    """Every author named by the issue is in "authors"; positions are unique."""
    keys = {author["key"] for author in document["authors"]}
    issue, errors = document["issue"], []
    named = [("issue.writers", k) for k in issue["writers"]]
    named += [("bulletin.team", k) for k in document["bulletin"]["team"]]
    for s, section in enumerate(issue["sections"]):
        for e, entry in enumerate(section["entries"]):
            commentary = entry["commentary"] or {"authors": []}
            where = f"issue.sections[{s}].entries[{e}].commentary.authors"
            named += [(where, k) for k in commentary["authors"]]
        if len({entry["position"] for entry in section["entries"]}) < len(section["entries"]):
            errors.append(_("issue.sections[%(s)s]: two entries have the same position") % {"s": s})
    if len({section["position"] for section in issue["sections"]}) < len(issue["sections"]):
        errors.append(_("issue.sections: two sections have the same position"))
    errors += [
        _("%(path)s: “%(key)s” is not in “authors”") % {"path": where, "key": key}
        for where, key in named
        if key not in keys
    ]
    return errors


def issue_export(*, issue: Issue) -> dict:
    """The whole issue as a transfer document, in a fixed number of queries: its snapshot, with
    authors and jurisdictions named by key and listed once."""
    issue = issue_for_snapshot(issue.pk)
    content = issue_snapshot(issue)
    entries = [entry for section in content["sections"] for entry in section["entries"]]
    commentaries = [entry["commentary"] for entry in entries if entry["commentary"]]
    people = content["writers"] + content["bulletin"]["team"]
    people += [author for commentary in commentaries for author in commentary["authors"]]
    codes = {j["code"] for entry in entries for j in entry["jurisdictions"]}
    authors = Author.objects.filter(pk__in={a["id"] for a in people}).order_by("pk")
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": timezone.now().isoformat(),
        "source": _source(issue),
        "bulletin": _bulletin(issue.bulletin, content["bulletin"]),
        "authors": [_author(a) for a in authors],
        "jurisdictions": _jurisdictions(codes),
        "issue": {
            **row(content, ISSUE_FIELDS),
            "partners_only": issue.partners_only,
            "writers": [a["slug"] for a in content["writers"]],
            "sections": [_section(section) for section in content["sections"]],
        },
        "translations": issue_translations_export(issue),
    }


def _source(issue: Issue) -> dict:
    return {
        "site": settings.SITE_URL,
        "issue_id": issue.pk,
        "state": issue.state,
        "published_at": issue.published_at.isoformat() if issue.published_at else None,
    }


def _bulletin(bulletin, content: dict) -> dict:
    """The bulletin as the snapshot has it, with the settings an import needs to recreate it."""
    return {
        **row(content, BULLETIN_FIELDS),
        "description": bulletin.description,
        "partners_only": bulletin.partners_only,
        "default_sections": bulletin.default_section_titles,
        "team": [a["slug"] for a in content["team"]],
    }


def _author(author: Author) -> dict:
    data = {"key": author.slug, **row(author, AUTHOR_FIELDS)}
    data |= {"display_order": author.display_order, "is_active": author.is_active}
    return data | {f: getattr(author, f) for f in CONTACT_VISIBILITY_FIELDS}


def _jurisdictions(codes: set[str]) -> list[dict]:
    """The jurisdictions named, with the countries they are part of, parents first."""
    found: dict[str, Jurisdiction] = {}
    wanted = set(codes)
    while wanted:
        rows = Jurisdiction.objects.filter(code__in=wanted).select_related("parent")
        found |= {j.code: j for j in rows}
        wanted = {j.parent.code for j in rows if j.parent and j.parent.code not in found}
    ordered = sorted(found.values(), key=lambda j: (j.parent_id is not None, j.code))
    return [
        {
            **row(j, JURISDICTION_FIELDS),
            "kind": j.kind,
            "parent": j.parent.code if j.parent else None,
        }
        for j in ordered
    ]


def _section(section: dict) -> dict:
    return {
        **row(section, SECTION_FIELDS),
        "entries": [_entry(entry) for entry in section["entries"]],
    }


def _entry(entry: dict) -> dict:
    """An entry of the snapshot, naming its jurisdictions and commentary authors by key."""
    commentary = entry["commentary"]
    return {
        **row(entry, ENTRY_FIELDS),
        "tags": entry["tags"],
        "jurisdictions": sorted(j["code"] for j in entry["jurisdictions"]),
        "links": [row(link, LINK_FIELDS) for link in entry["links"]],
        "commentary": {
            **row(commentary, COMMENTARY_FIELDS),
            "authors": [a["slug"] for a in commentary["authors"]],
        }
        if commentary
        else None,
    }
