"""A few generated back issues (tests/transfer/corpus.py) imported into the database and
exported again: what was written is the issue the text printed."""

import pytest

from bulletin.transfer.services import issue_export_document, issue_import_text
from tests.factories import BulletinFactory
from tests.transfer.corpus import generate, mismatches

pytestmark = pytest.mark.django_db

FOOTER = {"disclaimer", "contact_email", "firm_name", "team_name", "team", "writers"}


@pytest.mark.parametrize("seed", [1, 2, 3, 5, 8])
def test_a_generated_issue_written_and_exported_is_the_printed_issue(seed):
    issue = generate(seed)
    bulletin = BulletinFactory(
        name=issue.name,
        firm_name=issue.firm,
        team_name="",
        commentary_label="编者评论",
        disclaimer="",
        contact_email="",
    )
    result = issue_import_text(bulletin=bulletin, text=issue.text)
    exported = issue_export_document(issue=result.issue)
    found = [m for m in mismatches(issue, exported, []) if m[0].split()[0] not in FOOTER]
    # The profiles are compared by the parse tests; here the authors are rows with slugs.
    assert [m for m in found if not m[0].startswith("profile")] == []
    assert result.issue.commentary_label == issue.label
    bulletin.refresh_from_db()
    assert (bulletin.contact_email, bulletin.team_name) == (issue.email, issue.team_name)
