"""Fixtures of the publishing tests: one user per role, and an entry by the author."""

import pytest

from tests.factories import EntryFactory, UserFactory

ROLES = ["author", "editor", "reviewer", "publisher", "partner"]


@pytest.fixture
def users():
    return {role: UserFactory(username=role, roles=[role.capitalize()]) for role in ROLES}


@pytest.fixture
def entry(users):
    return EntryFactory(created_by=users["author"], last_edited_by=users["author"])
