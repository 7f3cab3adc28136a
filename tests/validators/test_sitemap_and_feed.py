"""The sitemap against the sitemaps.org 0.9 schema, and the Atom feed through feedparser."""

import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import pytest
import xmlschema
from django.test import override_settings

from tests.factories import BulletinFactory, published_issue

pytestmark = [pytest.mark.validators, pytest.mark.django_db]
SCHEMAS = Path(__file__).parent / "schemas"
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture
def issue():
    return published_issue(title="校验期")


def test_the_sitemap_follows_the_sitemaps_schema(client, issue):
    schema = xmlschema.XMLSchema([SCHEMAS / "sitemap.xsd", SCHEMAS / "xhtml-link.xsd"])
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    schema.validate(response.content.decode())
    locs = [node.text for node in ET.fromstring(response.content).iter(f"{SITEMAP_NS}loc")]  # noqa: S314
    assert any(issue.get_absolute_url() in loc for loc in locs), locs


def test_a_sitemap_with_a_bad_date_is_refused_by_the_schema():
    schema = xmlschema.XMLSchema([SCHEMAS / "sitemap.xsd", SCHEMAS / "xhtml-link.xsd"])
    bad = (
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url>'
        "<loc>https://example.cn/a/</loc><lastmod>yesterday</lastmod></url></urlset>"
    )
    assert not schema.is_valid(bad)


def _feed(client, path):
    response = client.get(path)
    assert response.status_code == 200
    return feedparser.parse(response.content)


def test_the_feed_parses_cleanly_with_its_issues(client, issue):
    feed = _feed(client, f"/feeds/{issue.bulletin.slug}/")
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert [entry.title for entry in feed.entries] == [issue.title]


@override_settings(SITE_URL="https://news.example-law.cn")
def test_the_feed_ids_are_tag_uris_that_do_not_follow_the_language(client, issue):
    chinese = _feed(client, f"/feeds/{issue.bulletin.slug}/")
    english = _feed(client, f"/en/feeds/{issue.bulletin.slug}/")
    feed_id = f"tag:news.example-law.cn,2024-01-01:bulletins/{issue.bulletin.slug}"
    assert chinese.feed.id == english.feed.id == feed_id
    item_id = f"tag:news.example-law.cn,2024-01-01:issues/{issue.pk}"
    assert [e.id for e in chinese.entries] == [e.id for e in english.entries] == [item_id]


def test_each_bulletin_has_its_own_feed_id(client, issue):
    other = published_issue(title="另一刊", bulletin=BulletinFactory(slug="second", name="第二刊"))
    assert other.bulletin != issue.bulletin
    ids = {_feed(client, f"/feeds/{i.bulletin.slug}/").feed.id for i in (issue, other)}
    assert len(ids) == 2
