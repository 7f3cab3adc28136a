import html
import json

from django import template
from django.conf import settings
from django.urls import reverse, translate_url
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from js_asset import Media

from bulletin import desk
from bulletin.models import entry_slug
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


@register.filter
def links_by_heading(links: list[dict]) -> list[tuple[str, list[dict]]]:
    """An entry's links grouped under their headings, in first-seen order: one `<dt>` per label."""
    groups: dict[str, list[dict]] = {}
    for link in links or []:
        groups.setdefault(str(link_heading(link)), []).append(link)
    return list(groups.items())


@register.simple_tag(takes_context=True)
def language_url(context, language: str) -> str:
    """This page's address in another language."""
    request = context["request"]
    return translate_url(request.get_full_path(), language)


@register.simple_tag(takes_context=True)
def absolute_url(context, path: str = "") -> str:
    return settings.SITE_URL + (path or context["request"].path)


@register.filter
def entry_url(entry: dict) -> str:
    """The public address of an entry of a publication's content."""
    return reverse("bulletin:entry", args=[entry["id"], entry_slug(entry["title"])])


@register.simple_tag
def entry_json_ld(entry, bulletin) -> str:
    """schema.org data: Legislation for laws and regulations, NewsArticle for the rest."""
    data = entry.data
    kind = "Legislation" if data["kind"] in ("law", "regulation") else "NewsArticle"
    authors = (data.get("commentary") or {}).get("authors", [])
    document = {
        "@context": "https://schema.org",
        "@type": kind,
        "name" if kind == "Legislation" else "headline": data["title"],
        "url": settings.SITE_URL + entry.get_absolute_url(),
        "datePublished": (data.get("published_on") or entry.issue_published_at.date().isoformat()),
        "inLanguage": bulletin.language,
        "publisher": {"@type": "Organization", "name": bulletin.firm_name},
        "author": [{"@type": "Person", "name": a["name"]} for a in authors]
        or [{"@type": "Organization", "name": bulletin.firm_name}],
        "about": [j["name_en"] or j["name"] for j in data["jurisdictions"]] + data["tags"],
    }
    # json.dumps does not escape "<": do it so that no text can close the script element.
    text = json.dumps(document, ensure_ascii=False).replace("<", "\\u003c")
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308


@register.simple_tag(takes_context=True)
def media_with_nonce(context, media):
    """Form media whose inline import map carries this request's CSP nonce (the rich-text
    editor loads its modules through one)."""
    nonce = getattr(context["request"], "csp_nonce", "")
    return Media.from_media(media, nonce=str(nonce)).render()


@register.filter
def plain_text(value: str) -> str:
    """The text of some HTML, entities decoded (the template escapes it once again)."""
    return html.unescape(strip_tags(value or ""))


@register.simple_tag
def desk_name() -> str:
    """The admin's name, for its pages that Django's admin site does not render (sign-in
    lockout, django-taggit's merge page)."""
    return desk.desk_name()
