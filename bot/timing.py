"""From the configuration to the objects that keep time: the clock, Vietnam's working-day
calendar, the reminder policies, the schedule of the leadership's summaries and the
outbox settings.

``load_config`` calls ``check_timing`` so a bad ``[clock]``, ``[calendar]``,
``[reminders]`` or ``[summaries]`` value is refused at start with its key.
``nhacviec run``, ``demo`` and ``reminders`` build their engine with ``reminder_runner``.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from bot.config import Config, ConfigError
from scheduler.clock import CLOCK_MODES, Clock, clock_from_config
from scheduler.outbox import OutboxSettings, Sender
from scheduler.policy import PolicyBook, PolicyError, parse_clock_time, policies_from_config
from scheduler.runner import ReminderRunner
from scheduler.summaries import SummarySchedule, summary_schedule
from scheduler.workdays import WorkCalendar


def make_clock(config: Config) -> Clock:
    section = config.clock
    if section.mode not in CLOCK_MODES:
        raise ConfigError(f"clock.mode: chỉ nhận real hoặc simulated, không phải {section.mode!r}")
    try:
        start = datetime.fromisoformat(section.start)
    except ValueError as error:
        raise ConfigError(
            f'clock.start: cần thời điểm dạng "2024-02-26T07:55:00+07:00", '
            f"không phải {section.start!r}"
        ) from error
    if start.tzinfo is None:
        raise ConfigError(f"clock.start: thiếu múi giờ (ví dụ +07:00) trong {section.start!r}")
    if section.speed < 0:
        raise ConfigError(f"clock.speed: không được âm, không phải {section.speed!r}")
    return clock_from_config(section.mode, start, section.speed)


def _dates(key: str, values: list[str]) -> list[date]:
    days = []
    for value in values:
        try:
            days.append(date.fromisoformat(value))
        except ValueError as error:
            raise ConfigError(f"{key}: cần ngày dạng 2024-02-10, không phải {value!r}") from error
    return days


def work_calendar(config: Config) -> WorkCalendar:
    off = _dates("calendar.extra_days_off", config.calendar.extra_days_off)
    working = _dates("calendar.extra_working_days", config.calendar.extra_working_days)
    both = sorted(set(off) & set(working))
    if both:
        raise ConfigError(
            "calendar: ngày vừa là ngày nghỉ vừa là ngày làm việc: "
            + ", ".join(day.isoformat() for day in both)
        )
    try:
        start = parse_clock_time("reminders.window_start", config.reminders.window_start)
        end = parse_clock_time("reminders.window_end", config.reminders.window_end)
    except PolicyError as error:
        raise ConfigError(str(error)) from error
    if start >= end:
        raise ConfigError("reminders.window_start: giờ bắt đầu gửi phải trước giờ kết thúc")
    zone = ZoneInfo(config.general.timezone)  # checked by load_config before
    return WorkCalendar(off, working, window_start=start, window_end=end, tz=zone)


def reminder_policies(config: Config) -> PolicyBook:
    section = config.reminders
    values = {key: getattr(section, key) for key in section.__dataclass_fields__}
    try:
        return policies_from_config(values, section.plans)
    except PolicyError as error:
        raise ConfigError(str(error)) from error


def summaries_schedule(config: Config, calendar: WorkCalendar | None = None) -> SummarySchedule:
    section = config.summaries
    try:
        return summary_schedule(
            calendar or work_calendar(config),
            section.weekly,
            section.missed,
            section.missed_at,
            section.chart,
        )
    except PolicyError as error:
        raise ConfigError(str(error)) from error


def outbox_settings(config: Config) -> OutboxSettings:
    return OutboxSettings(give_up_after=timedelta(hours=config.reminders.give_up_after_hours))


def check_timing(config: Config) -> None:
    """Refuse, with the key, any clock, calendar or reminder setting that cannot be used."""
    make_clock(config)
    calendar = work_calendar(config)
    reminder_policies(config)
    summaries_schedule(config, calendar)
    if config.reminders.tick_seconds <= 0:
        raise ConfigError("reminders.tick_seconds: cần một số giây lớn hơn 0")
    if config.reminders.give_up_after_hours <= 0:
        raise ConfigError("reminders.give_up_after_hours: cần một số giờ lớn hơn 0")


def reminder_runner(
    config: Config, engine: Engine, clock: Clock, sender: Sender
) -> ReminderRunner:
    """The reminder engine, with the leadership's summaries, as the configuration
    describes it."""
    calendar = work_calendar(config)
    return ReminderRunner(
        engine,
        clock,
        sender,
        calendar,
        reminder_policies(config),
        outbox_settings(config),
        tick_seconds=config.reminders.tick_seconds,
        summaries=summaries_schedule(config, calendar),
    )
