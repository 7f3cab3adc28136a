"""The issue email, rendered once per issue and language from the frozen publication.

Only the per-recipient parts (greeting, signed links) are left as placeholders and filled for
each message (see compose.py); everything else is rendered, and its CSS inlined, once.
"""

import html
import logging
import re

import css_inline
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from bulletin import naming
from bulletin.mailing.excerpt import excerpt as rich_excerpt
from bulletin.models import Issue
from bulletin.snapshot import hydrate
from bulletin.templatetags.bulletin_tags import entry_kind_label

logger = logging.getLogger(__name__)

GREETING = "__MAILING_GREETING__"
PREFERENCES_URL = "__MAILING_PREFERENCES_URL__"
UNSUBSCRIBE_URL = "__MAILING_UNSUBSCRIBE_URL__"
# Characters of each summary and commentary shown at most; an issue with many entries shares
# a budget among them, so that its HTML stays under the 102 KB at which Gmail clips a message.
SUMMARY_CHARS = 200
COMMENTARY_CHARS = 120
SUMMARY_BUDGET = 6000
COMMENTARY_BUDGET = 3600
MIN_CHARS = 40
CLASS_ATTRIBUTE = re.compile(r' class="([^"]*)"')
KEPT_STYLE = re.compile(r'<style data-css-inline="keep">(.*?)</style>', re.DOTALL)
PREHEADER_CHARS = 90
BLOCK_END = re.compile(r"</(p|li|h[1-6]|blockquote)>|<br\s*/?>", re.IGNORECASE)

_inliner = css_inline.CSSInliner(keep_at_rules=True, load_remote_stylesheets=False)


def plain(rich_html: str) -> str:
    """Rich text as one line of plain text."""
    return " ".join(html.unescape(strip_tags(rich_html or "")).split())


def paragraphs(rich_html: str) -> str:
    """Rich text as plain paragraphs, for the text part."""
    marked = BLOCK_END.sub("\n\n", rich_html or "")
    lines = (" ".join(line.split()) for line in html.unescape(strip_tags(marked)).splitlines())
    return "\n\n".join(line for line in lines if line)


def absolute(path: str) -> str:
    return path if path.startswith(("http://", "https://")) else settings.SITE_URL + path


def entry_url(entry: dict, issue_url: str) -> str:
    """The entry's own page by its short address (which redirects to the address with the
    title: an encoded Chinese title is hundreds of bytes, three times per entry), else its
    place in the issue page."""
    try:
        return absolute(reverse("bulletin:entry_short", args=[entry["id"]]))
    except NoReverseMatch:
        return f"{issue_url}#entry-{entry['id']}"


def pdf_url(issue: Issue, edition_language: str = "") -> str:
    """The PDF's lasting public address (it leads to the current rendering, which may still be
    in progress when the email is rendered): the edition's in that language, else the issue's
    own; none when the PDF is for partners only."""
    if issue.pdf_partners_only:
        return ""
    names = {"bulletin": issue.bulletin.slug, "slug": issue.slug}
    if edition_language:
        return absolute(
            reverse("pdf:edition_latest", kwargs={**names, "language": edition_language})
        )
    return absolute(reverse("pdf:latest", kwargs=names))


def _share(budget: int, most: int, entries: int) -> int:
    return max(MIN_CHARS, min(most, budget // max(entries, 1)))


def _entries(content: dict, issue_url: str) -> list[dict]:
    count = sum(len(section["entries"]) for section in content["sections"])
    summary_chars = _share(SUMMARY_BUDGET, SUMMARY_CHARS, count)
    commentary_chars = _share(COMMENTARY_BUDGET, COMMENTARY_CHARS, count)
    bulletin = content["bulletin"]
    commentary_label = bulletin.get("commentary_heading") or bulletin.get("commentary_label") or ""
    sections = []
    for section in content["sections"]:
        entries = [
            {
                **entry,
                "url": entry_url(entry, issue_url),
                "kind_label": entry_kind_label(entry["kind"]),
                "summary_excerpt": rich_excerpt(entry["summary"], summary_chars),
                "commentary_excerpt": rich_excerpt(
                    entry["commentary"]["body"],
                    commentary_chars,
                    css_class="commentary",
                    label=commentary_label,
                )
                if entry.get("commentary")
                else None,
            }
            for entry in section["entries"]
        ]
        sections.append({**section, "entries": entries})
    return sections


def _subject_title(content: dict) -> str:
    """The issue's title, unless it only names the period the issue name already gives."""
    title = " ".join((content.get("title") or "").split())
    return "" if naming.title_repeats_period(title, content) else title


def _preheader(content: dict) -> str:
    note = plain(content.get("editors_note"))
    if note:
        return Truncator(note).chars(PREHEADER_CHARS)
    titles = [e["title"] for s in content["sections"] for e in s["entries"]]
    return Truncator(" · ".join(titles)).chars(PREHEADER_CHARS)


def email_context(content: dict, *, issue: Issue) -> dict:
    """What the issue templates read: the hydrated publication (or edition) plus links and
    excerpts. An edition's untranslated texts keep their source language (source_language);
    the source content in another language than its own says that it has no edition in it
    (edition_missing)."""
    content = hydrate(content)
    language = translation.get_language()
    source = (content.get("edition") or {}).get("source_language") or content["bulletin"].get(
        "language", settings.LANGUAGE_CODE
    )
    issue_url = absolute(
        reverse("bulletin:issue", kwargs={"bulletin": issue.bulletin.slug, "slug": issue.slug})
    )
    bulletin = content["bulletin"]
    return {
        "issue": content,
        "bulletin": bulletin,
        "sections": _entries(content, issue_url),
        "issue_url": issue_url,
        "pdf_url": pdf_url(issue, (content.get("edition") or {}).get("language", "")),
        "preheader": _preheader(content),
        "subject_title": _subject_title(content),
        "editors_note_text": paragraphs(content.get("editors_note")),
        "disclaimer_text": paragraphs(bulletin.get("disclaimer")),
        "source_language": source,
        "edition_missing": language != source and not content.get("edition"),
        "greeting": GREETING,
        "preferences_url": PREFERENCES_URL,
        "unsubscribe_url": UNSUBSCRIBE_URL,
    }


def without_spent_classes(inlined: str) -> str:
    """The inlined HTML without the classes that only the inlined CSS used: those the kept
    styles (dark mode, small screens) name stay. A tenth of a long issue's bytes."""
    kept = KEPT_STYLE.search(inlined)
    wanted = set(re.findall(r"\.([\w-]+)", kept.group(1))) if kept else set()

    def keep(match: re.Match) -> str:
        names = [name for name in match.group(1).split() if name in wanted]
        return f' class="{" ".join(names)}"' if names else ""

    head, _, body = inlined.partition("<body")
    return head + "<body" + CLASS_ATTRIBUTE.sub(keep, body) if body else inlined


def email_render(content: dict, *, issue: Issue, language: str) -> dict:
    """Subject, HTML (CSS inlined) and text of the issue email in one language, with
    placeholders for the greeting and the subscriber's links."""
    with translation.override(language):
        context = email_context(content, issue=issue)
        subject = " ".join(render_to_string("email/issue_subject.txt", context).split())
        html_body = without_spent_classes(
            _inliner.inline(render_to_string("email/issue.html", context))
        )
        text_body = render_to_string("email/issue.txt", context)
        return {
            "subject": subject,
            "html": html_body,
            "text": text_body,
            "greeting_named": _("Dear %(name)s,"),
            "greeting_anonymous": _("Dear reader,"),
        }


def email_render_all(content: dict, *, issue: Issue, editions: dict | None = None) -> dict:
    """The email in every language a subscriber may prefer: from the issue's edition in that
    language where `editions` (language: content) has one, else from the publication, saying
    that it has no edition in that language yet."""
    editions = editions or {}
    return {
        code: email_render(editions.get(code, content), issue=issue, language=code)
        for code, _label in settings.LANGUAGES
    }
