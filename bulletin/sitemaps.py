from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap as BaseSitemap
from django.urls import reverse

from bulletin import selectors
from bulletin.models import PublishedEntry


class Sitemap(BaseSitemap):
    """Addresses on SITE_URL, whatever Host header the request that rendered the map sent."""

    i18n = True
    alternates = True

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


class StaticSitemap(Sitemap):
    def items(self):
        return ["bulletin:home", "bulletin:archive"]

    def location(self, item):
        return reverse(item)


class IssueSitemap(Sitemap):
    def items(self):
        return list(selectors.publication_list_current())

    def location(self, publication):
        return reverse(
            "bulletin:issue",
            kwargs={"bulletin": publication.bulletin_slug, "slug": publication.slug},
        )

    def lastmod(self, publication):
        return publication.published_at


class EntrySitemap(Sitemap):
    i18n = True
    alternates = True
    limit = 5000

    def items(self):
        return PublishedEntry.objects.only("entry_id", "title", "issue_published_at").order_by(
            "-issue_published_at", "pk"
        )

    def lastmod(self, entry):
        return entry.issue_published_at


SITEMAPS = {"pages": StaticSitemap, "issues": IssueSitemap, "entries": EntrySitemap}
