"""The values of an entry's labelled lines, and the kind of an entry.

The kind is inferred by simple rules, in this order (editors change it afterwards):
1. case: the entry has case information ("案件信息");
2. industry: its section's heading contains "行业";
3. law: its title names a statute (《…法》, 《…法案》, 《…法律》, 法案, 新法律, 法令) and a
   legislature or an act of enactment (议会, 国会, 立法机构, 参议院, 众议院, 人大, 常委会, 州长,
   总统, or 通过, 签署, 生效, 颁布, 施行, 批准);
4. regulation: anything else (rules, guidance, strategies and drafts of regulators).
"""

import datetime
import re
from functools import cache

from django.utils import translation

from entries.models import Entry

DATE_CHINESE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
DATE_NUMERIC = re.compile(r"(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})")
DOCKET = re.compile(
    r"\d{1,2}:\d{2}-[a-z]{2,4}-\d{3,6}(?:-[A-Z]{2,5})*"
    r"|[（(]\d{4}[）)][^，,;；（）()]{2,40}?号"
    r"|(?:Case\s+)?No\.\s*[\w:.\-]+",
    re.IGNORECASE,
)
TRAILING_BRACKETS = re.compile(r"[（(]([^（）()]+)[）)][\s.。]*$")
COURT_WORDS = re.compile(r"法院|仲裁|Court|Tribunal|Commission", re.IGNORECASE)
STATUTE = re.compile(r"《[^》]*(?:法|法案|法律|法令)(?:[（(][^）)]*[）)])?》|法案|新法律|法令")
ENACTMENT = re.compile(
    r"议会|国会|立法机构|参议院|众议院|人大|人民代表大会|常委会|州长|总统"
    r"|通过|签署|生效|颁布|施行|批准|Congress|Parliament"
)


def parse_date(value: str) -> datetime.date | None:
    """The date in "2024 年 8 月 1 日" or "2024-08-01", or None."""
    match = DATE_CHINESE.search(value) or DATE_NUMERIC.search(value)
    if not match:
        return None
    try:
        return datetime.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def parse_case(value: str) -> tuple[str, str, str]:
    """(caption, docket number, court) of "Doe v. Example, Inc., 3:24-cv-01234, (N.D. Cal.)"."""
    text, court = value.strip(), ""
    brackets = TRAILING_BRACKETS.search(text)
    if brackets and not DOCKET.fullmatch(brackets.group(1).strip()):
        court, text = brackets.group(1).strip(), text[: brackets.start()]
    elif len(parts := re.split(r"[,，;；]", text)) > 1 and COURT_WORDS.search(parts[-1]):
        court = parts[-1].strip()
        text = text[: text.rfind(parts[-1])]
    docket = ""
    if match := DOCKET.search(text):
        docket = match.group(0).strip()
        if docket[:1] in "（(":  # "（2024）京0491民初1 号": a line joined inside a Chinese docket
            docket = re.sub(r"\s+", "", docket)
        text = text[: match.start()] + text[match.end() :]
    text = re.sub(r"[（(]\s*[）)]", "", text)
    return text.strip(" ,，;；"), docket, court


def infer_kind(*, title: str, section_title: str, is_case: bool) -> str:
    """law, regulation, case or industry, by the rules in this module's docstring."""
    if is_case:
        return "case"
    if "行业" in section_title:
        return "industry"
    if STATUTE.search(title) and ENACTMENT.search(title):
        return "law"
    return "regulation"


@cache
def _kind_names() -> dict[str, str]:
    names = {}
    for language in ("zh-hans", "en"):
        with translation.override(language):
            names |= {re.sub(r"\s+", "", str(label)).lower(): k for k, label in Entry.Kind.choices}
    return names


def kind_named(value: str) -> str:
    """The kind a printed "类型：法律" names (in Chinese or English), or ""."""
    return _kind_names().get(re.sub(r"\s+", "", value).lower(), "")
