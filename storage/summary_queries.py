"""The aggregate queries behind ``storage.summary.PlanSummary`` (/tonghop, /quahan, /chuabaocao,
the chart and the weekly summary).

Every figure is a ``GROUP BY`` over the entries statement of ``storage.entry_queries``
(latest report per unit and occurrence by a window function), on SQLite and PostgreSQL:
the database does the counting, Python receives a few hundred rows at most (one per unit
for the chart) and never a report row. ``limit`` bounds every list.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, func, not_, or_, select
from sqlalchemy.orm import Session

from storage.entry_queries import entry_query
from storage.models import AssignmentRole, Plan, ReportStatus
from storage.progress import ONGOING, StatusCounts, UnitRef
from storage.summary import (
    Blocker,
    LateDeadline,
    OngoingDuty,
    PlanSummary,
    SilentUnit,
    UnitStanding,
    natural_key,
)

NAMES_SHOWN = 3  # units named per late deadline
CODES_SHOWN = 6  # task codes named per silent unit


def _one(flag: Any) -> Any:
    return func.sum(case((flag, 1), else_=0))


class _Flags:
    """The entries of a plan (of ``unit_ids``) as a subquery, with the conditions the
    figures count by."""

    def __init__(
        self, plan_id: int, now: datetime, unit_ids: Collection[int] | None = None
    ) -> None:
        e = entry_query(plan_id, unit_ids=unit_ids).order_by(None).subquery("entry")
        self.e = e
        started = or_(e.c.start_at.is_(None), e.c.start_at <= now)
        self.reported = e.c.status.is_not(None)
        # The parser decides what is an ongoing duty (the task's kind), as for the entries.
        self.ongoing = e.c.task_kind == ONGOING
        self.scope = and_(or_(started, self.reported), not_(self.ongoing))
        self.done = e.c.status == ReportStatus.DONE.value
        self.overdue = and_(
            self.scope,
            e.c.due_at.is_not(None),
            e.c.due_at < now,
            or_(e.c.status.is_(None), not_(self.done)),
        )
        self.silent = and_(self.scope, started, e.c.status.is_(None))
        self.blocked = and_(self.scope, e.c.status == ReportStatus.BLOCKED.value)

    def status(self, value: ReportStatus) -> Any:
        return and_(self.scope, self.e.c.status == value.value)


def _counts(session: Session, f: _Flags) -> tuple[StatusCounts, int, int, int]:
    e = f.e
    row = session.execute(
        select(
            _one(and_(f.scope, e.c.status.is_(None))).label("not_reported"),
            _one(f.status(ReportStatus.NOT_STARTED)).label("not_started"),
            _one(f.status(ReportStatus.IN_PROGRESS)).label("in_progress"),
            _one(f.status(ReportStatus.DONE)).label("done"),
            _one(f.status(ReportStatus.BLOCKED)).label("blocked"),
            _one(and_(f.status(ReportStatus.DONE), e.c.late.is_(True))).label("done_late"),
            _one(f.overdue).label("overdue"),
        )
    ).one()
    counts = StatusCounts(
        not_reported=row.not_reported or 0,
        not_started=row.not_started or 0,
        in_progress=row.in_progress or 0,
        done=row.done or 0,
        blocked=row.blocked or 0,
    )
    late = row.done_late or 0
    return counts, counts.done - late, late, row.overdue or 0


def _units(session: Session, f: _Flags) -> tuple[UnitStanding, ...]:
    e = f.e
    not_done = not_(f.done)
    rows = session.execute(
        select(
            e.c.unit_id,
            e.c.unit_code,
            e.c.unit_name,
            _one(and_(f.scope, f.done, not_(e.c.late.is_(True)))).label("on_time"),
            _one(and_(f.scope, f.done, e.c.late.is_(True))).label("late"),
            _one(f.overdue).label("overdue"),
            _one(and_(f.blocked, not_(f.overdue))).label("blocked"),
            _one(and_(f.status(ReportStatus.IN_PROGRESS), not_(f.overdue), not_done)).label(
                "in_progress"
            ),
            _one(
                and_(
                    f.scope,
                    not_(f.overdue),
                    or_(e.c.status.is_(None), e.c.status == ReportStatus.NOT_STARTED.value),
                )
            ).label("not_started"),
        )
        .group_by(e.c.unit_id, e.c.unit_code, e.c.unit_name)
        .order_by(e.c.unit_id)
    )
    standings = (
        UnitStanding(
            UnitRef(r.unit_id, r.unit_code, r.unit_name),
            done_on_time=r.on_time or 0,
            done_late=r.late or 0,
            in_progress=r.in_progress or 0,
            blocked=r.blocked or 0,
            overdue=r.overdue or 0,
            not_started=r.not_started or 0,
        )
        for r in rows
    )
    return tuple(s for s in standings if s.total)


def _overdue(session: Session, f: _Flags, limit: int) -> tuple[int, tuple[LateDeadline, ...]]:
    e = f.e
    grouped = (
        select(
            e.c.occurrence_id,
            e.c.task_code,
            e.c.task_title,
            e.c.task_position,
            e.c.period,
            e.c.due_at,
            func.count().label("units"),
        )
        .where(f.overdue)
        .group_by(
            e.c.occurrence_id,
            e.c.task_code,
            e.c.task_title,
            e.c.task_position,
            e.c.period,
            e.c.due_at,
        )
        .subquery("late")
    )
    total = session.execute(select(func.count()).select_from(grouped)).scalar_one()
    top = session.execute(
        select(grouped).order_by(grouped.c.due_at, grouped.c.task_position).limit(limit)
    ).all()
    if not top:
        return total, ()
    rank = (
        func.row_number()
        .over(
            partition_by=e.c.occurrence_id,
            order_by=(case((e.c.role == AssignmentRole.LEAD.value, 0), else_=1), e.c.unit_id),
        )
        .label("rank")
    )
    named = (
        select(e.c.occurrence_id, e.c.unit_name, rank)
        .where(f.overdue, e.c.occurrence_id.in_([r.occurrence_id for r in top]))
        .subquery("named")
    )
    names: dict[int, list[str]] = defaultdict(list)
    for row in session.execute(
        select(named.c.occurrence_id, named.c.unit_name)
        .where(named.c.rank <= NAMES_SHOWN)
        .order_by(named.c.occurrence_id, named.c.rank)
    ):
        names[row.occurrence_id].append(row.unit_name)
    items = tuple(
        LateDeadline(
            r.task_code, r.task_title, r.period, r.due_at, tuple(names[r.occurrence_id]), r.units
        )
        for r in top
    )
    return total, items


def _missing(session: Session, f: _Flags, limit: int) -> tuple[int, tuple[SilentUnit, ...]]:
    e = f.e
    grouped = (
        select(e.c.unit_id, e.c.unit_code, e.c.unit_name, func.count().label("n"))
        .where(f.silent)
        .group_by(e.c.unit_id, e.c.unit_code, e.c.unit_name)
        .subquery("silent")
    )
    total = session.execute(select(func.count()).select_from(grouped)).scalar_one()
    top = session.execute(
        select(grouped).order_by(grouped.c.n.desc(), grouped.c.unit_id).limit(limit)
    ).all()
    codes: dict[int, set[str]] = defaultdict(set)
    if top:
        for row in session.execute(
            select(e.c.unit_id, e.c.task_code)
            .where(f.silent, e.c.unit_id.in_([r.unit_id for r in top]))
            .distinct()
        ):
            codes[row.unit_id].add(row.task_code)
    items = tuple(
        SilentUnit(
            UnitRef(r.unit_id, r.unit_code, r.unit_name),
            r.n,
            tuple(sorted(codes[r.unit_id], key=natural_key)),
        )
        for r in top
    )
    return total, items


def _blocked(session: Session, f: _Flags, limit: int) -> tuple[Blocker, ...]:
    e = f.e
    rows = session.execute(
        select(e.c.task_code, e.c.unit_name, e.c.note, e.c.reported_at)
        .where(f.blocked)
        .order_by(e.c.reported_at.desc(), e.c.task_position)
        .limit(limit)
    )
    return tuple(Blocker(r.task_code, r.unit_name, r.note, r.reported_at) for r in rows)


def _ongoing(session: Session, f: _Flags, limit: int) -> tuple[int, int, tuple[OngoingDuty, ...]]:
    e = f.e
    grouped = (
        select(
            e.c.task_id,
            e.c.task_code,
            e.c.task_title,
            e.c.task_position,
            func.count(func.distinct(e.c.unit_id)).label("units"),
            func.count(func.distinct(case((f.reported, e.c.unit_id)))).label("reported"),
            func.max(e.c.reported_at).label("last"),
        )
        .where(f.ongoing)
        .group_by(e.c.task_id, e.c.task_code, e.c.task_title, e.c.task_position)
        .subquery("ongoing")
    )
    figures = session.execute(
        select(func.count(), _one(grouped.c.reported > 0)).select_from(grouped)
    ).one()
    rows = session.execute(select(grouped).order_by(grouped.c.task_position).limit(limit))
    items = tuple(
        OngoingDuty(r.task_code, r.task_title, r.units, r.reported, r.last) for r in rows
    )
    return figures[0], figures[1] or 0, items


def plan_summary(session: Session, plan_id: int, now: datetime, limit: int = 20) -> PlanSummary:
    """The summary of plan ``plan_id`` at ``now``, each list cut at ``limit`` items."""
    plan = session.get(Plan, plan_id)
    if plan is None:
        raise LookupError(f"no plan with id {plan_id}")
    flags = _Flags(plan_id, now)
    counts, on_time, late, overdue_entries = _counts(session, flags)
    overdue_count, overdue = _overdue(session, flags, limit)
    missing_count, missing = _missing(session, flags, limit)
    ongoing_count, ongoing_reported, ongoing = _ongoing(session, flags, limit)
    assert plan.id is not None
    return PlanSummary(
        plan_id=plan.id,
        code=plan.code,
        title=plan.title,
        year=plan.year,
        now=now,
        counts=counts,
        done_on_time=on_time,
        done_late=late,
        overdue_entries=overdue_entries,
        overdue_count=overdue_count,
        overdue=overdue,
        missing_count=missing_count,
        missing=missing,
        blocked_count=counts.blocked,
        blocked=_blocked(session, flags, limit),
        ongoing_count=ongoing_count,
        ongoing_reported=ongoing_reported,
        ongoing=ongoing,
        units=_units(session, flags),
    )
