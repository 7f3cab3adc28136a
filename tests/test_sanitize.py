"""Every rich-text field is sanitized on the server, whichever way it is written."""

import pytest

from core.fields import sanitize_rich_text
from tests.factories import (
    AuthorFactory,
    BulletinFactory,
    CommentaryFactory,
    EntryFactory,
    IssueFactory,
)

pytestmark = pytest.mark.django_db

HOSTILE = (
    '<p onclick="steal()">Hi<script>alert(1)</script></p>'
    '<img src=x onerror="alert(2)">'
    '<a href="javascript:alert(3)">bad</a>'
    '<a href="https://example.org/ok" style="color:red">good</a>'
    '<iframe src="https://evil.example"></iframe>'
    '<p style="position:fixed">styled</p>'
    "<svg><script>alert(4)</script></svg>"
)
FORBIDDEN = ["<script", "onclick", "onerror", "javascript:", "<iframe", "<img", "style=", "<svg"]


def assert_clean(html):
    for needle in FORBIDDEN:
        assert needle not in html.lower(), (needle, html)
    assert '<a href="https://example.org/ok">good</a>' in html


def test_sanitizer_keeps_what_the_editor_makes():
    html = (
        "<h3>标题</h3><p><strong>粗</strong><em>斜</em></p>"
        '<ol><li><p>一</p><ol type="a"><li><p>甲</p></li></ol></li></ol>'
        "<ul><li><p>点</p></li></ul><blockquote><p>引</p></blockquote>"
        '<p><a href="https://example.org/x">链接</a></p>'
    )
    assert sanitize_rich_text(html) == html


@pytest.mark.parametrize(
    ("factory", "field"),
    [
        (EntryFactory, "summary"),
        (CommentaryFactory, "body"),
        (IssueFactory, "editors_note"),
        (BulletinFactory, "disclaimer"),
        (AuthorFactory, "experience"),
        (AuthorFactory, "representative_matters"),
        (AuthorFactory, "honours"),
    ],
)
def test_hostile_html_is_cleaned_on_save(factory, field):
    obj = factory(**{field: HOSTILE})
    obj.refresh_from_db()
    assert_clean(getattr(obj, field))
