"""Summaries as the email shows them: markers kept, links safe, one budget."""

from bulletin.mailing.excerpt import excerpt

NUMBERED = "<p>主要内容包括：</p><p>1) 完成安全评估；</p><p>2) 训练数据合法。</p>"


def test_markers_written_in_the_text_are_kept_on_their_own_lines():
    result = excerpt(NUMBERED, 200)
    assert (
        result.html
        == '<p class="summary">主要内容包括：<br>1) 完成安全评估；<br>2) 训练数据合法。</p>'
    )
    assert result.text.splitlines() == ["主要内容包括：", "1) 完成安全评估；", "2) 训练数据合法。"]


def test_lists_get_their_markers_as_text():
    result = excerpt('<ol start="3"><li>甲</li><li>乙</li></ol><ul><li>丙</li></ul>', 200)
    assert result.text.splitlines() == ["3. 甲", "4. 乙", "• 丙"]
    assert "<ol" not in result.html and "<li" not in result.html


def test_addresses_in_the_text_become_links_without_the_sentence_mark():
    url = "https://www.gov.cn/zhengce/content/2024-03/22/content_6940395.htm?a=1&b=2"
    result = excerpt(f"<p>原文见 {url}.</p>", 200)
    assert (
        f'<a href="{url.replace("&", "&amp;")}">www.gov.cn/zhengce/content/2024-03/22/c…</a>.'
        in (result.html)
    )
    assert url in result.text


def test_only_web_links_are_kept():
    markup = (
        '<p><a href="javascript:alert(1)">甲</a> <a href="mailto:a@example.com">乙</a> '
        '<a href="https://example.com/x">丙</a> ftp://example.com/y</p>'
    )
    result = excerpt(markup, 200)
    assert result.html == (
        '<p class="summary">甲 乙 <a href="https://example.com/x">丙</a> ftp://example.com/y</p>'
    )


def test_everything_else_is_escaped():
    result = excerpt('<p>&lt;script&gt;alert("x")&lt;/script&gt; <img src=x onerror=1></p>', 200)
    assert result.html == '<p class="summary">&lt;script&gt;alert("x")&lt;/script&gt;</p>'


def test_one_budget_runs_across_the_blocks_and_closes_what_is_open():
    result = excerpt("<p>一二三四五</p><p><strong>六七八九十</strong>十一</p>", 8)
    assert result.html == '<p class="summary">一二三四五<br><strong>六七八…</strong></p>'
    assert result.text == "一二三四五\n六七八…"


def test_text_within_the_budget_is_whole():
    result = excerpt(NUMBERED, 1000)
    assert "…" not in result.text
    assert result.text.replace("\n", "") == "主要内容包括：1) 完成安全评估；2) 训练数据合法。"


def test_chinese_punctuation_is_typeset():
    assert excerpt("<p>适用范围:境内</p>", 100).text == "适用范围：境内"


def test_a_label_leads_the_paragraph():
    result = excerpt("<p>值得关注。</p>", 100, css_class="commentary", label="本所短评")
    assert result.html.startswith('<p class="commentary"><strong>本所短评</strong>：')
    english = excerpt("<p>Noted.</p>", 100, label="Our view")
    assert english.html.startswith('<p class="summary"><strong>Our view</strong>: Noted.')
    assert "值得关注。" in result.html


def test_empty_text_gives_no_paragraph():
    assert excerpt("", 100).html == ""
    assert excerpt("<p> </p>", 100).html == ""
