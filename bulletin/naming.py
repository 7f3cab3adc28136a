"""How an issue is named to readers, in every output: one period, one number.

"2024 年 8 月刊 · 第 1 期" in Chinese, "August 2024 · No. 1" in English; the volume an editor
may have typed ("2024 年第 8 期") is shown only when it says something the period does not.
"""

import calendar
import re

from django.utils.translation import get_language

DIGITS = re.compile(r"\d+")


def _field(issue, name: str):
    return issue.get(name) if isinstance(issue, dict) else getattr(issue, name, None)


def _chinese(language: str | None) -> bool:
    return (language or get_language() or "").startswith("zh")


def issue_period(issue, language: str | None = None) -> str:
    """The month the issue covers."""
    year, month = _field(issue, "year"), _field(issue, "month")
    if _chinese(language):
        return f"{year} 年 {month} 月刊"
    return f"{calendar.month_name[int(month)]} {year}"


def volume_for_readers(issue) -> str:
    """The volume, unless its numbers are only the year and month again."""
    volume = (_field(issue, "volume") or "").strip()
    numbers = {int(n) for n in DIGITS.findall(volume)}
    period = {int(_field(issue, "year")), int(_field(issue, "month"))}
    if not volume or numbers and numbers <= period:
        return ""
    return volume


def issue_name(issue, language: str | None = None) -> str:
    """Period, number and (when it adds something) the volume."""
    number = _field(issue, "number")
    parts = [issue_period(issue, language)]
    parts.append(f"第 {number} 期" if _chinese(language) else f"No. {number}")
    volume = volume_for_readers(issue)
    if volume:
        parts.append(volume)
    return " · ".join(parts)


def title_repeats_period(title: str, issue, language: str | None = None) -> bool:
    """Whether an issue's title only says the month again ("2024 年 8 月刊")."""
    compact = "".join((title or "").split())
    return not compact or compact in "".join(issue_name(issue, language).split())
