"""Reads for the public pages: frozen publications and the archive's PublishedEntry rows only,
never live drafts. Each page's query count is fixed, whatever its number of entries."""

import contextlib
import datetime
import json
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.fields.json import KT
from django.http import Http404
from taggit.models import Tag

from bulletin import search
from bulletin.caching import public_cache_version
from bulletin.models import (
    Bulletin,
    Edition,
    FirmIdentity,
    Issue,
    Publication,
    PublishedEntry,
)
from bulletin.snapshot import hydrate, issue_snapshot_live
from bulletin.translation.languages import source_language
from bulletin.translation.selectors import Text, approved_translations, text_in
from entries.models import Entry, Jurisdiction
from people.models import Author

PAGE_SIZE = 20
MAX_PAGE = 10_000
logger = logging.getLogger(__name__)


def _public_issues():
    latest = Publication.objects.filter(issue=OuterRef("pk")).order_by("-published_at", "-pk")
    return Issue.objects.published().annotate(current=Subquery(latest.values("pk")[:1]))


def publication_list_current(*, language: str | None = None, **issue_filters):
    """The current publication of every public issue (or of those the filters on Issue name),
    newest first, without its full content. With a language, each has the title and bulletin
    name of the issue's latest edition in it, if any (edition_title, edition_bulletin_name)."""
    publications = (
        Publication.objects.filter(
            pk__in=_public_issues().filter(**issue_filters).values("current")
        )
        .select_related("issue__bulletin")
        .annotate(
            title=KT("content__title"),
            slug=KT("content__slug"),
            bulletin_slug=KT("content__bulletin__slug"),
            bulletin_name=KT("content__bulletin__name"),
        )
        .defer("content")
        .order_by("-issue__published_at")
    )
    if not language:
        return publications
    edition = Edition.objects.filter(issue_id=OuterRef("issue_id"), language=language).order_by(
        "-published_at", "-pk"
    )
    # An edition is published only with its issue's title translated (services.editions).
    return publications.annotate(
        edition_title=Subquery(edition.values(text=KT("content__title"))[:1]),
        edition_bulletin_name=Subquery(edition.values(text=KT("content__bulletin__name"))[:1]),
    )


def in_language(publications, language: str | None) -> list[Publication]:
    """The publications, each titled and named in the language where its edition is
    (`edition_language` is then that language, else the issue's own)."""
    publications = list(publications)
    for publication in publications:
        source = publication.issue.bulletin.language
        publication.edition_language = source
        if language and language != source and getattr(publication, "edition_title", None):
            publication.title = publication.edition_title
            publication.bulletin_name = (
                publication.edition_bulletin_name or publication.bulletin_name
            )
            publication.edition_language = language
    return publications


def issue_content_public(*, bulletin_slug: str, slug: str, language: str | None = None) -> dict:
    """The published content of one public issue, or 404: in the language's edition where
    there is one (see content_in_language)."""
    issue = (
        _public_issues().filter(bulletin__slug=bulletin_slug, slug=slug).values("current").first()
    )
    if not issue or not issue["current"]:
        raise Http404
    content = Publication.objects.values_list("content", flat=True).get(pk=issue["current"])
    return content_in_language(hydrate(content), language, current=issue["current"])


def content_in_language(content: dict, language: str | None, *, current: int) -> dict:
    """A publication's content for a reader of the language: the issue's latest edition in it
    (marked "behind" when the source was corrected since), or the source content marked
    "edition_missing". Either names the languages the issue is published in ("languages")."""
    source = content["bulletin"].get("language") or settings.LANGUAGE_CODE
    editions = {
        row["language"]: row
        for row in Edition.objects.filter(issue_id=content["id"])
        .order_by("language", "published_at", "pk")
        .values("language", "content", "source_id")
    }  # ordered oldest first: the latest of each language stays
    languages = sorted({source, *editions})
    if language is None or language == source:
        return {**content, "languages": languages}
    edition = editions.get(language)
    if edition is None:
        return {**content, "languages": languages, "edition_missing": language}
    behind = edition["source_id"] != current
    return {**hydrate(edition["content"]), "languages": languages, "edition_behind": behind}


def feed_issues(*, bulletin: Bulletin, language: str, limit: int = 30) -> list[dict]:
    """The latest public issues of a bulletin for its feed in a language: each issue's latest
    edition in it, or its own content marked "edition_missing" (two queries)."""
    publications = publication_list_current().filter(issue__bulletin=bulletin)
    contents = [
        hydrate(p.content) for p in publications.defer(None).only("content", "issue")[:limit]
    ]
    if language == bulletin.language:
        return contents
    rows = Edition.objects.filter(issue_id__in=[c["id"] for c in contents], language=language)
    rows = rows.order_by("published_at", "pk").values_list("issue_id", "content")
    editions = dict(rows)  # oldest first: the latest of each issue stays
    return [
        hydrate(editions[c["id"]]) if c["id"] in editions else {**c, "edition_missing": language}
        for c in contents
    ]


def bulletin_texts_in(bulletin: Bulletin, language: str, issues: list[dict]) -> dict[str, Text]:
    """The bulletin's name and description for readers of the language (a feed's header): its
    approved translation, else the name the latest of these issues' editions holds, else its own
    texts, translated=False (one query, none in its own language)."""
    translations = {}
    if language != source_language(bulletin):
        translations = approved_translations([bulletin], language)
    texts = {
        field: text_in(bulletin, field, language, translations=translations)
        for field in ("name", "description")
    }
    if not texts["name"].translated:
        for issue in issues:  # newest first
            named = issue["bulletin"]
            if issue.get("edition") and "name" not in named.get("untranslated", ()):
                texts["name"] = Text(named["name"], language, translated=True)
                break
    return texts


def issue_content_preview(*, issue_id: int) -> dict:
    """The live content of any issue, drafts included, exactly as it would be published."""
    try:
        content = issue_snapshot_live(issue_id)
    except Issue.DoesNotExist as exc:
        raise Http404 from exc
    return hydrate(content)


def home_lead(language: str | None = None) -> dict | None:
    """The latest public issue of any bulletin, with its contents: the home page's lead, in the
    language's edition where there is one (content_in_language). A back issue leads only while
    there is no current one."""
    current = publication_list_current().order_by("issue__back_issue", "-issue__published_at")
    current = current.values("pk").first()
    if not current:
        return None
    content = Publication.objects.values_list("content", flat=True).get(pk=current["pk"])
    return content_in_language(hydrate(content), language, current=current["pk"])


def home_earlier(lead: dict | None, limit: int = 8, language: str | None = None):
    """The issues other than the lead, newest first, without their contents."""
    earlier = publication_list_current(language=language)
    if lead:
        earlier = earlier.exclude(issue_id=lead["id"])
    return in_language(earlier[:limit], language)


@dataclass
class Topics:
    kinds: list[tuple[str, str, int]]
    tags: list[Tag]
    jurisdictions: list[Jurisdiction]


def topics_public(tag_limit: int = 20) -> Topics:
    """The kinds, tags and jurisdictions of published entries, with how many entries each has
    (three queries, whatever the number of entries)."""
    counts = dict(PublishedEntry.objects.order_by().values_list("kind").annotate(n=Count("pk")))
    kinds = [
        (value, label, counts[value]) for value, label in Entry.Kind.choices if value in counts
    ]
    tags = list(
        Tag.objects.filter(pk__in=PublishedEntry.tags.through.objects.values("tag_id")).order_by(
            "name"
        )[:tag_limit]
    )
    places = list(
        Jurisdiction.objects.filter(
            pk__in=PublishedEntry.jurisdictions.through.objects.values("jurisdiction_id")
        ).order_by("name")
    )
    return Topics(kinds=kinds, tags=tags, jurisdictions=places)


def archive_by_bulletin(language: str | None = None) -> list[tuple[str, list[tuple[int, list]]]]:
    """[(bulletin name, [(year, [publication, ...]), ...]), ...]; a bulletin is named as its
    latest issue's edition in the language names it (else in its own language)."""
    publications = in_language(publication_list_current(language=language), language)
    names = {}
    for publication in publications:  # newest first: the first name found is the latest
        names.setdefault(publication.issue.bulletin_id, publication.bulletin_name)
    groups: dict[str, dict[int, list]] = {}
    for publication in publications:
        by_year = groups.setdefault(names[publication.issue.bulletin_id], {})
        by_year.setdefault(publication.issue.year, []).append(publication)
    return [(name, sorted(years.items(), reverse=True)) for name, years in sorted(groups.items())]


def page_number(number: str | int | None) -> int:
    """The page asked for; one that is not a number or out of range is a 404."""
    try:
        number = int(number or 1)
    except ValueError as exc:
        raise Http404 from exc
    if not 1 <= number <= MAX_PAGE:
        raise Http404
    return number


def page_of(queryset, number: str | int | None) -> Page:
    """A page of results; a page number that is not a number or out of range is a 404 (as is
    an empty page past the first, where a count was only an estimate)."""
    number = page_number(number)
    paginator = Paginator(queryset, PAGE_SIZE)
    if number > max(paginator.num_pages, 1):
        raise Http404
    page = paginator.page(number)
    if number > 1 and not page.object_list:
        raise Http404
    return page


def entries_listed() -> QuerySet[PublishedEntry]:
    """Every public entry, newest issue first, in reading order."""
    return PublishedEntry.objects.select_related("bulletin", "issue").order_by(
        "-issue_published_at", "section_position", "position"
    )


def entry_public(*, entry_id: int) -> PublishedEntry:
    try:
        return PublishedEntry.objects.select_related("bulletin", "issue").get(entry_id=entry_id)
    except PublishedEntry.DoesNotExist as exc:
        raise Http404 from exc


def entry_neighbours(
    entry: PublishedEntry, *, language: str | None = None
) -> tuple[PublishedEntry | None, PublishedEntry | None]:
    """The previous and next entries of the same issue, in reading order; with their titles in
    the language's edition (edition_title) when it is not the issue's own."""
    siblings = PublishedEntry.objects.filter(issue_id=entry.issue_id)
    if language and language != entry.bulletin.language:
        siblings = siblings.annotate(edition_title=KT(f"editions__{language}__title"))
    siblings = list(
        siblings.order_by("section_position", "position").only("pk", "entry_id", "title")
    )
    index = next(i for i, e in enumerate(siblings) if e.pk == entry.pk)
    before = siblings[index - 1] if index else None
    after = siblings[index + 1] if index + 1 < len(siblings) else None
    return before, after


def entries_related(entry: PublishedEntry, limit: int = 5) -> list[PublishedEntry]:
    """Other public entries sharing the most tags and jurisdictions with this one, the most
    recent first among equals (two queries, whatever the size of the archive)."""
    if connection.vendor != "postgresql":
        return _entries_related_counted(entry, limit)
    with connection.cursor() as cursor:
        cursor.execute(
            _RELATED_SQL,
            {"entry": entry.pk, "window": settings.RELATED_ENTRIES_WINDOW, "limit": limit},
        )
        ids = [row[0] for row in cursor.fetchall()]
    rows = PublishedEntry.objects.select_related("bulletin").defer("data", "search_text")
    found = rows.in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


# The candidates are the latest RELATED_ENTRIES_WINDOW links of each of the entry's tags and
# jurisdictions (read backwards from the (tag_id, publishedentry_id) indexes of migration 0009:
# rows are rebuilt at each publication, so a higher id was published later); each candidate
# scores one per link it shares. Entries published after this one are candidates too.
_RELATED_SQL = """
    SELECT candidate.id FROM (
        SELECT recent.publishedentry_id AS id
        FROM bulletin_publishedentry_tags mine
        CROSS JOIN LATERAL (
            SELECT other.publishedentry_id FROM bulletin_publishedentry_tags other
            WHERE other.tag_id = mine.tag_id
            ORDER BY other.publishedentry_id DESC LIMIT %(window)s
        ) recent
        WHERE mine.publishedentry_id = %(entry)s
        UNION ALL
        SELECT recent.publishedentry_id
        FROM bulletin_publishedentry_jurisdictions mine
        CROSS JOIN LATERAL (
            SELECT other.publishedentry_id FROM bulletin_publishedentry_jurisdictions other
            WHERE other.jurisdiction_id = mine.jurisdiction_id
            ORDER BY other.publishedentry_id DESC LIMIT %(window)s
        ) recent
        WHERE mine.publishedentry_id = %(entry)s
    ) candidate
    JOIN bulletin_publishedentry entry ON entry.id = candidate.id
    WHERE candidate.id <> %(entry)s
    GROUP BY candidate.id, entry.issue_published_at
    ORDER BY count(*) DESC, entry.issue_published_at DESC, candidate.id DESC
    LIMIT %(limit)s
"""


def _entries_related_counted(entry: PublishedEntry, limit: int) -> list[PublishedEntry]:
    """The same ranking counted over every link, with no window (SQLite: small local archives)."""
    tags = list(entry.tags.values_list("pk", flat=True))
    places = list(entry.jurisdictions.values_list("pk", flat=True))
    if not tags and not places:
        return []
    # An empty IN () would empty the whole query, so only the non-empty parts are counted.
    counts = [
        Count(field, filter=Q(**{f"{field}__in": ids}), distinct=True)
        for field, ids in (("tags", tags), ("jurisdictions", places))
        if ids
    ]
    shared = counts[0] if len(counts) == 1 else counts[0] + counts[1]
    return list(
        PublishedEntry.objects.exclude(pk=entry.pk)
        .annotate(shared=shared)
        .filter(shared__gt=0)
        .select_related("bulletin")
        .defer("data", "search_text")
        .order_by("-shared", "-issue_published_at", "-pk")[:limit]
    )


# Kinds, tags, jurisdictions and authors are known to the public only through published entries:
# a page for one that only drafts use would reveal a draft's metadata to anyone probing for it.


def entries_of_kind(kind: str) -> QuerySet[PublishedEntry]:
    entries = entries_listed().filter(kind=kind)
    if kind not in Entry.Kind.values or not entries.exists():
        raise Http404
    return entries


def tag_public(name: str) -> Tag:
    tag = Tag.objects.filter(name=name).first()
    if tag is None or not PublishedEntry.objects.filter(tags=tag).exists():
        raise Http404
    return tag


def jurisdiction_public(code: str) -> Jurisdiction:
    place = Jurisdiction.objects.filter(code=code).first()
    if place is None or not PublishedEntry.objects.filter(jurisdictions=place).exists():
        raise Http404
    return place


def _people_named(content: dict) -> list[dict]:
    """Everyone an issue's content (or one entry's data) names: team, writers, commentators."""
    entries = [e for section in content.get("sections", []) for e in section["entries"]]
    if "commentary" in content:
        entries.append(content)
    return [
        *content.get("bulletin", {}).get("team", []),
        *content.get("writers", []),
        *(a for e in entries for a in (e.get("commentary") or {}).get("authors", [])),
    ]


def author_pages(content: dict) -> set[str]:
    """The slugs of the people named in some published content who have a public page: the
    active ones (being named in a published issue or commentary gives them theirs)."""
    slugs = {person["slug"] for person in _people_named(content) if person.get("slug")}
    if not slugs:
        return set()
    return set(Author.objects.filter(slug__in=slugs, is_active=True).values_list("slug", flat=True))


def author_public(slug: str) -> Author:
    """An author the public may know: with published commentaries, or named in a published
    issue (its writers, or the team of its bulletin)."""
    author = Author.objects.filter(slug=slug, is_active=True).first()
    if author is None:
        raise Http404
    published = Issue.objects.published()
    if not (
        author.published_entries.exists()
        or author.issues.filter(pk__in=published).exists()
        or author.bulletins.filter(issues__in=published).exists()
    ):
        raise Http404
    return author


def firm_contact(author: Author, *, english: bool = False) -> dict | None:
    """How a reader reaches the firm when an author shows no contact details on the web: the
    firm's identity where it gives an email, else the firm name and contact email of a bulletin
    the author writes for (else of any bulletin)."""
    firm = firm_public()
    if firm.email:
        return {"name": firm.shown_name(english=english), "email": firm.email}
    bulletins = Bulletin.objects.exclude(contact_email="").order_by("pk")
    bulletin = bulletins.filter(team=author).first() or bulletins.first()
    if bulletin is None:
        return None
    return {"name": bulletin.firm_name, "email": bulletin.contact_email}


@dataclass
class SearchFilters:
    q: str = ""
    kind: str = ""
    tag: str = ""
    jurisdiction: str = ""
    bulletin: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None


@dataclass
class SearchResults:
    """A search's results as the paginator reads them: the ordered rows and their number,
    exact, or the planner's estimate ("about"), or the number counted before stopping, of
    which the page says "more than" that number less one."""

    rows: QuerySet[PublishedEntry]
    total: int
    approximate: bool = False
    more_than: bool = False

    def count(self) -> int:
        return self.total

    @property
    def shown(self) -> str:
        """The number an estimate or a floor is shown as, grouped by thousands in every
        language: "160,000"."""
        return f"{self.total - 1 if self.more_than else self.total:,}"

    @property
    def uncounted(self) -> bool:
        """No exact count, so no last page to name."""
        return self.approximate or self.more_than

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, key):
        return self.rows[key]


def entries_search(filters: SearchFilters, *, reach: int = 0) -> SearchResults:
    """Published entries matching the query and filters, never ranking or counting more than
    SEARCH_EXACT_COUNT matches (each match read costs a tsvector read). Up to that many are
    counted, and ranked by relevance when at most SEARCH_RANK_LIMIT; more are listed newest
    first through a date index (the entries' own dates when the search is within dates), with
    the planner's estimate of their number. `reach` is
    the number of rows the page asked for needs: that many and one more are counted, so a low
    estimate never hides the next page."""
    results, query = _search_matches(filters)
    if results is None:
        return SearchResults(PublishedEntry.objects.none(), 0)
    limit = settings.SEARCH_EXACT_COUNT
    estimate = _estimated_count(results)
    if estimate > limit:
        if filters.date_from or filters.date_to:  # newest first, by the date asked about
            results = results.order_by("-published_on", *entries_listed().query.order_by)
        # Reading the first matches is cheap here: the planner expects many.
        counted = _counted(results, reach + 1)
        return SearchResults(results, max(_rounded(estimate), counted), approximate=True)
    cap = max(limit, reach) + 1
    counted = _counted(results, cap)
    if counted == cap:  # the estimate was low: "more than" what was counted, less one
        return SearchResults(results, counted, more_than=True)
    if query and counted <= settings.SEARCH_RANK_LIMIT:
        results = results.extra(
            select={"rank": "ts_rank(search_vector, to_tsquery('simple', %s))"},
            select_params=[query],
            order_by=["-rank", "-issue_published_at"],
        )
    return SearchResults(results, counted)


def _counted(results: QuerySet, cap: int) -> int:
    return results.order_by().values("pk")[:cap].count()


def _search_matches(filters: SearchFilters) -> tuple[QuerySet | None, str | None]:
    """The matches newest first, and the tsquery where PostgreSQL ranks them (None, None for
    a query with no word in it)."""
    results = entries_listed().defer("search_text")
    if filters.kind:
        results = results.filter(kind=filters.kind)
    if filters.tag:
        results = results.filter(tags__slug=filters.tag)
    if filters.jurisdiction:
        results = results.filter(jurisdictions__code=filters.jurisdiction)
    if filters.bulletin:
        results = results.filter(bulletin__slug=filters.bulletin)
    if filters.date_from:
        results = results.filter(published_on__gte=filters.date_from)
    if filters.date_to:
        results = results.filter(published_on__lte=filters.date_to)
    query = search.tsquery(filters.q)
    if not filters.q:
        return results, None
    if query is None:
        return None, None
    if connection.vendor == "postgresql":
        match = results.extra(where=["search_vector @@ to_tsquery('simple', %s)"], params=[query])
        return match, query
    for term in search.query_terms(filters.q):
        results = results.filter(search_text__contains=" ".join(search.tokens(term)))
    return results, None


def _estimated_count(results: QuerySet) -> int:
    """The planner's estimate of the number of results (0 where there is no planner to ask:
    SQLite archives are small enough to count)."""
    if connection.vendor != "postgresql":
        return 0
    sql, params = results.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


def _rounded(number: int) -> int:
    """A number to two significant figures: 163,421 → 160,000."""
    return round(number, 2 - len(str(number)))


DEFAULT_COLOUR = "#0a4a82"


@dataclass
class FirmPublic:
    """What every public page shows of the firm; the defaults stand when none is configured or
    the database cannot be reached."""

    name: str = ""
    name_en: str = ""
    colour: str = DEFAULT_COLOUR
    mark_type: str = ""
    mark_version: str = ""
    address: str = ""
    address_en: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""
    disclaimer: str = ""
    disclaimer_en: str = ""
    privacy_url: str = ""
    # (slug, name) of every bulletin, for the subscribe links.
    bulletins: list[tuple[str, str]] = field(default_factory=list)

    def shown_name(self, *, english: bool) -> str:
        """The firm's name as a page in that language shows it ("" when none is set)."""
        return self.name_en if english and self.name_en else self.name


def _firm_from_database() -> FirmPublic:
    identity = FirmIdentity.objects.defer("mark").filter(pk=1).first()
    bulletins = list(Bulletin.objects.order_by("name").values_list("slug", "name"))
    if identity is None:
        return FirmPublic(bulletins=bulletins)
    return FirmPublic(
        **{name: getattr(identity, name) for name in FirmPublic.__dataclass_fields__
           if name not in ("mark_version", "bulletins")},
        mark_version=identity.mark_sha256[:12],
        bulletins=bulletins,
    )  # fmt: skip


def firm_public() -> FirmPublic:
    """The firm's identity for the header and footer, cached with the public pages (a save or a
    publication drops it); the defaults when the database is down, so an error page still
    renders."""
    try:
        key = f"firm-public:{public_cache_version()}"
        cached = cache.get(key)
    except Exception:  # the cache is down: read the database
        key, cached = None, None
    if cached is not None:
        return cached
    try:
        firm = _firm_from_database()
    except Exception:  # the database is down (or out of reach, as in an error page)
        logger.warning("firm identity unavailable; showing the defaults", exc_info=True)
        return FirmPublic()
    if key:
        with contextlib.suppress(Exception):  # the cache is down: served uncached
            cache.set(key, firm, timeout=60 * 60)
    return firm


def firm_mark() -> tuple[bytes, str, str] | None:
    """The sanitized mark: (content, content type, sha256), or None."""
    row = (
        FirmIdentity.objects.filter(pk=1)
        .exclude(mark_type="")
        .values_list("mark", "mark_type", "mark_sha256")
        .first()
    )
    return (bytes(row[0]), row[1], row[2]) if row else None
