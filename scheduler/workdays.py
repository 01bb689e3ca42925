"""Vietnam's working days (*ngày làm việc*), for any year, and the hours a reminder may go out.

The public holidays come from the ``holidays`` package (country VN): Tết Dương lịch, Tết
Nguyên Đán with the days around it that state employees get off, Giỗ Tổ Hùng Vương, 30/4,
1/5, Quốc khánh, the substitute days off (*nghỉ bù*) when a holiday falls on a weekend,
and the swaps the Government announces (a weekday off in exchange for a Saturday worked,
e.g. Monday 29/04/2024 off and Saturday 04/05/2024 worked). The Government sometimes
announces such a swap late, after the package was released: the operator then adds the
days in the configuration (``[calendar] extra_days_off`` / ``extra_working_days``), and
those win over the package.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays

from storage.timezone import VN_TZ

WINDOW_START = time(7, 30)
WINDOW_END = time(17, 30)


class WorkCalendar:
    """Which days are working days, and how to count them.

    ``add_working_days(day, n)`` is the n-th working day after ``day`` (before it when n is
    negative); ``day`` itself does not count, so it need not be a working day.
    """

    def __init__(
        self,
        extra_days_off: Iterable[date] = (),
        extra_working_days: Iterable[date] = (),
        *,
        window_start: time = WINDOW_START,
        window_end: time = WINDOW_END,
        tz: ZoneInfo = VN_TZ,
    ) -> None:
        self.extra_days_off = frozenset(extra_days_off)
        self.extra_working_days = frozenset(extra_working_days)
        both = self.extra_days_off & self.extra_working_days
        if both:
            raise ValueError(
                "a day cannot be both a day off and a working day: "
                + ", ".join(sorted(d.isoformat() for d in both))
            )
        if window_start >= window_end:
            raise ValueError("the sending window must start before it ends")
        self.window_start = window_start
        self.window_end = window_end
        self.tz = tz
        # Vietnamese names (the package's default language for VN); years load on demand.
        self._holidays = holidays.country_holidays("VN", language="vi")
        self._cache: dict[date, bool] = {}
        # The package fills in a year on first use; two runner threads must not both do it.
        self._lock = threading.Lock()

    def is_working_day(self, day: date) -> bool:
        known = self._cache.get(day)
        if known is None:
            if day in self.extra_working_days:
                known = True
            elif day in self.extra_days_off:
                known = False
            else:
                with self._lock:
                    known = self._holidays.is_working_day(day)
            self._cache[day] = known
        return known

    def day_off_name(self, day: date) -> str | None:
        """The public holiday's Vietnamese name ("Tết Nguyên Đán"); None for any other day,
        an extra day off of the configuration included."""
        if day in self.extra_working_days or day in self.extra_days_off:
            return None
        with self._lock:
            return self._holidays.get(day)

    def add_working_days(self, day: date, n: int) -> date:
        step = 1 if n >= 0 else -1
        remaining = abs(n)
        while remaining:
            day += timedelta(days=step)
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_day_on_or_before(self, day: date) -> date:
        while not self.is_working_day(day):
            day -= timedelta(days=1)
        return day

    def working_day_on_or_after(self, day: date) -> date:
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """How many working days lie after ``start`` up to and including ``end`` (0 if none)."""
        count = 0
        day = start
        while day < end:
            day += timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count

    def local(self, instant: datetime) -> datetime:
        if instant.tzinfo is None:
            raise ValueError("naive datetime refused: every instant must carry its time zone")
        return instant.astimezone(self.tz)

    def at(self, day: date, moment: time) -> datetime:
        """``day`` at local time ``moment``, as an aware instant."""
        return datetime.combine(day, moment, tzinfo=self.tz)

    def is_sending_moment(self, instant: datetime) -> bool:
        """A working day, between the window's start (included) and its end (excluded)."""
        local = self.local(instant)
        return (
            self.is_working_day(local.date())
            and self.window_start <= local.time() < self.window_end
        )

    def next_working_moment(self, instant: datetime) -> datetime:
        """``instant`` itself when a reminder may go out then, else the next working morning."""
        if self.is_sending_moment(instant):
            return instant
        local = self.local(instant)
        day = local.date()
        if not (self.is_working_day(day) and local.time() < self.window_start):
            day = self.add_working_days(day, 1)
        return self.at(day, self.window_start)
