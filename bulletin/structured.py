"""schema.org data (JSON-LD) for the public pages, saying what is true of what we publish: an
entry is our article (published when its issue was, modified when a correction was), written by
the firm's commentators; a law or regulation it reports on is a Legislation of its own, a case a
CreativeWork naming the caption, docket and court."""

import datetime
import html
import json
import re

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language, gettext

from bulletin import cards, selectors
from bulletin.models import Correction, PublishedEntry, entry_slug

CONTEXT = "https://schema.org"
# The name of a law inside Chinese title marks: 《中华人民共和国个人信息保护法》.
LAW_NAME = re.compile(r"《([^《》]+)》")
# A Chinese document number: 国发〔2024〕5号, 国家网信办令第 12 号 is not one (no year).
DOCUMENT_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,12}[〔\[［(（]\d{4}[〕\]］)）]\s*\d+\s*号")


def site_name() -> str:
    """The site's name in titles, og:site_name and JSON-LD: the firm's, once it is configured."""
    english = (get_language() or "").startswith("en")
    return selectors.firm_public().shown_name(english=english) or gettext("Legal bulletins")


def json_ld(document: dict) -> SafeString:
    """A JSON-LD script element no text can break out of: <, > and & are escaped as \\u003c,
    \\u003e and \\u0026 (json.dumps leaves them as they are)."""
    text = json.dumps(document, ensure_ascii=False)
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, escape)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308


def excerpt(markup: str, length: int = 160) -> str:
    """Plain text of a summary, cut to a length, for descriptions."""
    text = " ".join(html.unescape(strip_tags(markup or "")).split())
    return Truncator(text).chars(length)


def _iso(when: datetime.datetime | datetime.date | str | None) -> str | None:
    """A date or time in ISO form (a snapshot's dates are ISO text already)."""
    if isinstance(when, str) or when is None:
        return when
    if isinstance(when, datetime.datetime):
        return timezone.localtime(when).isoformat()
    return when.isoformat()


def _organization(name: str) -> dict:
    return {"@type": "Organization", "name": name}


def _publisher(name: str) -> dict:
    """The firm as publisher, with its mark as logo where one is configured."""
    publisher = _organization(name)
    firm = selectors.firm_public()
    if firm.mark_type:
        logo = f"{settings.SITE_URL}{reverse('brand_mark')}?v={firm.mark_version}"
        publisher["logo"] = {"@type": "ImageObject", "url": logo}
    return publisher


def _person(author: dict) -> dict:
    path = reverse("bulletin:author", kwargs={"slug": author["slug"]})
    return {"@type": "Person", "name": author["name"], "url": settings.SITE_URL + path}


def card_image(source: cards.CardSource) -> dict:
    return {
        "@type": "ImageObject",
        "url": cards.card_url(source),
        "width": cards.WIDTH,
        "height": cards.HEIGHT,
    }


def _periodical(bulletin: dict) -> dict:
    return {
        "@type": "Periodical",
        "name": bulletin["name"],
        "inLanguage": bulletin["language"],
        "publisher": _publisher(bulletin["firm_name"]),
    }


def _jurisdiction_names(data: dict, language: str) -> list[str]:
    english = language == "en"
    return [(j["name_en"] or j["name"]) if english else j["name"] for j in data["jurisdictions"]]


def _places(data: dict) -> list[str]:
    """Every name of the entry's jurisdictions, Chinese and English."""
    return [name for j in data["jurisdictions"] for name in (j["name"], j["name_en"]) if name]


def law_name(title: str) -> str:
    """The law an entry reports on: the name in 《》 if the title has one, else the title."""
    match = LAW_NAME.search(title)
    return match.group(1) if match else title


def _legislation(data: dict, language: str) -> dict:
    document = {"@type": "Legislation", "name": law_name(data["title"])}
    places = _jurisdiction_names(data, language)
    if places:
        document["legislationJurisdiction"] = places[0] if len(places) == 1 else places
    if data.get("published_on"):
        document["legislationDate"] = _iso(data["published_on"])
    number = DOCUMENT_NUMBER.search(" ".join((data["title"], data.get("source", ""))))
    if number:
        document["legislationIdentifier"] = number.group()
    return document


def _case(data: dict) -> dict:
    document = {"@type": "CreativeWork", "name": data["case_caption"]}
    if data.get("docket_number"):
        document["identifier"] = data["docket_number"]
    if data.get("court"):
        document["creator"] = _organization(data["court"])
    if data.get("published_on"):
        document["dateCreated"] = _iso(data["published_on"])
    return document


def _about(data: dict, language: str) -> dict | None:
    if data["kind"] in ("law", "regulation"):
        return _legislation(data, language)
    if data["kind"] == "case" and data.get("case_caption"):
        return _case(data)
    return None


def entry_modified(entry: PublishedEntry) -> datetime.datetime:
    """When the entry's issue last changed in public: its latest published correction."""
    latest = (
        Correction.objects.filter(issue_id=entry.issue_id, published_at__isnull=False)
        .order_by("-published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    return latest or entry.issue_published_at


def entry_card(entry: PublishedEntry) -> cards.CardSource:
    """The card of the entry's issue, read once per page."""
    if not hasattr(entry, "_card_source"):
        entry._card_source = cards.card_source(pk=entry.issue_id)
    return entry._card_source


def _issue_part(entry: PublishedEntry, card: cards.CardSource, bulletin: dict) -> dict:
    return {
        "@type": "PublicationIssue",
        "name": card.title,
        "issueNumber": str(entry.issue.number),
        "url": settings.SITE_URL
        + reverse("bulletin:issue", kwargs={"bulletin": card.bulletin_slug, "slug": card.slug}),
        "isPartOf": _periodical(bulletin),
    }


def entry_document(entry: PublishedEntry) -> dict:
    """A public entry as a NewsArticle by the firm, about what it reports on."""
    data, bulletin = entry.data, entry.bulletin
    bulletin_data = {"name": bulletin.name, "language": bulletin.language}
    bulletin_data |= {"firm_name": bulletin.firm_name}
    authors = (data.get("commentary") or {}).get("authors", [])
    card = entry_card(entry)
    document = {
        "@context": CONTEXT,
        "@type": "NewsArticle",
        "headline": data["title"],
        "url": settings.SITE_URL + entry.get_absolute_url(),
        "datePublished": _iso(entry.issue_published_at),
        "dateModified": _iso(entry_modified(entry)),
        "inLanguage": bulletin.language,
        "articleSection": entry.section_title,
        "description": excerpt(data.get("summary", "")),
        "author": [_person(a) for a in authors] or [_organization(bulletin.firm_name)],
        "publisher": _publisher(bulletin.firm_name),
        "image": card_image(card),
        "isPartOf": _issue_part(entry, card, bulletin_data),
        "keywords": list(dict.fromkeys(data["tags"] + _places(data))),
    }
    about = _about(data, bulletin.language)
    if about:
        document["about"] = about
    return document


def issue_document(content: dict) -> dict:
    """A public issue (its published content) as a PublicationIssue of its bulletin."""
    bulletin = content["bulletin"]
    corrections = content["corrections"]
    modified = corrections[-1]["published_at"] if corrections else content["published_at"]
    path = reverse("bulletin:issue", kwargs={"bulletin": bulletin["slug"], "slug": content["slug"]})
    return {
        "@context": CONTEXT,
        "@type": "PublicationIssue",
        "name": content["title"],
        "issueNumber": str(content["number"]),
        "url": settings.SITE_URL + path,
        "datePublished": _iso(content["published_at"]),
        "dateModified": _iso(modified),
        "inLanguage": bulletin["language"],
        "image": card_image(cards.card_source_from_content(content)),
        "isPartOf": _periodical(bulletin),
        "hasPart": [
            {
                "@type": "NewsArticle",
                "headline": entry["title"],
                "url": settings.SITE_URL
                + reverse("bulletin:entry", args=[entry["id"], entry_slug(entry["title"])]),
            }
            for section in content["sections"]
            for entry in section["entries"]
        ],
    }
