"""The admin as each role sees it on a 1280 px screen, in Chinese: every kind of page fits the
screen and says nothing in English but names and addresses. One browser, one login per role;
screenshots go to var/screenshots/admin/."""

import re
from pathlib import Path

import pytest
import reversion
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.db import models
from django.test import Client
from django.utils import timezone, translation
from reversion.models import Version

from bulletin.models import Issue
from bulletin.pdf.models import Rendering
from entries.models import Entry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots" / "admin"
ROLES = ["author", "editor", "reviewer", "publisher", "partner", "admin"]

# What a page says: its visible text, what its controls say (tooltips, labels for screen readers,
# placeholders, buttons, the options of visible drop-downs) and its title; icons drawn from a
# font's ligatures (the editor's toolbar) and the text being edited are not words. And whether
# anything is wider than the screen or than its box, whether a list squeezes its titles, whether a
# stylesheet draws a character, and whether a title field cuts its title.
AUDIT = """() => {
  const shown = (el) => el.checkVisibility({ visibilityProperty: true })
  const texts = [document.title]
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT)
  while (walker.nextNode()) {
    const el = walker.currentNode.parentElement
    if (!el || el.closest("script, style, template, textarea, .material-icons, [contenteditable]"))
      continue
    if (el.tagName === "OPTION" ? shown(el.closest("select")) : shown(el))
      texts.push(walker.currentNode.textContent)
  }
  for (const el of document.querySelectorAll("[title], [aria-label], [placeholder], [alt]")) {
    if (el.matches(".action-select")) continue  // "Select this object for an action - <name>"
    for (const name of ["title", "aria-label", "placeholder", "alt"])
      if (el.getAttribute(name)) texts.push(el.getAttribute(name))
  }
  for (const el of document.querySelectorAll("input[type=submit], input[type=button]"))
    texts.push(el.value)

  const width = document.documentElement.clientWidth
  const layout = []
  if (document.documentElement.scrollWidth > width)
    layout.push(`page ${document.documentElement.scrollWidth} > ${width}`)
  for (const el of document.querySelectorAll("#content *")) {
    // Form controls scroll their own text; Django hides some texts off a button on purpose.
    if (el.closest("input, textarea, select, .ProseMirror, .visually-hidden, .selector-chooser"))
      continue
    const scrolls = getComputedStyle(el).overflowX !== "visible"
    if (scrolls && el.scrollWidth > el.clientWidth + 1 && shown(el))
      layout.push(`${el.tagName}#${el.id}.${el.className} ${el.scrollWidth} > ${el.clientWidth}`)
  }
  // An entry's or an issue's title in a list is read in lines of 12 characters at least.
  const titles = ":is(.model-entry, .model-issue, .model-issuepdf) #result_list .field-title"
  for (const el of document.querySelectorAll(titles)) {
    const em = parseFloat(getComputedStyle(el).fontSize)
    if (el.clientWidth < 12 * em) layout.push(`title column ${el.clientWidth}px`)
  }
  // Characters drawn by the stylesheets: the editor's own (U+23F7) is missing from most fonts.
  for (const el of document.querySelectorAll(".prose-menubar__selected")) {
    const drawn = getComputedStyle(el, "::after").content
    if (!["none", "normal", '""'].includes(drawn)) layout.push(`glyph ${drawn}`)
  }
  const cut = [...document.querySelectorAll("input[name=title], input[name$=-title]")]
    .filter((el) => shown(el) && el.scrollWidth > el.clientWidth + 1)
    .map((el) => el.value)
  const links = (selector) => [...document.querySelectorAll(selector)].map((a) => a.pathname)
  return {
    texts, layout, cut,
    lists: links("#content-main .module a[href]"),
    first: links("#result_list tbody tr a[href^='/admin/']").slice(0, 1),
  }
}"""

LATIN = re.compile(r"[A-Za-z][A-Za-z0-9_'’.-]*[A-Za-z0-9]")
ADDRESS = re.compile(r"https?://\S+|\S+@\S+|/\S*")
# Names the database does not hold: keys (Django's help on choosing several), the firm's time
# zone, the names in help texts' examples, and what people type in files: a subscriber list's
# columns, language codes, file types.
NAMES = {"Control", "Command", "Mac", *settings.TIME_ZONE.split("/")}
NAMES |= {"Doe", "Example", "Corp", "Wang", "Lin"}
NAMES |= {"email", "name", "organisation", "language", "zh-hans", "en", "json", "txt", "docx"}
NAMES |= {"Word"}  # the word processor, by its name
LIST = re.compile(r"/admin/\w+/\w+/")


def english_words(texts: list[str], corpus: str) -> set[str]:
    """The page's words in Latin letters that are neither names, data nor acronyms."""
    words = set()
    for text in texts:
        for word in LATIN.findall(ADDRESS.sub(" ", text)):
            if len(word) < 3 or word.isupper() or word in NAMES or word in corpus:
                continue
            words.add(word)
    return words


def names_and_data() -> str:
    """Every text the database holds and every object's name (the role groups' among them):
    what the admin shows as data. Not Django's permissions and content types, whose names are
    its own English, nor stored states, which the admin must show by their labels."""
    values = []
    for model in apps.get_models():
        if model._meta.label in ("auth.Permission", "contenttypes.ContentType"):
            continue
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
            and not f.choices
            and not f.name.endswith(("state", "status"))
        ]
        rows = model._default_manager.all()[:500]
        if fields:
            values += [str(value) for row in rows.values_list(*fields) for value in row]
        if admin.site.is_registered(model):
            with translation.override("zh-hans"):  # names may hold labels: in Chinese
                values += [str(obj) for obj in rows]
    return "\n".join(values)


def own_pages(draft: Issue, published: Issue, entry: Entry) -> dict[str, list[str]]:
    """What each role opens besides the lists of its home page: the entry and the issues it
    works on, and the pages that no list links to."""
    versions = Version.objects.get_for_object(entry).order_by("-pk").values_list("pk", flat=True)
    older, newer = versions[:2]
    desk = [
        f"/admin/entries/entry/{entry.pk}/change/",
        f"/admin/bulletin/issue/{published.pk}/change/",
        f"/admin/translation/translation/translate/entry/{entry.pk}/en/",
    ]
    return {
        "author": [
            *desk,
            "/admin/entries/",
            f"/admin/entries/entry/{entry.pk}/history/",
            f"/admin/entries/entry/{entry.pk}/compare/?a={older}&b={newer}",
            "/admin/password_change/",
        ],
        "editor": [
            *desk,
            f"/admin/bulletin/issue/{draft.pk}/change/",
            f"/admin/entries/entry/{entry.pk}/delete/",
            "/admin/bulletin/issue/import/",
        ],
        "reviewer": desk,
        "publisher": [
            *desk,
            f"/admin/mailing/send/preview/{published.pk}/",
            "/admin/mailing/send/test/",
            "/admin/mailing/subscriber/import/",
        ],
        "partner": desk,
        "admin": [*desk, f"/admin/bulletin/issue/{draft.pk}/delete/"],
    }


def sign_in(context, live_server, username: str) -> None:
    """A session of this user in the browser (signing in through the form costs a page)."""
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.clear_cookies()
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )


@pytest.fixture
def demo(settings):
    cache.clear()
    # Not the PDF rendering nor the email (they take seconds): a rendering row stands for them.
    settings.BULLETIN_PUBLISH_OUTPUTS = ["web.invalidate"]
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    published = Issue.objects.get(state=Issue.State.PUBLISHED)
    now = timezone.now()
    Rendering.objects.create(
        issue=published,
        publication=published.current_publication(),
        content_hash="0" * 64,
        status=Rendering.Status.DONE,
        attempts=1,
        file_name="pdf/ai-monthly-2024-08.pdf",
        pages=24,
        size=812_345,
        started_at=now,
        finished_at=now,
    )
    draft = Issue.objects.exclude(state=Issue.State.PUBLISHED).get()
    entry = Entry.objects.filter(issue=draft, state=Entry.State.DRAFT).order_by("pk").first()
    # Two saved versions to compare; the second with an ordinary title of 37 characters.
    for title in (entry.title, entry.title + "，创作者可主动声明内容由人工智能生成"):
        with reversion.create_revision():
            entry.title = title
            entry.save()
    return draft, published, entry


def test_every_admin_page_fits_1280px_and_speaks_chinese_to_each_role(browser, live_server, demo):
    """Each role opens its home page, the pages it works on, and every list (with its first
    object) that no role before it has opened: every list and form once, the desk's own pages
    as each role."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pages = own_pages(*demo)
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    problems, opened = [], set()
    queue = ["/admin/login/"]  # the sign-in page, before any role
    for role in [None, *ROLES]:
        if role:
            sign_in(context, live_server, role)
            queue = ["/admin/", *pages[role]]
        corpus = names_and_data()
        while queue:
            path = queue.pop(0)
            response = page.goto(live_server.url + path)
            assert response.ok, f"{role} {path}: {response.status}"
            found = page.evaluate(AUDIT)
            opened.add(path)
            if path == "/admin/":  # the lists of this role's home page, and their add forms
                queue += [p for p in dict.fromkeys(found["lists"]) if p not in opened]
            elif LIST.fullmatch(path):
                queue += [p for p in found["first"] if p not in opened]
            words = english_words(found["texts"], corpus)
            for kind, items in [("English", words), ("layout", found["layout"])]:
                if items:
                    problems.append(f"{role} {path} {kind}: {sorted(items)}")
            if found["cut"]:
                problems.append(f"{role} {path} cuts titles: {found['cut']}")
            if not re.search(r"/\d+/change/$", path) or path in pages.get(role, ()):
                name = re.sub(r"\W+", "-", path.removeprefix("/admin/")).strip("-") or "home"
                page.screenshot(path=SCREENSHOTS / f"{role or 'anonymous'}-{name}.png")
        opened -= {"/admin/", *pages.get(role, ())}  # the next role opens its own again
    context.close()
    assert len(opened) > 40
    assert not problems, "\n".join(problems)
