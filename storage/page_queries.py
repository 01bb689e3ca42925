"""The queries behind ``storage.page``: which plans a person may see, a task in detail, a
task's evidence files and one kept file with the right to see it.

Read-only. A task's page costs a handful of queries whatever the size of the plan: its
deadlines, the reports on them, the responsible units (``progress_queries.obligations``,
the same expansion of groups as the summaries) and the senders' names.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import datetime

from sqlmodel import Session, col, select

from storage.models import (
    Evidence,
    Member,
    Occurrence,
    Plan,
    Report,
    Role,
    Task,
    TaskAssignment,
    Unit,
)
from storage.page import EvidenceFile, HistoryLine, PlanScope, TaskDetail, UnitReport
from storage.progress_queries import obligations


def plan_scopes(
    session: Session, platform: str, user_id: str, operator: bool = False
) -> list[PlanScope]:
    """The plans ``user_id`` may see on the page, by the same rules as the chat: leaders
    and operators every plan, a coordinator the plans followed, an officer the tasks of
    their unit; anyone else none. Newest plan first."""
    plans = session.exec(select(Plan).order_by(col(Plan.year).desc(), col(Plan.code))).all()
    members = session.exec(
        select(Member).where(Member.platform == platform, Member.user_id == user_id, Member.active)
    ).all()
    whole: set[int] = {plan.id for plan in plans if plan.id is not None} if operator else set()
    units: dict[int, set[int]] = defaultdict(set)
    for member in members:
        if member.role in (Role.LEADER, Role.ADMIN) or (
            member.role == Role.COORDINATOR and member.plan_id is None
        ):
            whole.update(plan.id for plan in plans if plan.id is not None)
        elif member.role == Role.COORDINATOR and member.plan_id is not None:
            whole.add(member.plan_id)
        elif member.role == Role.MEMBER and member.unit_id is not None:
            unit = session.get(Unit, member.unit_id)
            if unit is not None:
                units[unit.plan_id].add(member.unit_id)
    scopes = []
    for plan in plans:
        assert plan.id is not None
        if plan.id in whole:
            scopes.append(PlanScope(plan.id, plan.code, plan.title, None))
        elif plan.id in units:
            scopes.append(PlanScope(plan.id, plan.code, plan.title, frozenset(units[plan.id])))
    return scopes


def _task(session: Session, plan_id: int, code: str) -> Task | None:
    return session.exec(
        select(Task).where(Task.plan_id == plan_id, Task.code == code, Task.active)
    ).first()


def _names(session: Session, member_ids: set[int]) -> dict[int, str]:
    rows = session.exec(select(Member).where(col(Member.id).in_(member_ids)))
    return {member.id: member.display_name for member in rows if member.id is not None}


def task_detail(session: Session, scope: PlanScope, code: str, now: datetime) -> TaskDetail | None:
    """The task ``code`` of the scope's plan, showing the scope's units only; None when
    the plan has no such active task, or none of it concerns the scope's units."""
    task = _task(session, scope.plan_id, code)
    if task is None or task.id is None:
        return None
    owed = [
        o for o in obligations(session, scope.plan_id).get(task.id, []) if scope.sees(o.unit.id)
    ]
    if not owed:
        return None
    occurrences = session.exec(
        select(Occurrence)
        .where(Occurrence.task_id == task.id, Occurrence.active)
        .order_by(col(Occurrence.due_at).desc(), col(Occurrence.id).desc())
    ).all()
    by_id = {occurrence.id: occurrence for occurrence in occurrences}
    reports = session.exec(
        select(Report)
        .where(col(Report.occurrence_id).in_(list(by_id)))
        .order_by(col(Report.created_at), col(Report.id))
    ).all()
    reports = [report for report in reports if scope.sees(report.unit_id)]
    names = _names(session, {r.member_id for r in reports if r.member_id is not None})
    units = {o.unit.id: o.unit for o in owed}
    latest: dict[tuple[int | None, int], Report] = {
        (report.occurrence_id, report.unit_id): report for report in reports
    }
    rows = []
    for occurrence in occurrences:
        started = occurrence.start_at is None or occurrence.start_at <= now
        for obligation in owed:
            report = latest.get((occurrence.id, obligation.unit.id))
            if not started and report is None:
                continue  # a deadline not begun and not reported on is not shown yet
            done = report is not None and report.status == "done"
            due = occurrence.due_at
            rows.append(
                UnitReport(
                    unit=obligation.unit,
                    role=obligation.role,
                    period=occurrence.period,
                    due_at=due,
                    status=report.status if report else None,
                    percent=report.percent if report else None,
                    note=report.note if report else None,
                    reported_at=report.created_at if report else None,
                    late=bool(report and report.late),
                    member_name=names.get(report.member_id)
                    if report and report.member_id
                    else None,
                    evidence_count=len(json.loads(report.evidence or "[]")) if report else 0,
                    overdue=due is not None and due < now and not done,
                )
            )
    history = tuple(
        HistoryLine(
            created_at=report.created_at,
            unit_name=units[report.unit_id].name if report.unit_id in units else "",
            period=by_id[report.occurrence_id].period,
            status=report.status,
            percent=report.percent,
            note=report.note,
            late=report.late,
            member_name=names.get(report.member_id) if report.member_id else None,
            evidence_count=len(json.loads(report.evidence or "[]")),
        )
        for report in reversed(reports)
    )
    assignments = session.exec(
        select(TaskAssignment, Unit)
        .join(Unit, col(Unit.id) == TaskAssignment.unit_id)
        .where(TaskAssignment.task_id == task.id)
        .order_by(col(Unit.id))
    ).all()
    return TaskDetail(
        plan_id=scope.plan_id,
        plan_code=scope.code,
        task_id=task.id,
        code=task.code,
        title=task.title,
        when_text=task.when_text,
        lead=tuple(unit.name for link, unit in assignments if link.role == "lead"),
        support=tuple(unit.name for link, unit in assignments if link.role == "support"),
        rows=tuple(rows),
        history=history,
    )


def task_evidence(session: Session, scope: PlanScope, task_id: int) -> list[EvidenceFile]:
    """The photos and files sent with reports on the task by the scope's units, newest
    report first, in the order each report carried them. A file kept in the file store
    comes from its ``Evidence`` row; one the report names but the store never received
    (its download failed, or it came before the store) keeps its platform reference."""
    rows = session.exec(
        select(Report, Unit)
        .join(Occurrence, col(Occurrence.id) == Report.occurrence_id)
        .join(Unit, col(Unit.id) == Report.unit_id)
        .where(Occurrence.task_id == task_id, Report.evidence != "[]")
        .order_by(col(Report.created_at).desc(), col(Report.id).desc())
    ).all()
    rows = [(report, unit) for report, unit in rows if scope.sees(report.unit_id)]
    kept: dict[tuple[int, int], Evidence] = {}
    if rows:
        for row in session.exec(
            select(Evidence).where(col(Evidence.report_id).in_([r.id for r, _ in rows]))
        ):
            kept[(row.report_id, row.position)] = row
    files = []
    for report, unit in rows:
        assert report.id is not None
        for position, item in enumerate(json.loads(report.evidence or "[]")):
            stored = kept.get((report.id, position))
            files.append(
                EvidenceFile(
                    report_id=report.id,
                    number=position + 1,
                    kind=stored.kind if stored else str(item.get("kind", "file")),
                    name=stored.name if stored else item.get("name"),
                    file_id=str(item.get("file_id", "")),
                    platform=report.platform,
                    unit_name=unit.name,
                    reported_at=report.created_at,
                    evidence_id=stored.id if stored else None,
                    mime_type=stored.mime_type if stored else None,
                    size=stored.size if stored else None,
                )
            )
    return files


def kept_file(
    session: Session, scope: PlanScope, evidence_id: int
) -> tuple[Evidence, Task] | None:
    """The kept file ``evidence_id`` and its task, when it was sent with a report on an
    active task of the scope's plan by one of the scope's units; None otherwise (the
    viewer may not see that report, or there is no such file)."""
    found = session.exec(
        select(Evidence, Report, Task)
        .join(Report, col(Report.id) == Evidence.report_id)
        .join(Occurrence, col(Occurrence.id) == Report.occurrence_id)
        .join(Task, col(Task.id) == Occurrence.task_id)
        .where(Evidence.id == evidence_id, Task.plan_id == scope.plan_id, Task.active)
    ).first()
    if found is None or not scope.sees(found[1].unit_id):
        return None
    return found[0], found[2]
