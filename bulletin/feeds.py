"""An Atom feed per bulletin: its published issues, newest first; under another language's
prefix (/en/), each issue's edition in that language, or its own text marked untranslated, and
the bulletin's name and description in that language (or its own, marked)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext as _

from bulletin import selectors
from bulletin.editions import entry_untranslated
from bulletin.models import Bulletin

# The date in the tag: URIs (RFC 4151) that name feeds and their items: a day on which the firm held
# the site's domain. Fixed, so the ids never change; a feed reader knows an item by its id alone.
TAG_DATE = "2024-01-01"
# The category of a back issue's item (RFC 4287 §4.2.2: a term, not a label).
BACK_ISSUE = "back-issue"


def tag_uri(specific: str) -> str:
    """A stable `tag:` id on SITE_URL's host, the same whatever the language or address asked."""
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"tag:{host},{TAG_DATE}:{specific}"


def _marked(text) -> str:
    """A text of the feed's header; one in the source language says it is not translated."""
    if text.translated or not text.value:
        return text.value
    return f"{text.value} ({_('Not yet translated')})"


class BulletinFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, bulletin):
        """The bulletin, with its issues and its header's texts in the request's language (both
        read here: the header of another language may come from the latest edition)."""
        bulletin = get_object_or_404(Bulletin, slug=bulletin)
        language = translation.get_language()
        bulletin.feed_items = selectors.feed_issues(bulletin=bulletin, language=language)
        bulletin.feed_texts = selectors.bulletin_texts_in(bulletin, language, bulletin.feed_items)
        return bulletin

    def title(self, bulletin):
        return _marked(bulletin.feed_texts["name"])

    def subtitle(self, bulletin):
        return _marked(bulletin.feed_texts["description"])

    # Absolute addresses on SITE_URL: Django would otherwise prefix the request's Host header.
    def link(self, bulletin):
        return settings.SITE_URL + reverse("bulletin:home")

    def feed_url(self, bulletin):
        return settings.SITE_URL + reverse("bulletin:feed", args=[bulletin.slug])

    def feed_guid(self, bulletin):
        return tag_uri(f"bulletins/{bulletin.slug}")

    def author_name(self, bulletin):
        return bulletin.firm_name

    def items(self, bulletin):
        return bulletin.feed_items

    def item_title(self, item):
        if item.get("edition_missing") or "title" in item.get("untranslated", ()):
            return f"{item['title']} ({_('Not yet translated')})"
        return item["title"]

    def item_description(self, item):
        # Atom sends the summary as type="html": titles are plain text, so they are escaped.
        untranslated = f" ({_('Not yet translated')})"
        titles = [
            escape(e["title"] + (untranslated if entry_untranslated(e) else ""))
            for s in item["sections"]
            for e in s["entries"]
        ]
        chinese = (item["bulletin"].get("language") or "").startswith("zh")
        text = ("；" if chinese else "; ").join(titles)
        missing = item.get("edition_missing")
        if missing:
            name = translation.get_language_info(missing)["name_translated"]
            note = _("This issue has no %(language)s edition yet.") % {"language": name}
            note += " " + _("It is shown as published in its own language.")
            text = f"{escape(note)} {text}"
        return text

    def item_link(self, item):
        return settings.SITE_URL + reverse(
            "bulletin:issue", kwargs={"bulletin": item["bulletin"]["slug"], "slug": item["slug"]}
        )

    def item_guid(self, item):
        return tag_uri(f"issues/{item['id']}")

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item["published_at"]

    def item_categories(self, item):
        # A back issue is history published late, dated when it first appeared: not news.
        return [BACK_ISSUE] if item.get("back_issue") else []

    def item_updateddate(self, item):
        corrections = item.get("corrections") or []
        return corrections[-1]["published_at"] if corrections else item["published_at"]
