"""Which reporting period (*kỳ báo cáo*) /baocaoky drafts: typed, or picked among the
recent ones.

A typed period is read by the plan files' own time-expression parser, so the chat takes
what a plan writes ("Quý I/2024", "6 tháng đầu năm 2024", "Năm 2024", "Tháng 3/2024";
a year left out is the plan's), and ``report_period`` keeps it only when it is one span.

Offered, when none is typed: the quarter of the day and the one before, the half-year of
the day and the one before, and the year, all inside the plan's year. Past the plan's
year (its annual report is written in the January after), the day taken is the plan
year's last; before it, its first. A choice carries its period as one number, year and
part (``year * 10 + part``: quarters 1-4, the halves 5 and 6, the whole year 0), since
a pick keeps an integer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from messages.exports.in_chat import FIRST_HALF, ROMAN, SECOND_HALF, WHOLE_YEAR
from messages.exports.periods import PeriodError, ReportPeriod, report_period
from messages.vocabulary import fold
from scheduler.timeexpr import TimeExpressionError, parse_when


@dataclass(frozen=True)
class RecentPeriod:
    """A quarter (``part`` 1-4), a half (5: January-June, 6: July-December) or a year (0)."""

    year: int
    part: int

    @property
    def number(self) -> int:
        return self.year * 10 + self.part

    @classmethod
    def from_number(cls, number: int) -> RecentPeriod | None:
        year, part = divmod(number, 10)
        if part not in (*ROMAN, FIRST_HALF, SECOND_HALF, WHOLE_YEAR) or not 1900 < year < 3000:
            return None
        return cls(year, part)

    @property
    def text(self) -> str:
        """The period as a plan writes it: what the parser reads (data, not a reply)."""
        if self.part == FIRST_HALF:
            return f"6 tháng đầu năm {self.year}"
        if self.part == SECOND_HALF:
            return f"6 tháng cuối năm {self.year}"
        if self.part == WHOLE_YEAR:
            return f"Năm {self.year}"
        return f"Quý {ROMAN[self.part]}/{self.year}"

    @property
    def first_day(self) -> date:
        if self.part in ROMAN:
            return date(self.year, 3 * self.part - 2, 1)
        return date(self.year, 7 if self.part == SECOND_HALF else 1, 1)


def recent_periods(today: date, plan_year: int) -> list[RecentPeriod]:
    """The periods to offer on ``today`` (Vietnam's date) for a plan of ``plan_year``:
    none before the plan's year has begun."""
    day = min(max(today, date(plan_year, 1, 1)), date(plan_year, 12, 31))
    quarter = (day.month - 1) // 3 + 1
    first_half = quarter <= 2
    offered = [
        RecentPeriod(plan_year, quarter),
        RecentPeriod(plan_year, quarter - 1) if quarter > 1 else None,
        RecentPeriod(plan_year, FIRST_HALF if first_half else SECOND_HALF),
        None if first_half else RecentPeriod(plan_year, FIRST_HALF),
        RecentPeriod(plan_year, WHOLE_YEAR),
    ]
    return [period for period in offered if period is not None and period.first_day <= today]


def read_period(text: str, plan_year: int) -> ReportPeriod | None:
    """The one span ``text`` names (a year left out is ``plan_year``), or None."""
    for form in dict.fromkeys((text, as_plan_writes(text))):
        try:
            return report_period(parse_when(form, plan_year), form)
        except (TimeExpressionError, PeriodError):
            continue
    return None


# How a clerk types a period, and how a plan writes it (folded, see ``as_plan_writes``).
_SPELLINGS = (
    (r"\b(?:quy|qui|quarter|q)\s*\.?\s*(mot|nhat|1|i)\b", "quy 1"),
    (r"\b(?:quy|qui|quarter|q)\s*\.?\s*(hai|2|ii)\b", "quy 2"),
    (r"\b(?:quy|qui|quarter|q)\s*\.?\s*(ba|3|iii)\b", "quy 3"),
    (r"\b(?:quy|qui|quarter|q)\s*\.?\s*(bon|tu|4|iv)\b", "quy 4"),
    (r"\b(first|1st) quarter\b", "quy 1"),
    (r"\b(second|2nd) quarter\b", "quy 2"),
    (r"\b(third|3rd) quarter\b", "quy 3"),
    (r"\b(fourth|4th|last) quarter\b", "quy 4"),
    (
        r"\b(?:6|sau) thang dau(?: nam)?|\bnua (?:dau nam|nam dau)|\bh1\b|\bfirst half(?: of)?",
        "6 thang dau nam",
    ),
    (
        r"\b(?:6|sau) thang (?:cuoi|sau)(?: nam)?|\bnua (?:cuoi nam|nam sau|nam cuoi)|\bh2\b"
        r"|\bsecond half(?: of)?",
        "6 thang cuoi nam",
    ),
    (r"\b(?:ca nam|whole year|full year|year)\b", "nam"),
    (r"\b(quy \d|thang \d{1,2})\s*(?:[-.,]|nam)?\s*(\d{4})\b", r"\1/\2"),
    (r"^(\d{4})$", r"nam \1"),
)


def as_plan_writes(text: str) -> str:
    """``quy 1 2024``, ``Q1-2024``, ``quý một``, ``nửa đầu năm 2024``, ``H1 2024`` ->
    ``quy 1/2024``, ``quy 1``, ``6 thang dau nam 2024``: what the plans' parser reads."""
    folded = fold(text)
    for pattern, form in _SPELLINGS:
        folded = re.sub(pattern, form, folded)
    return re.sub(r"\s+", " ", folded).strip()
