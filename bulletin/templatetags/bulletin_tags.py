import html

from django import template
from django.conf import settings
from django.http import QueryDict
from django.urls import reverse, translate_url
from django.utils.html import format_html, strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from js_asset import Media

from bulletin import cards, desk, naming, structured, typography
from bulletin.editions import entry_untranslated
from bulletin.models import PublishedEntry, entry_slug
from bulletin.roles import LINK_WATCHERS, has_role
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


@register.filter
def archived_copy(copies: dict | None, url: str) -> dict | None:
    """The archived copy of a dead link shown beside it ({"href", "captured_at"}), if any."""
    return (copies or {}).get(url)


# What a public page's address may carry into the other language: the search and list filters
# and the page number. Anything else (campaign tags, junk) stays behind.
LANGUAGE_SWITCH_KEEPS = ("q", "kind", "from", "to", "tag", "jurisdiction", "bulletin", "page")


@register.simple_tag(takes_context=True)
def language_url(context, language: str) -> str:
    """This page's address in another language, with the filters it was asked with."""
    request = context["request"]
    kept = QueryDict(mutable=True)
    for key in LANGUAGE_SWITCH_KEEPS:
        if values := request.GET.getlist(key):
            kept.setlist(key, values)
    path = request.path + (f"?{kept.urlencode()}" if kept else "")
    return translate_url(path, language)


@register.simple_tag(takes_context=True)
def absolute_url(context, path: str = "") -> str:
    return settings.SITE_URL + (path or context["request"].path)


@register.filter
def entry_url(entry: dict) -> str:
    """The public address of an entry of a publication's content."""
    return reverse("bulletin:entry", args=[entry["id"], entry_slug(entry["title"])])


@register.simple_tag
def entry_json_ld(entry) -> str:
    """schema.org data of a public entry (bulletin.structured)."""
    return structured.json_ld(structured.entry_document(entry))


@register.simple_tag
def issue_json_ld(content: dict) -> str:
    """schema.org data of a public issue's content."""
    return structured.json_ld(structured.issue_document(content))


@register.simple_tag
def site_name() -> str:
    return structured.site_name()


@register.simple_tag
def share_card(subject=None) -> dict | None:
    """The og:image of a page: its issue's card (an entry's, an issue content's), else the
    latest issue's; None while nothing is published."""
    if isinstance(subject, PublishedEntry):
        source = structured.entry_card(subject)
    elif isinstance(subject, dict):
        source = cards.card_source_from_content(subject)
    else:
        source = cards.latest_card_source()
        if source is None:
            return None
    alt = f"{source.title} · {source.bulletin_name} · {source.date_label}"
    return {"url": cards.card_url(source), "width": cards.WIDTH, "height": cards.HEIGHT, "alt": alt}


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


@register.simple_tag(takes_context=True)
def list_title(context) -> str:
    """The title of a list page, saying what kind of list it is (kind, tag, jurisdiction,
    author, search)."""
    page = context["request"].resolver_match.url_name
    name = context.get("title", "")
    if page == "kind":
        return name  # as the menu names it
    if page == "tag":
        return gettext("Tag: %(tag)s") % {"tag": name}
    if page == "jurisdiction":
        return gettext("Jurisdiction: %(jurisdiction)s") % {"jurisdiction": name}
    if page == "author":
        return gettext("%(author)s: articles and commentary") % {"author": name}
    query = getattr(context.get("filters"), "q", "")
    if query:
        return gettext("Search results for “%(query)s”") % {"query": query}
    return gettext("Search")


@register.filter
def typeset(value: str) -> str:
    """Full-width punctuation in Chinese text (HTML if the value is safe, else plain text)."""
    return typography.typeset(value)


@register.simple_tag
def colon() -> str:
    """What ends a label in the active language: "：" or ": "."""
    return typography.label_colon()


@register.filter
def keep_together(title: str) -> str:
    """A title whose last two Chinese characters cannot be split across lines (HTML)."""
    return mark_safe(typography.keep_last_pair_html(typography.typeset_text(str(title or ""))))  # noqa: S308


@register.filter
def keep_together_pdf(title: str) -> str:
    """The same for the PDF, with a WORD JOINER instead of a span."""
    return typography.keep_last_pair_joined(typography.typeset_text(str(title or "")))


@register.filter
def issue_name(issue) -> str:
    """How readers see an issue named: "2024 年 8 月刊 · 第 1 期", "August 2024 · No. 1"."""
    return naming.issue_name(issue)


@register.filter
def issue_period(issue) -> str:
    """The month an issue covers: "2024 年 8 月刊", "August 2024"."""
    return naming.issue_period(issue)


@register.filter
def indent_lines(text: str, spaces: int = 3) -> str:
    """Each line of a plain text indented (the entries of the email's text part)."""
    return "\n".join(" " * spaces + line for line in str(text).splitlines())


@register.filter
def colon_after(label: str) -> str:
    """What ends a label written by an editor: "：" after Chinese, ": " after other text."""
    return typography.colon_after(label)


@register.filter
def repeats_period(title: str, issue) -> bool:
    """Whether an issue's title only names its month again (then the issue name is enough)."""
    return naming.title_repeats_period(title, issue)


@register.filter
def watches_links(user) -> bool:
    """Whether the user may open the report of dead and drifted links (the desk's menu)."""
    return has_role(user, *LINK_WATCHERS)


@register.filter
def language_tag(code: str) -> str:
    """A language code as HTML's lang wants it: zh-hans → zh-Hans."""
    parts = (code or "").split("-")
    return "-".join([parts[0], *(p.title() if len(p) == 4 else p.upper() for p in parts[1:])])


@register.simple_tag(takes_context=True)
def lang_attr(context, obj, field: str) -> str:
    """lang="zh-Hans" on a text of an edition kept in its source language (untranslated)."""
    if isinstance(obj, dict) and field in obj.get("untranslated", ()):
        source = context.get("source_language") or settings.LANGUAGE_CODE
        return format_html(' lang="{}"', language_tag(source))
    return ""


@register.filter
def untranslated(obj, field: str = "") -> bool:
    """Whether a text of an edition (or any text of an entry, with no field) is untranslated."""
    if not isinstance(obj, dict):
        return False
    if field:
        return field in obj.get("untranslated", ())
    return entry_untranslated(obj)


@register.filter
def tag_items(entry: dict) -> list[dict]:
    """An entry's tags as {"name", "label", "translated"}: an edition names them in its language,
    their addresses keep the source names."""
    if "tag_items" in entry:
        return entry["tag_items"]
    return [{"name": name, "label": name, "translated": True} for name in entry.get("tags", [])]


def _edition_title(entry, language: str) -> str:
    """The entry's title in the language's edition, when it is translated there: an annotated
    edition_title (entry_neighbours), else its editions when loaded; "" otherwise."""
    title = getattr(entry, "edition_title", None)
    if title is None and "editions" in entry.__dict__:
        data = (entry.editions or {}).get(language) or {}
        title = "" if "title" in data.get("untranslated", ()) else data.get("title")
    return title if title and title != entry.title else ""


@register.filter
def title_in(entry, language: str) -> str:
    """A published entry's title in an edition of the language, else its own."""
    return _edition_title(entry, language) or entry.title


def _edition_bulletin_name(entry, language: str) -> str:
    """The bulletin's name in the language's edition of the entry's issue, when it is loaded
    (a list's rows hold their editions) and translated there; "" otherwise."""
    data = ((entry.__dict__.get("editions") or {}).get(language)) or {}
    name = data.get("bulletin_name", "")
    return name if name and name != entry.bulletin.name else ""


@register.filter
def bulletin_name_in(entry, language: str) -> str:
    """A published entry's bulletin name in an edition of the language, else its own."""
    return _edition_bulletin_name(entry, language) or entry.bulletin.name


@register.filter
def bulletin_name_lang(entry, language: str) -> str:
    """The language (for lang="…") of the name bulletin_name_in gives."""
    if _edition_bulletin_name(entry, language):
        return language_tag(language)
    return language_tag(entry.bulletin.language)


@register.filter
def title_lang(entry, language: str) -> str:
    """The language (for lang="…") of the title title_in gives."""
    if _edition_title(entry, language):
        return language_tag(language)
    bulletin = entry._state.fields_cache.get("bulletin")
    return language_tag(bulletin.language if bulletin else settings.LANGUAGE_CODE)
