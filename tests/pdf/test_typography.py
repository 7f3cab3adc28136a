"""The PDF's share of the Chinese typesetting rules: the cover names the issue once, a title's
last two characters are joined, and the bookmarks are the titles as written."""

import pytest

from bulletin.pdf.document import document_html
from bulletin.snapshot import hydrate, issue_for_snapshot, issue_snapshot
from tests.pdf.builders import rich_issue

pytestmark = pytest.mark.django_db
WORD_JOINER = "\u2060"


def _html(**kwargs) -> str:
    issue = rich_issue(number=1, year=2024, month=8, **kwargs)
    content = hydrate(issue_snapshot(issue_for_snapshot(issue.pk), published_at=None))
    return document_html(content)


def cover(html: str) -> str:
    return html[html.index('<section class="cover"') : html.index("</section>")]


def test_the_cover_names_the_issue_once():
    page = cover(_html(title="人工智能监管专刊"))
    assert "2024 年 8 月刊 · 第 1 期" in page
    assert "2024 年第 8 期" not in page and "2024-08" not in page


def test_a_title_that_only_names_the_period_is_not_repeated_on_the_cover():
    page = cover(_html(title="2024 年 8 月刊"))
    assert '<h1 class="cover-title">2024 年 8 月刊 · 第 1 期</h1>' in page
    assert page.split(">", 1)[1].count("8 月刊") == 1  # after the section's aria-label


def test_entry_titles_join_their_last_two_characters_but_not_their_bookmarks():
    html = _html()
    assert f"修订文{WORD_JOINER}本</h3>" in html
    assert 'data-bookmark="1. 欧盟理事会通过《产品责任指令》修订文本"' in html
