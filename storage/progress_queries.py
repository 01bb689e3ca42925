"""The query that fills ``storage.progress``: a plan's entries at one instant, read in a session.

A fixed number of reads whatever the size of the plan (the plan, its tasks, deadlines,
units, groups and assignments, the reports on its deadlines); ``storage.progress.summarize``
turns the entries into the counts and lists every summary shows. The vocabulary
(obligation, entry, started, overdue) is explained in ``storage.progress``.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import datetime

from sqlmodel import Session, col, select

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
from storage.progress import ONGOING, Entry, Obligation, PlanProgress, UnitRef, summarize
from storage.subtasks import parents_done


def obligations(session: Session, plan_id: int) -> dict[int, list[Obligation]]:
    """Every active task's responsible units (groups expanded), lead ones first, by task id."""
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


def _latest_reports(session: Session, occurrence_ids: list[int]) -> dict:
    latest: dict[tuple[int, int], Report] = {}
    counts: dict[tuple[int, int], int] = defaultdict(int)
    for report in session.exec(
        select(Report)
        .where(col(Report.occurrence_id).in_(occurrence_ids))
        .order_by(col(Report.created_at), col(Report.id))
    ):
        key = (report.occurrence_id, report.unit_id)
        latest[key] = report
        counts[key] += 1
    return {"latest": latest, "counts": counts}


def _entry(plan_id, task, occurrence, obligation, report, count, now, carried=None) -> Entry:
    started = occurrence.start_at is None or occurrence.start_at <= now
    status = ReportStatus(report.status) if report else None
    if carried is not None:
        report, status = carried, ReportStatus.IN_PROGRESS
    overdue = (
        occurrence.due_at is not None
        and occurrence.due_at < now
        and status != ReportStatus.DONE
        and task.kind != ONGOING
    )
    return Entry(
        plan_id=plan_id,
        occurrence_id=occurrence.id,
        task_id=task.id,
        task_code=task.code,
        task_title=task.title,
        task_position=task.position,
        when_text=task.when_text,
        period=occurrence.period,
        start_at=occurrence.start_at,
        due_at=occurrence.due_at,
        unit=obligation.unit,
        role=obligation.role,
        status=status,
        percent=report.percent if report else None,
        late=bool(report and report.late),
        reported_at=report.created_at if report else None,
        note=report.note if report else None,
        evidence_count=len(json.loads(report.evidence or "[]")) if report else 0,
        report_count=count,
        started=started,
        overdue=overdue,
        ongoing=task.kind == ONGOING,
        carried=carried is not None,
    )


def plan_progress(session: Session, plan_id: int, now: datetime) -> PlanProgress:
    """The progress of plan ``plan_id`` at ``now`` (an aware instant)."""
    plan = session.get(Plan, plan_id)
    if plan is None:
        raise LookupError(f"no plan with id {plan_id}")
    tasks = {
        t.id: t for t in session.exec(select(Task).where(Task.plan_id == plan_id, Task.active))
    }
    occurrences = session.exec(
        select(Occurrence).where(col(Occurrence.task_id).in_(list(tasks)), Occurrence.active)
    ).all()
    owed = obligations(session, plan_id)
    reports = _latest_reports(session, [o.id for o in occurrences if o.id is not None])
    by_occurrence = {o.id: o.task_id for o in occurrences}
    last_on_duty: dict[tuple[int, int], list[Report]] = defaultdict(list)
    for (occurrence_id, unit_id), report in reports["latest"].items():
        if tasks[by_occurrence[occurrence_id]].kind == ONGOING:
            last_on_duty[(by_occurrence[occurrence_id], unit_id)].append(report)
    entries = []
    for occurrence in occurrences:
        task = tasks[occurrence.task_id]
        for obligation in owed.get(occurrence.task_id, []):
            key = (occurrence.id, obligation.unit.id)
            carried = None
            if task.kind == ONGOING and key not in reports["latest"]:
                # An ongoing duty stands on its last account until this period's is given.
                end = min(occurrence.due_at or now, now)
                earlier = [
                    r
                    for r in last_on_duty.get((occurrence.task_id, obligation.unit.id), [])
                    if r.created_at <= end
                ]
                carried = max(earlier, key=lambda r: r.created_at) if earlier else None
            entries.append(
                _entry(
                    plan_id,
                    task,
                    occurrence,
                    obligation,
                    reports["latest"].get(key),
                    reports["counts"][key],
                    now,
                    carried,
                )
            )
    entries.sort(
        key=lambda e: (
            e.task_position,
            e.due_at is None,
            e.due_at or now,
            e.role != AssignmentRole.LEAD,
            e.unit.id,
        )
    )
    parent_of = {
        t.id: t.parent_id
        for t in tasks.values()
        if t.id is not None and t.parent_id is not None and t.parent_id in tasks
    }
    return summarize(plan, parents_done(tuple(entries), parent_of), now)
