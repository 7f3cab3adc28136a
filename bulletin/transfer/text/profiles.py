"""The end of a back issue: the disclaimer and contact, the firm and team, the team's members and
this issue's writers, and the profiles of the team's members."""

import re

from django.utils.translation import gettext as _

from bulletin.transfer.text import vocabulary as v
from bulletin.transfer.text.reader import PROFILE_NAME, TITLE_AND_OFFICE, Reader
from bulletin.transfer.text.richtext import to_html

NAME_SEPARATORS = re.compile(r"[\s、,，;；]+")
# A member under a team's or the writers' heading, as our PDF prints them: "林青山 合伙人/北京
# lin@example.cn", the role (title/office, or either alone) and the email optional. A name is the
# name of a profile further on, else a Chinese name of 2 to 4 characters or a two-word Latin one
# (a longer Latin name is known by its profile).
UNKNOWN_NAME = re.compile(
    r"^(?:[\u4e00-\u9fff]{2,4}|[\u4e00-\u9fff]{1,6}·[\u4e00-\u9fff]{1,6}"
    r"|[A-Z][\w.\-']+ [A-Z][\w.\-']+)"
)
ROLE = re.compile(rf"^(?P<role>[^：:，。@]{{1,40}}?)?(?:(?:^|\s+)(?P<email>{v.EMAIL.pattern}))?$")
CONTACT_LINE = re.compile(rf"^(\S{{1,12}})\s+({v.EMAIL.pattern})$")  # "联系方式 desk@…"
LIST_SEPARATORS = re.compile(r"[、,，;；]")
RICH_FIELDS = {"experience", "representative_matters", "honours"}


def parse_footer(reader: Reader, i: int, document: dict) -> int:
    """From the disclaimer heading (or the firm's line) to the profiles."""
    bulletin, disclaimer = document["bulletin"], []
    if reader.is_disclaimer(i):
        reader.place(i)
        i += 1
    while i < len(reader) and not (reader.is_profiles_heading(i) or reader.is_profile(i)):
        label, heading = reader.label(i), v.squeeze(reader.text(i))
        contact = CONTACT_LINE.match(reader.text(i))
        under = i + 1 + (reader.is_firm_line(i + 1) and heading in v.TEAM_HEADINGS)
        if _heading(reader, i) and heading not in v.DISCLAIMER and _person(reader, under, []):
            i = _people(reader, i, document)
            continue
        if contact and v.squeeze(contact.group(1)) in v.CONTACT:
            bulletin["contact_email"] = contact.group(2)
            reader.place(i)
        elif reader.is_firm_line(i):
            _firm(reader, i, bulletin)
        elif label and label.name in v.WRITERS and label.value:
            document["issue"]["writers"] = _names(reader, i, label.value, document)
        elif label and label.name.endswith(v.TEAM_SUFFIXES) and label.value:
            bulletin["team"] = _names(reader, i, label.value, document)
            bulletin["_team_line"] = reader.line(i)
        elif not ({"firm_name", "team"} & bulletin.keys() or "writers" in document["issue"]):
            disclaimer.append(i)
        else:
            reader.not_placed(i, _("text after the disclaimer"))
        i += 1
    if disclaimer:
        _disclaimer(reader, disclaimer, bulletin)
    return i


def _people(reader: Reader, i: int, document: dict) -> int:
    """A team's or the writers' heading alone on its line (a team's may be followed by the
    firm's line), and a person a line under it."""
    writers = v.squeeze(reader.text(i)) in v.WRITERS
    reader.place(i)
    names = []
    i += 1
    if not writers and reader.is_firm_line(i):  # the firm and the team's name
        _firm(reader, i, document["bulletin"])
        i += 1
    known = _profile_names(reader, i)
    while i < len(reader) and (person := _person(reader, i, known)):
        if reader.is_profile(i) or reader.is_profiles_heading(i) or _heading(reader, i):
            break  # the profiles begin, or the next list
        name, title, office, email = person
        author = author_named(document, name, reader.line(i))
        for key, value in (("title", title), ("office_city", office), ("email", email)):
            if value and not author.get(key):
                author[key] = value
        names.append(name)
        reader.place(i)
        i += 1
    if writers:
        document["issue"]["writers"] = names
    else:
        document["bulletin"]["team"] = names
    return i


def _profile_names(reader: Reader, i: int) -> list[str]:
    """The names of the profiles after paragraph i, longest first."""
    names = set()
    for j in range(i, len(reader)):
        if reader.is_profile(j):
            alone, name, _latin = PROFILE_NAME.match(reader.text(j)).groups()
            names.add(alone or name)
    return sorted(names, key=len, reverse=True)


def _person(reader: Reader, i: int, known: list[str]) -> tuple[str, str, str, str] | None:
    """(name, title, office, email) of a member's line, or None if it is not one."""
    if i >= len(reader):
        return None
    text = reader.text(i)
    if v.squeeze(text) in v.END_HEADINGS | v.CONTACT:
        return None
    name = next((n for n in known if text == n or text.startswith(n + " ")), "")
    if not name and (match := UNKNOWN_NAME.match(text)):
        name = match.group(0)
        if text[len(name) : len(name) + 1] not in ("", " "):
            return None
    role = ROLE.match(text[len(name) :].strip()) if name else None
    if role is None:
        return None
    title, _slash, office = (role.group("role") or "").partition("/")
    return name, title.strip(), office.strip(), role.group("email") or ""


def _heading(reader: Reader, i: int) -> bool:
    return v.squeeze(reader.text(i)) in v.END_HEADINGS


def _disclaimer(reader: Reader, indexes: list[int], bulletin: dict) -> None:
    texts = [reader.text(i) for i in indexes]
    bulletin["disclaimer"] = to_html(texts)
    bulletin["_disclaimer_line"] = reader.line(indexes[0])
    emails = [email for text in texts for email in v.EMAIL.findall(text)]
    if emails:  # unless a contact line gave it
        bulletin.setdefault("contact_email", emails[0])
    for i in indexes:
        reader.place(i)


def _firm(reader: Reader, i: int, bulletin: dict) -> None:
    """ "北京示例律师事务所 人工智能委员会": the firm and its team; seen again, a page header."""
    text = reader.text(i)
    reader.place(i)
    if text in reader.firm_lines:
        reader.report.repairs["running_repeats"] += 1
        return
    reader.firm_lines.add(text)
    if reader.firm and text.startswith(reader.firm):
        firm = reader.firm
    else:
        firm = text[: text.find("律师事务所") + len("律师事务所")] if "律师事务所" in text else text
    bulletin["firm_name"], bulletin["team_name"] = firm, text[len(firm) :].strip()
    bulletin["_firm_line"] = reader.line(i)


def _names(reader: Reader, i: int, value: str, document: dict) -> list[str]:
    """The people named in a list such as "时某 王某  赵某"; each becomes an author (or is one)."""
    names = [name for name in NAME_SEPARATORS.split(value) if name]
    for name in names:
        author_named(document, name, reader.line(i))
    reader.place(i)
    return names


def author_named(document: dict, name: str, line: int) -> dict:
    """The document's author of that name (its key is the name), added if it is not there yet."""
    for author in document["authors"]:
        if author["key"] == name:
            return author
    author = {"key": name, "name": name, "_line": line}
    document["authors"].append(author)
    return author


def parse_profiles(reader: Reader, i: int, document: dict) -> int:
    """The profiles, each from a name to the next; the firm's line repeated is a page header."""
    while i < len(reader):
        if reader.text(i) in reader.firm_lines:
            reader.report.repairs["running_repeats"] += 1
            reader.place(i)
            i += 1
        elif reader.is_profiles_heading(i):
            reader.place(i)
            i += 1
        elif reader.is_profile(i):
            i = _profile(reader, i, document)
        else:
            reader.not_placed(i, _("text between the profiles"))
            i += 1
    return i


def _profile(reader: Reader, i: int, document: dict) -> int:
    alone, name, latin = PROFILE_NAME.match(reader.text(i)).groups()
    author = author_named(document, alone or name, reader.line(i))
    author["_line"] = reader.line(i)
    if latin and not author.get("name_latin"):
        author["name_latin"] = latin
    reader.place(i)
    i += 1
    if match := TITLE_AND_OFFICE.match(reader.text(i)):
        author["title"], author["office_city"] = (part.strip() for part in match.groups())
        reader.place(i)
        i += 1
    values: dict[str, list[str]] = {}
    field = None
    while i < len(reader) and not _profile_ends(reader, i):
        label = reader.label(i)
        named = _field_of(label)
        if named:
            field = named
            values.setdefault(field, []).extend([label.value] if label.value else [])
        elif field:
            values[field].append(reader.text(i))
        else:
            reader.not_placed(i, _("text in a profile before its first label"))
            i += 1
            continue
        reader.place(i)
        i += 1
    author.update(_profile_fields(values))
    return i


def _profile_ends(reader: Reader, i: int) -> bool:
    return (
        reader.is_profile(i) or reader.is_profiles_heading(i) or reader.text(i) in reader.firm_lines
    )


def _field_of(label: v.Label | None) -> str:
    if label is None:
        return ""
    return next((f for f, names in v.PROFILE_FIELDS.items() if label.name in names), "")


def _profile_fields(values: dict[str, list[str]]) -> dict:
    fields = {}
    for name, texts in values.items():
        if name in RICH_FIELDS:
            fields[name] = to_html(texts)
        elif name == "education":  # a degree a line, bulleted or not
            fields[name] = "\n".join(m.group(1) if (m := v.BULLET.match(t)) else t for t in texts)
        else:
            fields[name] = " ".join(texts).strip()
    areas = fields.get("practice_areas", "")
    if areas and not LIST_SEPARATORS.search(areas):
        fields["practice_areas"] = re.sub(r"\s+", "、", areas)
    return fields
