"""The history of a plan besides its progress: every report, every reminder sent.

The workbook and the period report list these rows.

``storage.progress`` keeps each unit's latest report only; the workbook lists every
report, and the reminders the outbox has sent. Read-only queries, one per list, each
joined in the database so that a plan of a hundred units costs a handful of queries.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from storage.models import (
    Chat,
    Member,
    Occurrence,
    Reminder,
    ReminderState,
    Report,
    Task,
    Unit,
)


@dataclass(frozen=True)
class ReportRecord:
    """One report as it was made, with its task, deadline, unit and sender."""

    created_at: datetime
    task_code: str
    task_title: str
    task_position: int
    period: str
    due_at: datetime | None
    occurrence_id: int
    unit_id: int
    unit_code: str
    unit_name: str
    member_name: str | None
    status: str
    percent: int | None
    late: bool
    note: str | None
    evidence_count: int
    platform: str


@dataclass(frozen=True)
class SentReminder:
    """One outbox row that went out: to whom, about which deadline, at which step."""

    sent_at: datetime
    task_code: str
    task_title: str
    period: str
    due_at: datetime | None
    unit_name: str | None  # None for a message to the leadership
    kind: str
    step: str
    chat_title: str | None
    chat_kind: str
    platform: str


def report_records(
    session: Session, plan_id: int, until: datetime | None = None
) -> list[ReportRecord]:
    """Every report on the plan's tasks (made at or before ``until``), oldest first."""
    query = (
        select(Report, Occurrence, Task, Unit)
        .join(Occurrence, col(Occurrence.id) == Report.occurrence_id)
        .join(Task, col(Task.id) == Occurrence.task_id)
        .join(Unit, col(Unit.id) == Report.unit_id)
        .where(Task.plan_id == plan_id)
        .order_by(col(Report.created_at), col(Report.id))
    )
    if until is not None:
        query = query.where(col(Report.created_at) <= until)
    rows = session.exec(query).all()
    senders = {report.member_id for report, *_ in rows if report.member_id is not None}
    names = {
        member.id: member.display_name
        for member in session.exec(select(Member).where(col(Member.id).in_(senders)))
    }
    return [
        ReportRecord(
            created_at=report.created_at,
            task_code=task.code,
            task_title=task.title,
            task_position=task.position,
            period=occurrence.period,
            due_at=occurrence.due_at,
            occurrence_id=report.occurrence_id,
            unit_id=report.unit_id,
            unit_code=unit.code,
            unit_name=unit.name,
            member_name=names.get(report.member_id),
            status=report.status,
            percent=report.percent,
            late=report.late,
            note=report.note,
            evidence_count=len(json.loads(report.evidence or "[]")),
            platform=report.platform,
        )
        for report, occurrence, task, unit in rows
    ]


def sent_reminders(session: Session, plan_id: int) -> list[SentReminder]:
    """Every reminder of the plan's deadlines that was sent, in the order it went out."""
    units = {
        unit.id: unit.name for unit in session.exec(select(Unit).where(Unit.plan_id == plan_id))
    }
    rows = session.exec(
        select(Reminder, Chat, Occurrence, Task)
        .join(Chat, col(Chat.id) == Reminder.chat_id)
        .join(Occurrence, col(Occurrence.id) == Reminder.occurrence_id)
        .join(Task, col(Task.id) == Occurrence.task_id)
        .where(Task.plan_id == plan_id, Reminder.state == ReminderState.SENT)
        .order_by(col(Reminder.sent_at), col(Reminder.id))
    )
    result = []
    for reminder, chat, occurrence, task in rows:
        result.append(
            SentReminder(
                # A sent row always has sent_at; fall back on its schedule all the same.
                sent_at=reminder.sent_at or reminder.due_at,
                task_code=task.code,
                task_title=task.title,
                period=occurrence.period,
                due_at=occurrence.due_at,
                unit_name=units.get(reminder.unit_id) if reminder.unit_id else None,
                kind=reminder.kind,
                step=reminder.step,
                chat_title=chat.title,
                chat_kind=chat.kind,
                platform=chat.platform,
            )
        )
    return result
