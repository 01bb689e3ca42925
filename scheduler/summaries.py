"""Scheduled summaries to the leadership chats, written to the outbox like reminders.

Two kinds, both rows of the ``reminder`` table, claimed and sent by the runner's tick:

- **weekly** (kind "summary", key ``s:<chat>:<plan>:<YYYYMMDDTHHMM>``): at each instant of
  the ``[summaries] weekly`` crontab expression (local time; Monday 08:00 by default),
  every active leadership chat gets, for each *current* plan, the /tonghop text and the
  chart. A plan is current from 1 January of its year to 31 January of the next year
  (its year-end deadlines are reported then). An instant on a day off moves to the same
  time of the next working day (Monday 29/04/2024 -> Thursday 02/05/2024 08:00), and one
  outside the sending window to the window's next opening.
- **missed** (kind "missed", key ``m:<chat>:<YYYY-MM-DD>``): on the first working morning
  (``missed_at``, 08:00) after a due day that some unit missed (its due instant passed
  and its latest report is not "hoàn thành"), one message per leadership chat naming,
  for every deadline missed since the chat's last such message, the task, the deadline
  and the units. Which deadlines go in is decided when it is sent
  (``scheduler.summary_delivery``), from the data of that moment.

Nothing is sent twice: the dedupe key names the chat and the period. After a stop only
the latest summary of each series is written (the weekly summaries missed in between are
not), and a row still unsent when a newer one of its series is written is skipped: the
newer one carries fresher data. A leadership chat hears nothing from before both it and
the plan were known (registered, loaded): no summary arrives because a chat was
registered on a Wednesday or a plan loaded in March.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import pairwise

from apscheduler.triggers.cron import CronTrigger
from sqlalchemy import update
from sqlmodel import Session, col, select

from messages.i18n import _
from scheduler.outbox import (
    MISSED,
    SKIP_MISSED,
    SUMMARY,
    SUMMARY_KINDS,
    active_occurrences,
    insert_rows,
    series_of,
)
from scheduler.policy import PolicyError, parse_clock_time
from scheduler.routing import done_pairs, leadership_chats, owing_units
from scheduler.workdays import WorkCalendar
from storage.models import Chat, Plan, Reminder, ReminderState

logger = logging.getLogger(__name__)

WEEKLY_STEP = "weekly"
MISSED_STEP = "missed"
MISSED_REACH = timedelta(days=31)  # how far back a restart looks for missed deadlines
# A summary to the leaders at most this often: more is noise (and a row per instant).
SHORTEST_GAP = timedelta(hours=1)
# Windows in which the latest past instant of the crontab expression is looked for, the
# short ones first so that a frequent expression costs few steps.
_LOOKBACK = (timedelta(hours=1), timedelta(days=1), timedelta(days=8), timedelta(days=32))
_LOOKBACK_LAST = timedelta(days=367)


@dataclass(frozen=True)
class SummarySchedule:
    """When the scheduled summaries go: ``weekly`` None turns the weekly one off, and
    ``missed`` False the one after missed deadlines; ``chart`` False sends no chart."""

    weekly: CronTrigger | None
    missed: bool = True
    missed_at: time = time(8, 0)
    chart: bool = True

    @property
    def kinds(self) -> tuple[str, ...]:
        return tuple(
            kind for kind, on in ((SUMMARY, self.weekly is not None), (MISSED, self.missed)) if on
        )


def weekly_trigger(key: str, expression: str, calendar: WorkCalendar) -> CronTrigger | None:
    """The crontab expression ``minute hour day month weekday`` in local time ("" is
    off). Weekdays are written as names: crontab counts Sunday as 0, APScheduler 3 counts
    Monday as 0, and a number would silently pick the wrong day for one of them."""
    text = expression.strip()
    if not text:
        return None
    fields = text.split()
    if len(fields) != 5:
        reason = _(
            'cần biểu thức cron 5 trường "phút giờ ngày tháng thứ" (ví dụ "0 8 * * mon"), '
            "không phải {value}"
        )
        raise PolicyError(key, reason.format(value=repr(expression)))
    if any(char.isdigit() for char in fields[4]):
        reason = _(
            "viết thứ bằng tên: mon, tue, wed, thu, fri, sat, sun (số thứ trong cron dễ "
            "nhầm Chủ Nhật với Thứ Hai), không phải {value}"
        )
        raise PolicyError(key, reason.format(value=repr(fields[4])))
    try:
        trigger = CronTrigger.from_crontab(text, timezone=calendar.tz)
    except ValueError as error:
        reason = _("biểu thức cron không dùng được ({error}): {value}")
        raise PolicyError(key, reason.format(error=error, value=repr(expression))) from None
    sample = fires_between(
        trigger, calendar.at(date(2024, 1, 1), time()), calendar.at(date(2024, 1, 8), time())
    )
    if any(later - earlier < SHORTEST_GAP for earlier, later in pairwise(sample)):
        reason = _("tổng hợp gửi lãnh đạo nhiều nhất mỗi giờ một lần, không phải {value}")
        raise PolicyError(key, reason.format(value=repr(expression)))
    return trigger


def summary_schedule(
    calendar: WorkCalendar,
    weekly: str = "0 8 * * mon",
    missed: bool = True,
    missed_at: str | time = "08:00",
    chart: bool = True,
    prefix: str = "summaries.",
) -> SummarySchedule:
    """The schedule of ``[summaries]``, each value checked (``PolicyError`` names the key)."""
    return SummarySchedule(
        weekly_trigger(f"{prefix}weekly", weekly, calendar),
        missed,
        parse_clock_time(f"{prefix}missed_at", missed_at),
        chart,
    )


def _next_fire(trigger: CronTrigger, after: datetime) -> datetime | None:
    """The first instant of ``trigger`` strictly after ``after``. Its instants are whole
    seconds, so the first whole second after ``after`` is where to look from."""
    return trigger.get_next_fire_time(None, after.replace(microsecond=0) + timedelta(seconds=1))


def fires_between(trigger: CronTrigger, start: datetime, end: datetime) -> list[datetime]:
    """The instants of ``trigger`` in ``(start, end]``."""
    fires = []
    fire = _next_fire(trigger, start)
    while fire is not None and fire <= end:
        fires.append(fire)
        fire = _next_fire(trigger, fire)
    return fires


def latest_fire(trigger: CronTrigger, now: datetime) -> datetime | None:
    """The last instant of ``trigger`` at or before ``now``, within about a year."""
    for window in (*_LOOKBACK, _LOOKBACK_LAST):
        fire = _next_fire(trigger, now - window)
        if fire is None or fire > now:
            continue
        while True:
            following = _next_fire(trigger, fire)
            if following is None or following > now:
                return fire
            fire = following
    return None


def weekly_due(fire: datetime, calendar: WorkCalendar) -> datetime:
    """When the summary of ``fire`` goes out: the same local time of the first working day
    on or after it, and never outside the sending window."""
    local = calendar.local(fire)
    day = calendar.working_day_on_or_after(local.date())
    return calendar.next_working_moment(calendar.at(day, local.time()))


def missed_morning(due_day: date, calendar: WorkCalendar, at: time) -> datetime:
    """The first working morning after ``due_day``, at ``at`` (in the sending window)."""
    return calendar.next_working_moment(calendar.at(calendar.add_working_days(due_day, 1), at))


def is_current(plan: Plan, instant: datetime, calendar: WorkCalendar) -> bool:
    """In the plan's year, or in January of the next one."""
    local = calendar.local(instant)
    return plan.year == local.year or (plan.year == local.year - 1 and local.month == 1)


def weekly_key(chat_id: int, plan_id: int, fire: datetime, calendar: WorkCalendar) -> str:
    """The outbox key of the weekly summary of a plan to a chat at ``fire``."""
    return f"s:{chat_id}:{plan_id}:{calendar.local(fire):%Y%m%dT%H%M}"


def missed_key(chat_id: int, morning: date) -> str:
    """The outbox key of the message on ``morning`` after missed deadlines, to a chat."""
    return f"m:{chat_id}:{morning.isoformat()}"


def plan_of_key(dedupe_key: str) -> int:
    """The plan a weekly summary's key names."""
    return int(dedupe_key.split(":")[2])


def morning_of_key(dedupe_key: str) -> date:
    """The morning a missed-deadlines key names."""
    return date.fromisoformat(dedupe_key.split(":")[2])


@dataclass(frozen=True)
class PlannedSummary:
    """A weekly summary the schedule calls for: to ``chat_id``, of ``plan_id``."""

    dedupe_key: str
    chat_id: int
    plan_id: int
    fire: datetime
    due_at: datetime


def weekly_summaries(
    session: Session,
    calendar: WorkCalendar,
    trigger: CronTrigger,
    fires: Iterable[datetime],
    leaders: list[tuple[Chat, int | None]],
) -> list[PlannedSummary]:
    """For each instant, each leadership chat registered by then and each plan it follows
    that was loaded by then and is current then."""
    plans = session.exec(select(Plan).where(~col(Plan.archived)).order_by(col(Plan.id))).all()
    planned = []
    for fire in fires:
        for chat, bound in leaders:
            assert chat.id is not None
            if fire < chat.created_at:
                continue
            for plan in plans:
                assert plan.id is not None
                if fire < plan.loaded_at or bound not in (None, plan.id):
                    continue
                if is_current(plan, fire, calendar):
                    key = weekly_key(chat.id, plan.id, fire, calendar)
                    due = weekly_due(fire, calendar)
                    planned.append(PlannedSummary(key, chat.id, plan.id, fire, due))
    return planned


def _row(key: str, chat_id: int, kind: str, step: str, due: datetime) -> dict:
    return {
        "dedupe_key": key,
        "chat_id": chat_id,
        "occurrence_id": None,
        "kind": kind,
        "step": step,
        "due_at": due,
        "state": ReminderState.PENDING,
        "attempts": 0,
    }


def _weekly_rows(
    session: Session,
    now: datetime,
    until: datetime,
    calendar: WorkCalendar,
    trigger: CronTrigger,
    leaders: list[tuple[Chat, int | None]],
) -> list[dict]:
    latest = latest_fire(trigger, now)
    fires = ([latest] if latest else []) + fires_between(trigger, now, until)
    return [
        _row(p.dedupe_key, p.chat_id, SUMMARY, WEEKLY_STEP, p.due_at)
        for p in weekly_summaries(session, calendar, trigger, fires, leaders)
    ]


def _missed_rows(
    session: Session,
    now: datetime,
    calendar: WorkCalendar,
    at: time,
    leaders: list[tuple[Chat, int | None]],
) -> list[dict]:
    """A row for the latest past morning and any coming one that follow missed deadlines
    (those due in the last ``MISSED_REACH``), per leadership chat and the plans it follows."""
    found = active_occurrences(session, now - MISSED_REACH, now)
    owed = owing_units(session, {task.id for _, task, _ in found if task.id is not None})
    done = done_pairs(session, [o.id for o, _, _ in found if o.id is not None])
    mornings: dict[int, set[date]] = {}  # plan id -> mornings after its missed deadlines
    for occurrence, task, plan in found:
        assert occurrence.due_at is not None and plan.id is not None
        late = [u for u in owed.get(task.id or 0, {}) if (occurrence.id, u) not in done]
        morning = missed_morning(calendar.local(occurrence.due_at).date(), calendar, at)
        day = calendar.local(morning).date()
        if late and day >= calendar.local(plan.loaded_at).date():
            mornings.setdefault(plan.id, set()).add(day)
    rows = []
    for chat, bound in leaders:
        assert chat.id is not None
        registered = calendar.local(chat.created_at).date()
        days = sorted(
            {
                day
                for plan_id, found_days in mornings.items()
                if bound in (None, plan_id)
                for day in found_days
                if day >= registered
            }
        )
        due = {day: calendar.next_working_moment(calendar.at(day, at)) for day in days}
        past = [day for day in days if due[day] <= now]
        for day in [*past[-1:], *(day for day in days if due[day] > now)]:
            rows.append(_row(missed_key(chat.id, day), chat.id, MISSED, MISSED_STEP, due[day]))
    return rows


def _supersede(session: Session, now: datetime, kinds: tuple[str, ...]) -> int:
    """Skip the pending rows already due that a newer row of their series follows."""
    pending = session.exec(
        select(Reminder.id, Reminder.dedupe_key, Reminder.due_at).where(
            col(Reminder.kind).in_(kinds), col(Reminder.state) == ReminderState.PENDING
        )
    ).all()
    latest: dict = {}
    for _id, key, due in pending:
        series = series_of(key)
        latest[series] = max(latest.get(series, due), due)
    stale = [i for i, key, due in pending if due <= now and due < latest[series_of(key)]]
    if stale:
        session.connection().execute(
            update(Reminder)
            .where(col(Reminder.id).in_(stale), col(Reminder.state) == ReminderState.PENDING)
            .values(state=ReminderState.SKIPPED, last_error=SKIP_MISSED)
        )
    return len(stale)


def materialize_summaries(
    session: Session,
    now: datetime,
    calendar: WorkCalendar,
    schedule: SummarySchedule,
    horizon: timedelta = timedelta(days=2),
) -> int:
    """Write the summary rows due up to ``now + horizon``; returns how many were new. The
    caller commits; safe to run concurrently, as ``scheduler.outbox.materialize``."""
    leaders = leadership_chats(session)
    if not leaders or not schedule.kinds:
        return 0
    rows = []
    if schedule.weekly is not None:
        rows += _weekly_rows(session, now, now + horizon, calendar, schedule.weekly, leaders)
    if schedule.missed:
        rows += _missed_rows(session, now, calendar, schedule.missed_at, leaders)
    created = insert_rows(session, rows) if rows else 0
    if created:
        logger.info("outbox: %s new summary rows", created)
        _supersede(session, now, SUMMARY_KINDS)
    return created
