"""The query that fills ``storage.progress``: a plan's entries at one instant, read in a session.

Two reads whatever the size of the plan: the plan, then its entries in one statement
(``storage.entry_queries``: obligations, deadlines and each unit's latest report, chosen by
a window function in the database, so no report row becomes a Python object);
``storage.progress.summarize`` turns the entries into the counts and lists the complete
progress holds. The chat's summaries read aggregates instead (``storage.summary_queries``).
The vocabulary (obligation, entry, started, overdue) is explained in ``storage.progress``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import datetime

from sqlmodel import Session, col, select

from storage.entry_queries import entries
from storage.models import (
    AssignmentRole,
    Occurrence,
    Plan,
    Report,
    ReportStatus,
    Task,
    TaskAssignment,
    Unit,
    UnitGroupMember,
)
from storage.progress import Entry, Obligation, PlanProgress, UnitRef, summarize
from storage.subtasks import parents_done


def plan_progress(
    session: Session, plan_id: int, now: datetime, until: datetime | None = None
) -> PlanProgress:
    """The progress of plan ``plan_id`` at ``now`` (an aware instant), counting the reports
    made at or before ``until`` (default: every report)."""
    plan = session.get(Plan, plan_id)
    if plan is None:
        raise LookupError(f"no plan with id {plan_id}")
    parent_of = {
        task_id: parent_id
        for task_id, parent_id in session.exec(
            select(Task.id, Task.parent_id).where(
                Task.plan_id == plan_id, Task.active, col(Task.parent_id).is_not(None)
            )
        )
        if task_id is not None and parent_id is not None
    }
    found = carry_ongoing(session, tuple(entries(session, plan_id, now, until=until)), now)
    return summarize(plan, parents_done(found, parent_of), now)


def carry_ongoing(session: Session, found: tuple[Entry, ...], now: datetime) -> tuple[Entry, ...]:
    """An ongoing duty's period with no account yet stands on the unit's last report on the
    duty (``carried``: "đang thực hiện" as of that report), not as "chưa báo cáo"."""
    waiting = [e for e in found if e.ongoing and e.status is None]
    if not waiting:
        return found
    task_ids = sorted({e.task_id for e in waiting})
    reports: dict[tuple[int, int], list[Report]] = defaultdict(list)
    for report, task_id in session.exec(
        select(Report, Occurrence.task_id)
        .join(Occurrence, col(Occurrence.id) == col(Report.occurrence_id))
        .where(col(Occurrence.task_id).in_(task_ids))
        .order_by(col(Report.created_at))
    ):
        reports[(task_id, report.unit_id)].append(report)
    carried = []
    for entry in found:
        earlier = []
        if entry.ongoing and entry.status is None:
            end = min(entry.due_at or now, now)
            earlier = [
                r for r in reports.get((entry.task_id, entry.unit.id), []) if r.created_at <= end
            ]
        if not earlier:
            carried.append(entry)
            continue
        last = earlier[-1]
        carried.append(
            replace(
                entry,
                status=ReportStatus.IN_PROGRESS,
                percent=last.percent,
                reported_at=last.created_at,
                note=last.note,
                carried=True,
            )
        )
    return tuple(carried)


def obligations(session: Session, plan_id: int) -> dict[int, list[Obligation]]:
    """Every active task's responsible units (groups expanded), lead ones first, by task id:
    the leaders' page lists a task's units from it (no report is read)."""
    units = {u.id: u for u in session.exec(select(Unit).where(Unit.plan_id == plan_id))}
    members: dict[int, list[int]] = defaultdict(list)
    for member in session.exec(
        select(UnitGroupMember).where(col(UnitGroupMember.group_id).in_(list(units)))
    ):
        members[member.group_id].append(member.unit_id)
    task_ids = session.exec(select(Task.id).where(Task.plan_id == plan_id, Task.active)).all()
    roles: dict[int, dict[int, str]] = defaultdict(dict)
    for link in session.exec(
        select(TaskAssignment).where(col(TaskAssignment.task_id).in_(list(task_ids)))
    ):
        for unit_id in sorted(members.get(link.unit_id) or [link.unit_id]):
            if roles[link.task_id].get(unit_id) != AssignmentRole.LEAD:
                roles[link.task_id][unit_id] = link.role
    result: dict[int, list[Obligation]] = {}
    for task_id, by_unit in roles.items():
        refs = [
            Obligation(task_id, UnitRef(uid, units[uid].code, units[uid].name), role)
            for uid, role in by_unit.items()
        ]
        refs.sort(key=lambda o: (o.role != AssignmentRole.LEAD, o.unit.id))
        result[task_id] = refs
    return result
