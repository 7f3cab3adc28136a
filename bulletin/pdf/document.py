"""The typeset document of an issue: its HTML, built from a hydrated snapshot (the frozen
publication, or the live preview of a draft) in the bulletin's own language."""

import datetime
import logging
import re

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from bulletin import naming
from bulletin.content import AUTHOR_PROFILE_FIELDS
from bulletin.pdf.engine import RenderedPdf, html_to_pdf
from bulletin.pdf.parts import parts_wanted, typeset_in_parts
from bulletin.typography import keep_last_pair_joined, typeset_text
from entries.models import Entry, EntryLink
from people.models import Author

logger = logging.getLogger(__name__)

CHINESE_DIGITS = "零一二三四五六七八九"

# The typefaces of a Chinese edition; a Latin-script edition sets its text in Noto Serif and Noto
# Sans, and the CJK faces only what those lack (a name kept in Chinese).
CJK_FONTS = {"serif": '"Noto Serif CJK SC", serif', "sans": '"Noto Sans CJK SC", sans-serif'}
LATIN_FONTS = {
    "serif": '"Noto Serif", "Noto Serif CJK SC", serif',
    "sans": '"Noto Sans", "Noto Sans CJK SC", sans-serif',
}


def title_kept(title: str) -> str:
    """A title as the PDF sets it: Chinese punctuation, its last two characters kept on one line
    (by a WORD JOINER: a span would break the structure of the contents' links)."""
    return keep_last_pair_joined(typeset_text(title))


def css_string(text: str) -> str:
    """A CSS string literal, safe inside a <style> element."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    escaped = escaped.replace("<", "\\3c ").replace(">", "\\3e ")
    return f'"{escaped}"'


def page_counter_css() -> str:
    """The footer's "Page X of Y" as a CSS content value, in the active language."""
    page, pages = "\x00page\x00", "\x00pages\x00"
    text = _("Page %(page)s of %(pages)s") % {"page": page, "pages": pages}
    counters = {page: "counter(page)", pages: "counter(pages)"}
    parts = re.split(f"({re.escape(page)}|{re.escape(pages)})", text)
    return " ".join(counters.get(part) or css_string(part) for part in parts if part)


def chinese_number(number: int) -> str:
    """1 → 一, 12 → 十二, 25 → 二十五 (section numbers of a Chinese bulletin)."""
    if number < 10:
        return CHINESE_DIGITS[number]
    tens, ones = divmod(number, 10)
    prefix = "" if tens == 1 else CHINESE_DIGITS[tens]
    return prefix + "十" + (CHINESE_DIGITS[ones] if ones else "")


def section_number(position: int, language: str) -> str:
    if language.startswith("zh") and position < 100:
        return chinese_number(position) + "、"
    return f"{position}. "


# Characters that cannot stand in a fragment as they are (they would be read as URL syntax).
_NOT_IN_ANCHOR = re.compile(r"[\s#%?\"'<>\\`]+")


def readable_anchor(*parts: str) -> str:
    """An element id made of readable words: a tagged PDF names each internal link after its
    target (the link annotation's Contents), so "1.3-数据出境安全评估办法", not "entry-7"."""
    text = "-".join(part.strip() for part in parts if part.strip())
    return _NOT_IN_ANCHOR.sub("-", text).strip("-")[:80]


def toc_marker_css(sections: list[dict]) -> str:
    """The contents' list markers, one string per position ("一、", "3. "): as list-style-type
    strings they are tagged Lbl beside the item's LBody (a ::marker with content is not laid
    out by WeasyPrint, and positions may have gaps that a counter would not follow)."""
    rules = {f'.toc-section[data-position="{s["position"]}"]': s["number"] for s in sections} | {
        f'.toc-entry[data-position="{e["position"]}"]': f"{e['position']}. "
        for s in sections
        for e in s["entries"]
    }
    return "\n".join(
        f"{selector} {{ list-style-type: {css_string(marker)}; }}"
        for selector, marker in rules.items()
    )


def link_groups(links: list[dict]) -> list[dict]:
    """Links of an entry grouped under one heading each: "Link", "Reference link", a label."""
    groups: dict[tuple, dict] = {}
    for link in links:
        key = (link["kind"], link.get("label", ""))
        if key not in groups:
            heading = link.get("label") or (
                EntryLink.Kind(link["kind"]).label
                if link["kind"] in EntryLink.Kind.values
                else link["kind"]
            )
            # A label an edition left in its source language is marked as such (lang="…").
            kept = "label" in link.get("untranslated", ())
            groups[key] = {"heading": heading, "urls": [], "untranslated": ["heading"] * kept}
        groups[key]["urls"].append(link["url"])
    return list(groups.values())


def _entry(entry: dict, language: str, section_position: int) -> dict:
    english = language == "en"
    return {
        **entry,
        "anchor": readable_anchor(f"{section_position}.{entry['position']}", entry["title"]),
        "title_kept": title_kept(entry["title"]),
        "kind_label": Entry.Kind(entry["kind"]).label
        if entry["kind"] in Entry.Kind.values
        else entry["kind"],
        "link_groups": link_groups(entry["links"]),
        "places": [
            (j.get("name_en") if english else "") or j["name"] for j in entry["jurisdictions"]
        ],
    }


def _profiles(content: dict) -> list[dict]:
    """The bulletin's team, then the writers of this issue who are not in it; a person known by
    name alone has no profile (the team's page names them)."""
    people, seen = [], set()
    for author in content["bulletin"]["team"] + content["writers"]:
        if author["id"] not in seen and _has_profile(author):
            seen.add(author["id"])
            people.append(author)
    return people


def _has_profile(author: dict) -> bool:
    details = ["name_latin", "title", "office_city", "photo", *AUTHOR_PROFILE_FIELDS]
    return any(author.get(name) for name in details)


def _labels() -> dict:
    fields = {
        name: capfirst(Author._meta.get_field(name).verbose_name) for name in AUTHOR_PROFILE_FIELDS
    }
    return {
        **fields,
        "docket_number": capfirst(Entry._meta.get_field("docket_number").verbose_name),
        "court": capfirst(Entry._meta.get_field("court").verbose_name),
        "jurisdictions": capfirst(Entry._meta.get_field("jurisdictions").verbose_name),
    }


def _metadata(content: dict, sections: list[dict]) -> dict:
    writers = [a["name"] for a in content["writers"]] or [
        a["name"] for a in content["bulletin"]["team"]
    ]
    tags = sorted({tag for s in sections for e in s["entries"] for tag in e["tags"]})
    return {
        "authors": writers or [content["bulletin"]["firm_name"]],
        "keywords": tags,
        "subject": " · ".join(
            [
                content["bulletin"]["name"],
                _("No. %(number)s") % {"number": content["number"]},
                f"{content['year']}-{content['month']:02d}",
            ]
        ),
    }


def document_context(content: dict, *, preview: bool = False) -> dict:
    """Everything the template shows, prepared from the hydrated content."""
    language = content["bulletin"]["language"]
    sections = [
        {
            **section,
            "anchor": readable_anchor(
                section_number(section["position"], language) + section["title"]
            ),
            "number": section_number(section["position"], language),
            "title_kept": title_kept(section["title"]),
            "entries": [_entry(e, language, section["position"]) for e in section["entries"]],
        }
        for section in content["sections"]
    ]
    return {
        "issue": content,
        "bulletin": content["bulletin"],
        "lang": "zh-Hans" if language.startswith("zh") else language,
        "fonts": CJK_FONTS if language.startswith(("zh", "ja", "ko")) else LATIN_FONTS,
        # An edition's texts left untranslated keep their source language and its faces.
        "source_language": (content.get("edition") or {}).get("source_language") or language,
        "cjk_fonts": CJK_FONTS,
        "sections": sections,
        "profiles": _profiles(content),
        "period": datetime.date(content["year"], content["month"], 1),
        "meta": _metadata(content, sections),
        "labels": _labels(),
        "preview": preview,
        # The whole document; bulletin/pdf/parts.py typesets a large issue in parts.
        "part": {"front": True, "body": True, "preamble": True, "sections": sections, "end": True},
        "anchors": {
            "disclaimer": readable_anchor(_("Disclaimer")),
            "team": readable_anchor(_("Team")),
            "profiles": readable_anchor(_("About the authors")),
        },
        "css": {
            "toc_markers": toc_marker_css(sections),
            "page_counter": page_counter_css(),
            "bulletin": css_string(content["bulletin"]["name"]),
            "issue": css_string(naming.issue_name(content)),
            "preview": css_string(_("Preview – not published")),
        },
    }


def document_html(content: dict, *, preview: bool = False) -> str:
    """The HTML of the issue's PDF, in the bulletin's language."""
    with translation.override(content["bulletin"]["language"]):
        return render_to_string("pdf/issue.html", document_context(content, preview=preview))


def document_pdf(content: dict, *, preview: bool = False) -> RenderedPdf:
    """The typeset PDF of a hydrated snapshot: a large issue in parts, side by side."""
    if not parts_wanted(content):
        return html_to_pdf(document_html(content, preview=preview))
    language = content["bulletin"]["language"]
    with translation.override(language):
        context = document_context(content, preview=preview)

    def part_html(part: dict, *, template: str = "issue", **overrides) -> str:
        with translation.override(language):
            return render_to_string(
                f"pdf/{template}.html", {**context, **overrides, "part": {"bare": True, **part}}
            )

    try:
        return typeset_in_parts(context, part_html)
    except Exception:
        # Typesetting in parts only saves time: a failure of its processes (no fork, a pool
        # that broke) must not cost the PDF.
        logger.warning("PDF in parts failed, typesetting it whole", exc_info=True)
        return html_to_pdf(document_html(content, preview=preview))
