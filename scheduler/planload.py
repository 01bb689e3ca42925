"""Writing a checked plan into the database, idempotently.

Loading the same file again changes nothing. Loading a changed file updates the plan
in place: units, tasks and deadlines are matched by their codes and periods, so the
reports already collected stay attached to them; a task or deadline that left the
file is deactivated rather than deleted, for the same reason.
"""

from __future__ import annotations

from datetime import datetime, time

from sqlmodel import Session, col, select

from scheduler.events import event_occurrences
from scheduler.planfile import PlanSpec
from scheduler.reload_guard import ReloadOptions, guard_reload
from storage.models import (
    AuditLog,
    Occurrence,
    Plan,
    Task,
    TaskAssignment,
    TaskEvent,
    Unit,
    UnitGroupMember,
)
from storage.records import LoadResult, ReloadChanges
from storage.timezone import VN_TZ


def _id(row: Plan | Unit | Task) -> int:
    """The primary key of a flushed row (SQLModel types it as optional until then)."""
    assert row.id is not None
    return row.id


def _sync_units(session: Session, plan: Plan, spec: PlanSpec) -> dict[str, Unit]:
    existing = {u.code: u for u in session.exec(select(Unit).where(Unit.plan_id == plan.id))}
    for unit_spec in spec.units:
        unit = existing.get(unit_spec.code) or Unit(
            plan_id=_id(plan), code=unit_spec.code, name="", kind=""
        )
        unit.name, unit.kind, unit.is_group = unit_spec.name, unit_spec.kind, unit_spec.is_group
        session.add(unit)
        existing[unit_spec.code] = unit
    session.flush()
    group_ids = [existing[u.code].id for u in spec.units if u.is_group]
    if group_ids:
        for link in session.exec(
            select(UnitGroupMember).where(col(UnitGroupMember.group_id).in_(group_ids))
        ):
            session.delete(link)
        session.flush()
    for unit_spec in spec.units:
        for member in unit_spec.members:
            session.add(
                UnitGroupMember(
                    group_id=_id(existing[unit_spec.code]), unit_id=_id(existing[member])
                )
            )
    return existing


def _sync_occurrences(session: Session, task: Task, specs: tuple) -> int:
    existing = {
        o.period: o for o in session.exec(select(Occurrence).where(Occurrence.task_id == task.id))
    }
    wanted = {spec.period for spec in specs}
    for spec in specs:
        occurrence = existing.get(spec.period) or Occurrence(task_id=_id(task), period=spec.period)
        occurrence.start_at, occurrence.due_at, occurrence.active = spec.start, spec.due, True
        session.add(occurrence)
    for period, occurrence in existing.items():
        if period not in wanted:
            occurrence.active = False
            session.add(occurrence)
    return len(specs)


def load_plan(
    session: Session,
    spec: PlanSpec,
    now: datetime,
    actor: str = "cli",
    options: ReloadOptions | None = None,
) -> LoadResult:
    """Create or update the plan of ``spec``; the caller commits. A reload that would
    detach anything is refused (``scheduler.reload_guard.ReloadRefused``)."""
    plan = session.exec(select(Plan).where(Plan.code == spec.code)).first()
    if plan is not None and plan.source_hash == spec.source_hash:
        tasks = session.exec(select(Task).where(Task.plan_id == plan.id, Task.active)).all()
        occurrences = sum(
            len(
                session.exec(
                    select(Occurrence.id).where(Occurrence.task_id == t.id, Occurrence.active)
                ).all()
            )
            for t in tasks
        )
        unit_count = len(session.exec(select(Unit.id).where(Unit.plan_id == plan.id)).all())
        return LoadResult(_id(plan), plan.code, False, False, len(tasks), occurrences, unit_count)
    changes = guard_reload(session, plan, spec, options) if plan else ReloadChanges()
    created = plan is None
    plan = plan or Plan(
        code=spec.code, title="", issuer="", year=spec.year, source_hash="", loaded_at=now
    )
    plan.title, plan.issuer, plan.year = spec.title, spec.issuer, spec.year
    plan.document, plan.report_day = spec.document, spec.report_day
    plan.last_year = spec.last_year if spec.last_year != spec.year else None
    plan.issued_at = (
        datetime.combine(spec.issued, time(0, 0), tzinfo=VN_TZ) if spec.issued else None
    )
    plan.source_hash, plan.loaded_at = spec.source_hash, now
    session.add(plan)
    session.flush()
    units = _sync_units(session, plan, spec)

    existing = {t.code: t for t in session.exec(select(Task).where(Task.plan_id == plan.id))}
    occurrences = 0
    loaded: dict[str, Task] = {}
    for task_spec in spec.tasks:
        task = existing.pop(task_spec.code, None) or Task(
            plan_id=_id(plan), code=task_spec.code, title="", when_text="", kind=""
        )
        schedule = task_spec.schedule
        task.position, task.title, task.when_text = (
            task_spec.position,
            task_spec.title,
            task_spec.when,
        )
        task.kind, task.recurrence = str(schedule.kind), schedule.recurrence
        task.start_at, task.due_at, task.active = schedule.start, schedule.due, True
        task.reports_to_id = units[task_spec.reports_to].id if task_spec.reports_to else None
        task.event, task.event_days = schedule.event, schedule.event_days
        task.event_closes = schedule.event_closes
        task.product, task.funding = task_spec.product, task_spec.funding
        session.add(task)
        session.flush()
        for link in session.exec(select(TaskAssignment).where(TaskAssignment.task_id == task.id)):
            session.delete(link)
        session.flush()
        for role, codes in (("lead", task_spec.lead), ("support", task_spec.support)):
            for code in codes:
                session.add(TaskAssignment(task_id=_id(task), unit_id=_id(units[code]), role=role))
        events = list(session.exec(select(TaskEvent).where(TaskEvent.task_id == task.id)))
        specs = event_occurrences(task, schedule.occurrences, events)  # events stay applied
        occurrences += _sync_occurrences(session, task, specs)
        loaded[task_spec.code] = task
    for task_spec in spec.tasks:
        child = loaded[task_spec.code]
        child.parent_id = loaded[task_spec.parent].id if task_spec.parent else None
        session.add(child)
    for task in existing.values():
        task.active = False
        session.add(task)
    session.add(
        AuditLog(
            at=now,
            platform="cli",
            actor=actor,
            action="plan.load",
            detail=f"{spec.code} {'created' if created else 'updated'} {spec.source_hash[:12]}"
            + "".join(f"; {line}" for line in (*changes.renamed, *changes.retired)),
        )
    )
    session.flush()
    return LoadResult(
        _id(plan),
        plan.code,
        created,
        not created,
        len(spec.tasks),
        occurrences,
        len(units),
        changes,
    )
