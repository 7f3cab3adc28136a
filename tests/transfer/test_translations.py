"""An issue's translations travel in its JSON document, keyed by positions (not database ids),
with their states, and come back on import: round trips over generated issues with varied
translations (every state, outdated, partial texts, links with and without labels,
commentaries), and the rules of the import (an approval kept only for a reviewer or the command
line; what is not in the issue reported, never guessed)."""

import copy
import random

import pytest

from bulletin.transfer.document import issue_export
from bulletin.transfer.services import issue_import_document
from bulletin.translation.models import Translation
from tests.factories import (
    CommentaryFactory,
    EntryFactory,
    EntryLinkFactory,
    IssueFactory,
    SectionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
T = Translation.State
STATES = ["missing", T.DRAFT, T.IN_REVIEW, T.CHANGES_REQUESTED, T.APPROVED, "outdated"]


def generated_issue(seed: int):
    """An issue of 1–3 sections of 1–4 entries, each translated (or not) in a random state."""
    rng = random.Random(seed)
    issue = IssueFactory(slug=f"gen-{seed}", editors_note="<p>编者按。</p>")
    texts = {"title": f"Issue {seed}", "editors_note": "<p>Editor's note.</p>"}
    for s in range(1, rng.randint(1, 3) + 1):
        section = SectionFactory(issue=issue, position=s, title=f"栏目{seed}-{s}")
        if rng.random() < 0.8:
            texts[f"section:{section.pk}"] = f"Section {s}"
        for e in range(1, rng.randint(1, 4) + 1):
            _generated_entry(rng, section, e)
    _translation(issue=issue, texts=texts, state=rng.choice(STATES[1:]))
    return issue


def _generated_entry(rng, section, position):
    entry = EntryFactory(section=section, position=position, title=f"条目 {position}")
    texts = {"title": f"Entry {position} of {section.position}", "source": "Regulator"}
    for p in range(1, rng.randint(0, 3) + 1):
        link = EntryLinkFactory(entry=entry, position=p, label=rng.choice(["", f"链接{p}"]))
        if link.label and rng.random() < 0.7:
            texts[f"link:{link.pk}"] = f"Link {p} <b>&amp;</b>"
    if rng.random() < 0.5:
        CommentaryFactory(entry=entry, body="<p>短评。</p>")
        texts["commentary"] = f"<p>Comment {rng.randint(1, 99)}.</p>"
    texts["summary"] = "<p>Summary <strong>here</strong>.</p>"
    state = rng.choice(STATES)
    if state == T.DRAFT and rng.random() < 0.5:
        texts = {"title": texts["title"]}  # a draft half done
    if state != "missing":
        _translation(entry=entry, texts=texts, state=state)


def _translation(*, texts, state, **subject):
    outdated = state == "outdated"
    state = T.APPROVED if outdated else state
    Translation.objects.create(
        **subject,
        language="en",
        texts=texts,
        state=state,
        outdated=outdated,
        approved_source={} if state == T.APPROVED else None,
    )


def positional(document: dict) -> dict:
    """The translations of an export as they must come back: texts, state and outdated by
    position; who did it and the history are the importing site's."""
    found = copy.deepcopy(document["translations"])
    for translation in found.values():
        for unit in _units(translation):
            review = unit.pop("review", None)
            if review:
                unit["state"], unit["outdated"] = review["state"], review["outdated"]
    return found


def _units(translation: dict):
    yield translation["bulletin"]
    yield translation["issue"]
    for section in translation["issue"]["sections"]:
        yield from section["entries"]
    yield from translation["authors"].values()


@pytest.mark.parametrize("seed", range(8))
def test_translations_round_trip_by_position_with_their_states(seed):
    exported = issue_export(issue=generated_issue(seed))
    assert set(exported["translations"]) == {"en"}
    copied = issue_import_document(data=exported, user=None, slug="copy", number=999).issue
    again = issue_export(issue=copied)
    assert positional(again) == positional(exported)
    # Keyed by positions: no id of the source issue is in the document.
    text = str(exported["translations"])
    assert "link:" not in text and "section:" not in text
    assert Translation.objects.filter(entry__issue=copied).count() == (
        Translation.objects.filter(entry__issue__slug=f"gen-{seed}").count()
    )


def test_every_state_is_in_the_generated_translations():
    states = set()
    for seed in range(8):
        generated_issue(seed)
    for row in Translation.objects.filter(entry__isnull=False):
        states.add("outdated" if row.outdated else row.state)
    assert states == set(STATES) - {"missing"}


def test_an_editor_importing_an_approved_translation_sends_it_to_review():
    issue = generated_issue(3)
    entry = issue.entries.first()
    Translation.objects.filter(entry=entry).delete()
    _translation(entry=entry, texts={"title": "Approved"}, state=T.APPROVED)
    exported = issue_export(issue=issue)
    editor = UserFactory(roles=["Editor"])
    copied = issue_import_document(data=exported, user=editor, slug="copy", number=999).issue
    twin = copied.entries.get(section__position=entry.section.position, position=entry.position)
    row = Translation.objects.get(entry=twin)
    assert (row.state, row.texts["title"]) == (T.IN_REVIEW, "Approved")
    assert row.events.get().action == "import"
    reviewer = UserFactory(roles=["Editor", "Reviewer"])
    copied = issue_import_document(data=exported, user=reviewer, slug="copy2", number=998).issue
    twin = copied.entries.get(section__position=entry.section.position, position=entry.position)
    assert Translation.objects.get(entry=twin).state == T.APPROVED


def test_what_is_not_in_the_issue_is_reported_and_the_rest_imported():
    issue = generated_issue(1)
    exported = issue_export(issue=issue)
    english = exported["translations"]["en"]
    english["issue"]["sections"][0]["entries"].append({"position": 77, "title": "Ghost"})
    result = issue_import_document(data=exported, user=None, slug="copy", number=999)
    assert "entry 1.77 is not in this issue" in result.report.as_text()
    assert Translation.objects.filter(entry__issue=result.issue).exists()
    assert not Translation.objects.filter(texts__title="Ghost").exists()


def test_hostile_translated_html_is_sanitized_on_import():
    issue = generated_issue(2)
    exported = issue_export(issue=issue)
    english = exported["translations"]["en"]
    english["issue"]["editors_note"] = "<p>Note<script>alert(1)</script></p>"
    copied = issue_import_document(data=exported, user=None, slug="copy", number=999).issue
    note = Translation.objects.get(issue=copied).texts["editors_note"]
    assert "Note" in note and "script" not in note


def test_a_malformed_translations_block_is_refused_with_a_message():
    exported = issue_export(issue=generated_issue(4))
    exported["translations"] = ["not", "an", "object"]
    with pytest.raises(Exception, match="translations"):
        issue_import_document(data=exported, user=None, slug="copy", number=999)


def test_a_hostile_translation_document_imports_what_it_can_and_never_crashes():
    exported = issue_export(issue=generated_issue(5))
    english = exported["translations"]["en"]
    english["issue"]["sections"] = [
        7,
        {"position": "x", "entries": "no"},
        *english["issue"]["sections"],
    ]
    english["authors"] = {"nobody": "text", "x": 5}
    english["tags"] = ["a"]
    english["bulletin"] = "name"
    exported["translations"]["fr"] = {"issue": {"title": "Numéro"}}
    result = issue_import_document(data=exported, user=None, slug="copy", number=999)
    assert Translation.objects.filter(issue=result.issue).exists()
    assert "translation “fr” ignored" in result.report.as_text()


def test_the_export_of_translations_does_not_grow_with_entries():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for seed, size in ((20, 1), (21, 12)):
        issue = IssueFactory(slug=f"q-{seed}")
        section = SectionFactory(issue=issue, position=1)
        for n in range(1, size + 1):
            entry = EntryFactory(section=section, position=n)
            EntryLinkFactory(entry=entry, position=1, label="链接")
            _translation(entry=entry, texts={"title": f"E{n}"}, state=T.APPROVED)
        with CaptureQueriesContext(connection) as queries:
            exported = issue_export(issue=issue)
        assert len(exported["translations"]["en"]["issue"]["sections"][0]["entries"]) == size
        counts.append(len(queries))
    assert counts[1] <= counts[0]  # the first may also fill a cache (content types)
