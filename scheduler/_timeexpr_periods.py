"""Calendar side of ``scheduler.timeexpr``: from what a time expression said to dated periods.

The parser in ``timeexpr`` reads the words and records ``Facts`` (some quarters, "monthly", a
deadline...); ``_timeexpr_assemble`` checks that those facts fit together.  The functions here
turn them into labelled periods with aware start/due instants in Asia/Ho_Chi_Minh, so the
calendar rules (end of day, leap years, ND 09/2019 report periods) live in one place.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import NamedTuple

from messages.i18n import _
from storage.timezone import VN_TZ

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
    raise InvalidPeriod(_('không hiểu số "{token}"').format(token=token))


def check_quarter(q: int, written: str) -> int:
    if not 1 <= q <= 4:
        raise InvalidPeriod(
            _("không có quý {quarter} (chỉ có quý I–IV)").format(quarter=written.upper())
        )
    return q


def check_month(m: int) -> int:
    if not 1 <= m <= 12:
        raise InvalidPeriod(_("không có tháng {month}").format(month=m))
    return m


def make_date(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise InvalidPeriod(
            _("không có ngày {date}").format(date=f"{day:02d}/{month:02d}/{year}")
        ) from None


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
    if items == {"6 tháng"}:  # every six months: two reports a year, the second at year end
        wanted.append((f"6 tháng cuối năm {year}", 7, 12))
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


def span_of_years(first: int, last: int) -> Period:
    """ "Giai đoạn 2021–2025", "Năm 2026–2028": from 1 January of the first to 31 December of
    the last year."""
    label = f"Năm {first}{DASH}{last}"
    return Period(label, start_of(date(first, 1, 1)), end_of(date(last, 12, 31)))


def date_window(first: date, last: date) -> Period:
    """ "từ ngày 10/5 đến ngày 20/6/2025": from the start of one day to the end of another."""
    label = f"{first:%d/%m}{DASH}{last:%d/%m/%Y}"
    return Period(label, start_of(first), end_of(last))


def month_span(first: tuple[int, int], last: tuple[int, int]) -> Period:
    """Months across a year end: "tháng 11/2025 - tháng 2/2026" as one window."""
    (m1, y1), (m2, y2) = first, last
    label = f"Tháng {m1}/{y1}{DASH}{m2}/{y2}"
    return Period(label, start_of(date(y1, m1, 1)), end_of(last_day(y2, m2)))


def end_of_year(year: int) -> Period:
    """ "cuối năm": the work of December, due on 31 December."""
    return Period(f"Cuối năm {year}", start_of(date(year, 12, 1)), end_of(date(year, 12, 31)))


def part_of_quarters(
    quarters: Iterable[int], part: str, year: int, day_rule: tuple[int, bool] | None
) -> list[Period]:
    """ "đầu quý" is the quarter's first month, "cuối quý" its last; with "ngày 20 của tháng
    cuối quý" the period ends on that day (the day before it for "trước ngày 20")."""
    periods = []
    for q in sorted(set(quarters)):
        month = 3 * q - 2 if part == "đầu" else 3 * q
        due = last_day(year, month)
        if day_rule is not None:
            day, before = day_rule
            due = due.replace(day=min(day, due.day)) - timedelta(days=1 if before else 0)
        label = f"{part.capitalize()} quý {_ROMAN[q]}/{year}"
        periods.append(Period(label, start_of(date(year, month, 1)), end_of(due)))
    return periods


# Monday is 0, as in ``date.weekday``.
WEEKDAY_NAMES = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật")


def weekly(weekday: int, year: int) -> list[Period]:
    """ "thứ Sáu hằng tuần": each week of the year, due at the end of that weekday."""
    day = date(year, 1, 1)
    day += timedelta(days=(weekday - day.weekday()) % 7)
    periods = []
    while day.year == year:
        week_start = max(day - timedelta(days=6), date(year, 1, 1))
        label = f"{WEEKDAY_NAMES[weekday]} {day:%d/%m/%Y}"
        periods.append(Period(label, start_of(week_start), end_of(day)))
        day += timedelta(days=7)
    return periods


def times_a_year(count: int, year: int) -> list[Period]:
    """ "ít nhất 02 lần/năm": the year cut into that many equal parts, one time in each, so
    that the minimum is met without piling up at the year end."""
    if count not in (1, 2, 3, 4, 6, 12):
        raise InvalidPeriod(_("không chia đều được {count} lần trong năm").format(count=count))
    months = 12 // count
    periods = []
    for i in range(count):
        first = 1 + i * months
        label = f"Lần {i + 1}/{year}"
        periods.append(
            Period(
                label, start_of(date(year, first, 1)), end_of(last_day(year, first + months - 1))
            )
        )
    return periods
