"""The queries behind ``storage.history``: every report of a plan, every reminder sent.

Read-only, one query per list, each joined in the database so that a plan of a hundred
units costs a handful of queries.
"""

from __future__ import annotations

import json
from datetime import datetime

from sqlmodel import Session, col, select

from storage.history import ReportRecord, SentReminder
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
