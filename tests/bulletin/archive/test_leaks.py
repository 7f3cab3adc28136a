"""Nothing unpublished reaches any public page, reached by following every link."""

import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlparse

import pytest

from bulletin.services.workflow import issue_transition
from entries.models import Entry
from tests.bulletin.archive.helpers import make_issue, zh
from tests.factories import (
    AuthorFactory,
    CommentaryFactory,
    EntryFactory,
    UserFactory,
    publish,
)

pytestmark = pytest.mark.django_db


MARKER = "LEAKMARKER7Q"


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.links.append(value)


def test_nothing_unpublished_appears_on_any_public_page(client, django_capture_on_commit_callbacks):
    publisher = UserFactory(roles=["Publisher"])
    author = AuthorFactory(name=f"作者{MARKER}", slug=f"a-{MARKER.lower()}")
    # A published issue, with a correction in progress on one entry.
    issue, entries = make_issue(entries=3)
    publish(issue)
    with django_capture_on_commit_callbacks(execute=True):
        issue_transition(issue=issue, user=publisher, action="open_correction", comment="更正")
    Entry.objects.filter(pk=entries[0].pk).update(title=f"更正草稿 {MARKER}", state="draft")
    entry = Entry.objects.get(pk=entries[0].pk)
    entry.tags.add(f"标签{MARKER}")
    # A draft issue and a draft entry, and an issue that was published then withdrawn.
    draft, drafts = make_issue(entries=2, title=f"草稿期 {MARKER}", slug="draft")
    CommentaryFactory(
        entry=EntryFactory(section=drafts[0].section, title=f"草稿 {MARKER}"), authors=[author]
    )
    withdrawn, _ = make_issue(entries=1, title=f"撤回期 {MARKER}", slug="withdrawn", month=6)
    publish(withdrawn)
    with django_capture_on_commit_callbacks(execute=True):
        issue_transition(issue=withdrawn, user=publisher, action="withdraw", comment="撤回")

    found = client.get(zh("bulletin:search"), {"q": MARKER}).context["page"].paginator.count
    assert found == 0
    start = [
        zh("bulletin:home"),
        "/en/",
        "/robots.txt",
        "/sitemap.xml",
        f"/feeds/{issue.bulletin.slug}/",
        zh("bulletin:search") + "?q=条目",
        zh("bulletin:tag", f"标签{MARKER}"),
        zh("bulletin:author", f"a-{MARKER.lower()}"),
        zh("bulletin:entry_short", drafts[0].pk),
        zh("bulletin:entry_short", entries[0].pk),
    ]
    seen, queue = set(), list(start)
    while queue and len(seen) < 400:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url, follow=True)
        if response.get("Content-Type", "") in ("image/png", "image/x-icon"):
            continue  # the firm's icons: drawn from its name and mark, never from content
        body = response.content.decode()
        assert MARKER not in body, url
        if "html" in response.get("Content-Type", "") or "xml" in response.get("Content-Type", ""):
            parser = Links()
            parser.feed(body)
            found = parser.links + re.findall(r"<loc>([^<]+)</loc>|<link href=\"([^\"]+)\"", body)
            for link in found:
                link = link if isinstance(link, str) else (link[0] or link[1])
                parsed = urlparse(urljoin("http://testserver" + url, link))
                if parsed.netloc in ("testserver", "127.0.0.1:8000") and not parsed.path.startswith(
                    ("/static/", "/admin/", "/media/")
                ):
                    queue.append(parsed.path + (f"?{parsed.query}" if parsed.query else ""))
    assert len(seen) > 20
