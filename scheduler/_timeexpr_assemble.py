"""What one time expression said (``Facts``), checked and turned into dated periods.

``scheduler.timeexpr`` reads the words into ``Facts``; ``assemble`` here decides what they
mean together: one window, a deadline, or a rhythm repeated over each year of the plan's
period.  A plan may span years (2025-2030): a rhythm with no year of its own ("hằng quý",
"Thường xuyên", "Tháng 12 hằng năm") recurs in every one of them, while a window with no
year falls in the plan's first year and one with its own year ("Quý II/2027") in that year.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from messages.i18n import _
from scheduler import _timeexpr_periods as periods
from scheduler._timeexpr_periods import InvalidPeriod, Period


@dataclass
class Facts:
    """What the phrases of one expression said, before they are checked against each other."""

    years: set[int] = field(default_factory=set)
    span: tuple[int, int] | None = None  # "giai đoạn 2021-2025"
    continuous: bool = False  # thường xuyên, liên tục, quanh năm
    whole_year: bool = False  # trong năm, cả năm
    quarters: set[int] = field(default_factory=set)
    quarter_part: str | None = None  # "đầu" or "cuối" of "đầu quý", "tháng cuối quý"
    months: set[int] = field(default_factory=set)
    month_span: tuple[tuple[int, int], tuple[int, int]] | None = None  # across a year end
    halves: set[str] = field(default_factory=set)  # "đầu", "cuối"
    end_of_year: bool = False  # cuối năm
    # (day, month, year or None, "trước" (the day before), "từ" (opens a range))
    deadlines: list[tuple[int, int, int | None, bool, bool]] = field(default_factory=list)
    recurring: set[str] = field(default_factory=set)  # "monthly", "quarterly", "yearly", ...
    reporting: set[str] = field(default_factory=set)  # "quý", "6 tháng", "năm"
    day_rule: tuple[int, bool] | None = None  # (day, before) of "trước ngày 20 hằng tháng"
    weekday: int | None = None  # "thứ Sáu hằng tuần": 4
    count: int | None = None  # "ít nhất 02 lần/năm": 2


def clash() -> InvalidPeriod:
    return InvalidPeriod(_("các mốc thời gian không ghép được với nhau"))


Assembled = tuple[str, list[Period], str | None]


def _cycle_years(f: Facts, first: int, last: int) -> range:
    """The years a rhythm recurs in: its own year, its own span, or the plan's period."""
    if f.years:
        year = next(iter(f.years))
        return range(year, year + 1)
    if f.span:
        return range(f.span[0], f.span[1] + 1)
    return range(first, last + 1)


def _each_year(years: range, make: Callable[[int], list[Period]]) -> list[Period]:
    return [period for year in years for period in make(year)]


def _deadline_date(day: int, month: int, year: int, before: bool) -> date:
    due = periods.make_date(year, month, day)
    return due - timedelta(days=1) if before else due  # "trước ngày 15" leaves the 14th


def _deadlines(f: Facts, single: int, years: range, windows: int) -> Assembled:
    opening = [d for d in f.deadlines if d[4]]
    if opening:  # "từ ngày 10/5 đến ngày 20/6/2025": one window between two days
        if len(f.deadlines) != 2 or f.deadlines[0] is not opening[0] or windows or f.recurring:
            raise clash()
        (d1, m1, y1, _b1, _o1), (d2, m2, y2, before, _o2) = f.deadlines
        last_year = y2 or y1 or single
        first_year = y1 or (last_year if (m1, d1) <= (m2, d2) else last_year - 1)
        first = periods.make_date(first_year, m1, d1)
        last = _deadline_date(d2, m2, last_year, before)
        if first > last:
            raise InvalidPeriod(_("khoảng ngày ngược"))
        return "window", [periods.date_window(first, last)], None
    if windows or f.reporting or f.continuous or f.recurring - {"yearly"}:
        raise clash()
    if "yearly" in f.recurring:  # "trước ngày 10/6 và 10/12 hằng năm"
        if any(d[2] for d in f.deadlines):
            raise clash()

        def dated(year: int) -> list[Period]:
            return [
                periods.deadline(
                    _deadline_date(d, m, year, before), periods.start_of(date(year, 1, 1))
                )
                for d, m, _y, before, _o in f.deadlines
            ]

        return "recurring", sorted(_each_year(years, dated), key=lambda p: p.due), "yearly"
    result = []
    for day, month, explicit, before, _o in f.deadlines:
        due = _deadline_date(day, month, explicit or single, before)
        # Work may start with the plan year, unless the deadline falls before that year.
        result.append(periods.deadline(due, periods.start_of(date(min(single, due.year), 1, 1))))
    return "deadline", sorted(result, key=lambda p: p.due), None


def _year_template(f: Facts, day_rule: tuple[int, bool] | None) -> Callable[[int], list[Period]]:
    """What one year of "… hằng năm" holds: "Tháng 12 hằng năm", "Quý I hằng năm"..."""
    if f.quarters:
        part = f.quarter_part
        if part:
            return lambda y: periods.part_of_quarters(f.quarters, part, y, day_rule)
        return lambda y: periods.quarter_window(f.quarters, y)
    if f.months:
        return lambda y: periods.month_window(f.months, y)
    if f.halves:
        return lambda y: periods.half_window(f.halves, y)
    if f.end_of_year:
        return lambda y: [periods.end_of_year(y)]
    if f.count:
        count = f.count
        return lambda y: periods.times_a_year(count, y)
    return lambda y: [periods.whole_year(y)]


def assemble(f: Facts, year: int, report_day: int, last_year: int | None = None) -> Assembled:
    """(kind value, periods, recurrence) for the facts; InvalidPeriod if they contradict.

    ``year`` is the plan's first year, ``last_year`` its last (the same by default)."""
    if len(f.years) > 1:
        raise InvalidPeriod(
            _("có nhiều năm khác nhau: {years}").format(years=", ".join(map(str, sorted(f.years))))
        )
    if f.span and f.years:
        raise clash()
    single = next(iter(f.years), year)
    years = _cycle_years(f, year, max(year, last_year or year))
    windows = sum(map(bool, (f.quarters, f.months, f.halves, f.month_span, f.end_of_year, f.span)))
    if f.count and not f.recurring:
        f.recurring.add("yearly")  # "02 lần/năm" is a yearly rhythm of two
    if len(f.recurring) + bool(f.reporting) > 1:
        raise clash()
    if f.day_rule and f.recurring != {"monthly"} and not f.quarter_part:
        raise InvalidPeriod(_("ngày {day} không kèm tháng").format(day=f.day_rule[0]))
    if f.deadlines:
        return _deadlines(f, single, years, windows)
    if f.reporting:
        if windows - bool(f.span):
            raise clash()
        items = f.reporting
        return (
            "recurring",
            _each_year(years, lambda y: periods.reporting(items, y, report_day)),
            ("reporting"),
        )
    if "weekly" in f.recurring:
        if f.weekday is None or windows - bool(f.span):
            raise InvalidPeriod(_("cần thứ trong tuần, ví dụ thứ Sáu hằng tuần"))
        weekday = f.weekday
        return "recurring", _each_year(years, lambda y: periods.weekly(weekday, y)), "weekly"
    if "monthly" in f.recurring:
        if f.quarters or f.halves or f.month_span or f.end_of_year:
            raise clash()  # an explicit month range only narrows the months
        months = f.months or range(1, 13)
        rule = f.day_rule
        return (
            "recurring",
            _each_year(years, lambda y: periods.monthly(months, y, rule)),
            ("monthly"),
        )
    if "quarterly" in f.recurring or (f.quarter_part and not f.quarters):
        if f.months or f.halves or f.month_span or f.end_of_year:
            raise clash()
        quarters = f.quarters or set(range(1, 5))
        part, rule = f.quarter_part, f.day_rule
        if part:
            make = lambda y: periods.part_of_quarters(quarters, part, y, rule)  # noqa: E731
        else:
            make = lambda y: periods.quarterly(quarters, y)  # noqa: E731
        return "recurring", _each_year(years, make), "quarterly"
    if "yearly" in f.recurring:
        if windows - bool(f.span) > 1:
            raise clash()
        return "recurring", _each_year(years, _year_template(f, f.day_rule)), "yearly"

    if windows > 1:
        raise clash()
    # "Thường xuyên" next to an explicit span ("thường xuyên từ tháng 3...") means that span.
    if f.quarters:
        if f.quarter_part:
            return (
                "window",
                periods.part_of_quarters(f.quarters, f.quarter_part, single, None),
                (None),
            )
        return "window", periods.quarter_window(f.quarters, single), None
    if f.months:
        return "window", periods.month_window(f.months, single), None
    if f.month_span:
        return "window", [periods.month_span(*f.month_span)], None
    if f.halves:
        return "window", periods.half_window(f.halves, single), None
    if f.end_of_year:
        return "window", [periods.end_of_year(single)], None
    if f.continuous:  # an ongoing duty: one period a year, over the plan's period
        return "continuous", _each_year(years, lambda y: [periods.whole_year(y)]), None
    if f.span:
        return "window", [periods.span_of_years(*f.span)], None
    if f.whole_year or f.years:  # "trong năm 2022", "cả năm", "năm 2022", "2026"
        return "window", [periods.whole_year(single)], None
    raise InvalidPeriod(_("không có mốc thời gian nào"))
