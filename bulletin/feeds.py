"""An Atom feed per bulletin: its published issues, newest first."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from bulletin import selectors
from bulletin.models import Bulletin
from bulletin.snapshot import hydrate


class BulletinFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, bulletin):
        return get_object_or_404(Bulletin, slug=bulletin)

    def title(self, bulletin):
        return bulletin.name

    def subtitle(self, bulletin):
        return bulletin.description

    # Absolute addresses on SITE_URL: Django would otherwise prefix the request's Host header.
    def link(self, bulletin):
        return settings.SITE_URL + reverse("bulletin:home")

    def feed_url(self, bulletin):
        return settings.SITE_URL + reverse("bulletin:feed", args=[bulletin.slug])

    def author_name(self, bulletin):
        return bulletin.firm_name

    def items(self, bulletin):
        publications = selectors.publication_list_current().filter(issue__bulletin=bulletin)
        return [hydrate(p.content) for p in publications.defer(None).only("content", "issue")[:30]]

    def item_title(self, item):
        return item["title"]

    def item_description(self, item):
        # Atom sends the summary as type="html": titles are plain text, so they are escaped.
        titles = [escape(e["title"]) for s in item["sections"] for e in s["entries"]]
        return "；".join(titles)

    def item_link(self, item):
        return settings.SITE_URL + reverse(
            "bulletin:issue", kwargs={"bulletin": item["bulletin"]["slug"], "slug": item["slug"]}
        )

    def item_guid(self, item):
        return f"{settings.SITE_URL}/issues/{item['id']}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item["published_at"]

    def item_updateddate(self, item):
        corrections = item.get("corrections") or []
        return corrections[-1]["published_at"] if corrections else item["published_at"]
