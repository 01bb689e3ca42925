"""The reporting period (*kỳ báo cáo*) of a periodic report, and how a report names it.

A period is one span of time, as a person types it: "Quý I/2024", "6 tháng đầu năm 2024",
"Năm 2024", "Tháng 3/2024". Reading the text is the time-expression parser's work
(``scheduler.timeexpr.parse_when``); since ``messages`` may not import ``scheduler``, the
caller parses and hands the schedule to ``report_period``, which keeps it only when it is
one span (a recurring expression such as "hằng quý" names many periods, not one).

``period_phrase`` says the span the way a report's title does, from its dates alone, so
"Quý I và II/2024" and "6 tháng đầu năm 2024" both become "6 tháng đầu năm 2024".
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Protocol

from messages.dates import VN_TZ, short_date
from messages.i18n import _

_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


class PeriodError(ValueError):
    """A text that is not one reporting period; ``str()`` says what to type instead."""


class _Span(Protocol):
    @property
    def period(self) -> str: ...
    @property
    def start(self) -> datetime | None: ...
    @property
    def due(self) -> datetime | None: ...


class _Schedule(Protocol):
    """What ``report_period`` needs of ``scheduler.timeexpr.Schedule``."""

    @property
    def occurrences(self) -> Sequence[_Span]: ...


@dataclass(frozen=True)
class ReportPeriod:
    """One span: ``label`` as the parser names it ("Quý I/2024"), ``start`` its first
    instant, ``end`` its last (both aware)."""

    label: str
    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError("a report period needs aware instants")
        if self.end < self.start:
            raise ValueError("a report period cannot end before it starts")

    def covers(self, moment: datetime) -> bool:
        return self.start <= moment <= self.end


def report_period(schedule: _Schedule, text: str) -> ReportPeriod:
    """The one span ``schedule`` (parsed from ``text``) names, or ``PeriodError``."""
    spans = list(schedule.occurrences)
    if len(spans) != 1 or spans[0].start is None or spans[0].due is None:
        raise PeriodError(
            _(
                '"{text}" không phải một kỳ báo cáo. Hãy ghi một tháng, quý, 6 tháng '
                "hoặc năm, ví dụ: Quý I/2024, 6 tháng đầu năm 2024, Năm 2024."
            ).format(text=text)
        )
    span = spans[0]
    assert span.start is not None and span.due is not None
    return ReportPeriod(span.period, span.start, span.due)


def _local_days(period: ReportPeriod) -> tuple[date, date]:
    return period.start.astimezone(VN_TZ).date(), period.end.astimezone(VN_TZ).date()


def _whole_months(first: date, last: date) -> bool:
    return first.day == 1 and last.day == calendar.monthrange(last.year, last.month)[1]


def period_phrase(period: ReportPeriod) -> str:
    """The period as it reads inside a sentence: "quý I năm 2024", "năm 2024"..."""
    first, last = _local_days(period)
    if not _whole_months(first, last):
        return _("từ ngày {start} đến ngày {end}").format(
            start=short_date(first), end=short_date(last)
        )
    if first.year != last.year:
        return _("từ tháng {m1}/{y1} đến tháng {m2}/{y2}").format(
            m1=first.month, y1=first.year, m2=last.month, y2=last.year
        )
    year, m1, m2 = first.year, first.month, last.month
    if (m1, m2) == (1, 12):
        return _("năm {year}").format(year=year)
    if m1 == m2:
        return _("tháng {month} năm {year}").format(month=m1, year=year)
    if (m1, m2) == (7, 12):
        return _("6 tháng cuối năm {year}").format(year=year)
    if m1 % 3 == 1 and m2 == m1 + 2:
        return _("quý {quarter} năm {year}").format(quarter=_ROMAN[m2 // 3], year=year)
    if m1 == 1:
        return _("{months} tháng đầu năm {year}").format(months=m2, year=year)
    if m1 % 3 == 1 and m2 % 3 == 0:
        return _("từ quý {q1} đến quý {q2} năm {year}").format(
            q1=_ROMAN[(m1 + 2) // 3], q2=_ROMAN[m2 // 3], year=year
        )
    return _("từ tháng {m1} đến tháng {m2} năm {year}").format(m1=m1, m2=m2, year=year)


def next_period(period: ReportPeriod) -> ReportPeriod:
    """The span of the same length that follows ``period``: the quarter after a quarter, the
    next half-year after a half-year; a span of days is followed by as many days."""
    first, last = _local_days(period)
    start = (period.end + timedelta(seconds=1)).astimezone(VN_TZ).replace(microsecond=0)
    if _whole_months(first, last):
        months = (last.year - first.year) * 12 + last.month - first.month + 1
        index = start.year * 12 + start.month - 1 + months - 1
        year, month = divmod(index, 12)
        end_day = date(year, month + 1, calendar.monthrange(year, month + 1)[1])
        end = datetime.combine(end_day, time(23, 59, 59), VN_TZ)
    else:
        end = start + (period.end - period.start)
    following = ReportPeriod("", start, end)
    return ReportPeriod(period_phrase(following), start, end)
