"""Every absolute address the site hands out comes from SITE_URL, never from the Host header of
the request that happened to render it (a cached page or feed would pass a forged host on)."""

import re
import xml.etree.ElementTree as ET
from urllib.parse import unquote

import pytest

from bulletin.models import PublishedEntry
from tests.factories import published_issue

pytestmark = pytest.mark.django_db
SITE = "https://news.example-law.cn"
FORGED = "evil.example.net"


@pytest.fixture
def site(settings):
    settings.SITE_URL = SITE
    settings.ALLOWED_HOSTS = ["testserver", FORGED]
    return published_issue(title="地址测试期")


def _absolute_urls(text: str) -> list[str]:
    return re.findall(r"""(?:https?:)?//[^\s"'<>]+""", text)


def _fetch(client, path: str) -> str:
    response = client.get(path, HTTP_HOST=FORGED)
    assert response.status_code == 200, path
    return response.content.decode()


@pytest.mark.parametrize("path", ["/", "/en/", "/archive/", "/robots.txt", "/sitemap.xml"])
def test_pages_and_sitemap_take_their_addresses_from_site_url(client, site, path):
    text = _fetch(client, path)
    ours = [url for url in _absolute_urls(text) if "example-law.cn" in url or FORGED in url]
    assert ours, "the page names its own address"
    assert all(url.startswith(SITE) for url in ours), ours


def test_issue_and_entry_pages_take_their_addresses_from_site_url(client, site):
    entry = PublishedEntry.objects.filter(issue=site).first()
    for path in (site.get_absolute_url(), entry.get_absolute_url()):
        text = unquote(_fetch(client, path))
        assert f'<link rel="canonical" href="{SITE}{unquote(path)}">' in text
        assert f'<meta property="og:url" content="{SITE}{unquote(path)}">' in text
        assert FORGED not in text


def test_the_feed_takes_its_addresses_from_site_url(client, site):
    text = _fetch(client, f"/feeds/{site.bulletin.slug}/")
    atom = "{http://www.w3.org/2005/Atom}"
    feed = ET.fromstring(text)  # noqa: S314 - our own feed
    links = [link.get("href") for link in feed.iter(f"{atom}link")]
    ids = [node.text for node in feed.iter(f"{atom}id")]
    assert f"{SITE}{site.get_absolute_url()}" in links
    assert links and ids
    assert all(url.startswith(SITE) for url in links), links
    assert all(id_.startswith("tag:news.example-law.cn,") for id_ in ids), ids
    assert FORGED not in text
