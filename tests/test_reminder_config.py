"""The configuration of time: [clock], [calendar] and [reminders], read and refused by key."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest

from bot.config import ConfigError
from bot.config_load import load_config
from bot.timing import make_clock, reminder_policies, reminder_runner, work_calendar
from scheduler.clock import RealClock, SimulatedClock, clock_from_config
from scheduler.policy import ReminderPolicy
from tests.fakes.chat_channel import RecordingSender

ROOT = Path(__file__).resolve().parent.parent


def load(tmp_path: Path, text: str):
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return load_config(path, environ={})


def test_the_defaults_are_the_real_clock_and_the_issue_s_policy():
    config = load_config(ROOT / "config.example.toml", environ={})
    assert isinstance(make_clock(config), RealClock)
    assert reminder_policies(config).default == ReminderPolicy()
    calendar = work_calendar(config)
    assert (calendar.window_start, calendar.window_end) == (time(7, 30), time(17, 30))
    assert config.reminders.tick_seconds == 30.0


def test_a_simulated_clock_starts_where_the_config_says(tmp_path):
    config = load(
        tmp_path,
        '[clock]\nmode = "simulated"\nstart = "2024-02-26T07:55:00+07:00"\nspeed = 0\n',
    )
    clock = make_clock(config)
    assert isinstance(clock, SimulatedClock)
    assert clock.now() == datetime(2024, 2, 26, 0, 55, tzinfo=UTC)
    fast = clock_from_config("simulated", "2024-02-26T07:55:00+07:00", 3600.0)
    assert fast.now() >= datetime(2024, 2, 26, 0, 55, tzinfo=UTC)


def test_extra_days_and_a_plan_of_its_own(tmp_path, sqlite_url):
    config = load(
        tmp_path,
        '[calendar]\nextra_days_off = ["2024-03-08"]\nextra_working_days = [2024-02-10]\n\n'
        '[reminders]\nbefore = [5, 2]\nwindow_end = "16:00"\ngive_up_after_hours = 4\n\n'
        "[reminders.plans.long-ho-2022]\nescalate_after = 3\nafter_max = 0\n",
    )
    calendar = work_calendar(config)
    assert not calendar.is_working_day(date(2024, 3, 8))
    assert calendar.is_working_day(date(2024, 2, 10))  # a TOML date works as well
    assert calendar.window_end == time(16, 0)
    book = reminder_policies(config)
    assert book.default.before == (5, 2)
    assert book.for_plan("long-ho-2022") == ReminderPolicy(
        before=(5, 2), escalate_after=3, after_max=0
    )
    from storage.engine import make_engine

    engine = make_engine(sqlite_url)
    runner = reminder_runner(config, engine, make_clock(config), RecordingSender(RealClock()))
    assert (runner.settings.give_up_after, runner.tick_seconds) == (timedelta(hours=4), 30.0)
    engine.dispose()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[clock]\nmode = "fast"\n', "clock.mode: chỉ nhận real hoặc simulated"),
        ('[clock]\nstart = "2024-02-26T07:55:00"\n', "clock.start: thiếu múi giờ (ví dụ +07:00)"),
        ('[clock]\nstart = "mai"\n', 'clock.start: cần thời điểm dạng "2024-02-26T07:55'),
        ("[clock]\nspeed = -1\n", "clock.speed: không được âm"),
        ('[calendar]\nextra_days_off = ["30/4"]\n', "calendar.extra_days_off: cần ngày dạng"),
        (
            '[calendar]\nextra_days_off = ["2024-05-02"]\nextra_working_days = ["2024-05-02"]\n',
            "calendar: ngày vừa là ngày nghỉ vừa là ngày làm việc: 2024-05-02",
        ),
        ("[reminders]\nbefore = [7, 0]\n", "reminders.before: cần một số nguyên từ 1 trở lên"),
        ('[reminders]\nat = "8 giờ"\n', 'reminders.at: cần giờ dạng "HH:MM"'),
        ('[reminders]\nwindow_start = "18:00"\n', "reminders.window_start: giờ bắt đầu gửi phải"),
        ("[reminders]\ntick_seconds = 0\n", "reminders.tick_seconds: cần một số giây lớn hơn 0"),
        (
            "[reminders]\ngive_up_after_hours = 0\n",
            "reminders.give_up_after_hours: cần một số giờ lớn hơn 0",
        ),
        ("[reminders]\nevery = 2\n", "reminders.every: khóa không có trong cấu hình"),
        (
            "[reminders.plans.cua-lo-2024]\nbefore = [3]\ntick_seconds = 5\n",
            "reminders.plans.cua-lo-2024.tick_seconds: khóa không có trong chính sách nhắc việc",
        ),
    ],
)
def test_bad_values_are_refused_with_their_key(tmp_path, text, message):
    with pytest.raises(ConfigError) as error:
        load(tmp_path, text)
    assert str(error.value).startswith(message)
