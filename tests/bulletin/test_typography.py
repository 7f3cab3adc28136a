"""Chinese typesetting: full-width punctuation, labels, issue names, titles kept together."""

import random

import pytest
from django.utils import translation
from django.utils.safestring import mark_safe

from bulletin import naming, typography

CJK_WORDS = ["中华人民共和国", "数据", "出境", "安全评估", "办法", "第三十条", "决定", "公告"]
ASCII_WORDS = ["Data", "Act", "GDPR", "v2", "10:30", "1,000", "3.5", "Art. 5", "e.g.", "API"]
MARKS = [",", ":", ";", "?", "!", "(", ")", " "]
CJK_MARKS = ["。", "、", "“", "”"]
URLS = [
    "https://www.gov.cn/zhengce/content/2024-03/22/content_6940395.htm?a=1,2&b=(x)",
    "http://example.com/path:with;marks!",
    "mailto:office@example.com",
    "www.npc.gov.cn/npc/c2/c30834/(1)",
]


def mixed_strings(seed: int, count: int = 300, *, cjk: bool = True, urls: bool = True):
    """Generated text: Chinese and ASCII words, ASCII and Chinese marks, addresses."""
    rng = random.Random(seed)
    pieces = ASCII_WORDS + MARKS + (CJK_WORDS + CJK_MARKS if cjk else []) + (URLS if urls else [])
    for _ in range(count):
        yield "".join(rng.choice(pieces) for _ in range(rng.randint(1, 14)))


def test_colon_after_chinese_becomes_full_width():
    assert typography.typeset_text("标签: 数据") == "标签：数据"


def test_marks_after_chinese_become_full_width():
    result = typography.typeset_text("是否适用?是的!如下;其一,其二")
    assert result == "是否适用？是的！如下；其一，其二"


def test_parentheses_around_chinese_become_full_width():
    assert typography.typeset_text("办法(试行)") == "办法（试行）"
    assert typography.typeset_text("民法典(2020)") == "民法典（2020）"


def test_times_numbers_and_english_are_left_alone():
    text = "会议于 10:30 开始, 罚款 1,000 元 (about 3.5%), see Art. 5: scope"
    assert typography.typeset_text(text) == (
        "会议于 10:30 开始，罚款 1,000 元 (about 3.5%), see Art. 5: scope"
    )


def test_addresses_are_left_alone():
    url = "https://example.com/a,b:c;d?e=1!(2)"
    assert typography.typeset_text(f"见:{url}") == f"见：{url}"
    assert typography.typeset_text("联系:office@example.com") == "联系：office@example.com"


def test_html_attributes_and_code_are_left_alone():
    markup = (
        '<p title="数据:x">数据:<a href="https://e.com/?q=数据,1">链接</a><code>数据,x</code></p>'
    )
    assert typography.typeset_html(markup) == (
        '<p title="数据:x">数据：<a href="https://e.com/?q=数据,1">链接</a><code>数据,x</code></p>'
    )


def test_safe_strings_are_typeset_as_html():
    result = typography.typeset(mark_safe('<a href="x:y">数据:</a>'))
    assert result == '<a href="x:y">数据：</a>'
    assert typography.typeset("<b>数据:</b>") == "<b>数据：</b>"


@pytest.mark.parametrize("seed", range(5))
def test_typesetting_is_idempotent(seed):
    for text in mixed_strings(seed):
        once = typography.typeset_text(text)
        assert typography.typeset_text(once) == once, text


@pytest.mark.parametrize("seed", range(5))
def test_text_without_chinese_is_never_changed(seed):
    for text in mixed_strings(seed, cjk=False):
        assert typography.typeset_text(text) == text


@pytest.mark.parametrize("seed", range(5))
def test_urls_are_never_changed(seed):
    changed = 0
    for text in mixed_strings(seed):
        result = typography.typeset_text(text)
        changed += result != text
        for url in URLS:
            assert result.count(url) >= text.count(url), text
    assert changed  # the generator does produce text to convert


@pytest.mark.parametrize("seed", range(3))
def test_only_marks_and_the_spaces_after_them_change(seed):
    back = str.maketrans("，：；？！（）", ",:;?!()")
    for text in mixed_strings(seed, urls=False):
        result = typography.typeset_text(text)
        assert result.translate(back).replace(" ", "") == text.replace(" ", "")


def test_label_colon_follows_the_language():
    assert typography.label_colon("zh-hans") == "："
    assert typography.label_colon("en") == ": "


def test_last_two_chinese_characters_are_kept_together():
    assert typography.keep_last_pair_html("关于数据出境的决定") == (
        '关于数据出境的<span class="nowrap">决定</span>'
    )
    assert typography.keep_last_pair_html("关于<b>的决定。") == (
        '关于&lt;b&gt;的<span class="nowrap">决定。</span>'
    )
    assert typography.keep_last_pair_html("Data Act") == "Data Act"


def test_pdf_titles_join_the_last_two_characters():
    assert typography.keep_last_pair_joined("暂行办法") == "暂行办\u2060法"
    assert typography.keep_last_pair_joined("GDPR") == "GDPR"


@pytest.mark.parametrize(
    ("title", "kept"),
    [
        ("属于“产品”", "属于“产\u2060品”"),
        ("所谓‘答案’", "所谓‘答\u2060案’"),
        ("仍在审理…", "仍在审\u2060理…"),
        ("《数据法》", "《数据\u2060法》"),
    ],
)
def test_a_closing_quote_or_ellipsis_travels_with_the_last_two_characters(title, kept):
    assert typography.keep_last_pair_joined(title) == kept
    html = typography.keep_last_pair_html(title)
    assert html == f'{title[:-3]}<span class="nowrap">{title[-3:]}</span>'


ISSUE = {"number": 1, "volume": "2024 年第 8 期", "year": 2024, "month": 8}


def test_issue_name_in_chinese_names_the_period_once():
    assert naming.issue_name(ISSUE, "zh-hans") == "2024 年 8 月刊 · 第 1 期"


def test_issue_name_in_english():
    with translation.override("en"):
        assert naming.issue_name(ISSUE) == "August 2024 · No. 1"


def test_a_title_naming_only_the_period_repeats_it():
    assert naming.title_repeats_period("2024 年 8 月刊", ISSUE, "zh-hans")
    assert naming.title_repeats_period("2024年8月刊", ISSUE, "zh-hans")
    assert not naming.title_repeats_period("人工智能监管专刊", ISSUE, "zh-hans")


def test_a_volume_saying_more_than_the_period_is_shown():
    issue = {**ISSUE, "volume": "总第 37 期"}
    assert naming.issue_name(issue, "zh-hans") == "2024 年 8 月刊 · 第 1 期 · 总第 37 期"
    assert naming.issue_name({**ISSUE, "volume": "春季号"}, "zh-hans").endswith("· 春季号")
