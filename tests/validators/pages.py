"""The public pages the validators read: one of each kind, in both languages where it differs."""

from urllib.parse import quote

from django.utils import translation

from bulletin.models import Issue, PublishedEntry
from entries.models import Entry
from people.models import Author

KINDS = tuple(Entry.Kind.values)


def public_pages() -> dict[str, str]:
    """Every public page type of the demo bulletin, by a name for reports and file names."""
    with translation.override("zh-hans"):
        return _pages()


def _pages() -> dict[str, str]:
    issue = Issue.objects.filter(published_at__isnull=False).order_by("-published_at").first()
    entries = PublishedEntry.objects.filter(issue=issue).order_by("section_position", "position")
    by_kind = {kind: entries.filter(kind=kind).first() for kind in KINDS}
    missing = [kind for kind, entry in by_kind.items() if entry is None]
    assert not missing, f"the demo issue has no entry of kind {missing}"
    entry = by_kind["case"]
    tag = entry.tags.order_by("name").first() or entries.exclude(tags=None).first().tags.first()
    place = entries.exclude(jurisdictions=None).first().jurisdictions.first()
    author = Author.objects.filter(published_entries__issue=issue).distinct().first()
    pages = {
        "home": "/",
        "issue": issue.get_absolute_url(),
        **{f"entry-{kind}": e.get_absolute_url() for kind, e in by_kind.items()},
        "search": "/search/?q=%E7%89%88%E6%9D%83",
        "search-empty": "/search/?q=zzzzqqq",
        "archive": "/archive/",
        "author": f"/authors/{author.slug}/",
        "kind": f"/kinds/{entry.kind}/",
        "tag": f"/tags/{quote(tag.name)}/",
        "jurisdiction": f"/jurisdictions/{place.code}/",
        "subscribe": f"/mail/subscribe/{issue.bulletin.slug}/",
        "not-found": "/no-such-page/",
    }
    # The English site: every page type again (entries of one kind stand for all).
    english = {name: path for name, path in pages.items() if not name.startswith("entry-")}
    english["entry"] = entry.get_absolute_url()
    return pages | {f"en-{name}": "/en" + path for name, path in english.items()}


def is_not_found(name: str) -> bool:
    """Whether the page is the one asked for at an address that does not exist (a 404)."""
    return name.endswith("not-found")
