"""Load the demo bulletin, its authors and one user per role; running it again changes nothing.

The content is a set of transfer documents (bulletin/demo/*.json, one issue each, as
`export_issue --all` writes them), imported through the same service as the admin and
`import_issue`. What the format does not carry is done here through the workflow services: the
demo's users, and each issue brought to the state its document's "source" names. An issue that
is no longer a draft (published, or moved on in the demo) is left as it is, as an import would.
An issue's translation sits beside it as <issue>.<language>.json (format
"bulletin-cms.translation", keyed by positions); it is not an issue document. It is loaded into
approved translations of the issue, its bulletin, authors, tags and places: the demo editor
translates, the demo reviewer approves, through the translation services. A unit that has a
translation already (a person edited it in the demo, or the loader ran before) is left as it is.
"""

import json
from dataclasses import dataclass
from itertools import cycle
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.dateparse import parse_datetime

from bulletin.identity import firm_identity_save
from bulletin.models import Issue
from bulletin.roles import ensure_roles
from bulletin.services.editions import issue_publish_edition
from bulletin.services.publishing import issue_publish
from bulletin.services.workflow import entry_transition, issue_transition
from bulletin.transfer.services import issue_import_document
from bulletin.translation.positions import match_document
from bulletin.translation.services import translation_get, translation_save, translation_transition
from bulletin.translation.units import SIMPLE_KINDS, kind_of
from entries.models import Entry
from people.models import Author

DEMO_DIR = Path(__file__).resolve().parent
DEMO_PASSWORD = "demo-password-2024"  # noqa: S105 - printed for the local demo only
DEMO_USERS = [
    ("author", "Author"),
    ("editor", "Editor"),
    ("reviewer", "Reviewer"),
    ("publisher", "Publisher"),
    ("partner", "Partner"),
]
# The demo's author account is this author's login, so the profile pages show a linked user.
AUTHOR_PROFILE = "lu-zhiyuan"


@dataclass
class DemoLogin:
    username: str
    password: str
    role: str


# The draft issue shows the workflow under way: its entries, in reading order, cycle through
# these states, each reached from draft by these (user, action) steps.
DRAFT_ISSUE_ENTRY_STATES = ["in_review", "changes_requested", "draft", "approved"]
STEPS = {
    Entry.State.DRAFT: [],
    Entry.State.IN_REVIEW: [("author", "submit")],
    Entry.State.CHANGES_REQUESTED: [("author", "submit"), ("reviewer", "request_changes")],
    Entry.State.APPROVED: [("author", "submit"), ("reviewer", "approve")],
}
REVIEW_COMMENT = "请补充案件的最新进展和起诉状链接后再提交。"
# A fictitious firm: its name, mark, colour and footer on every public page.
DEMO_FIRM = {
    "name": "衡川律师事务所",
    "name_en": "Hengchuan Law Offices",
    "colour": "#7a1f2b",
    "address": "北京市朝阳区示例路 88 号衡川大厦 18 层",
    "address_en": "18/F Hengchuan Tower, 88 Example Road, Chaoyang District, Beijing",
    "phone": "+86 10 5555 0100",
    "email": "bulletin@hengchuan-law.example",
    "website": "https://hengchuan-law.example",
    "disclaimer": (
        "本网站内容仅供一般参考，不构成衡川律师事务所的法律意见。"
        "如需就具体事项获得建议，请联系本所律师。"
    ),
    "disclaimer_en": (
        "The content of this site is for general information only and is not legal advice from "
        "Hengchuan Law Offices. Please contact our lawyers for advice on a specific matter."
    ),
    "privacy_url": "https://hengchuan-law.example/privacy",
}


def demo_documents() -> list[Path]:
    """The demo's issue documents, in the order of their issues (not their translations)."""
    return sorted(path for path in DEMO_DIR.glob("*.json") if len(path.suffixes) == 1)


def demo_translations() -> list[Path]:
    """The translations of the demo's issues (<issue>.<language>.json)."""
    return sorted(path for path in DEMO_DIR.glob("*.*.json"))


@transaction.atomic
def load_demo() -> list[DemoLogin]:
    """Create or update everything of the demo; return the logins to print.
    Raises ImportFailed (with its report) if a document does not import."""
    ensure_roles()
    logins, users = _load_users()
    for path in demo_documents():
        _load_issue(path, users)
    for path in demo_translations():
        _load_translation(path, users)
    _link_author_profile(users["author"])
    mark = (DEMO_DIR / "mark.svg").read_bytes()
    firm_identity_save(user=users["publisher"], mark=mark, **DEMO_FIRM)
    return logins


def _load_issue(path: Path, users: dict) -> None:
    document = json.loads(path.read_text(encoding="utf-8"))
    existing = Issue.objects.filter(
        bulletin__slug=document["bulletin"]["slug"], slug=document["issue"]["slug"]
    ).first()
    if existing is not None and existing.state != Issue.State.DRAFT:
        return  # an import may only update a draft; the rest changes through the workflow
    # As `import_issue` without --user: the command line may create the bulletin and authors.
    issue = issue_import_document(data=document, replace=True, source=path.name).issue
    _hand_over(issue, users)
    source = document.get("source") or {}
    if source.get("state") == Issue.State.PUBLISHED:
        _publish(issue, users, parse_datetime(source["published_at"]))
    else:
        _stage_entries(issue, users)


def _load_translation(path: Path, users: dict) -> None:
    """The issue's translation, unit by unit, each translated by the editor and approved by the
    reviewer (a unit translated already is left as it is); a published issue's edition in that
    language is then published by the publisher, once."""
    document = json.loads(path.read_text(encoding="utf-8"))
    source = json.loads((DEMO_DIR / document["source"]).read_text(encoding="utf-8"))
    issue = Issue.objects.get(
        bulletin__slug=source["bulletin"]["slug"], slug=source["issue"]["slug"]
    )
    language = document["language"]
    matched = match_document(issue=issue, document=document)
    if matched.unmatched:
        raise ValueError(f"{path.name}: not in the issue: {', '.join(matched.unmatched)}")
    for unit in matched.units:
        if translation_get(subject=unit.subject, language=language) is not None:
            continue
        translation = translation_save(
            subject=unit.subject,
            language=language,
            texts=unit.texts,
            user=users["editor"],
            version=None,
        )
        if kind_of(unit.subject) not in SIMPLE_KINDS:
            translation = translation_transition(
                translation=translation, user=users["editor"], action="submit"
            )
            translation_transition(
                translation=translation, user=users["reviewer"], action="approve"
            )
    if issue.state in Issue.PUBLIC_STATES and issue.current_edition(language) is None:
        issue_publish_edition(issue=issue, user=users["publisher"], language=language)


def _hand_over(issue: Issue, users: dict) -> None:
    """What the import created has no creator (it ran from the command line): in the demo the
    editor made the issue and the author wrote the entries, so the author account has entries
    of its own to submit. Rows someone created in the demo keep their creator."""
    editor, author = users["editor"], users["author"]
    Issue.objects.filter(pk=issue.pk, created_by=None).update(
        created_by=editor, last_edited_by=editor
    )
    issue.entries.filter(created_by=None).update(created_by=author, last_edited_by=author)


def _publish(issue: Issue, users: dict, when) -> None:
    """Through the whole review: the author submits, the reviewer approves the entries and the
    issue, the publisher publishes it at the time the document gives."""
    for entry in issue.entries.filter(state__in=[Entry.State.DRAFT, Entry.State.CHANGES_REQUESTED]):
        entry_transition(entry=entry, user=users["author"], action="submit")
    for entry in issue.entries.filter(state=Entry.State.IN_REVIEW):
        entry_transition(entry=entry, user=users["reviewer"], action="approve")
    issue_transition(issue=issue, user=users["editor"], action="submit")
    issue_transition(issue=issue, user=users["reviewer"], action="approve")
    issue_publish(issue=issue, user=users["publisher"], now=when)


def _stage_entries(issue: Issue, users: dict) -> None:
    """Each draft entry of the draft issue to its demo state; an entry someone moved stays."""
    entries = issue.entries.order_by("section__position", "position")
    for entry, state in zip(entries, cycle(DRAFT_ISSUE_ENTRY_STATES), strict=False):
        if entry.state != Entry.State.DRAFT:
            continue
        for username, action in STEPS[state]:
            comment = REVIEW_COMMENT if action == "request_changes" else ""
            entry_transition(entry=entry, user=users[username], action=action, comment=comment)


def _load_users() -> tuple[list[DemoLogin], dict]:
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
    admin, created = User.objects.get_or_create(
        username="admin", defaults={"is_staff": True, "is_superuser": True}
    )
    if created:
        admin.set_password(DEMO_PASSWORD)
        admin.save()
    logins.append(DemoLogin("admin", DEMO_PASSWORD, "superuser"))
    return logins, users


def _link_author_profile(user) -> None:
    profile = Author.objects.filter(slug=AUTHOR_PROFILE).first()
    if profile is not None and profile.user_id is None:
        Author.objects.filter(user=user).update(user=None)
        profile.user = user
        profile.save(update_fields=["user"])
