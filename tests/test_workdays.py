"""Vietnam's working days: weekends, Tết, substitute days off, swapped Saturdays, and the
operator's extra days; the sending window."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from scheduler.workdays import WorkCalendar
from storage.timezone import VN_TZ

CAL = WorkCalendar()


def d(text: str) -> date:
    return date.fromisoformat(text)


def local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=VN_TZ)


def test_tet_2024_is_eight_to_fourteen_february():
    days = [d("2024-02-07") + timedelta(days=n) for n in range(9)]
    assert [CAL.is_working_day(day) for day in days] == [
        True,  # Wed 7: last working day before Tết
        *[False] * 7,  # Thu 8 (29 Tết) ... Wed 14 (mùng 5)
        True,  # Thu 15
    ]
    assert CAL.day_off_name(d("2024-02-10")) == "Tết Nguyên Đán"


@pytest.mark.parametrize(
    ("day", "working", "why"),
    [
        ("2024-01-01", False, "Tết Dương lịch"),
        ("2024-03-30", False, "a Saturday"),
        ("2024-03-31", False, "a Sunday"),
        ("2024-04-18", False, "Giỗ Tổ Hùng Vương"),
        ("2024-04-29", False, "day off swapped for Saturday 04/05/2024"),
        ("2024-04-30", False, "Ngày Chiến thắng"),
        ("2024-05-01", False, "Quốc tế Lao động"),
        ("2024-05-04", True, "the Saturday worked in exchange"),
        ("2024-09-03", False, "Quốc khánh, second day"),
        ("2022-01-03", False, "Tết Dương lịch 2022 fell on a Saturday: Monday off"),
        ("2023-01-02", False, "Tết Dương lịch 2023 fell on a Sunday: Monday off"),
        ("2022-01-04", True, "an ordinary Tuesday"),
        ("2031-01-23", False, "Tết 2031: any year works"),
    ],
)
def test_days_off_and_working_days(day, working, why):
    assert CAL.is_working_day(d(day)) is working, why


def test_the_operator_adds_days_off_and_working_days():
    calendar = WorkCalendar(extra_days_off=[d("2024-03-08")], extra_working_days=[d("2024-02-10")])
    assert not calendar.is_working_day(d("2024-03-08"))
    assert calendar.day_off_name(d("2024-03-08")) is None  # no holiday's name to give
    assert calendar.is_working_day(d("2024-02-10"))  # wins over Tết
    assert calendar.day_off_name(d("2024-02-10")) is None
    with pytest.raises(ValueError, match="2024-03-08"):
        WorkCalendar(extra_days_off=[d("2024-03-08")], extra_working_days=[d("2024-03-08")])


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        ("2024-02-07", 1, "2024-02-15"),  # over Tết
        ("2024-02-15", -1, "2024-02-07"),
        ("2024-02-10", 1, "2024-02-15"),  # from a day off
        ("2024-02-10", -1, "2024-02-07"),
        ("2024-04-26", 1, "2024-05-02"),  # over 27/4 - 1/5
        ("2024-05-03", 1, "2024-05-04"),  # the Saturday worked
        ("2024-03-29", -7, "2024-03-20"),
        ("2024-03-01", 0, "2024-03-01"),
    ],
)
def test_add_working_days(start, n, expected):
    assert CAL.add_working_days(d(start), n) == d(expected)


def test_working_days_between_counts_after_start_up_to_end():
    assert CAL.working_days_between(d("2024-02-06"), d("2024-02-15")) == 2  # 7th and 15th
    assert CAL.working_days_between(d("2024-03-28"), d("2024-03-31")) == 1  # Fri 29th only
    assert CAL.working_days_between(d("2024-03-31"), d("2024-03-28")) == 0


@pytest.mark.parametrize(
    ("instant", "expected"),
    [
        ("2024-02-26 09:15", "2024-02-26 09:15"),  # inside the window: as is
        ("2024-02-26 07:30", "2024-02-26 07:30"),
        ("2024-02-26 06:00", "2024-02-26 07:30"),  # early: the same morning
        ("2024-02-26 17:30", "2024-02-27 07:30"),  # the window ends at 17:30
        ("2024-02-26 22:00", "2024-02-27 07:30"),
        ("2024-03-01 18:00", "2024-03-04 07:30"),  # Friday night: Monday
        ("2024-02-07 20:00", "2024-02-15 07:30"),  # the eve of Tết: after Tết
        ("2024-05-03 19:00", "2024-05-04 07:30"),  # the Saturday worked
    ],
)
def test_next_working_moment(instant, expected):
    assert CAL.next_working_moment(local(instant)) == local(expected)


def test_a_narrower_window_and_naive_instants():
    calendar = WorkCalendar(window_start=time(8, 0), window_end=time(11, 0))
    assert calendar.next_working_moment(local("2024-02-26 11:00")) == local("2024-02-27 08:00")
    with pytest.raises(ValueError):
        calendar.next_working_moment(datetime(2024, 2, 26, 9, 0))  # noqa: DTZ001
    with pytest.raises(ValueError):
        WorkCalendar(window_start=time(18, 0), window_end=time(8, 0))
