"""Rich text shown read-only and compared: the marks sit on exactly the characters that changed,
never split a tag, keep the HTML valid, and text never becomes markup."""

import random
import re
from html.parser import HTMLParser

import pytest

from core.richtext import _EXACT_LIMIT, diff_rich_text, diff_text, rich_text_html

LIST = "<p>第一段。</p><ol><li><p>甲项</p></li><li><p>乙项</p></li></ol>"


class _Reading(HTMLParser):
    """The text of some HTML, leaving out what is inside the elements named in `skip`; and
    every problem: an element inside a mark, a mark directly in a list, a tag closed out of
    order."""

    def __init__(self, skip=()):
        super().__init__(convert_charrefs=True)
        self.skip, self.open, self.text, self.problems = set(skip), [], [], []

    def handle_starttag(self, tag, attrs):
        if tag == "br":
            return
        if {"ins", "del"} & set(self.open):
            self.problems.append(f"<{tag}> inside a mark")
        if tag in ("ins", "del") and self.open and self.open[-1] in ("ol", "ul"):
            self.problems.append(f"<{tag}> directly in a list")
        self.open.append(tag)

    def handle_endtag(self, tag):
        if not self.open or self.open.pop() != tag:
            self.problems.append(f"</{tag}> out of order")

    def handle_data(self, data):
        if not self.skip & set(self.open):
            self.text.append(data)


def read(html: str, skip=()) -> tuple[str, list[str]]:
    reading = _Reading(skip)
    reading.feed(html)
    reading.close()
    if reading.open:
        reading.problems.append(f"left open: {reading.open}")
    return "".join(reading.text), reading.problems


def test_one_changed_character_of_plain_text_is_marked_alone():
    assert diff_text("第一版标题", "第二版标题") == "第<del>一</del><ins>二</ins>版标题"


def test_one_changed_character_in_a_list_item_is_marked_alone():
    newer = LIST.replace("乙项", "丙项")
    assert diff_rich_text(LIST, newer) == (
        "<p>第一段。</p><ol><li><p>甲项</p></li><li><p><del>乙</del><ins>丙</ins>项</p></li></ol>"
    )


def test_plain_text_that_looks_like_markup_stays_text():
    hostile = '<script>alert(1)</script><img src=x onerror="alert(2)">'
    html = diff_text("标题", hostile + "标题")
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert read(html) == (hostile + "标题", [])


def test_stored_markup_the_sanitizer_refuses_never_reaches_the_comparison():
    stored = (
        '<p>正文<script>alert(1)</script><img src=x onerror=alert(2)></p><iframe src="x"></iframe>'
    )
    html = diff_rich_text("<p>正文</p>", stored + "<p>新段</p>")
    assert not re.search(r"<(script|img|iframe)|onerror", html)
    assert html == "<p>正文</p><p><ins>新段</ins></p>"


def test_escaped_markup_in_rich_text_stays_text():
    html = diff_rich_text("<p>a</p>", "<p>a &lt;script&gt;alert(1)&lt;/script&gt;</p>")
    assert html == "<p>a<ins> &lt;script&gt;alert(1)&lt;/script&gt;</ins></p>"


def test_a_deleted_list_item_is_shown_as_an_item():
    newer = "<p>第一段。</p><ol><li><p>甲项</p></li></ol>"
    html = diff_rich_text(LIST, newer)
    assert html.endswith("<li><p>甲项</p></li><li><del>乙项</del></li></ol>")
    assert read(html)[1] == []


def test_rendered_rich_text_is_sanitized_again():
    html = rich_text_html('<ol><li><p>项</p></li></ol><img src=x onerror="alert(1)">')
    assert html == "<ol><li><p>项</p></li></ol>"


def test_paragraphs_too_long_to_match_in_time_are_marked_whole():
    side = int(_EXACT_LIMIT**0.5) + 10
    older, newer = "<p>" + "甲" * side + "</p>", "<p>" + "乙" * side + "</p>"
    assert (
        diff_rich_text(older, newer) == f"<p><del>{'甲' * side}</del><ins>{'乙' * side}</ins></p>"
    )


# Generated texts and edits: paragraphs, lists, headings, quotes and inline formatting, with
# characters that need escaping; edits of characters, words, paragraphs and structure.
CHARS = "法律数据保护人工智能的了。，abc xyz<>&\"'"
INLINE = ["strong", "em", "u", "sub", "sup"]


def _words(rng) -> str:
    text = "".join(rng.choice(CHARS) for _ in range(rng.randint(1, 30)))
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if rng.random() < 0.3:
        tag = rng.choice(INLINE)
        return f"<{tag}>{escaped}</{tag}>"
    if rng.random() < 0.1:
        return f'<a href="https://example.org/{rng.randint(1, 9)}">{escaped}</a>'
    return escaped


def _block(rng) -> str:
    inline = "".join(_words(rng) for _ in range(rng.randint(1, 3)))
    kind = rng.random()
    if kind < 0.2:
        tag = rng.choice(["ol", "ul"])
        items = "".join(f"<li><p>{_words(rng)}</p></li>" for _ in range(rng.randint(1, 4)))
        return f"<{tag}>{items}</{tag}>"
    if kind < 0.3:
        return f"<h3>{inline}</h3>"
    if kind < 0.35:
        return f"<blockquote><p>{inline}</p></blockquote>"
    return f"<p>{inline}</p>"


def _edit(rng, blocks: list[str]) -> list[str]:
    """A few edits: a block added or removed, characters of text inserted, deleted or changed
    (the text is HTML source: an entity cut in two is mended by the sanitizer, as it would be
    on saving)."""
    blocks = list(blocks)
    for _ in range(rng.randint(1, 3)):
        at = rng.randrange(len(blocks))
        choice = rng.random()
        if choice < 0.15:
            blocks.insert(at, _block(rng))
        elif choice < 0.25 and len(blocks) > 1:
            del blocks[at]
        else:
            parts = re.split(r"(<[^>]+>)", blocks[at])
            texts = [i for i, part in enumerate(parts) if part and not part.startswith("<")]
            i = rng.choice(texts)
            cut = rng.randrange(len(parts[i]) + 1)
            new = rng.choice(["", "新", "xy", "。"])
            parts[i] = parts[i][:cut] + new + parts[i][cut + rng.randint(0, 2) :]
            blocks[at] = "".join(parts)
    return blocks


@pytest.mark.parametrize("seed", range(80))
def test_a_comparison_reads_as_either_version_and_stays_valid(seed):
    rng = random.Random(seed)
    blocks = [_block(rng) for _ in range(rng.randint(1, 6))]
    older, newer = "".join(blocks), "".join(_edit(rng, blocks))
    html = diff_rich_text(older, newer)
    without_deleted, problems = read(html, skip={"del"})
    assert problems == []
    assert without_deleted == read(rich_text_html(newer))[0]
    assert read(html, skip={"ins"})[0] == read(rich_text_html(older))[0]
    assert ("<ins>" in html or "<del>" in html) == (rich_text_html(older) != rich_text_html(newer))


@pytest.mark.parametrize("seed", range(20))
def test_plain_texts_compare_character_by_character(seed):
    rng = random.Random(seed)
    older = "".join(rng.choice(CHARS + "\n") for _ in range(rng.randint(0, 80)))
    cut = rng.randrange(len(older) + 1)
    newer = older[:cut] + "".join(rng.choice(CHARS) for _ in range(rng.randint(0, 4)))
    newer += older[cut + rng.randint(0, 3) :]
    html = diff_text(older, newer)
    assert read(html, skip={"del"}) == (newer.replace("\n", ""), [])
    assert read(html, skip={"ins"})[0] == older.replace("\n", "")
