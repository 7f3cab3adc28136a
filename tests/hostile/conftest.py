"""A few published issues whose every staff-typed text field holds hostile payloads, built and
published through the factories and services the product uses."""

from dataclasses import dataclass, field

import pytest
import reversion
from django.core.exceptions import ValidationError

from bulletin.models import Issue, Publication
from bulletin.roles import Role
from bulletin.services.workflow import entry_transition, issue_transition
from core.fields import HttpURLFormField
from entries.models import Entry
from people.services import notification_preference_set
from tests.factories import (
    AuthorFactory,
    BulletinFactory,
    CommentaryFactory,
    EntryFactory,
    EntryLinkFactory,
    IssueFactory,
    JurisdictionFactory,
    SectionFactory,
    UserFactory,
    publish,
)
from tests.hostile.payloads import URL_PAYLOADS, Dealer
from tests.mailing.factories import SubscriptionFactory

ISSUES = 3
# (model, field) -> the longest value the column holds (None: a text column). The values are
# what the admin forms let a staff user type: any text in these fields.
PLAIN = {
    "bulletin.name": 200,
    "bulletin.description": None,
    "bulletin.firm_name": 200,
    "bulletin.team_name": 200,
    "bulletin.commentary_label": 50,
    "issue.title": 300,
    "issue.volume": 50,
    "section.title": 200,
    "entry.title": 500,
    "entry.source": 300,
    "entry.case_caption": 500,
    "entry.docket_number": 100,
    "entry.court": 200,
    "link.label": 200,
    "author.name": 100,
    "author.name_latin": 100,
    "author.title": 100,
    "author.office_city": 100,
    "author.practice_areas": 500,
    "author.education": None,
    "tag.name": 100,
    "jurisdiction.name": 100,
    "jurisdiction.name_en": 100,
    "correction.note": 2000,
    "entry_event.comment": None,
    "issue_event.comment": None,
}
RICH = [
    "bulletin.disclaimer",
    "issue.editors_note",
    "entry.summary",
    "commentary.body",
    "author.experience",
    "author.representative_matters",
    "author.honours",
]


@dataclass
class Published:
    """One published issue of the corpus and the exact text of each of its fields."""

    k: int
    issue: Issue
    entry: Entry
    author: object
    values: dict[str, str] = field(default_factory=dict)
    urls: list[str] = field(default_factory=list)

    def token(self, name: str) -> str:
        """The plain word that opens the field's value: it must be visible wherever it is shown."""
        return token(self.k, name)


@dataclass
class Corpus:
    dealer: Dealer
    issues: list[Published]
    refused_urls: list[str]
    users: dict[str, object]

    @property
    def fields(self) -> list[str]:
        return [*PLAIN, *RICH, "link.url"]


def token(k: int, name: str) -> str:
    return f"zq{k}{name.replace('.', '').replace('_', '')}zq"


def _values(dealer: Dealer, k: int) -> dict[str, str]:
    values = {}
    for name, capacity in PLAIN.items():
        values[name] = dealer.fill(name, token(k, name), capacity)
    for name in RICH:
        # Rich text goes through the sanitizer; its token stands in a paragraph of its own.
        values[name] = dealer.fill(name, f"<p>{token(k, name)}</p>", None)
    return values


def _accepted_urls(dealer: Dealer, k: int) -> tuple[list[str], list[str]]:
    """The URL payloads the link form accepts (they are rendered) and those it refuses."""
    form_field, accepted, refused = HttpURLFormField(), [], []
    for index, template in enumerate(URL_PAYLOADS):
        number = next(dealer.numbers)
        value = template.format(n=number)
        try:
            accepted.append(form_field.clean(value))
            dealer.placed[number] = dealer.placed.get(number) or _placed(number, index)
        except ValidationError:
            refused.append(value)
    return accepted, refused


def _placed(number, index):
    from tests.hostile.payloads import Placed

    return Placed(number, index, "link.url")


def _versioned(obj, user) -> None:
    with reversion.create_revision():
        reversion.set_user(user)
        obj.save()


def build_issue(dealer: Dealer, k: int, users: dict) -> Published:
    v = _values(dealer, k)
    bulletin = BulletinFactory(
        slug=f"hostile-{k}",
        language="en" if k % 2 else "zh-hans",
        contact_email=f"desk{k}@example-law.cn",
        **{f: v[f"bulletin.{f}"] for f in ("name", "description", "firm_name", "team_name")},
        commentary_label=v["bulletin.commentary_label"],
        disclaimer=v["bulletin.disclaimer"],
    )
    author = AuthorFactory(
        **{
            f: v[f"author.{f}"]
            for f in (
                "name",
                "name_latin",
                "title",
                "office_city",
                "practice_areas",
                "education",
                "experience",
                "representative_matters",
                "honours",
            )
        },
        slug=f"hostile-author-{k}",
    )
    bulletin.team.set([author])
    SubscriptionFactory(bulletin=bulletin, subscriber__email=f"reader{k}@example.com")
    place = JurisdictionFactory(
        code=f"hx{k}", name=v["jurisdiction.name"], name_en=v["jurisdiction.name_en"]
    )
    # First versions hold only the tokens, so that the comparison shows every payload added.
    issue = IssueFactory(
        bulletin=bulletin,
        slug=f"hostile-{k}",
        title=token(k, "issue.title"),
        created_by=users["editor"],  # who hears of the issue's review and publication
    )
    issue.writers.set([author])
    section = SectionFactory(issue=issue, title=v["section.title"])
    entry = EntryFactory(
        section=section,
        case=True,
        title=token(k, "entry.title"),
        created_by=users["author"],
        tags=[v["tag.name"]],
        jurisdictions=[place],
    )
    urls, refused = _accepted_urls(dealer, k)
    for position, url in enumerate(urls, start=1):
        EntryLinkFactory(
            entry=entry, position=position, kind="other", label=v["link.label"], url=url
        )
    CommentaryFactory(entry=entry, body=v["commentary.body"], authors=[author])
    _versioned(entry, users["author"])
    _versioned(issue, users["editor"])
    for name in ("title", "source", "case_caption", "docket_number", "court", "summary"):
        setattr(entry, name, v[f"entry.{name}"])
    _versioned(entry, users["author"])
    issue.title, issue.volume, issue.editors_note = (
        v["issue.title"],
        v["issue.volume"],
        v["issue.editors_note"],
    )
    _versioned(issue, users["editor"])
    # Review comments, through the workflow.
    entry_transition(entry=entry, user=users["author"], action="submit")
    entry_transition(
        entry=entry,
        user=users["reviewer"],
        action="request_changes",
        comment=v["entry_event.comment"],
    )
    issue_transition(issue=issue, user=users["editor"], action="submit")
    issue_transition(
        issue=issue,
        user=users["reviewer"],
        action="request_changes",
        comment=v["issue_event.comment"],
    )
    publish(issue)
    issue_transition(
        issue=issue, user=users["publisher"], action="open_correction", comment=v["correction.note"]
    )
    issue_transition(issue=issue, user=users["publisher"], action="publish_correction")
    published = Published(k, Issue.objects.get(pk=issue.pk), entry, author, v, urls)
    published.refused = refused
    return published


@pytest.fixture
def corpus(request, transactional_db, settings) -> Corpus:
    """ISSUES published (and corrected) issues; with the smtp fixture, their emails went to the
    SMTP sink. The PDF is rendered by the test that reads it."""
    emails = []
    if "smtp" in request.fixturenames:
        request.getfixturevalue("smtp")  # before publishing: the emails go to the sink
        emails = ["mailing.send"]
    settings.BULLETIN_PUBLISH_OUTPUTS = ["web.invalidate", *emails]
    settings.SEARCH_RATE_LIMIT = 100_000
    users = {
        "author": UserFactory(username="hostile-author", roles=[Role.AUTHOR]),
        "editor": UserFactory(username="hostile-editor", roles=[Role.EDITOR]),
        "reviewer": UserFactory(username="hostile-reviewer", roles=[Role.REVIEWER]),
        "publisher": UserFactory(username="hostile-publisher", roles=[Role.PUBLISHER]),
        "admin": UserFactory(username="hostile-admin", is_superuser=True),
    }
    # The author hears of change requests at once, the others in their digests.
    notification_preference_set(user=users["author"], delivery="immediate", language="en")
    dealer = Dealer()
    issues = [build_issue(dealer, k, users) for k in range(ISSUES)]
    refused = [url for p in issues for url in p.refused]
    assert Publication.objects.count() == 2 * ISSUES
    return Corpus(dealer, issues, refused, users)
