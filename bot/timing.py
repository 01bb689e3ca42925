"""From the configuration to the objects that keep time: the clock, Vietnam's working-day
calendar, the reminder policies, the schedule of the leadership's summaries and the
outbox settings.

``bot.config_load.load_config`` calls ``check_timing`` so a bad ``[clock]``, ``[calendar]``,
``[reminders]`` or ``[summaries]`` value is refused at start with its key.
``nhacviec run``, ``demo`` and ``reminders`` build their engine with ``reminder_runner``.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.config import Config, ConfigError
from messages.i18n import _
from scheduler.clock import CLOCK_MODES, Clock, clock_from_config
from scheduler.policy import PolicyBook, PolicyError, parse_clock_time, policies_from_config
from scheduler.summaries import SummarySchedule, summary_schedule
from scheduler.workdays import WorkCalendar

if TYPE_CHECKING:  # the runner and the outbox load with the bot, not with every command
    from sqlalchemy import Engine

    from scheduler.outbox import OutboxSettings, Sender
    from scheduler.runner import ReminderRunner


def make_clock(config: Config) -> Clock:
    """The clock the configuration asks for: the real one, or a simulated one."""
    section = config.clock
    if section.mode not in CLOCK_MODES:
        reason = _("chỉ nhận real hoặc simulated, không phải {value}")
        raise ConfigError("clock.mode", reason.format(value=repr(section.mode)))
    try:
        start = datetime.fromisoformat(section.start)
    except ValueError as error:
        reason = _('cần thời điểm dạng "2024-02-26T07:55:00+07:00", không phải {value}')
        raise ConfigError("clock.start", reason.format(value=repr(section.start))) from error
    if start.tzinfo is None:
        reason = _("thiếu múi giờ (ví dụ +07:00) trong {value}")
        raise ConfigError("clock.start", reason.format(value=repr(section.start)))
    if section.speed < 0:
        reason = _("không được âm, không phải {value}")
        raise ConfigError("clock.speed", reason.format(value=repr(section.speed)))
    return clock_from_config(section.mode, start, section.speed)


def _dates(key: str, values: list[str]) -> list[date]:
    days = []
    for value in values:
        try:
            days.append(date.fromisoformat(value))
        except ValueError as error:
            reason = _("cần ngày dạng 2024-02-10, không phải {value}").format(value=repr(value))
            raise ConfigError(key, reason) from error
    return days


def work_calendar(config: Config) -> WorkCalendar:
    """The working days and sending window of the configuration, checked."""
    off = _dates("calendar.extra_days_off", config.calendar.extra_days_off)
    working = _dates("calendar.extra_working_days", config.calendar.extra_working_days)
    both = sorted(set(off) & set(working))
    if both:
        reason = _("ngày vừa là ngày nghỉ vừa là ngày làm việc: {days}")
        raise ConfigError("calendar", reason.format(days=", ".join(d.isoformat() for d in both)))
    try:
        start = parse_clock_time("reminders.window_start", config.reminders.window_start)
        end = parse_clock_time("reminders.window_end", config.reminders.window_end)
    except PolicyError as error:
        raise ConfigError(error.key, error.reason) from error
    if start >= end:
        reason = _("giờ bắt đầu gửi phải trước giờ kết thúc")
        raise ConfigError("reminders.window_start", reason)
    zone = ZoneInfo(config.general.timezone)  # checked by load_config before
    return WorkCalendar(off, working, window_start=start, window_end=end, tz=zone)


def reminder_policies(config: Config) -> PolicyBook:
    """The reminder policies of the configuration, the default and per plan."""
    section = config.reminders
    values = {key: getattr(section, key) for key in section.__dataclass_fields__}
    try:
        return policies_from_config(values, section.plans)
    except PolicyError as error:
        raise ConfigError(error.key, error.reason) from error


def summaries_schedule(config: Config, calendar: WorkCalendar | None = None) -> SummarySchedule:
    """When the leadership gets its summaries, as the configuration says."""
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
        raise ConfigError(error.key, error.reason) from error


def outbox_settings(config: Config) -> OutboxSettings:
    """The outbox's settings from the configuration: when a reminder is given up."""
    from scheduler.outbox import OutboxSettings

    return OutboxSettings(give_up_after=timedelta(hours=config.reminders.give_up_after_hours))


def check_timing(config: Config) -> None:
    """Refuse, with the key, any clock, calendar or reminder setting that cannot be used."""
    make_clock(config)
    calendar = work_calendar(config)
    reminder_policies(config)
    summaries_schedule(config, calendar)
    if config.reminders.tick_seconds <= 0:
        raise ConfigError("reminders.tick_seconds", _("cần một số giây lớn hơn 0"))
    if config.reminders.give_up_after_hours <= 0:
        raise ConfigError("reminders.give_up_after_hours", _("cần một số giờ lớn hơn 0"))


def reminder_runner(
    config: Config, engine: Engine, clock: Clock, sender: Sender
) -> ReminderRunner:
    """The reminder engine, with the leadership's summaries, as the configuration
    describes it."""
    from scheduler.runner import ReminderRunner

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
