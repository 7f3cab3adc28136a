"""Hostile text in every field a staff user types, through every output of a published issue:
nothing runs in Chromium (no CSP), every value is shown as the text it is, and the non-HTML
channels (feed XML, sitemap, JSON-LD, email headers, PDF metadata) carry it as inert text."""

import json
import xml.etree.ElementTree as ET  # our own feed and sitemap
from urllib.parse import quote

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from tests.hostile.conftest import PLAIN, RICH
from tests.hostile.payloads import PAYLOADS
from tests.hostile.watch import Watch, normalize
from tests.mailing.conftest import smtp, smtp_sink  # noqa: F401
from tests.pdf.conftest import pdf_root  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.postgres]
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def watch(browser, live_server):
    watch = Watch.open(browser, live_server.url)
    yield watch
    watch.close()


def report(capsys, channel: str, watch: Watch, fields: int) -> None:
    with capsys.disabled():
        print(f"\nhostile outputs, {channel}: {watch.looked} renderings, {fields} fields")


def plain(p, *names) -> list[str]:
    """The exact values of plain-text fields: shown as typed."""
    return [p.values[name] for name in names]


def tokens(p, *names) -> list[str]:
    return [p.token(name) for name in names]


ISSUE_PLAIN = [
    "bulletin.name",
    "bulletin.firm_name",
    "bulletin.team_name",
    "bulletin.commentary_label",
    "issue.title",
    "issue.volume",
    "section.title",
    "correction.note",
    *[f"entry.{f}" for f in ("title", "source", "case_caption", "docket_number", "court")],
    "link.label",
    "author.name",
    "tag.name",
    "jurisdiction.name",
]
ISSUE_RICH = ["bulletin.disclaimer", "issue.editors_note", "entry.summary", "commentary.body"]


def check_corpus(corpus, capsys):
    """Every payload stands in plain and in rich fields; hostile http(s) URLs get in, others not."""
    placed = corpus.dealer.placed.values()
    in_plain = {p.payload for p in placed if p.field in PLAIN}
    in_rich = {p.payload for p in placed if p.field in RICH}
    assert len(PAYLOADS) >= 40
    assert in_plain == in_rich == set(range(len(PAYLOADS)))
    # Script and data URLs never get in; the http(s) ones with markup in them are rendered.
    assert {u for u in corpus.refused_urls if not u.startswith("http")} == {
        u for p in corpus.issues for u in p.refused if not u.startswith("http")
    }
    assert not [u for u in corpus.refused_urls if u.lower().lstrip().startswith("http")]
    assert len(corpus.refused_urls) == 5 * len(corpus.issues)
    assert all(p.urls for p in corpus.issues)  # some hostile http(s) URLs are accepted
    with capsys.disabled():
        print(
            f"\nhostile corpus: {len(PAYLOADS)} payloads, {len(corpus.fields)} fields, "
            f"{len(corpus.issues)} issues, {len(placed)} placements"
        )


def test_public_pages_run_nothing_and_show_every_value(corpus, watch, capsys):
    check_corpus(corpus, capsys)
    for p in corpus.issues:
        entry, issue = p.entry, p.issue
        watch.goto(
            issue.get_absolute_url(),
            where=f"issue {p.k}",
            present=plain(p, *ISSUE_PLAIN) + tokens(p, *ISSUE_RICH),
        )
        watch.goto(
            f"/entries/{entry.pk}/",
            where=f"entry {p.k}",
            present=plain(p, "bulletin.name", "bulletin.commentary_label", *ISSUE_PLAIN[6:7])
            + plain(p, *ISSUE_PLAIN[8:])
            + tokens(p, *ISSUE_RICH[2:]),
        )
        watch.goto(
            f"/authors/{p.author.slug}/",
            where=f"author {p.k}",
            present=plain(p, "author.name", "author.name_latin", "entry.title", "bulletin.name")
            + tokens(
                p,
                "author.title",
                "author.office_city",
                "author.practice_areas",
                "author.education",
                "author.experience",
                "author.representative_matters",
                "author.honours",
            ),
        )
        watch.goto(
            f"/tags/{quote(p.values['tag.name'], safe='')}/",
            where=f"tag {p.k}",
            present=plain(p, "tag.name", "entry.title"),
        )
        watch.goto(
            f"/jurisdictions/hx{p.k}/",
            where=f"jurisdiction {p.k}",
            present=plain(p, "jurisdiction.name", "entry.title"),
        )
        for q in (p.token("entry.title"), p.token("entry.summary")):
            watch.goto(
                f"/search/?q={quote(q)}",
                where=f"search {p.k} {q}",
                present=plain(p, "entry.title", "bulletin.name") + [q],
            )
            assert watch.page.locator("mark").count() > 0
    every = [p.values[n] for p in corpus.issues for n in ("bulletin.name", "issue.title")]
    watch.goto("/", where="home", present=every)
    watch.goto("/en/", where="home en", present=every)
    watch.goto("/archive/", where="archive", present=every)
    watch.goto(
        "/kinds/case/",
        where="kind",
        present=[p.values["entry.title"] for p in corpus.issues],
    )
    assert watch.verdict() == {}
    check_metadata(corpus, watch)
    assert watch.verdict() == {}
    report(capsys, "pages", watch, len(ISSUE_PLAIN) + len(ISSUE_RICH) + 9)


def _meta(watch, selector: str) -> list[str]:
    return watch.page.eval_on_selector_all(selector, "els => els.map(e => e.content)")


def check_metadata(corpus, watch):
    """Title, Open Graph, description and JSON-LD hold the values as text."""
    for p in corpus.issues:
        title, name = p.values["entry.title"], p.values["bulletin.name"]
        watch.goto(f"/entries/{p.entry.pk}/", where=f"entry meta {p.k}", present=[title])
        assert normalize(watch.page.title()) == normalize(f"{title} · {name}")
        assert _meta(watch, 'meta[property="og:title"]') == [title]
        assert _meta(watch, 'meta[name="twitter:title"]') == [title]
        [description] = _meta(watch, 'meta[name="description"]')
        assert description.startswith(p.token("entry.summary"))
        scripts = watch.page.eval_on_selector_all(
            'script[type="application/ld+json"]', "els => els.map(e => e.parentElement.tagName)"
        )
        assert scripts == ["HEAD"]  # one, and nothing closed it early
        data = json.loads(watch.page.text_content('script[type="application/ld+json"]'))
        assert data.get("headline", data.get("name")) == title
        assert data["publisher"]["name"] == p.values["bulletin.firm_name"]
        assert [a["name"] for a in data["author"]] == [p.values["author.name"]]
        assert p.values["tag.name"] in data["keywords"]
        assert p.values["jurisdiction.name_en"] in data["keywords"]
        watch.goto(p.issue.get_absolute_url(), where=f"issue meta {p.k}", present=[])
        assert normalize(watch.page.title()) == normalize(f"{p.values['issue.title']} · {name}")
        assert _meta(watch, 'meta[property="og:title"]') == [p.values["issue.title"]]


def test_feeds_and_sitemap_carry_values_as_text(corpus, watch, capsys):
    client = Client()
    for p in corpus.issues:
        # Each bulletin's feed in its own language (in the other, its title is marked untranslated).
        prefix = "/en" if p.issue.bulletin.language == "en" else ""
        response = client.get(f"{prefix}/feeds/{p.issue.bulletin.slug}/")
        assert response.status_code == 200
        feed = ET.fromstring(response.content)  # noqa: S314 - our own feed
        assert feed.findtext(f"{ATOM}title") == p.values["bulletin.name"]
        assert feed.findtext(f"{ATOM}subtitle") == p.values["bulletin.description"]
        assert feed.findtext(f"{ATOM}author/{ATOM}name") == p.values["bulletin.firm_name"]
        [item] = feed.findall(f"{ATOM}entry")
        assert item.findtext(f"{ATOM}title") == p.values["issue.title"]
        for tag in ("summary", "content"):
            for element in item.findall(f"{ATOM}{tag}"):
                # A feed reader unescapes the XML and renders html as HTML.
                text = element.text or ""
                if element.get("type") == "html":
                    watch.show(text, where=f"feed {p.k} {tag}", present=[p.values["entry.title"]])
                else:
                    assert p.values["entry.title"] in text
    sitemap = ET.fromstring(client.get("/sitemap.xml").content)  # noqa: S314
    locations = [
        loc.text for loc in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")
    ]
    assert len(locations) >= 2 + 2 * len(corpus.issues)
    assert all(loc.startswith(("http://", "https://")) for loc in locations)
    assert all(not set(loc) & set("<>\"' \n") for loc in locations)
    assert watch.verdict() == {}
    report(capsys, "feeds", watch, 5)


def _parts(message):
    return (
        message.get_body(preferencelist=("plain",)).get_content(),
        message.get_body(preferencelist=("html",)).get_content(),
    )


HEADERS = {
    "from",
    "to",
    "subject",
    "date",
    "message-id",
    "list-unsubscribe",
    "list-unsubscribe-post",
    "list-id",
    "feedback-id",
    "mime-version",
    "content-type",
}


def test_issue_emails_carry_values_as_text(corpus, smtp, watch, capsys):  # noqa: F811
    seen = 0
    for p in corpus.issues:
        messages = [r.message for r in smtp.to(f"reader{p.k}@example.com")]
        assert messages
        for number, message in enumerate(messages, start=1):
            assert {name.lower() for name in message} <= HEADERS
            assert all("\n" not in str(v) and "\r" not in str(v) for v in message.values())
            # Bulletin · issue name (period, number, volume) · title.
            subject = normalize(str(message["subject"]))
            assert subject.startswith(normalize(p.values["bulletin.name"]) + " · ")
            assert subject.endswith(" · " + normalize(p.values["issue.title"]))
            [sender] = message["from"].addresses
            assert sender.display_name == normalize(p.values["bulletin.firm_name"])
            assert sender.addr_spec == settings.MAILING_FROM_EMAIL
            assert str(message["list-id"]).endswith(f"<hostile-{p.k}.{sender.domain}>")
            text, html = _parts(message)
            for name in ("issue.title", "entry.title", "section.title", "entry.source"):
                assert normalize(p.values[name]) in normalize(text), name
            watch.show(
                html,
                where=f"email {p.k}",
                present=plain(p, "bulletin.name", "issue.title", "section.title", "entry.title")
                + plain(p, "entry.source", "bulletin.commentary_label")
                + (plain(p, "correction.note") if number > 1 else [])
                + tokens(p, "issue.editors_note", "bulletin.disclaimer", "entry.summary"),
            )
            seen += 1
    assert watch.verdict() == {}
    seen += check_notifications(corpus, smtp, watch)
    assert watch.verdict() == {}
    report(capsys, f"email ({seen} messages)", watch, 12)


def check_notifications(corpus, smtp, watch) -> int:  # noqa: F811
    """The workflow emails carry titles and comments as typed: the author's change requests at
    once (the entry's title in the subject), the reviewer's and the editor's digests."""
    from bulletin.notifications.services import digest_interval, notifications_send_due

    author = corpus.users["author"]
    messages = [r.message for r in smtp.to(author.email)]
    assert len(messages) == len(corpus.issues)
    for p, message in zip(corpus.issues, messages, strict=True):
        assert normalize(p.entry.title) in normalize(str(message["subject"]))
        text, html = _parts(message)
        assert normalize(p.values["entry_event.comment"]) in normalize(text)
        present = plain(p, "entry.title", "entry_event.comment")
        watch.show(html, where=f"review email {p.k}", present=present)
    assert notifications_send_due(now=timezone.now() + digest_interval()) == 2
    every = {
        "reviewer": ["entry.title", "issue.title"],
        "editor": ["issue.title", "issue_event.comment", "correction.note"],
    }
    for role, names in every.items():
        [received] = smtp.to(corpus.users[role].email)
        text, html = _parts(received.message)
        present = [p.values[name] for p in corpus.issues for name in names]
        assert all(normalize(value) in normalize(text) for value in present), role
        watch.show(html, where=f"{role}'s digest", present=present)
    return len(messages) + len(every)


def test_the_pdf_carries_values_as_text(corpus, capsys):
    from bulletin.pdf.files import pdf_storage
    from bulletin.pdf.services import rendering_request
    from tests.pdf.conftest import read_pdf, squeeze

    p = corpus.issues[0]
    rendering = rendering_request(issue_id=p.issue.pk)
    rendering.refresh_from_db()
    assert rendering.status == "done", rendering.last_error
    with pdf_storage().open(rendering.file_name) as file:
        reader = read_pdf(file.read())
    meta = reader.metadata
    assert meta.title == p.values["issue.title"]
    assert meta.author == p.values["author.name"]
    assert meta.subject.startswith(p.values["bulletin.name"])
    assert meta.get("/Keywords") == p.values["tag.name"]
    text = squeeze("".join(page.extract_text() or "" for page in reader.pages))
    # The cover, the entry's particulars and the profiles, as text (pypdf extracts no more of
    # this document: see the report of the hostile-output test).
    shown = [*ISSUE_PLAIN[:3], *ISSUE_PLAIN[4:6], *ISSUE_PLAIN[9:13], "link.label", "author.name"]
    for name in [*shown, "jurisdiction.name", "author.title", "author.office_city"]:
        assert p.token(name) in text, name
    with capsys.disabled():
        print(f"\nhostile outputs, pdf: {len(reader.pages)} pages")


def _admin_login(watch, user, live_server):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    watch.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def test_admin_pages_run_nothing_and_show_every_value(corpus, watch, live_server, capsys):
    from reversion.models import Version

    _admin_login(watch, corpus.users["admin"], live_server)
    watch.goto("/admin/", where="admin index", present=[])
    for path in [
        "entries/entry",
        "bulletin/issue",
        "bulletin/bulletin",
        "people/author",
        "entries/jurisdiction",
        "taggit/tag",
        "bulletin/workflowevent",
    ]:
        present = (
            [p.values[n] for p in corpus.issues for n in ("entry.title",)]
            if path == "entries/entry"
            else []
        )
        watch.goto(f"/admin/{path}/", where=f"admin list {path}", present=present)
    for p in corpus.issues:
        first = p.k == 0
        entry_fields = [
            f"entry.{f}" for f in ("title", "source", "case_caption", "docket_number", "court")
        ]
        pages = [
            (
                p.entry,
                "entries/entry",
                plain(p, *entry_fields, "link.label", "entry_event.comment"),
            ),
            (
                p.issue,
                "bulletin/issue",
                plain(p, "issue.title", "issue.volume", "issue_event.comment"),
            ),
        ]
        for obj, path, present in pages if first else pages[:1]:
            base = f"/admin/{path}/{obj.pk}"
            watch.goto(f"{base}/change/", where=f"admin change {path} {p.k}", present=present)
            if first:
                watch.goto(f"{base}/history/", where=f"admin history {path}", present=[])
            older, newer = [v.pk for v in Version.objects.get_for_object(obj).order_by("pk")][:2]
            watch.goto(
                f"{base}/compare/?a={older}&b={newer}",
                where=f"admin compare {path} {p.k}",
                present=[p.token(n) for n in ("entry.title", "entry.source")]
                if path == "entries/entry"
                else [p.token("issue.title")],
            )
        if not first:
            continue
        watch.goto(
            f"/admin/bulletin/bulletin/{p.issue.bulletin.pk}/change/",
            where=f"admin bulletin {p.k}",
            present=plain(p, "bulletin.name", "bulletin.description", "bulletin.firm_name"),
        )
        watch.goto(
            f"/admin/people/author/{p.author.pk}/change/",
            where=f"admin author {p.k}",
            present=plain(p, "author.name", "author.name_latin", "author.practice_areas"),
        )
        watch.goto(
            f"/admin/mailing/send/preview/{p.issue.pk}/",
            where=f"admin email preview {p.k}",
            present=plain(p, "issue.title", "entry.title"),
        )
    assert watch.verdict() == {}
    report(capsys, "admin", watch, 20)


def test_read_only_admin_pages_render_rich_text_and_run_nothing(corpus, watch, live_server, capsys):
    """A reviewer may only read: every rich text is rendered (its token in a paragraph of
    its own, never "<p>" as text), every plain value shown as typed, and nothing runs."""
    from reversion.models import Version

    _admin_login(watch, corpus.users["reviewer"], live_server)
    p = corpus.issues[0]
    entry_plain = [f"entry.{f}" for f in ("title", "source", "case_caption", "docket_number")]
    pages = [
        (f"/admin/entries/entry/{p.entry.pk}/change/", entry_plain, RICH[2:4]),
        (f"/admin/bulletin/issue/{p.issue.pk}/change/", ["issue.title"], ["issue.editors_note"]),
        (f"/admin/bulletin/bulletin/{p.issue.bulletin.pk}/change/", ["bulletin.name"], RICH[:1]),
        (f"/admin/people/author/{p.author.pk}/change/", ["author.name"], RICH[4:]),
    ]
    for obj, path, rich in [
        (p.entry, "entries/entry", "summary"),
        (p.issue, "bulletin/issue", "editors_note"),
    ]:
        older, newer = [v.pk for v in Version.objects.get_for_object(obj).order_by("pk")][:2]
        label = "entry" if path == "entries/entry" else "issue"
        pages.append(
            (f"/admin/{path}/{obj.pk}/compare/?a={older}&b={newer}", [], [f"{label}.{rich}"])
        )
    for path, plain_names, rich_names in pages:
        text = watch.goto(
            path,
            where=f"read-only {path}",
            present=[*plain(p, *plain_names), *tokens(p, *rich_names)],
        )
        for name in rich_names:
            assert f"<p>{p.token(name)}" not in text, (path, name)
            assert watch.page.locator(".rich p", has_text=p.token(name)).count() >= 1, (path, name)
    assert watch.verdict() == {}
    report(capsys, "read-only admin", watch, len(pages))
