"""An issue's share card: 1200×630, named by what it shows, public only once published."""

import io

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from PIL import Image

from bulletin import cards
from tests.factories import IssueFactory, published_issue

pytestmark = pytest.mark.django_db

LONG_MIXED = ("关于《生成式人工智能服务管理暂行办法》的 GDPR adequacy 合规解读 " * 10)[:300]
LONG_WORD = "https://example.org/" + "x" * 180


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def card_path(issue, key="0") -> str:
    return reverse("issue_card", args=[issue.bulletin.slug, issue.slug, key])


def _size(png: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(png)) as image:
        assert image.format == "PNG"
        return image.size


def _source(title: str) -> cards.CardSource:
    return cards.CardSource("ai", "2024-08", title, "人工智能法律月刊", "2024 年 9 月 5 日")


@pytest.mark.parametrize(
    "title",
    ["2024 年 8 月刊", LONG_MIXED, LONG_WORD, f"见 {LONG_WORD} 的公告", "短"],
    ids=["short", "300-mixed", "200-char-word", "word-inside-cjk", "one-char"],
)
def test_a_card_of_any_title_is_a_1200_by_630_png(title):
    png = cards.render_card(title=title, bulletin_name="人工智能法律月刊", date_label="2024")
    assert _size(png) == (1200, 630)


def test_a_card_takes_a_mark_image():
    mark = io.BytesIO()
    Image.new("RGBA", (400, 200), "#c00").save(mark, format="PNG")
    plain = cards.render_card(title="标题", bulletin_name="刊物", date_label="2024")
    marked = cards.render_card(
        title="标题", bulletin_name="刊物", date_label="2024", mark=mark.getvalue()
    )
    assert _size(marked) == (1200, 630)
    assert marked != plain


def test_different_titles_have_different_keys_and_equal_ones_the_same():
    assert cards.card_key(_source("甲")) != cards.card_key(_source("乙"))
    assert cards.card_key(_source("甲")) == cards.card_key(_source("甲"))
    assert cards.card_key(_source("甲"), "a1b2c3") != cards.card_key(_source("甲"))


def test_a_long_title_steps_down_and_ends_with_an_ellipsis():
    font, lines = cards._fit_title(LONG_MIXED, 1056)
    assert font.size == min(cards.TITLE_SIZES)
    assert lines[-1].endswith(cards.ELLIPSIS)
    assert all(font.getlength(line) <= 1056 for line in lines)
    short_font, short_lines = cards._fit_title("2024 年 8 月刊", 1056)
    assert short_font.size == max(cards.TITLE_SIZES) and short_lines == ["2024 年 8 月刊"]


def test_lines_break_between_cjk_characters_not_inside_latin_words():
    font = cards._font("Bold", 80)
    lines = cards.wrap(font, "人工智能 governance framework 与数据合规的最新进展综述", 700)
    assert len(lines) > 1
    words = " ".join(lines).split()
    assert "governance" in words and "framework" in words


def test_no_cjk_character_stands_alone_on_the_last_line():
    font = cards._font("Bold", 80)
    for length in range(8, 40):
        title = ("最高人民法院关于审理案件适用法律若干问题的规定" * 2)[:length]
        lines = cards.wrap(font, title, 1056)
        assert "".join(lines) == title
        if len(lines) > 1:
            assert len(lines[-1]) >= 2, lines


def test_closing_punctuation_never_starts_a_line():
    font = cards._font("Bold", 80)
    for length in range(10, 30):
        title = "数据" * length + "，规定。"
        assert not any(line[0] in cards.CLOSING for line in cards.wrap(font, title, 1056))


def test_the_card_of_a_published_issue_is_served_and_stored(client, media):
    issue = published_issue(title="2024 年 8 月刊")
    key = cards.card_key(cards.card_source(pk=issue.pk))
    response = client.get(card_path(issue, key))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert _size(response.content) == (1200, 630)
    assert "immutable" in response["Cache-Control"]
    assert response["ETag"] == f'"{key}"'
    assert default_storage.exists(f"cards/{key}.png")
    again = client.get(card_path(issue, key), headers={"If-None-Match": f'"{key}"'})
    assert again.status_code == 304 and again.content == b""
    assert client.head(card_path(issue, key)).status_code == 200
    assert [p.name for p in media.rglob("*.png")] == [f"{key}.png"]  # drawn once


def test_an_old_key_is_sent_on_to_the_current_card(client):
    issue = published_issue(title="2024 年 8 月刊")
    key = cards.card_key(cards.card_source(pk=issue.pk))
    response = client.get(card_path(issue, "0123456789abcdef0123"))
    assert response.status_code == 302
    assert response["Location"] == card_path(issue, key)


def test_a_draft_issue_has_no_card_and_its_title_does_not_leak(client, media):
    draft = IssueFactory(title="草稿期标题 SECRET")
    source = cards.CardSource(draft.bulletin.slug, draft.slug, draft.title, "刊物", "2024")
    response = client.get(card_path(draft, cards.card_key(source)))
    assert response.status_code == 404
    assert "SECRET" not in response.content.decode()
    assert not list(media.rglob("*.png"))
    published = published_issue(title="公开期")
    key = cards.card_key(cards.card_source(pk=published.pk))
    assert client.get(card_path(published, key)).status_code == 200
