"""A plan's progress as the leaders' page shows it, read by aggregate SQL: each unit's
counts, how many deadlines are overdue, and the longest-overdue items.

The conditions are those of /tonghop (``storage.summary_queries``'s flags on the entries
statement): the same entries in scope (begun or reported on, ongoing duties apart), the
same "done late", the same "overdue". So a leader reads on the page the figures the chat
gives, and the page costs two passes over the entries whatever the plan's size, plus a
narrow read of the few deadlines whose units it lists; no report row reaches Python.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, not_, select
from sqlalchemy.orm import Session

from storage.entry_queries import owner_table
from storage.models import ReportStatus
from storage.progress import UnitRef, UnitRow
from storage.summary_queries import _Flags, _one


@dataclass(frozen=True)
class LateItem:
    """One unit's unfinished work on a deadline past due."""

    task_code: str
    period: str
    due_at: datetime
    unit: UnitRef
    role: str
    status: str | None
    percent: int | None


@dataclass(frozen=True)
class PageProgress:
    """The units' rows (in the plan's order of units), the count of overdue deadlines
    (occurrences), and the first ``late`` of the ``late_total`` overdue items, the
    longest overdue first."""

    units: tuple[UnitRow, ...]
    overdue_occurrences: int
    late: tuple[LateItem, ...]
    late_total: int


def _unit_rows(session: Session, f: _Flags) -> tuple[UnitRow, ...]:
    e = f.e
    rows = session.execute(
        select(
            e.c.unit_id,
            e.c.unit_code,
            e.c.unit_name,
            _one(f.scope).label("total"),
            _one(and_(f.scope, f.done, not_(e.c.late.is_(True)))).label("on_time"),
            _one(and_(f.scope, f.done, e.c.late.is_(True))).label("late"),
            _one(f.status(ReportStatus.IN_PROGRESS)).label("in_progress"),
            _one(f.status(ReportStatus.BLOCKED)).label("blocked"),
            _one(f.status(ReportStatus.NOT_STARTED)).label("not_started"),
            _one(and_(f.scope, e.c.status.is_(None))).label("not_reported"),
            _one(f.overdue).label("overdue"),
            func.max(e.c.reported_at).label("last"),
        )
        .group_by(e.c.unit_id, e.c.unit_code, e.c.unit_name)
        .order_by(e.c.unit_id)
    )
    return tuple(
        UnitRow(
            UnitRef(r.unit_id, r.unit_code, r.unit_name),
            total=r.total or 0,
            done_on_time=r.on_time or 0,
            done_late=r.late or 0,
            in_progress=r.in_progress or 0,
            blocked=r.blocked or 0,
            not_started=r.not_started or 0,
            not_reported=r.not_reported or 0,
            overdue=r.overdue or 0,
            last_report_at=r.last,
        )
        for r in rows
    )


def _late(session: Session, f: _Flags, limit: int) -> tuple[int, tuple[LateItem, ...]]:
    """The overdue deadlines by count of late units (one pass), then the first ``limit``
    late items read from the first of those deadlines only."""
    e = f.e
    deadlines = session.execute(
        select(e.c.occurrence_id, func.count().label("n"))
        .where(f.overdue)
        .group_by(e.c.occurrence_id, e.c.due_at, e.c.task_position)
        .order_by(e.c.due_at, e.c.task_position, e.c.occurrence_id)
    ).all()
    wanted, count = [], 0
    for row in deadlines:
        if count >= limit:
            break
        wanted.append(row.occurrence_id)
        count += row.n
    if not wanted:
        return 0, ()
    rows = session.execute(
        select(e)
        .where(f.overdue, e.c.occurrence_id.in_(wanted))
        .order_by(e.c.due_at, e.c.task_position, e.c.unit_id)
        .limit(limit)
    )
    items = tuple(
        LateItem(
            r.task_code,
            r.period,
            r.due_at,
            UnitRef(r.unit_id, r.unit_code, r.unit_name),
            r.role,
            r.status,
            r.percent,
        )
        for r in rows
    )
    return len(deadlines), items


def page_progress(
    session: Session,
    plan_id: int,
    now: datetime,
    unit_ids: Collection[int] | None = None,
    late_limit: int = 100,
) -> PageProgress:
    """The page's progress of plan ``plan_id`` at ``now`` (of ``unit_ids`` only, for an
    officer), its late list cut at ``late_limit`` items."""
    flags = _Flags(plan_id, now, unit_ids)
    units = _unit_rows(session, flags)
    occurrences, late = _late(session, flags, late_limit)
    return PageProgress(units, occurrences, late, sum(row.overdue for row in units))


def owed_tasks(session: Session, plan_id: int, unit_ids: Collection[int]) -> set[int]:
    """The ids of the plan's active tasks that ``unit_ids`` owe (groups expanded)."""
    owner = owner_table(plan_id, unit_ids, None)
    return set(session.execute(select(owner.c.task_id).distinct()).scalars())
