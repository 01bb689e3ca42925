"""The reminder policy as a pure function: a due instant in, the planned (instant, step) out.

Each expected schedule below was counted by hand on the 2024 calendar (Tết 8–14/02,
Giỗ Tổ 18/04, 29/04 swapped for Saturday 04/05, 30/04 and 01/05 off).
"""

from __future__ import annotations

from datetime import datetime

import pytest

from scheduler.policy import (
    PolicyBook,
    PolicyError,
    ReminderPolicy,
    planned_reminders,
    policies_from_config,
    policy_with,
)
from scheduler.workdays import WorkCalendar
from storage.timezone import VN_TZ

CAL = WorkCalendar()
DEFAULT = ReminderPolicy()


def end_of(day: str) -> datetime:
    return datetime.fromisoformat(f"{day} 23:59:59").replace(tzinfo=VN_TZ)


def schedule(due: str, policy: ReminderPolicy = DEFAULT) -> list[tuple[str, str]]:
    return [
        (p.at.astimezone(VN_TZ).strftime("%a %d/%m %H:%M"), p.step)
        for p in planned_reminders(end_of(due), CAL, policy)
    ]


def test_a_deadline_on_a_working_day():
    # Cửa Lò T2 "Tháng 2": Thursday 29/02/2024.
    assert schedule("2024-02-29") == [
        ("Tue 20/02 08:00", "before-7"),
        ("Mon 26/02 08:00", "before-3"),
        ("Wed 28/02 08:00", "before-1"),
        ("Thu 29/02 08:00", "due"),
        ("Mon 04/03 08:00", "after-1"),
        ("Wed 06/03 08:00", "after-2"),
        ("Thu 07/03 08:00", "escalate"),
        ("Fri 08/03 08:00", "after-3"),
        ("Tue 12/03 08:00", "after-4"),
        ("Thu 14/03 08:00", "after-5"),
        ("Mon 18/03 08:00", "after-6"),
        ("Wed 20/03 08:00", "after-7"),
        ("Fri 22/03 08:00", "after-8"),
        ("Tue 26/03 08:00", "after-9"),
        ("Thu 28/03 08:00", "after-10"),
    ]


def test_a_deadline_on_tet_is_reminded_before_tet_and_followed_up_after_it():
    # Saturday 10/02/2024, mùng 1 Tết: the due-day reminder goes on Wednesday 07/02, the
    # last working day before it; the before-N count back from that day.
    assert schedule("2024-02-10")[:8] == [
        ("Mon 29/01 08:00", "before-7"),
        ("Fri 02/02 08:00", "before-3"),
        ("Tue 06/02 08:00", "before-1"),
        ("Wed 07/02 08:00", "due"),
        ("Fri 16/02 08:00", "after-1"),  # 15 and 16/02 are the first working days late
        ("Tue 20/02 08:00", "after-2"),
        ("Wed 21/02 08:00", "escalate"),
        ("Thu 22/02 08:00", "after-3"),
    ]


def test_a_deadline_on_a_sunday():
    # Cửa Lò T3 "Tháng 3": Sunday 31/03/2024; late reminders skip Giỗ Tổ (18/04) and
    # 29/04–01/05.
    assert schedule("2024-03-31") == [
        ("Wed 20/03 08:00", "before-7"),
        ("Tue 26/03 08:00", "before-3"),
        ("Thu 28/03 08:00", "before-1"),
        ("Fri 29/03 08:00", "due"),
        ("Tue 02/04 08:00", "after-1"),
        ("Thu 04/04 08:00", "after-2"),
        ("Fri 05/04 08:00", "escalate"),
        ("Mon 08/04 08:00", "after-3"),
        ("Wed 10/04 08:00", "after-4"),
        ("Fri 12/04 08:00", "after-5"),
        ("Tue 16/04 08:00", "after-6"),
        ("Fri 19/04 08:00", "after-7"),
        ("Tue 23/04 08:00", "after-8"),
        ("Thu 25/04 08:00", "after-9"),
        ("Thu 02/05 08:00", "after-10"),
    ]


def test_a_deadline_on_a_holiday_and_the_saturday_worked():
    # Cửa Lò T4 "Tháng 3 đến tháng 4": Tuesday 30/04/2024, a holiday; 29/04 is off too.
    assert schedule("2024-04-30")[:7] == [
        ("Tue 16/04 08:00", "before-7"),  # 18/04 (Giỗ Tổ) is not counted
        ("Tue 23/04 08:00", "before-3"),
        ("Thu 25/04 08:00", "before-1"),
        ("Fri 26/04 08:00", "due"),
        ("Fri 03/05 08:00", "after-1"),
        ("Mon 06/05 08:00", "after-2"),  # Saturday 04/05 was worked: it counts
        ("Tue 07/05 08:00", "escalate"),
    ]


def test_a_plan_of_its_own():
    policy = policy_with(
        ReminderPolicy(),
        {
            "before": [1, 5, 5],
            "at": "09:15",
            "after_every": 3,
            "after_max": 2,
            "escalate_after": 0,
            "on_due_day": False,
        },
    )
    assert policy.before == (5, 1)
    assert schedule("2024-02-29", policy) == [
        ("Thu 22/02 09:15", "before-5"),
        ("Wed 28/02 09:15", "before-1"),
        ("Tue 05/03 09:15", "after-1"),
        ("Fri 08/03 09:15", "after-2"),
    ]


def test_a_time_outside_the_window_moves_to_the_window():
    early = policy_with(ReminderPolicy(), {"at": "06:00", "before": [], "after_max": 1})
    late = policy_with(ReminderPolicy(), {"at": "19:00", "before": [], "after_max": 0})
    assert schedule("2024-02-29", early) == [
        ("Thu 29/02 07:30", "due"),
        ("Mon 04/03 07:30", "after-1"),
        ("Thu 07/03 07:30", "escalate"),
    ]
    assert schedule("2024-02-29", late) == [
        ("Fri 01/03 07:30", "due"),
        ("Fri 08/03 07:30", "escalate"),
    ]


def test_the_book_gives_each_plan_its_policy():
    book = policies_from_config(
        {"before": [3, 1], "tick_seconds": 30},  # keys of the outbox are not the policy's
        {"long-ho-2022": {"escalate_after": 3}},
    )
    assert book.default.before == (3, 1)
    assert book.for_plan("long-ho-2022") == ReminderPolicy(before=(3, 1), escalate_after=3)
    assert book.for_plan("cua-lo-2024") == book.default
    assert PolicyBook().default == ReminderPolicy()


@pytest.mark.parametrize(
    ("defaults", "plans", "message"),
    [
        ({"before": [0]}, {}, "reminders.before: cần một số nguyên từ 1 trở lên, không phải 0"),
        ({"before": "7"}, {}, "reminders.before: cần một danh sách số ngày, không phải '7'"),
        (
            {"at": "8h"},
            {},
            'reminders.at: cần giờ dạng "HH:MM" (ví dụ "08:00"), không phải \'8h\'',
        ),
        ({"after_every": 0}, {}, "reminders.after_every: cần một số nguyên từ 1 trở lên"),
        ({"on_due_day": "yes"}, {}, "reminders.on_due_day: cần true hoặc false"),
        ({}, {"x": {"window_start": "07:00"}}, "reminders.plans.x.window_start: khóa không có"),
        ({}, {"x": 5}, "reminders.plans.x: cần một bảng"),
        ({}, 3, "reminders.plans: cần các bảng"),
    ],
)
def test_bad_settings_are_refused_with_their_key(defaults, plans, message):
    with pytest.raises(PolicyError) as error:
        policies_from_config(defaults, plans)
    assert str(error.value).startswith(message)
