"""The words and shapes of a back issue: headings, numbered titles, lists, bullets and labels.

Labels are compared without spaces and without their colon, so "发布日期 ：" is "发布日期".
"""

import re
from typing import NamedTuple

BULLETS = "⚫●•▪■◆◇○◦"
# "一、标题", or in an English edition "I. Title" (a Roman numeral, a full stop and a space).
SECTION = re.compile(r"^([一二三四五六七八九十]{1,3}\s*[、.．]|[IVX]{1,4}\.\s)\s*(\S.*)$")
# "1. 标题" but not "1.5%": the number is followed by a separator and then no digit.
TITLE = re.compile(r"^(\d{1,3})\s*[.．、]\s*(?=\D)(\S.*)$")
ITEM = re.compile(r"^(\d{1,2})\s*[)）]\s*(\S.*)$")
SUBITEM = re.compile(r"^([a-z])\s*[)）]\s*(\S.*)$")
BULLET = re.compile(rf"^[{BULLETS}]\s*(.*)$")
LABEL = re.compile(r"^([^：:，。；！？“”\"]{1,40}?)\s*[：:]\s*(.*)$")
# The characters of a URL as the bulletins print them (RFC 3986's, and parentheses).
URL_CHARS = r"A-Za-z0-9\-._~:/?#\[\]@!$&'*+,;=%()"
URL = re.compile(rf"https?://[{URL_CHARS}]+")
EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")

CHINESE_NUMERALS = "一二三四五六七八九十"
ROMAN_NUMERALS = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]

# Each with the labels of an English edition (compared squeezed: no spaces, lower case).
DATE = {"发布日期", "日期", "发布时间", "时间", "date", "published"}
SOURCE = {"来源", "信息来源", "消息来源", "source"}
CASE = {"案件信息", "案件", "案件名称", "case"}
# A case printed (our PDF) or typed (a Word draft) as separate labelled lines: caption, docket
# number, court; they become one "案件信息" line (see case_line).
CASE_PARTS = {"案件": 0, "案件信息": 0, "案件名称": 0, "案号": 1, "法院": 2}
SUMMARY = {"摘要", "内容摘要", "概要", "summary"}
PRIMARY_LINK = {"链接", "原文链接", "官网链接", "网址", "link", "originaltext"}
REFERENCE_LINK = {"参考链接", "相关链接", "延伸阅读", "reference", "furtherreading"}
COMPLAINT_LINK = {"起诉状链接", "起诉书链接", "诉状链接", "申请书链接", "complaint"}
KIND = {"类型", "类别", "kind", "type"}  # as our PDF prints an entry's kind
ENTRY_LABELS = DATE | SOURCE | CASE | SUMMARY | PRIMARY_LINK | REFERENCE_LINK | COMPLAINT_LINK
ENTRY_LABELS |= KIND

DISCLAIMER = {"特此声明", "免责声明", "声明", "法律声明", "重要声明", "disclaimer"}
WRITERS = {"本期撰写人", "撰写人", "本期作者", "撰稿人", "本期撰稿人", "执笔人"}
TEAM_SUFFIXES = ("组", "团队", "委员会", "成员")
TEAM_HEADINGS = {"团队", "团队成员", "本组成员", "team", "ourteam"}
CONTACT = {"联系方式", "联系邮箱", "联系我们", "联系", "contact", "contactus"}
END_HEADINGS = DISCLAIMER | WRITERS | TEAM_HEADINGS  # of the end matter: never a person's name
EDITORS_NOTE = {"编者按", "卷首语", "前言", "编者的话", "editor'snote", "editor’snote"}
CONTENTS = {"目录", "本期目录", "contents"}
# The seed's own commentary label, recognised whatever the bulletin's label is.
SEED_COMMENTARY_LABEL = "植德短评"
COMMENTARY_SHAPE = re.compile(r"\S{0,6}(短评|点评|评析)|[a-z'’]{0,24}(commentary|comment)")
# Who wrote an entry's commentary, on a line of its own in the entry: "点评人：张三、李四".
COMMENTARY_AUTHORS = {
    "点评人",
    "点评作者",
    "短评作者",
    "短评撰写人",
    "评论人",
    "评析人",
    "作者",
    "commentaryby",
}

PROFILE_FIELDS = {
    "phone": {"电话", "座机", "办公电话"},
    "mobile": {"手机", "移动电话"},
    "email": {"邮箱", "电子邮箱", "邮件", "email", "e-mail"},
    "practice_areas": {"执业领域", "业务领域", "专业领域", "主要执业领域"},
    "experience": {"工作经历", "执业经历", "个人简介", "简介"},
    "representative_matters": {"代表业绩", "代表案例", "主要业绩", "代表性业绩"},
    "honours": {"荣誉奖项", "荣誉", "所获荣誉", "获奖情况"},
    "education": {"教育背景", "学历", "教育经历"},
}
PROFILE_LABELS = set().union(*PROFILE_FIELDS.values())


def squeeze(text: str) -> str:
    """A label as compared: no spaces, no colon, lower case."""
    return re.sub(r"\s+", "", text).rstrip("：:").lower()


class Label(NamedTuple):
    name: str  # as compared (see squeeze)
    value: str  # what follows the colon
    text: str  # as written, without the colon


def label_of(text: str) -> Label | None:
    """The label of a line such as "发布日期：2024 年 8 月 1 日", or None."""
    match = LABEL.match(text)
    if not match or match.group(1).rstrip().lower().endswith(("http", "https")):
        return None
    return Label(squeeze(match.group(1)), match.group(2).strip(), match.group(1).strip())


def case_line(case: dict[int, str]) -> str:
    """ "案件信息：caption, docket, (court)" of a case's parts by their CASE_PARTS index."""
    caption, docket, court = (case.get(i, "") for i in range(3))
    parts = [caption, docket, f"({court})" if court else ""]
    return "案件信息：" + ", ".join(part for part in parts if part)


def is_link_label(name: str) -> bool:
    return name.endswith(("链接", "网址", "主页", "官网"))


def link_kind(name: str) -> str:
    """The EntryLink kind a link label stands for; any other label is an "other" link."""
    if name in PRIMARY_LINK:
        return "primary"
    if name in REFERENCE_LINK:
        return "reference"
    if name in COMPLAINT_LINK:
        return "complaint"
    return "other"


def is_commentary_label(text: str, labels: set[str]) -> bool:
    name = squeeze(text)
    return name in labels or bool(COMMENTARY_SHAPE.fullmatch(name))


def is_known_label(text: str) -> bool:
    label = label_of(text)
    if label is None:
        return False
    name = label.name
    return (
        name in ENTRY_LABELS
        or name in PROFILE_LABELS
        or name in WRITERS
        or (name in COMMENTARY_AUTHORS and bool(label.value))
        or (is_link_label(name) and not label.value)
        or (name.endswith(TEAM_SUFFIXES) and bool(label.value))
    )


def starts_block(text: str, commentary_labels: set[str]) -> bool:
    """Whether a line can only be the first line of a paragraph."""
    return bool(
        SECTION.match(text)
        or TITLE.match(text)
        or ITEM.match(text)
        or SUBITEM.match(text)
        or BULLET.match(text)
        or is_known_label(text)
        or is_commentary_label(text, commentary_labels)
        or squeeze(text) in DISCLAIMER | CONTENTS | EDITORS_NOTE
    )


def is_structural(text: str) -> bool:
    """A line that carries structure: never taken for a running header or footer."""
    return starts_block(text, set())
