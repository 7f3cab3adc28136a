"""Fixtures of the translation tests: one user per role (and a second author), and an entry with
a labelled link and a commentary."""

import pytest

from tests.factories import CommentaryFactory, EntryFactory, EntryLinkFactory, UserFactory

ROLES = ["author", "editor", "reviewer", "publisher", "partner"]


@pytest.fixture
def users():
    found = {role: UserFactory(username=role, roles=[role.capitalize()]) for role in ROLES}
    found["translator"] = UserFactory(username="translator", roles=["Author"])
    found["reviewer2"] = UserFactory(username="reviewer2", roles=["Reviewer", "Author"])
    return found


@pytest.fixture
def entry(users):
    entry = EntryFactory(
        created_by=users["author"],
        last_edited_by=users["author"],
        title="关于生成式人工智能的规定",
        summary="<p>摘要：规定<strong>生效</strong>。</p>",
    )
    EntryLinkFactory(entry=entry, label="官方原文", position=1)
    EntryLinkFactory(entry=entry, label="", position=2)
    CommentaryFactory(entry=entry, body="<p>本所认为值得关注。</p>")
    return entry


def english(entry) -> dict[str, str]:
    """A complete English translation of the entry fixture's texts."""
    link = entry.links.get(position=1)
    return {
        "title": "Provisions on Generative AI",
        "source": "Regulator's website",
        "summary": "<p>Summary: the rules take <strong>effect</strong>.</p>",
        f"link:{link.pk}": "Official text",
        "commentary": "<p>We think it matters.</p>",
    }
