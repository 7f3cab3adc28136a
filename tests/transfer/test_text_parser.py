"""The text importer's reading of a back issue (no database): structure, repairs, the report."""

import json
import random

import pytest

from bulletin.transfer.text.fields import infer_kind, parse_case, parse_date
from bulletin.transfer.text.parser import parse_text
from tests.transfer.texts import (
    CHECKLIST_URL,
    GUIDELINE_URL,
    LIABILITY_URL,
    SAMPLE,
    minimal,
    missing_pieces,
    pdf_text,
)


def parse(text: str = SAMPLE, label: str = "本所短评"):
    return parse_text(text, commentary_label=label, firm="示例律师事务所", name="示例法律月刊")


@pytest.fixture(scope="module")
def sample():
    from django.utils import translation

    with translation.override("en"):
        return parse()


def sections(parsed):
    return parsed.document["issue"]["sections"]


def entry(parsed, section: int, position: int) -> dict:
    return sections(parsed)[section - 1]["entries"][position - 1]


def unplaced_lines(parsed) -> list[int]:
    return [line for u in parsed.report.unplaced for line in u.lines]


def test_sections_and_their_numbered_entries_are_recognised(sample):
    shape = [(s["title"], [e["position"] for e in s["entries"]]) for s in sections(sample)]
    assert shape == [("最新法律与监管动态", [1, 2, 3]), ("最新行业动态", [1])]


def test_title_wrapped_over_two_lines_is_joined(sample):
    title = entry(sample, 1, 2)["title"]
    assert (
        title
        == "示例市数据局发布《公共数据授权运营指引》，明确公共数据授权运营的范围、程序和安全要求"
    )


def test_table_of_contents_is_recognised_and_not_imported(sample):
    assert sample.report.repairs["contents_lines"] == 7
    assert [e["title"] for e in sections(sample)[1]["entries"]] == ["示例科技发布开源多模态模型"]


def test_contents_line_that_names_no_entry_is_reported():
    text = pdf_text("目录\n一、最新动态\n1. 不存在的条目\n2. 另一条\n", minimal("摘要：", "正文。"))
    parsed = parse(text)
    assert [u.text for u in parsed.report.unplaced] == ["1. 不存在的条目", "2. 另一条"]


def test_url_broken_across_lines_is_joined(sample):
    assert entry(sample, 1, 1)["links"][0]["url"] == LIABILITY_URL


def test_url_broken_across_a_page_break_is_one_link(sample):
    assert [link["url"] for link in entry(sample, 1, 2)["links"]] == [GUIDELINE_URL]


def test_page_link_lists_are_dropped_as_duplicates_of_the_links(sample):
    assert sample.report.repairs["link_list_lines"] == 8


def test_page_link_list_url_missing_from_the_text_is_reported():
    text = pdf_text(
        "一、动态\n1. 标题\n发布日期：2024 年 9 月 3 日\n摘要：\n正文。",
        "二、其他\n1. 标题\n来源：官网\n摘要：\n正文。",
        link_lists={0: ["https://hidden.example.org/only-in-the-link-list"]},
    )
    assert parse(text).report.unplaced[0].text == "https://hidden.example.org/only-in-the-link-list"


def test_links_keep_their_kinds_and_other_labels(sample):
    kinds = [(link["kind"], link["label"]) for link in entry(sample, 2, 1)["links"]]
    assert kinds == [("primary", ""), ("other", "项目主页链接")]


def test_reference_and_complaint_links_are_told_apart(sample):
    kinds = [link["kind"] for e in sections(sample)[0]["entries"] for link in e["links"]]
    assert kinds == ["primary", "reference", "primary", "primary", "complaint"]


def test_spread_out_chinese_text_is_closed_up(sample):
    assert (
        entry(sample, 1, 2)["summary"]
        == "<p>示例市数据局发布指引，明确公共数据授权运营的范围和程序。</p>"
    )


def test_latin_words_broken_across_lines_keep_their_space(sample):
    assert "（Artificial Intelligence Liability Act）" in entry(sample, 1, 1)["summary"]


def test_wrapped_chinese_lines_join_without_a_space(sample):
    assert "由系统的提供者证明其没有过错" in entry(sample, 1, 1)["summary"]


def test_missing_date_is_noted_with_the_entry_line(sample):
    assert entry(sample, 1, 2)["published_on"] is None
    assert (69, "this entry has no publication date") in sample.report.notes


def test_dates_are_read(sample):
    assert entry(sample, 1, 1)["published_on"] == "2024-09-03"


def test_unknown_label_is_reported_with_its_line_number(sample):
    [unplaced] = sample.report.unplaced
    assert (unplaced.lines, unplaced.text) == ([75], "主办单位：示例市数据局")


def test_case_information_is_split_into_caption_docket_and_court(sample):
    case = entry(sample, 1, 3)
    assert (case["case_caption"], case["docket_number"], case["court"]) == (
        "Doe v. Example AI, Inc.",
        "3:24-cv-09999",
        "N.D. Cal.",
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (
            "Doe v. Roe, Inc., 3:24-cv-01234, (N.D. Cal.)",
            ("Doe v. Roe, Inc.", "3:24-cv-01234", "N.D. Cal."),
        ),
        (
            "Doe v. Roe Corp. (5:24-cv-05157), (N.D. Cal.)",
            ("Doe v. Roe Corp.", "5:24-cv-05157", "N.D. Cal."),
        ),
        ("People v. Example Inc.", ("People v. Example Inc.", "", "")),
        (
            "张某诉某科技公司纠纷案，（2023）京0491民初123号，北京互联网法院",
            ("张某诉某科技公司纠纷案", "（2023）京0491民初123号", "北京互联网法院"),
        ),
    ],
)
def test_case_information_variants(value, expected):
    assert parse_case(value) == expected


@pytest.mark.parametrize(
    ("title", "section", "is_case", "kind"),
    [
        ("示例国议会通过《人工智能责任法案》", "最新法律与监管动态", False, "law"),
        ("示例州州长签署新法律以规范深度合成", "最新法律与监管动态", False, "law"),
        ("欧盟《示例法案》正式生效", "最新法律与监管动态", False, "law"),
        ("示例监管局对《示例法案草案》提出意见", "最新法律与监管动态", False, "regulation"),
        ("示例监管局发布人工智能指南", "最新法律与监管动态", False, "regulation"),
        ("作家起诉示例公司", "最新法律与监管动态", True, "case"),
        ("示例公司发布新模型", "最新行业动态", False, "industry"),
        ("示例公司被诉", "最新行业动态", True, "case"),
    ],
)
def test_kind_rules(title, section, is_case, kind):
    assert infer_kind(title=title, section_title=section, is_case=is_case) == kind


def test_date_that_does_not_exist_is_reported():
    parsed = parse(minimal("摘要：", "正文。").replace("9 月 3 日", "13 月 3 日"))
    assert [u.reason for u in parsed.report.unplaced] == ["not a date"]


def test_parse_date_reads_chinese_and_iso_dates():
    assert [parse_date("2024 年 8 月 1 日"), parse_date("2024-08-01")] == [
        parse_date("2024/8/1"),
        parse_date("2024.08.01"),
    ]


def test_numbered_items_become_an_ordered_list_with_lettered_sub_items(sample):
    summary = entry(sample, 1, 1)["summary"]
    item = "<li><p>信息披露：法院可以责令提供者披露以下信息：</p>"
    assert item + '<ol type="a"><li><p>系统的训练数据摘要；' in summary
    assert "</ol><p>此外" in summary  # the paragraph after the list is not in it


def test_paragraph_between_items_belongs_to_the_item_before(sample):
    summary = entry(sample, 2, 1)["summary"]
    assert (
        "<li><p>语音交互：支持实时语音对话。</p><p>该功能的平均响应时间低于一秒。</p></li>"
        in summary
    )


def test_commentary_under_the_bulletins_label(sample):
    assert entry(sample, 1, 1)["commentary"]["body"].startswith("<p>该法案将举证责任转移")


def test_seed_commentary_label_is_recognised_whatever_the_bulletins_label():
    parsed = parse(minimal("摘要：", "正文。", "植德短评", "评论。"), label="本所短评")
    assert parsed.document["issue"]["sections"][0]["entries"][0]["commentary"] == {
        "body": "<p>评论。</p>"
    }


def test_url_in_a_paragraph_becomes_a_link(sample):
    body = entry(sample, 1, 1)["commentary"]["body"]
    assert f'<a href="{CHECKLIST_URL}">{CHECKLIST_URL}</a> 所列' in body


def test_commentary_label_repeated_keeps_what_came_before():
    parsed = parse(minimal("摘要：", "正文。", "本所短评", "第一段。", "本所短评", "第二段。"))
    commentary = parsed.document["issue"]["sections"][0]["entries"][0]["commentary"]
    assert commentary == {"body": "<p>第一段。</p><p>第二段。</p>"}


def test_sentence_that_names_a_link_stays_text():
    line = "相关新闻链接：https://example.org/news，详见报道。"
    entry = parse(minimal("摘要：", line)).document["issue"]["sections"][0]["entries"][0]
    assert (entry["links"], "详见报道。" in entry["summary"]) == ([], True)


def test_summary_without_its_label_is_taken_and_noted():
    parsed = parse(minimal("链接：", "⚫ https://example.org/a", "没有摘要标签的正文。"))
    assert (
        parsed.document["issue"]["sections"][0]["entries"][0]["summary"]
        == "<p>没有摘要标签的正文。</p>"
    )
    assert "no “摘要” label" in parsed.report.notes[0][1]


def test_disclaimer_and_contact(sample):
    bulletin = sample.document["bulletin"]
    assert bulletin["disclaimer"].startswith("<p>本刊物不代表本所正式法律意见")
    assert bulletin["contact_email"] == "bulletin@example-law.cn"


def test_firm_team_members_and_writers(sample):
    bulletin, issue = sample.document["bulletin"], sample.document["issue"]
    assert (bulletin["firm_name"], bulletin["team_name"]) == ("示例律师事务所", "人工智能委员会")
    assert (bulletin["team"], issue["writers"]) == (["林青山", "周映雪"], ["林青山", "何承泽"])


def test_profile_fields(sample):
    profile = sample.document["authors"][0]
    assert {k: profile[k] for k in ("title", "office_city", "phone", "mobile", "email")} == {
        "title": "合伙人",
        "office_city": "北京",
        "phone": "010-5550 0101",
        "mobile": "139 0000 0101",
        "email": "qingshan.lin@example-law.cn",
    }
    assert profile["practice_areas"] == "知识产权、数据合规、争议解决"
    assert profile["education"] == "北京大学，法学硕士\n中国人民大学，法学学士"
    assert profile["representative_matters"].count("<li>") == 2


def test_profile_without_phone_or_honours(sample):
    profile = sample.document["authors"][1]
    assert ("phone" in profile, "honours" in profile, profile["mobile"]) == (
        False,
        False,
        "138 0000 0102",
    )


def test_writer_without_profile_is_an_author_by_name(sample):
    assert sample.document["authors"][2] == {"key": "何承泽", "name": "何承泽", "_line": 154}


def test_page_number_is_dropped_and_listed(sample):
    assert [(u.lines, u.text) for u in sample.report.dropped] == [([110], "- 3 -")]


def test_repeated_firm_line_at_a_page_top_is_a_running_header(sample):
    assert sample.report.repairs["running_repeats"] == 1


def test_running_header_repeated_on_pages_is_dropped():
    pages = [
        f"示例法律月刊 2024 年第 9 期\n{page}" for page in ("一、动态", "1. 标题", "摘要：\n正文。")
    ]
    parsed = parse(pdf_text(*pages))
    assert [u.reason for u in parsed.report.dropped] == ["running header or footer"] * 3


def test_radical_forms_are_replaced_by_ordinary_characters():
    parsed = parse(minimal("摘要：", "个性化\u2f63成的内容。"))
    assert "个性化生成的内容" in parsed.document["issue"]["sections"][0]["entries"][0]["summary"]


def test_line_that_fits_nowhere_is_reported():
    writers = "本期撰写人：林青山 何承泽 \n"
    parsed = parse(SAMPLE.replace(writers, writers + "\n这一行不属于任何部分。 \n", 1))
    assert [u.text for u in parsed.report.unplaced][-1:] == ["这一行不属于任何部分。"]


def test_every_non_empty_line_is_in_the_issue_or_in_the_report(sample):
    assert missing_pieces(SAMPLE, sample, also={"示例法律月刊"}) == []  # the name on the cover


def test_document_is_plain_json(sample):
    assert json.loads(json.dumps(sample.document)) == sample.document


def test_mangled_texts_never_break_the_parser():
    rng = random.Random(7)
    lines = SAMPLE.split("\n")
    for _ in range(60):
        mangled = list(lines)
        for _ in range(rng.randint(1, 15)):
            i, j = rng.randrange(len(mangled)), rng.randrange(len(mangled))
            mangled[i], mangled[j] = mangled[j][: rng.randrange(80)], mangled[i]
        parsed = parse("\n".join(mangled))
        assert parsed.report.unplaced or parsed.document["issue"]["sections"]


# Shapes of a back issue the importer had not seen (each failed before the generated corpus).


def first_entry(parsed) -> dict:
    return parsed.document["issue"]["sections"][0]["entries"][0]


def test_case_line_wrapped_inside_its_docket_and_court_keeps_all_three():
    text = minimal(
        "案件信息：Doe v. Example AI, Inc., 3:24-cv-|", "09999, (N.D. ", "Cal.)", "摘要：", "正文。"
    )
    case = first_entry(parse(text))
    assert (case["case_caption"], case["docket_number"], case["court"], case["summary"]) == (
        "Doe v. Example AI, Inc.",
        "3:24-cv-09999",
        "N.D. Cal.",
        "<p>正文。</p>",
    )


def test_chinese_docket_wrapped_before_its_last_character_is_one_docket():
    text = minimal(
        "案件信息：张某诉某科技公司著作权侵权纠纷案，（2024）京0491民初12345|", "号，北京互联网法院"
    )
    case = first_entry(parse(text))
    assert (case["docket_number"], case["court"]) == ("（2024）京0491民初12345号", "北京互联网法院")


@pytest.mark.parametrize("tail", ["8.html?id=1", "1)-a", "-0", "12"])
def test_url_broken_where_its_tail_looks_like_a_heading_or_a_page_number_is_whole(tail):
    url = "https://example.org/a/b/c-d/" + tail
    page = f"一、最新动态\n1. 标题\n发布日期：2024 年 9 月 3 日\n链接：\n⚫ {url[: -len(tail)]}|\n"
    text = pdf_text(page, f"{tail}\n摘要：\n正文。", link_lists={0: [url]})
    parsed = parse(text)
    assert [link["url"] for link in first_entry(parsed)["links"]] == [url]
    assert first_entry(parsed)["summary"] == "<p>正文。</p>"


def test_commentary_ending_at_a_page_break_leaves_the_page_end_urls_alone():
    urls = ["https://example.org/one", "https://example.org/two-2", "https://example.org/3"]
    lines = [
        "链接：",
        *(f"⚫ {u}" for u in urls),
        "摘要：",
        "正文。",
        "本所短评",
        "评论的最后一段。",
    ]
    second = "2. 第二条\n发布日期：2024 年 9 月 4 日\n摘要：\n正文。"
    # A blank line between the page's URL list and the next page.
    text = pdf_text(minimal(*lines), second, link_lists={0: urls}).replace("\n 2. ", "\n\n 2. ")
    parsed = parse(text)
    assert first_entry(parsed)["commentary"] == {"body": "<p>评论的最后一段。</p>"}
    assert parsed.report.unplaced == []


def test_line_that_wrapped_before_a_long_latin_word_continues_its_paragraph():
    words = "示例公司发布了新的模型" * 2  # a line of 44 columns, then a word that did not fit
    text = minimal(
        "摘要：", f"{words}，名为 ", "Supercalifragilisticexpialidocious-Model-2026 的版本。"
    )
    assert first_entry(parse(text))["summary"] == (
        f"<p>{words}，名为 Supercalifragilisticexpialidocious-Model-2026 的版本。</p>"
    )


def test_team_line_of_a_group_is_the_team():
    text = minimal(
        "摘要：",
        "正文。",
        "特此声明",
        "仅供参考。",
        "示例律师事务所 数据委员会",
        "数据合规组：林青山  周映雪",
    )
    parsed = parse(text)
    assert parsed.document["bulletin"]["team"] == ["林青山", "周映雪"]
    assert parsed.document["bulletin"]["disclaimer"] == "<p>仅供参考。</p>"


def test_wrapped_lines_keep_the_space_between_chinese_and_latin_text():
    text = minimal(
        "摘要：",
        "2024 年 9 月 3 日，示例公司在 GPT-4o 之后发布人工智能|",
        "Claude 的新版本，并计划在|",
        "2026 年上线。",
    )
    assert first_entry(parse(text))["summary"] == (
        "<p>2024 年 9 月 3 日，示例公司在 GPT-4o 之后发布人工智能 Claude 的新版本，"
        "并计划在 2026 年上线。</p>"
    )


def test_text_that_does_not_space_chinese_and_latin_stays_unspaced():
    text = minimal("摘要：", "2024年9月3日，示例公司在GPT-4o之后发布人工智能|", "Claude的新版本。")
    assert first_entry(parse(text))["summary"] == (
        "<p>2024年9月3日，示例公司在GPT-4o之后发布人工智能Claude的新版本。</p>"
    )


def test_the_commentary_label_as_printed_is_in_the_document():
    parsed = parse(minimal("摘要：", "正文。", "示例律师点评", "评论。"), label="本所短评")
    assert parsed.document["issue"]["commentary_label"] == "示例律师点评"


# The end matter as our own PDF prints it (a team's heading, then its members a line each)

OUR_END = [
    "摘要：",
    "示例监管机构发布指引。",
    "本所短评",
    "企业应尽早评估风险。",
    "— 林青山、Jane Doe",
    "免责声明",
    "本刊物不构成法律意见。",
    "联系方式 desk@example-law.cn",
    "团队",
    "示例律师事务所 数据合规组",
    "林青山 合伙人/北京 lin@example-law.cn",
    "Jane Mary Doe Senior Counsel/London jane@example-law.cn",
    "周映雪 合伙人",
    "Ann Lee",
    "本期撰写人",
    "何承泽 顾问/上海",
    "作者介绍",
    "Jane Mary Doe",
    "Senior Counsel/London",
    "电话：020-5550 0101",
    "林青山 Lin Qingshan",
    "合伙人/北京",
    "电话：010-5550 0101",
    "教育背景：",
    "• 北京大学，法学硕士",
    "• 示例大学，法学学士",
]


@pytest.mark.parametrize(
    "kind_line", [("类型：法律", "law"), ("Kind: Case", "case"), ("", "regulation")]
)
def test_our_end_matter_byline_and_kind_are_read(kind_line):
    line, kind = kind_line
    parsed = parse(minimal(*([line] if line else []), *OUR_END, title="示例机构发布指引"))
    document, read = parsed.document, sections(parsed)[0]["entries"][0]
    assert read["kind"] == kind  # printed, else inferred from the title
    assert read["commentary"]["body"] == "<p>企业应尽早评估风险。</p>"
    assert read["commentary"]["authors"] == ["林青山", "Jane Doe"]
    bulletin = document["bulletin"]
    assert (bulletin["firm_name"], bulletin["team_name"]) == ("示例律师事务所", "数据合规组")
    assert bulletin["contact_email"] == "desk@example-law.cn"
    assert bulletin["disclaimer"] == "<p>本刊物不构成法律意见。</p>"
    assert bulletin["team"] == ["林青山", "Jane Mary Doe", "周映雪", "Ann Lee"]
    assert document["issue"]["writers"] == ["何承泽"]
    people = {a["name"]: a for a in document["authors"]}
    jane = people["Jane Mary Doe"]
    assert (jane["title"], jane["office_city"], jane["phone"]) == (
        "Senior Counsel",
        "London",
        "020-5550 0101",
    )
    assert (people["周映雪"]["title"], people["周映雪"].get("office_city", "")) == ("合伙人", "")
    assert (people["何承泽"]["title"], people["何承泽"]["office_city"]) == ("顾问", "上海")
    lin = people["林青山"]
    assert (lin["name_latin"], lin["email"], lin["phone"]) == (
        "Lin Qingshan",
        "lin@example-law.cn",
        "010-5550 0101",
    )
    assert lin["education"] == "北京大学，法学硕士\n示例大学，法学学士"
    assert not parsed.report.unplaced


@pytest.mark.parametrize(
    "lines",
    [
        ["企业应尽早评估风险。", "— 详见第三部分的讨论"],  # not names
        ["企业应尽早评估风险。", "——未完待续"],
        ["企业应尽早评估风险。", "— 林青山", "后文还有一段。"],  # not the last paragraph
        ["— 数据合规、网络安全"],  # the commentary's only paragraph
    ],
)
def test_a_dash_line_in_a_commentary_that_is_no_byline_stays_text(lines):
    parsed = parse(minimal("摘要：", "正文。", "本所短评", *lines))
    commentary = sections(parsed)[0]["entries"][0]["commentary"]
    assert commentary["body"] == "".join(f"<p>{line}</p>" for line in lines)
    assert "authors" not in commentary


def test_a_firm_line_that_looks_like_a_profiles_name_ends_the_parse():
    parsed = parse(
        minimal(
            "摘要：",
            "正文。",
            "特此声明",
            "本刊物不构成法律意见。",
            "示例律师事务所 TMT Group",
            "邮箱：desk@example-law.cn",
            "人工智能小组：林青山",
        )
    )
    assert sections(parsed)[0]["entries"][0]["summary"] == "<p>正文。</p>"
    assert parsed.document["bulletin"]["team"] == ["林青山"]


def test_a_contact_line_with_a_colon_stays_in_the_disclaimer():
    parsed = parse(
        minimal("摘要：", "正文。", "特此声明", "本刊物不构成法律意见。", "联系邮箱：a@b.cn")
    )
    bulletin = parsed.document["bulletin"]
    assert bulletin["disclaimer"] == "<p>本刊物不构成法律意见。</p><p>联系邮箱：a@b.cn</p>"
    assert bulletin["contact_email"] == "a@b.cn"


@pytest.mark.parametrize("lines", [["本团队关注人工智能监管。"], ["专注数据合规", "人工智能监管"]])
def test_a_team_heading_over_text_that_names_no_one_is_not_a_list_of_people(lines):
    parsed = parse(minimal("摘要：", "正文。", "免责声明", "团队", *lines))
    assert "team" not in parsed.document["bulletin"] and not parsed.document["authors"]
    assert lines[-1] in parsed.document["bulletin"]["disclaimer"]
