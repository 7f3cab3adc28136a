"""The issue review page with both languages side by side (?beside=en): each text of an entry
beside its translation, whatever the translation's state, with a badge saying what it is."""

import re

import pytest
from django.urls import reverse

from bulletin.translation.models import Translation
from bulletin.translation.services import translation_save, translation_transition
from tests.translation.conftest import english

pytestmark = pytest.mark.django_db
T = Translation.State


def as_user(client, user, language="en"):
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    return client


def review(client, entry, **query) -> str:
    url = reverse("admin:bulletin_issue_review", args=[entry.issue_id])
    response = client.get(url, query)
    assert response.status_code == 200
    return response.content.decode()


def entries_part(page: str) -> str:
    """The page from its first section of entries on (the issue's own texts come before)."""
    return page.split('<section class="review-section" id="section-', 1)[1]


def issue_part(page: str) -> str:
    """The side-by-side block of the issue's own texts."""
    return page.split('class="review-section review-issue-texts"', 1)[1].split("</section>", 1)[0]


def pairs(page: str) -> list[tuple[str, str]]:
    """Each row of an entry's side-by-side grid: (source cell, translation cell), as HTML."""
    return grid(entries_part(page))


def grid(page: str) -> list[tuple[str, str]]:
    """Each row of the side-by-side grids of a part of the page."""
    cells = re.findall(
        r'<div class="review-side__(source|target)"[^>]*>(.*?)</div>\n', page, flags=re.S
    )
    assert [side for side, _html in cells] == ["source", "target"] * (len(cells) // 2)
    return [(cells[i][1], cells[i + 1][1]) for i in range(0, len(cells), 2)]


def badge(page: str) -> str:
    heading = entries_part(page).split('review-side__heading--target">')[1]
    return re.search(r'class="review-state review-state--(\w+)">', heading)[1]


def test_each_text_stands_beside_its_draft_translation(client, users, entry):
    translation_save(
        subject=entry, language="en", texts=english(entry), user=users["editor"], version=None
    )
    page = review(as_user(client, users["reviewer"]), entry, beside="en")
    rows = pairs(page)
    wanted = [
        ("关于生成式人工智能的规定", "Provisions on Generative AI"),
        (entry.source, "Regulator&#x27;s website"),
        ("<strong>生效</strong>", "the rules take <strong>effect</strong>"),
        ("官方原文", "Official text"),
        ("本所认为值得关注", "We think it matters."),
    ]
    assert len(rows) == len(wanted)
    for (source, target), (chinese, translated) in zip(rows, wanted, strict=True):
        assert chinese in source and translated in target
    assert badge(page) == "draft"
    assert 'lang="zh-Hans"' in page and 'lang="en"' in page


def test_an_entry_without_translation_is_marked_missing(client, users, entry):
    page = review(as_user(client, users["reviewer"]), entry, beside="en")
    assert badge(page) == "missing"
    rows = pairs(page)
    assert "关于生成式人工智能的规定" in rows[0][0]
    assert all("Not translated yet." in target for _source, target in rows)


def test_approved_then_outdated_translations_say_so(client, users, entry):
    row = translation_save(
        subject=entry, language="en", texts=english(entry), user=users["translator"], version=None
    )
    row = translation_transition(translation=row, user=users["translator"], action="submit")
    row = translation_transition(translation=row, user=users["reviewer"], action="approve")
    as_user(client, users["reviewer"])
    assert badge(review(client, entry, beside="en")) == "approved"
    Translation.objects.filter(pk=row.pk).update(outdated=True)
    page = review(client, entry, beside="en")
    assert badge(page) == "outdated" and "Provisions on Generative AI" in page


def test_a_machine_draft_is_marked_on_the_entry_and_on_each_unedited_text(client, users, entry):
    texts = english(entry)
    Translation.objects.create(
        entry=entry,
        language="en",
        texts={**texts, "title": "Rules on generative AI"},
        machine={"title": "Provisions on Generative AI", "summary": texts["summary"]},
    )
    page = review(as_user(client, users["reviewer"]), entry, beside="en")
    assert badge(page) == "machine"
    marked = [target for _source, target in pairs(page) if "machine-mark" in target]
    assert len(marked) == 1 and "effect" in marked[0]  # the title was edited by a person
    assert "Rules on generative AI" in page


def test_translated_text_is_escaped_and_rich_text_sanitized(client, users, entry):
    Translation.objects.create(
        entry=entry,
        language="en",
        texts={
            "title": "<script>alert(1)</script>Rules",
            "summary": '<p>Safe <img src="x" onerror="alert(2)"><script>alert(3)</script></p>',
        },
    )
    page = review(as_user(client, users["reviewer"]), entry, beside="en")
    rows = pairs(page)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;Rules" in rows[0][1]
    assert "<p>Safe" in rows[2][1]
    assert "onerror" not in rows[2][1] and "alert(3)" not in rows[2][1]


def test_the_single_language_review_stays_the_default(client, users, entry):
    translation_save(
        subject=entry, language="en", texts=english(entry), user=users["editor"], version=None
    )
    page = review(as_user(client, users["reviewer"]), entry)
    assert 'class="review-entry__body"' in page and "关于生成式人工智能的规定" in page
    assert "review-side" not in page and "Provisions on Generative AI" not in page
    assert "?beside=en" in page  # the switch to both languages
    assert "review-side" not in review(client, entry, beside="xx")  # no such language


def test_the_zh_admin_names_the_languages_in_chinese(client, users, entry):
    page = review(as_user(client, users["reviewer"], "zh-hans"), entry, beside="en")
    assert "review-side__target" in page
    assert "英语" in page or "英文" in page


def test_an_action_on_an_entry_comes_back_to_both_languages(client, users, entry):
    as_user(client, users["reviewer"])
    url = reverse("admin:bulletin_issue_review_entry", args=[entry.issue_id, entry.pk])
    response = client.post(
        url,
        {"action": "request_changes", "comment": "请补充", "seen": "", "beside": "en"},
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"?beside=en#entry-{entry.pk}")


def test_the_issues_own_texts_stand_beside_their_translation_at_the_top(client, users, entry):
    issue = entry.issue
    issue.editors_note = "<p>本期<strong>要点</strong>。</p>"
    issue.save()
    section = entry.section
    Translation.objects.create(
        issue=issue,
        language="en",
        texts={
            "title": "<script>alert(1)</script>Issue",
            "editors_note": '<p>Key <img src="x" onerror="alert(2)">points</p>',
            f"section:{section.pk}": "Regulations & Rules",
        },
    )
    page = review(as_user(client, users["reviewer"]), entry, beside="en")
    top = issue_part(page)
    assert "review-side--issue" in top
    assert re.search(r'class="review-state review-state--(\w+)">', top)[1] == "draft"
    translate = reverse("admin:translation_translation_translate", args=["issue", issue.pk, "en"])
    assert f'href="{translate}"' in top
    assert client.get(translate).status_code == 200
    rows = grid(top)
    assert rows[0][0].count(issue.title) == 1
    assert "&lt;script&gt;alert(1)&lt;/script&gt;Issue" in rows[0][1]
    assert "<strong>要点</strong>" in rows[1][0] and "<p>Key" in rows[1][1]
    assert "onerror" not in rows[1][1] and "<script" not in top
    assert section.title in rows[-1][0] and "Regulations &amp; Rules" in rows[-1][1]
    assert f"Section {section.position}: " in rows[-1][0]
    assert page.index("review-issue-texts") < page.index('id="section-')
    assert badge(page) == "missing"  # the entry's own translation, below


def test_the_issues_texts_without_translation_are_marked_missing(client, users, entry):
    page = review(as_user(client, users["reviewer"]), entry, beside="en")
    top = issue_part(page)
    assert re.search(r'class="review-state review-state--(\w+)">', top)[1] == "missing"
    rows = grid(top)
    assert entry.issue.title in rows[0][0]
    assert rows and all("Not translated yet." in target for _source, target in rows)
    assert "review-issue-texts" not in review(client, entry)  # the source alone: no grid
