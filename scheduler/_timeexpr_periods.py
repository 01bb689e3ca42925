"""Calendar side of ``scheduler.timeexpr``: from what a time expression said to dated periods.

The parser in ``timeexpr`` reads the words and records ``Facts`` (some quarters, "monthly", a
deadline...).  ``assemble`` here checks that those facts fit together and turns them into
labelled periods with aware start/due instants in Asia/Ho_Chi_Minh.  Kept apart so the parser
stays readable and the calendar rules (end of day, leap years, ND 09/2019 report periods) live
in one place.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

# Plans write quarters in Roman numerals; labels follow the same habit.
_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
# Numerals past IV are read only so that "quý V" can be refused by name.
_ROMAN_VALUES = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8}

DASH = "–"  # en dash, used in range labels such as "Quý I–II/2022"


class InvalidPeriod(ValueError):
    """A well-formed phrase naming something that cannot exist (quý V, 31/02, tháng 13)."""


class Period(NamedTuple):
    label: str
    start: datetime
    due: datetime


def start_of(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=VN_TZ)


def end_of(day: date) -> datetime:
    # Officials count a day as usable until its last second, so deadlines sit at 23:59:59.
    return datetime.combine(day, time(23, 59, 59), tzinfo=VN_TZ)


def last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def numeral(token: str) -> int:
    """Value of a quarter/month numeral written in Roman ("iv") or Arabic ("04") digits."""
    if token.isdigit():
        return int(token)
    if token in _ROMAN_VALUES:
        return _ROMAN_VALUES[token]
    raise InvalidPeriod(f'không hiểu số "{token}"')


def check_quarter(q: int, written: str) -> int:
    if not 1 <= q <= 4:
        raise InvalidPeriod(f"không có quý {written.upper()} (chỉ có quý I–IV)")
    return q


def check_month(m: int) -> int:
    if not 1 <= m <= 12:
        raise InvalidPeriod(f"không có tháng {m}")
    return m


def make_date(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise InvalidPeriod(f"không có ngày {day:02d}/{month:02d}/{year}") from None


def runs(numbers: Iterable[int]) -> list[tuple[int, int]]:
    """Group sorted numbers into consecutive runs: {1, 2, 4} -> [(1, 2), (4, 4)]."""
    result: list[tuple[int, int]] = []
    for n in sorted(set(numbers)):
        if result and result[-1][1] == n - 1:
            result[-1] = (result[-1][0], n)
        else:
            result.append((n, n))
    return result


def month_window(months: Iterable[int], year: int) -> list[Period]:
    """One period per run of consecutive months: "Tháng 3–4/2024" spans 01/03–30/04."""
    periods = []
    for first, last in runs(months):
        label = f"Tháng {first}/{year}" if first == last else f"Tháng {first}{DASH}{last}/{year}"
        periods.append(Period(label, start_of(date(year, first, 1)), end_of(last_day(year, last))))
    return periods


def quarter_window(quarters: Iterable[int], year: int) -> list[Period]:
    """One period per run of consecutive quarters: "Quý I–II/2022" spans 01/01–30/06."""
    periods = []
    for first, last in runs(quarters):
        span = _ROMAN[first] if first == last else f"{_ROMAN[first]}{DASH}{_ROMAN[last]}"
        label = f"Quý {span}/{year}"
        start = start_of(date(year, 3 * first - 2, 1))
        periods.append(Period(label, start, end_of(last_day(year, 3 * last))))
    return periods


def half_window(halves: Iterable[str], year: int) -> list[Period]:
    periods = []
    for half in sorted(set(halves), key=("đầu", "cuối").index):
        first = 1 if half == "đầu" else 7
        label = f"6 tháng {half} năm {year}"
        periods.append(
            Period(label, start_of(date(year, first, 1)), end_of(last_day(year, first + 5)))
        )
    return periods


def whole_year(year: int) -> Period:
    return Period(f"Năm {year}", start_of(date(year, 1, 1)), end_of(date(year, 12, 31)))


def deadline(day: date, start: datetime) -> Period:
    # The work may begin as soon as the plan year does, so the period opens at `start`.
    return Period(f"Hạn {day:%d/%m/%Y}", start, end_of(day))


def monthly(months: Iterable[int], year: int, day_rule: tuple[int, bool] | None) -> list[Period]:
    """Each month due at its end, or at day N ("ngày 15 hằng tháng") / N-1 ("trước ngày N")."""
    periods = []
    for m in sorted(set(months)):
        due = last_day(year, m)
        if day_rule is not None:
            day, before = day_rule
            # Short months clamp to their last day rather than spilling into the next month.
            due = due.replace(day=min(day, due.day))
            if before:
                due -= timedelta(days=1)
        periods.append(Period(f"Tháng {m}/{year}", start_of(date(year, m, 1)), end_of(due)))
    return periods


def quarterly(quarters: Iterable[int], year: int) -> list[Period]:
    return [p for q in sorted(set(quarters)) for p in quarter_window([q], year)]


# Report periods of Nghị định 09/2019/NĐ-CP: the 6-month report replaces the Q2 one and the
# annual report replaces the Q4 one, so "quý, 6 tháng, năm" means four reports, not six.
def reporting(items: set[str], year: int, report_day: int) -> list[Period]:
    wanted: list[tuple[str, int, int]] = []  # (label, first month, month the report is due)
    if "quý" in items:
        wanted.append((f"Quý I/{year}", 1, 3))
        if "6 tháng" not in items:
            wanted.append((f"Quý II/{year}", 4, 6))
    if "6 tháng" in items:
        wanted.append((f"6 tháng đầu năm {year}", 1, 6))
    if "quý" in items:
        wanted.append((f"Quý III/{year}", 7, 9))
        if "năm" not in items:
            wanted.append((f"Quý IV/{year}", 10, 12))
    if "năm" in items:
        wanted.append((f"Năm {year}", 1, 12))
    periods = []
    for label, first, due_month in wanted:
        due_day = min(report_day, last_day(year, due_month).day)
        periods.append(
            Period(label, start_of(date(year, first, 1)), end_of(date(year, due_month, due_day)))
        )
    return periods


@dataclass
class Facts:
    """What the phrases of one expression said, before they are checked against each other."""

    years: set[int] = field(default_factory=set)
    continuous: bool = False
    quarters: set[int] = field(default_factory=set)
    months: set[int] = field(default_factory=set)
    halves: set[str] = field(default_factory=set)  # "đầu", "cuối"
    deadlines: list[tuple[int, int, int | None, bool]] = field(default_factory=list)
    recurring: set[str] = field(default_factory=set)  # "monthly", "quarterly", "yearly"
    reporting: set[str] = field(default_factory=set)  # "quý", "6 tháng", "năm"
    day_rule: tuple[int, bool] | None = None  # (day, before) of "trước ngày 20 hằng tháng"


_CLASH = "các mốc thời gian không ghép được với nhau"


def assemble(f: Facts, year: int, report_day: int) -> tuple[str, list[Period], str | None]:
    """(kind value, periods, recurrence) for the facts; InvalidPeriod if they contradict."""
    if len(f.years) > 1:
        raise InvalidPeriod("có nhiều năm khác nhau: " + ", ".join(map(str, sorted(f.years))))
    year = next(iter(f.years), year)
    windows = sum(map(bool, (f.quarters, f.months, f.halves)))
    if len(f.recurring) + bool(f.reporting) > 1:
        raise InvalidPeriod(_CLASH)
    if f.day_rule and f.recurring != {"monthly"}:
        raise InvalidPeriod(f"ngày {f.day_rule[0]} không kèm tháng")

    if f.deadlines:
        if len(f.deadlines) > 1 or windows or f.recurring or f.reporting or f.continuous:
            raise InvalidPeriod(_CLASH)
        day, month, explicit_year, before = f.deadlines[0]
        due = make_date(explicit_year or year, month, day)
        if before:  # "trước ngày 15/01" leaves 14/01 as the last day to deliver
            due -= timedelta(days=1)
        # Work may start with the plan year, unless the deadline falls before that year.
        return "deadline", [deadline(due, start_of(date(min(year, due.year), 1, 1)))], None

    if f.reporting:
        if windows:
            raise InvalidPeriod(_CLASH)
        return "recurring", reporting(f.reporting, year, report_day), "reporting"
    if "monthly" in f.recurring:
        if f.quarters or f.halves:  # an explicit month range only narrows the months
            raise InvalidPeriod(_CLASH)
        return "recurring", monthly(f.months or range(1, 13), year, f.day_rule), "monthly"
    if "quarterly" in f.recurring:
        if f.months or f.halves:
            raise InvalidPeriod(_CLASH)
        return "recurring", quarterly(f.quarters or range(1, 5), year), "quarterly"
    if "yearly" in f.recurring:
        if windows:
            raise InvalidPeriod(_CLASH)
        return "recurring", [whole_year(year)], "yearly"

    if windows > 1:
        raise InvalidPeriod(_CLASH)
    # "Thường xuyên" next to an explicit span ("thường xuyên từ tháng 3...") means that span.
    if f.quarters:
        return "window", quarter_window(f.quarters, year), None
    if f.months:
        return "window", month_window(f.months, year), None
    if f.halves:
        return "window", half_window(f.halves, year), None
    if f.continuous or f.years:  # "thường xuyên", "trong năm 2022", "năm 2022"
        return "continuous", [whole_year(year)], None
    raise InvalidPeriod("không có mốc thời gian nào")
