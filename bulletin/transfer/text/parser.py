"""Recognising the parts of a back issue in its paragraphs; the result is a transfer document
(the shape of docs/transfer.md, with the line each part came from) and the report.

The shape: an optional table of contents; sections ("一、…") of numbered entries ("1. 标题"), each
with labelled lines (发布日期, 来源, 案件信息, 链接, 参考链接, 起诉状链接 or any other "…链接"), the
summary ("摘要") and the firm's commentary (the bulletin's label, or 植德短评); then the disclaimer
("特此声明"), the contact, the firm and team, the team's members and this issue's writers; then
the profiles of the team's members (see profiles.py).
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from bulletin.transfer.report import Report, Unplaced
from bulletin.transfer.text import vocabulary as v
from bulletin.transfer.text.fields import infer_kind, kind_named, parse_case, parse_date
from bulletin.transfer.text.lines import Source, paragraphs, read_source
from bulletin.transfer.text.profiles import author_named, parse_footer, parse_profiles
from bulletin.transfer.text.reader import PERSON_NAME, Reader
from bulletin.transfer.text.richtext import to_html, urls_in

VOLUME = re.compile(r"\d{4}\s*年\s*第\s*\d+\s*期")
AUTHOR_SEPARATORS = re.compile(r"\s*[、,，;；/]\s*|\s{2,}")
CHINESE_NAME = re.compile(r"[\u4e00-\u9fff·]+")
# "— 张三、李四" closing a commentary, as our PDF prints its authors: names only (a Chinese name
# of 2 to 4 characters, or a Latin one of 2 or 3 words), after a paragraph of the commentary.
BYLINE = re.compile(r"^— (\S.*)$")
BYLINE_NAME = re.compile(
    r"[\u4e00-\u9fff]{2,4}|[\u4e00-\u9fff]{1,6}·[\u4e00-\u9fff]{1,6}"
    r"|[A-Z][\w.\-']+(?: [A-Z][\w.\-']+){1,2}"
)


@dataclass
class Parsed:
    document: dict
    report: Report


def parse_text(text: str, *, commentary_label: str = "", firm: str = "", name: str = "") -> Parsed:
    """The transfer document of a back issue's text, and the report of what was (not) placed."""
    report = Report()
    source = read_source(text, header=name)
    labels = {v.squeeze(label) for label in (commentary_label, v.SEED_COMMENTARY_LABEL) if label}
    reader = Reader(paragraphs(source, labels), report, labels=labels, firm=firm)
    document = {
        "bulletin": {},
        "authors": [],
        "jurisdictions": [],
        "issue": {"sections": []},  # what the text lacks stays as it is on a re-import
    }
    start = _body_start(reader)
    contents = _preamble(reader, start, document["issue"], name)
    _body(reader, start, document)
    _match_contents(reader, contents, document["issue"])
    if reader.commentary_labels:  # the heading the source printed over its commentaries
        document["issue"]["commentary_label"] = reader.commentary_labels.most_common(1)[0][0]
    _account_link_lists(reader, source)
    _account_rest(reader, source)
    report.repairs.update(source.repairs)
    return Parsed(document, report)


def _body_start(reader: Reader) -> int:
    """The first section heading followed by its first entry (or the first entry)."""
    for i in range(len(reader)):
        if reader.section_title(i, 1):
            return i
    return next((i for i in range(len(reader)) if reader.entry_title(i, 1)), len(reader))


def _preamble(reader: Reader, start: int, issue: dict, name: str) -> list[int]:
    """Before the body: the table of contents (returned, matched later), a volume, the editor's
    note under its heading; anything else is reported."""
    contents, note, noted = [], None, None
    for i in range(start):
        text = reader.text(i)
        if v.TITLE.match(text) or v.SECTION.match(text):
            contents.append(i)
            note = None
        elif v.squeeze(text) in v.CONTENTS or (name and text == name):
            reader.place(i)
        elif VOLUME.fullmatch(text):
            issue["volume"] = text
            reader.place(i)
        elif v.squeeze(text) in v.EDITORS_NOTE:
            note = []
            reader.place(i)
        elif note is not None:
            note.append(text)
            noted = note
            reader.place(i)
        else:
            reader.not_placed(i, _("text before the first section"))
    if noted:  # made into rich text once, not again for each of its paragraphs
        issue["editors_note"] = to_html(noted)
    return contents


def _body(reader: Reader, i: int, document: dict) -> None:
    sections = document["issue"]["sections"]
    while i < len(reader):
        title = reader.section_title(i, len(sections) + 1)
        if title or (not sections and reader.entry_title(i, 1)):
            sections.append({"position": len(sections) + 1, "title": title, "entries": []})
            sections[-1]["_line"] = reader.line(i)
            if title:
                reader.place(i)
                i += 1
            continue
        if sections and reader.entry_title(i, len(sections[-1]["entries"]) + 1):
            i = _entry(reader, i, sections[-1], document)
        elif (reader.is_disclaimer(i) or reader.is_firm_line(i)) and not reader.is_profile(i):
            i = parse_footer(reader, i, document)
        elif reader.is_profiles_heading(i) or reader.is_profile(i):
            i = parse_profiles(reader, i, document)
        else:
            reader.not_placed(i, _("text outside any entry"))
            i += 1


def _at_boundary(reader: Reader, i: int, section: dict, position: int) -> bool:
    return bool(
        reader.entry_title(i, position + 1)
        or reader.section_title(i, section["position"] + 1)
        or reader.is_disclaimer(i)
        or reader.is_profiles_heading(i)
    )


def _entry(reader: Reader, i: int, section: dict, document: dict) -> int:
    """Parse the entry whose title is paragraph i; return the index after it."""
    position = len(section["entries"]) + 1
    entry = {
        "position": position,
        "title": reader.entry_title(i, position),
        "published_on": None,
        "source": "",
        "case_caption": "",
        "docket_number": "",
        "court": "",
        "links": [],
        "commentary": None,
        "_line": reader.line(i),
    }
    reader.place(i)
    i += 1
    parts = {"phase": "head", "summary": [], "commentary": None, "authors": []}
    while i < len(reader) and not _at_boundary(reader, i, section, position):
        i = _entry_paragraph(reader, i, entry, parts)
    if byline := parts.pop("byline", None):
        parts["authors"].append(byline[:2])
    entry["summary"] = to_html(parts["summary"])
    if parts["commentary"] is not None:
        entry["commentary"] = {"body": to_html(parts["commentary"])}
    _commentary_authors(reader, entry, parts["authors"], document)
    entry["kind"] = entry.get("kind") or infer_kind(
        title=entry["title"], section_title=section["title"], is_case=bool(entry["case_caption"])
    )
    if entry["published_on"] is None:
        reader.report.note(entry["_line"], _("this entry has no publication date"))
    section["entries"].append(entry)
    return i


def _entry_paragraph(reader: Reader, i: int, entry: dict, parts: dict) -> int:
    """Place paragraph i of an entry; return the index of the next one to read."""
    if reader.is_commentary_label(i):
        reader.commentary_labels[reader.text(i).rstrip("：: ")] += 1
        parts["phase"] = "commentary"
        parts["commentary"] = parts["commentary"] or []  # a repeated label adds to it
        reader.place(i)
        return i + 1
    label = reader.label(i)
    if label and _is_link_list(reader, i, label):
        return _links(reader, i, label, entry)
    names = author_names(label.value) if label and label.name in v.COMMENTARY_AUTHORS else []
    if parts.get("byline"):  # not the commentary's last paragraph: text after all
        parts["commentary"].append(parts.pop("byline")[2])
    if parts["phase"] == "commentary" and parts["commentary"] and _byline(reader.text(i)):
        parts["byline"] = (reader.line(i), _byline(reader.text(i)), reader.text(i))
        reader.place(i)
        return i + 1
    if names and parts["phase"] != "summary":
        parts["authors"].append((reader.line(i), names))
        reader.place(i)
        return i + 1
    if label and label.name in v.SUMMARY and not label.value and parts["phase"] == "summary":
        reader.place(i)  # "摘要：" after a summary that started without it
        return i + 1
    if parts["phase"] == "head":
        if label and label.name in v.ENTRY_LABELS:
            _head_field(reader, i, label, entry, parts)
            return i + 1
        if label and _looks_like_label(label):
            reader.not_placed(i, _("unknown label “%(label)s”") % {"label": label.text})
            return i + 1
        if reader.bullet_url(i):
            return _links(reader, i, None, entry)
        parts["phase"] = "summary"
        reader.report.note(
            reader.line(i), _("no “摘要” label: the text after the entry's links is its summary")
        )
    parts["summary" if parts["phase"] == "summary" else "commentary"].append(reader.text(i))
    reader.place(i)
    return i + 1


def _byline(text: str) -> list[str]:
    """The names of a byline ("— 张三、李四"), or []."""
    found = BYLINE.match(text)
    names = author_names(found.group(1)) if found else []
    return names if all(BYLINE_NAME.fullmatch(name) for name in names) else []


def author_names(value: str) -> list[str]:
    """The names in "张三、李四" (or "张三 李四", "Jane Doe, John Roe"), or [] if any part is
    not a person's name (then the line is text, not a list of authors)."""
    parts = AUTHOR_SEPARATORS.split(value.strip())
    names = []
    for part in parts:
        pieces = part.split()
        if len(pieces) > 1 and all(CHINESE_NAME.fullmatch(p) for p in pieces):
            # "张三 李四" lists two people; "林 青山" between separators is one, spaced out.
            names += pieces if len(parts) == 1 else ["".join(pieces)]
        else:
            names.append(part)
    valid = all(PERSON_NAME.match(name) for name in names)
    return names if names and valid and len(names) <= 10 else []


def _commentary_authors(reader: Reader, entry: dict, found: list, document: dict) -> None:
    """The authors named for the commentary become the document's authors (matched by name when
    written, as every author of an import is) and the commentary's."""
    keys = []
    for line, names in found:
        if entry["commentary"] is None:
            reader.report.note(line, _("authors of a commentary, but the entry has none"))
            continue
        keys += [author_named(document, name, line)["key"] for name in names]
    if entry["commentary"] is not None and keys:
        entry["commentary"]["authors"] = list(dict.fromkeys(keys))


def _is_link_list(reader: Reader, i: int, label: v.Label) -> bool:
    """ "链接：" and bulleted URLs, or "链接：URL": not a sentence that mentions a link."""
    if not v.is_link_label(label.name):
        return False
    if not label.value:
        return bool(reader.bullet_url(i + 1))
    return all(v.URL.fullmatch(token) for token in label.value.split())


def _looks_like_label(label: v.Label) -> bool:
    """A short name and a short value: a field of the entry, not the summary's first sentence."""
    return len(label.value) <= 40 and "。" not in label.value


def _head_field(reader: Reader, i: int, label: v.Label, entry: dict, parts: dict) -> None:
    name, value = label.name, label.value
    if name in v.SUMMARY:
        parts["phase"] = "summary"
        if value:
            parts["summary"].append(value)
    elif name in v.DATE and entry["published_on"] is None and parse_date(value):
        entry["published_on"] = parse_date(value).isoformat()
    elif name in v.KIND and "kind" not in entry and kind_named(value):
        entry["kind"] = kind_named(value)
    elif name in v.SOURCE and not entry["source"] and value:
        entry["source"] = value
    elif name in v.CASE and not entry["case_caption"] and value:
        entry["case_caption"], entry["docket_number"], entry["court"] = parse_case(value)
    else:
        reason = _("not a date") if name in v.DATE and value else _("repeated or empty label")
        reader.not_placed(i, reason)
        return
    reader.place(i)


def _links(reader: Reader, i: int, label: v.Label | None, entry: dict) -> int:
    """A link label (paragraph i) and the bulleted URLs after it; without a label, bullets from
    paragraph i on continue the entry's last links."""
    if label is None:
        last = entry["links"][-1] if entry["links"] else {"kind": "primary", "label": ""}
        kind, text = last["kind"], last["label"]
    else:
        kind = v.link_kind(label.name)
        text = label.text if kind == "other" else ""
        reader.place(i)
        for url in urls_in(label.value):
            _add_link(entry, kind, text, url, reader.line(i))
        i += 1
    while url := reader.bullet_url(i):
        if len(reader.paragraphs[i].lines) > 1:
            reader.report.repairs["urls_joined"] += 1
        _add_link(entry, kind, text, url, reader.line(i))
        reader.place(i, url=url)
        i += 1
    return i


def _add_link(entry: dict, kind: str, label: str, url: str, line: int) -> None:
    position = len(entry["links"]) + 1
    entry["links"].append(
        {"position": position, "kind": kind, "label": label, "url": url, "_line": line}
    )


def _match_contents(reader: Reader, contents: list[int], issue: dict) -> None:
    """Table of contents lines name entries (or sections) of the body; others are reported."""
    titles = {v.squeeze(s["title"]) for s in issue["sections"]}
    titles |= {v.squeeze(e["title"]) for s in issue["sections"] for e in s["entries"]}
    for i in contents:
        match = v.TITLE.match(reader.text(i)) or v.SECTION.match(reader.text(i))
        if v.squeeze(match.group(2)) in titles:
            reader.place(i)
            reader.report.repairs["contents_lines"] += len(reader.paragraphs[i].lines)
        else:
            reader.not_placed(i, _("table of contents line that matches no entry"))


def _account_link_lists(reader: Reader, source: Source) -> None:
    """The URL lists at page ends repeat the page's links; a URL not in the text is reported."""
    for number, url in source.link_lists.items():
        if url in reader.urls:
            reader.report.repairs["link_list_lines"] += 1
        else:
            reason = _("listed as a link of the page, but not found in its text")
            reader.report.not_placed([number], url, reason)


def _account_rest(reader: Reader, source: Source) -> None:
    """Page numbers and running headers are listed; a paragraph nobody placed is reported."""
    for number, reason in source.dropped.items():
        reader.report.dropped.append(Unplaced([number], source.raw[number], _(reason)))
    for i in range(len(reader)):
        if i not in reader.placed:
            reader.not_placed(i, _("not recognised"))
