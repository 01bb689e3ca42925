"""Recording that the event a task waits for happened, and the deadlines that follow.

A task such as "khi có vụ việc" or "trong vòng 10 ngày kể từ khi nhận được văn bản" has no
date until its event happens.  A coordinator or operator records the event with its day
(``/sukien`` in chat, ``nhacviec plan event`` on the server); the task then gets an
occurrence ``Sự kiện dd/mm/yyyy`` due the set number of days later (or on a hand-set day),
reminded as usual.  An open window ("từ tháng 9/2025 đến khi hoàn thành việc sắp xếp") is
closed the same way: its occurrence falls due on the day recorded.

The occurrences are derived from the recorded events (``event_occurrences``), so that
reloading the plan file keeps them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlmodel import Session, select

from messages.i18n import _
from scheduler.timeexpr import WAITING, OccurrenceSpec
from storage.models import AuditLog, Occurrence, Plan, Task, TaskEvent
from storage.records import EventOutcome, EventRequest
from storage.timezone import VN_TZ


class EventRefused(ValueError):
    """The event cannot be recorded; ``str`` says why, in the reader's language."""


def _start(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=VN_TZ)


def _end(day: date) -> datetime:
    return datetime.combine(day, time(23, 59, 59), tzinfo=VN_TZ)


def event_label(day: date) -> str:
    """The period name of the occurrence an event on ``day`` opens."""
    return f"Sự kiện {day:%d/%m/%Y}"


def event_occurrences(
    task: Task, specs: tuple[OccurrenceSpec, ...], events: list[TaskEvent]
) -> tuple[OccurrenceSpec, ...]:
    """The task's occurrences once its recorded ``events`` are applied to the file's ``specs``."""
    if task.event is None or not events:
        return specs
    result = list(specs)
    for event in sorted(events, key=lambda e: e.happened_at):
        day = event.happened_at.astimezone(VN_TZ).date()
        if task.event_closes:  # the event ends the open window: it falls due that day
            result = [OccurrenceSpec(o.period, o.start, o.due or _end(day)) for o in result]
            continue
        if event.due_at is not None:
            due: datetime | None = event.due_at
        elif task.event_days is not None:
            due = _end(day + timedelta(days=task.event_days))
        else:
            due = None
        result.append(OccurrenceSpec(event_label(day), _start(day), due))
    # Once an event happened, the placeholder that waited for it has no more use.
    if len(result) > 1:
        result = [o for o in result if o.period != WAITING]
    return tuple(result)


@dataclass(frozen=True)
class Recorded:
    task: Task
    occurrence: Occurrence


def record_event(
    session: Session,
    plan: Plan,
    task_code: str,
    day: date,
    now: datetime,
    actor: str,
    *,
    platform: str = "cli",
    due: date | None = None,
) -> Recorded:
    """Record that ``task_code``'s event happened on ``day``; the caller commits."""
    task = session.exec(
        select(Task).where(Task.plan_id == plan.id, Task.code == task_code, Task.active)
    ).first()
    if task is None:
        raise EventRefused(
            _("Kế hoạch {plan} không có nhiệm vụ mã {code}.").format(
                plan=plan.code, code=task_code
            )
        )
    if task.event is None:
        raise EventRefused(
            _("Nhiệm vụ {code} không chờ sự kiện nào (thời gian: {when}).").format(
                code=task.code, when=task.when_text
            )
        )
    if day > now.astimezone(VN_TZ).date():
        raise EventRefused(
            _("Ngày {date} chưa đến; hãy ghi sự kiện khi nó đã xảy ra.").format(
                date=f"{day:%d/%m/%Y}"
            )
        )
    if due is not None and due < day:
        raise EventRefused(_("Hạn chót phải từ ngày xảy ra sự kiện trở đi."))
    events = list(session.exec(select(TaskEvent).where(TaskEvent.task_id == task.id)))
    if task.event_closes and events:
        raise EventRefused(
            _("Nhiệm vụ {code} đã kết thúc ngày {date}.").format(
                code=task.code, date=f"{events[0].happened_at.astimezone(VN_TZ):%d/%m/%Y}"
            )
        )
    if any(e.happened_at.astimezone(VN_TZ).date() == day for e in events):
        raise EventRefused(_("Sự kiện ngày {date} đã được ghi.").format(date=f"{day:%d/%m/%Y}"))
    assert task.id is not None
    event = TaskEvent(
        task_id=task.id,
        happened_at=_start(day),
        due_at=_end(due) if due else None,
        recorded_at=now,
        actor=actor,
    )
    session.add(event)
    session.flush()
    occurrence = apply_events(session, task)
    session.add(
        AuditLog(
            at=now,
            platform=platform,
            actor=actor,
            action="task.event",
            detail=f"{plan.code} {task.code} {day.isoformat()}",
        )
    )
    session.flush()
    return Recorded(task, occurrence)


def record_or_refuse(session: Session, plan: Plan, request: EventRequest) -> EventOutcome:
    """``record_event`` for the chat's store (``bot.stores``): a refusal is a value there."""
    try:
        recorded = record_event(
            session,
            plan,
            request.task_code,
            request.day,
            request.now,
            request.actor,
            platform=request.platform,
            due=request.due,
        )
    except EventRefused as error:  # raised before anything is written
        return EventOutcome(refusal=str(error))
    return EventOutcome(task=recorded.task, occurrence=recorded.occurrence)


def apply_events(session: Session, task: Task) -> Occurrence:
    """Bring the task's occurrences in line with its recorded events; the latest one."""
    events = list(session.exec(select(TaskEvent).where(TaskEvent.task_id == task.id)))
    current = {
        o.period: o for o in session.exec(select(Occurrence).where(Occurrence.task_id == task.id))
    }
    base = tuple(
        OccurrenceSpec(o.period, o.start_at, None if task.event_closes else o.due_at)
        for o in current.values()
        if o.active and not o.period.startswith("Sự kiện ")
    )
    latest = None
    wanted = event_occurrences(task, base, events)
    for spec in wanted:
        assert task.id is not None
        row = current.get(spec.period) or Occurrence(task_id=task.id, period=spec.period)
        row.start_at, row.due_at, row.active = spec.start, spec.due, True
        session.add(row)
        latest = row
    for period, row in current.items():
        if period not in {s.period for s in wanted}:
            row.active = False
            session.add(row)
    session.flush()
    assert latest is not None
    return latest
