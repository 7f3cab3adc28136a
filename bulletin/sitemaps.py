from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap as BaseSitemap
from django.db.models import BooleanField, ExpressionWrapper, F, Q
from django.urls import reverse

from bulletin import selectors
from bulletin.models import Edition, PublishedEntry


class Sitemap(BaseSitemap):
    """Addresses on SITE_URL, whatever Host header the request that rendered the map sent."""

    i18n = True
    alternates = True

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc

    def _urls(self, page, protocol, domain):
        """hreflang alternates only where a page exists in another language as well."""
        urls = super()._urls(page, protocol, domain)
        for url in urls:
            if len(url.get("alternates") or []) < 2:
                url["alternates"] = []
        return urls


class StaticSitemap(Sitemap):
    def items(self):
        return ["bulletin:home", "bulletin:archive"]

    def location(self, item):
        return reverse(item)


class IssueSitemap(Sitemap):
    """Each public issue in its own language and in each language it has an edition in."""

    def items(self):
        publications = list(selectors.publication_list_current())
        editions = {}
        ids = [p.issue_id for p in publications]
        for issue_id, language in (
            Edition.objects.filter(issue_id__in=ids).values_list("issue_id", "language").distinct()
        ):
            editions.setdefault(issue_id, set()).add(language)
        for publication in publications:
            own = publication.issue.bulletin.language
            publication.languages = _in_settings_order(
                {own, *editions.get(publication.issue_id, ())}
            )
        return publications

    def get_languages_for_item(self, publication):
        return publication.languages

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
        has = {
            f"in_{i}": ExpressionWrapper(Q(editions__has_key=code), output_field=BooleanField())
            for i, (code, _name) in enumerate(settings.LANGUAGES)
        }
        return (
            PublishedEntry.objects.only("entry_id", "title", "issue_published_at")
            .annotate(own_language=F("bulletin__language"), **has)
            .order_by("-issue_published_at", "pk")
        )

    def get_languages_for_item(self, entry):
        """The entry's own language and those of the editions it is in."""
        return [
            code
            for i, (code, _name) in enumerate(settings.LANGUAGES)
            if code == entry.own_language or getattr(entry, f"in_{i}", False)
        ]

    def lastmod(self, entry):
        return entry.issue_published_at


def _in_settings_order(languages: set[str]) -> list[str]:
    return [code for code, _name in settings.LANGUAGES if code in languages]


SITEMAPS = {"pages": StaticSitemap, "issues": IssueSitemap, "entries": EntrySitemap}
