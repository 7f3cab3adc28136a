"""Load the demo bulletin, its authors and one user per role; running it again changes nothing."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.dateparse import parse_date, parse_datetime

from bulletin.demo import content
from bulletin.models import Bulletin, Issue
from bulletin.roles import ensure_roles
from bulletin.services.publishing import issue_publish
from entries.models import Commentary, Entry, EntryLink, Jurisdiction, Section
from people.models import Author

DEMO_PASSWORD = "demo-password-2024"  # noqa: S105 - printed for the local demo only
DEMO_USERS = [
    ("author", "Author"),
    ("editor", "Editor"),
    ("reviewer", "Reviewer"),
    ("publisher", "Publisher"),
    ("partner", "Partner"),
]


@dataclass
class DemoLogin:
    username: str
    password: str
    role: str


# The draft issue shows the workflow under way: its entries cycle through these states.
DRAFT_ISSUE_ENTRY_STATES = ["in_review", "changes_requested", "draft", "approved"]


@transaction.atomic
def load_demo() -> list[DemoLogin]:
    """Create or update everything of the demo; return the logins to print."""
    ensure_roles()
    for data in content.JURISDICTIONS:
        _load_jurisdiction(data)
    authors = {data["slug"]: _load_author(data) for data in content.AUTHORS}
    logins, users = _load_users(authors)
    bulletin = _load_bulletin(content.BULLETIN, authors)
    for data in content.ISSUES:
        _load_issue(bulletin, data, authors, users)
    return logins


def _upsert(model, lookup: dict, fields: dict):
    """Get or create a row and save it only if a field differs, so a second run writes nothing."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        return model.objects.create(**lookup, **fields)
    changed = [name for name, value in fields.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, fields[name])
    if changed:
        obj.save()
    return obj


def _load_jurisdiction(data):
    fields = dict(data)
    parent = fields.pop("parent", None)
    fields["parent"] = Jurisdiction.objects.get(code=parent) if parent else None
    _upsert(Jurisdiction, {"code": fields.pop("code")}, fields)


def _load_author(data):
    fields = dict(data)
    return _upsert(Author, {"slug": fields.pop("slug")}, fields)


def _load_bulletin(data, authors):
    fields = dict(data)
    team = fields.pop("team")
    fields["default_sections"] = "\n".join(fields.pop("default_sections"))
    bulletin = _upsert(Bulletin, {"slug": fields.pop("slug")}, fields)
    bulletin.team.set([authors[slug] for slug in team])
    return bulletin


def _load_issue(bulletin, data, authors, users):
    fields = dict(data)
    sections = fields.pop("sections")
    writers = fields.pop("writers")
    published = fields.pop("state") == Issue.State.PUBLISHED
    published_at = fields.pop("published_at")
    lookup = {"bulletin": bulletin, "number": fields.pop("number")}
    issue = Issue.objects.filter(**lookup).first()
    if issue is None or not issue.is_public:
        fields.update(created_by=users["editor"], last_edited_by=users["editor"])
        issue = _upsert(Issue, lookup, fields)
    issue.writers.set([authors[slug] for slug in writers])
    states = iter(DRAFT_ISSUE_ENTRY_STATES * 10)
    for position, section_data in enumerate(sections, start=1):
        section = _upsert(
            Section, {"issue": issue, "position": position}, {"title": section_data["title"]}
        )
        for entry_position, entry_data in enumerate(section_data["entries"], start=1):
            state = Entry.State.APPROVED if published else next(states)
            _load_entry(
                issue, section, entry_position, {**entry_data, "state": state}, authors, users
            )
    if published and not issue.is_public:
        Issue.objects.filter(pk=issue.pk).update(state=Issue.State.APPROVED)
        issue_publish(issue=issue, user=users["publisher"], now=parse_datetime(published_at))


def _load_entry(issue, section, position, data, authors, users):
    if issue.is_public:
        return  # what was published stays as published; change it through a correction
    fields = dict(data, created_by=users["author"], last_edited_by=users["author"])
    links = fields.pop("links")
    commentary = fields.pop("commentary", None)
    jurisdictions = fields.pop("jurisdictions", [])
    tags = fields.pop("tags", [])
    if fields.get("published_on"):
        fields["published_on"] = parse_date(fields["published_on"])
    entry = _upsert(Entry, {"section": section, "position": position}, {"issue": issue, **fields})
    entry.full_clean()
    entry.jurisdictions.set(Jurisdiction.objects.filter(code__in=jurisdictions))
    entry.tags.set(tags)
    for link_position, link in enumerate(links, start=1):
        _upsert(EntryLink, {"entry": entry, "position": link_position}, link).full_clean()
    entry.links.filter(position__gt=len(links)).delete()
    if commentary:
        note = _upsert(Commentary, {"entry": entry}, {"body": commentary["body"]})
        note.authors.set([authors[slug] for slug in commentary["authors"]])
    else:
        Commentary.objects.filter(entry=entry).delete()


def _load_users(authors) -> tuple[list[DemoLogin], dict]:
    User = get_user_model()
    logins, users = [], {}
    for username, role in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username, defaults={"is_staff": True, "email": f"{username}@example.com"}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        user.groups.set([Group.objects.get(name=role)])
        users[username] = user
        logins.append(DemoLogin(username, DEMO_PASSWORD, role))
    author_user = User.objects.get(username="author")
    author_profile = authors[content.AUTHORS[-1]["slug"]]
    if author_profile.user_id is None:
        Author.objects.filter(user=author_user).update(user=None)
        author_profile.user = author_user
        author_profile.save(update_fields=["user"])
    admin, created = User.objects.get_or_create(
        username="admin", defaults={"is_staff": True, "is_superuser": True}
    )
    if created:
        admin.set_password(DEMO_PASSWORD)
        admin.save()
    logins.append(DemoLogin("admin", DEMO_PASSWORD, "superuser"))
    return logins, users
