"""Entries (``storage.progress.Entry``) read by one SQL statement, narrowed as the caller needs.

One statement joins a plan's obligations (groups expanded in SQL), its active occurrences
and each unit's latest report on each occurrence (found by index, on SQLite and PostgreSQL
alike), so that no report row is ever loaded into a Python object. Narrowed to a few
units (and a task code), it is what a chat message reads: the cost follows the sender's
units, not the size of the plan. Unnarrowed, it streams every entry of the plan (the
workbook) or fills ``plan_progress``.

Vocabulary (obligation, entry, started, overdue) as in ``storage.progress``.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import Select, Subquery, and_, case, func, or_, select
from sqlalchemy.orm import Session

from storage.models import (
    AssignmentRole,
    DueOverride,
    Occurrence,
    Report,
    ReportStatus,
    Task,
    TaskAssignment,
    Unit,
    UnitGroupMember,
)
from storage.progress import ONGOING, Entry, UnitRef

T = Task.__table__  # type: ignore[attr-defined]
O = Occurrence.__table__  # type: ignore[attr-defined]  # noqa: E741
U = Unit.__table__  # type: ignore[attr-defined]
R = Report.__table__  # type: ignore[attr-defined]
TA = TaskAssignment.__table__  # type: ignore[attr-defined]
UGM = UnitGroupMember.__table__  # type: ignore[attr-defined]
DO = DueOverride.__table__  # type: ignore[attr-defined]


def owner_table(plan_id: int, unit_ids: Collection[int] | None, task_code: str | None) -> Subquery:
    """(task_id, unit_id, role) of every obligation, groups expanded to their members (a
    group with none owes itself); a unit both lead and support is lead ("lead" < "support")."""
    unit = func.coalesce(UGM.c.unit_id, TA.c.unit_id)
    query = (
        select(TA.c.task_id, unit.label("unit_id"), func.min(TA.c.role).label("role"))
        .select_from(
            TA.join(T, T.c.id == TA.c.task_id).outerjoin(UGM, UGM.c.group_id == TA.c.unit_id)
        )
        .where(T.c.plan_id == plan_id, T.c.active.is_(True))
        .group_by(TA.c.task_id, unit)
    )
    if task_code is not None:
        query = query.where(func.upper(T.c.code) == task_code.upper())
    if unit_ids is not None:
        ids = list(unit_ids)
        # Direct assignments, or those of the groups the units are in: both by index.
        groups = select(UGM.c.group_id).where(UGM.c.unit_id.in_(ids))
        query = query.where(or_(TA.c.unit_id.in_(ids), TA.c.unit_id.in_(groups)), unit.in_(ids))
    return query.subquery("owner")


def entry_query(
    plan_id: int,
    *,
    unit_ids: Collection[int] | None = None,
    task_code: str | None = None,
    until: datetime | None = None,
) -> Select[Any]:
    """The entries of the plan (of ``unit_ids``, of task ``task_code``), with the latest
    report made at or before ``until``, in document order (task, due, lead first, unit).

    Each entry finds its latest report by one seek of the index on (occurrence, unit,
    created_at) (a correlated ``ORDER BY ... LIMIT 1``, the equivalent of a window
    function that both SQLite and PostgreSQL run by index, where a window over every
    report joined back would be scanned once per entry)."""
    owner = owner_table(plan_id, unit_ids, task_code)
    same = [R.c.occurrence_id == O.c.id, R.c.unit_id == owner.c.unit_id]
    if until is not None:
        same.append(R.c.created_at <= until)
    latest_id = (
        select(R.c.id)
        .where(*same)
        .order_by(R.c.created_at.desc(), R.c.id.desc())
        .limit(1)
        .correlate(O, owner)
        .scalar_subquery()
    )
    count = select(func.count()).select_from(R).where(*same).correlate(O, owner)
    return (
        select(
            T.c.id.label("task_id"),
            T.c.code.label("task_code"),
            T.c.title.label("task_title"),
            T.c.position.label("task_position"),
            T.c.when_text,
            T.c.kind.label("task_kind"),
            O.c.id.label("occurrence_id"),
            O.c.period,
            O.c.start_at,
            # A unit granted an extension (``DueOverride``) is due on its own date.
            func.coalesce(DO.c.due_at, O.c.due_at).label("due_at"),
            U.c.id.label("unit_id"),
            U.c.code.label("unit_code"),
            U.c.name.label("unit_name"),
            owner.c.role,
            R.c.status,
            R.c.percent,
            R.c.note,
            R.c.evidence,
            R.c.late,
            R.c.created_at.label("reported_at"),
            case((R.c.id.is_(None), 0), else_=count.scalar_subquery()).label("n"),
        )
        .select_from(
            owner.join(T, T.c.id == owner.c.task_id)
            .join(O, and_(O.c.task_id == T.c.id, O.c.active.is_(True)))
            .join(U, U.c.id == owner.c.unit_id)
            .outerjoin(DO, and_(DO.c.occurrence_id == O.c.id, DO.c.unit_id == owner.c.unit_id))
            .outerjoin(R, R.c.id == latest_id)
        )
        .order_by(
            T.c.position,
            case((O.c.due_at.is_(None), 1), else_=0),
            O.c.due_at,
            case((owner.c.role == AssignmentRole.LEAD.value, 0), else_=1),
            U.c.id,
        )
    )


def entry_of_row(plan_id: int, row: Any, now: datetime) -> Entry:
    """The ``Entry`` of one row of ``entry_query`` at ``now``."""
    started = row.start_at is None or row.start_at <= now
    status = ReportStatus(row.status) if row.status is not None else None
    return Entry(
        plan_id=plan_id,
        occurrence_id=row.occurrence_id,
        task_id=row.task_id,
        task_code=row.task_code,
        task_title=row.task_title,
        task_position=row.task_position,
        when_text=row.when_text,
        period=row.period,
        start_at=row.start_at,
        due_at=row.due_at,
        unit=UnitRef(row.unit_id, row.unit_code, row.unit_name),
        role=row.role,
        status=status,
        percent=row.percent,
        late=bool(row.late),
        reported_at=row.reported_at,
        note=row.note,
        evidence_count=len(json.loads(row.evidence)) if row.evidence else 0,
        report_count=row.n or 0,
        started=started,
        overdue=(
            row.due_at is not None
            and row.due_at < now
            and status != ReportStatus.DONE
            and row.task_kind != ONGOING
        ),
        ongoing=row.task_kind == ONGOING,
    )


def entries(
    session: Session,
    plan_id: int,
    now: datetime,
    *,
    unit_ids: Collection[int] | None = None,
    task_code: str | None = None,
    until: datetime | None = None,
) -> list[Entry]:
    """The entries of ``entry_query`` at ``now``, in one statement."""
    query = entry_query(plan_id, unit_ids=unit_ids, task_code=task_code, until=until)
    return [entry_of_row(plan_id, row, now) for row in session.execute(query)]


def stream_entries(
    session: Session, plan_id: int, now: datetime, batch: int = 2000
) -> Iterator[Entry]:
    """Every entry of the plan, fetched ``batch`` rows at a time (a server-side cursor on
    PostgreSQL), so that a plan of a thousand units is never held whole in memory."""
    result = session.execute(
        entry_query(plan_id), execution_options={"yield_per": batch, "stream_results": True}
    )
    for row in result:
        yield entry_of_row(plan_id, row, now)


def task_owners(session: Session, plan_id: int, task_code: str) -> list[UnitRef] | None:
    """The units owing task ``task_code`` (lead ones first), or None for no such task."""
    found = session.execute(
        select(T.c.id).where(
            T.c.plan_id == plan_id, T.c.active.is_(True), func.upper(T.c.code) == task_code.upper()
        )
    ).first()
    if found is None:
        return None
    owner = owner_table(plan_id, None, task_code)
    rows = session.execute(
        select(U.c.id, U.c.code, U.c.name)
        .select_from(owner.join(U, U.c.id == owner.c.unit_id))
        .order_by(case((owner.c.role == AssignmentRole.LEAD.value, 0), else_=1), U.c.id)
    )
    return [UnitRef(row.id, row.code, row.name) for row in rows]
