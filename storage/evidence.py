"""The evidence kept with reports: writing its rows, and reading them per task or per plan.

A report's evidence list (``Report.evidence``, JSON) says what the message carried; the
``Evidence`` rows are the files actually kept in the file store (``storage.filestore``),
one per file, with where it is. ``/minhchung`` lists a task's, the workbook a plan's, and
the period report counts them per task.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from storage.history import EvidenceRecord
from storage.models import Evidence, Occurrence, Report, Task, Unit

KEPT_KEYS = ("sha256", "path", "mime_type", "size")


def add_evidence(
    session: Session, report_id: int, platform: str, items: Iterable[dict[str, Any]]
) -> int:
    """One row per item the core kept in the file store (those with a hash); the count."""
    added = 0
    for position, item in enumerate(items):
        if not all(item.get(key) for key in KEPT_KEYS):
            continue  # known only by its platform reference: nothing in the store
        session.add(
            Evidence(
                report_id=report_id,
                position=position,
                kind=str(item.get("kind") or "file"),
                platform=platform,
                file_id=str(item.get("file_id") or ""),
                name=item.get("name"),
                mime_type=str(item["mime_type"]),
                size=int(item["size"]),
                sha256=str(item["sha256"]),
                path=str(item["path"]),
            )
        )
        added += 1
    return added


def _records(session: Session, plan_id: int, task_code: str | None) -> list[EvidenceRecord]:
    query = (
        select(Evidence, Report, Occurrence, Task)
        .join(Report, col(Report.id) == col(Evidence.report_id))
        .join(Occurrence, col(Occurrence.id) == col(Report.occurrence_id))
        .join(Task, col(Task.id) == col(Occurrence.task_id))
        .where(Task.plan_id == plan_id)
    )
    if task_code is not None:
        query = query.where(func.lower(Task.code) == task_code.lower())
    query = query.order_by(
        col(Task.position), col(Report.created_at), col(Report.id), col(Evidence.position)
    )
    units = {
        unit.id: unit.name for unit in session.exec(select(Unit).where(Unit.plan_id == plan_id))
    }
    return [
        EvidenceRecord(
            task_code=task.code,
            period=occurrence.period,
            unit_name=units.get(report.unit_id, ""),
            reported_at=report.created_at,
            kind=row.kind,
            name=row.name,
            mime_type=row.mime_type,
            size=row.size,
            sha256=row.sha256,
            path=row.path,
        )
        for row, report, occurrence, task in session.exec(query).all()
    ]


def task_evidence(session: Session, plan_id: int, task_code: str) -> list[EvidenceRecord]:
    """The files kept for one task of a plan (its code in any case), oldest first."""
    return _records(session, plan_id, task_code)


def plan_evidence(session: Session, plan_id: int) -> list[EvidenceRecord]:
    """Every file kept for a plan, in the plan's order of tasks, then oldest first."""
    return _records(session, plan_id, None)


def evidence_per_task(
    session: Session, plan_id: int, since: datetime | None, until: datetime
) -> dict[str, int]:
    """How many files were kept per task code, for reports made in [since, until]."""
    query = (
        select(Task.code, func.count(col(Evidence.id)))
        .join(Report, col(Report.id) == col(Evidence.report_id))
        .join(Occurrence, col(Occurrence.id) == col(Report.occurrence_id))
        .join(Task, col(Task.id) == col(Occurrence.task_id))
        .where(Task.plan_id == plan_id, col(Report.created_at) <= until)
        .group_by(Task.code)
    )
    if since is not None:
        query = query.where(col(Report.created_at) >= since)
    return {code: count for code, count in session.exec(query).all()}
