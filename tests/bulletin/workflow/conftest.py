"""Fixtures of the workflow tests: one user per role, and an entry by the author."""

import pytest

from tests.bulletin.workflow.helpers import ROLES
from tests.factories import EntryFactory, UserFactory


@pytest.fixture
def users():
    return {role: UserFactory(username=role, roles=[role.capitalize()]) for role in ROLES}


@pytest.fixture
def entry(users):
    return EntryFactory(created_by=users["author"], last_edited_by=users["author"])
