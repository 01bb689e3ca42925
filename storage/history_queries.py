"""The queries behind ``storage.history``: every report of a plan, every reminder sent.

Read-only, one query per list, each joined in the database so that a plan of a hundred
units costs a handful of queries.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import select as select_columns
from sqlmodel import Session, col, select

from storage.history import ReportRecord, SentReminder
from storage.models import (
    Chat,
    Member,
    Occurrence,
    Reminder,
    ReminderState,
    Report,
    ReportStatus,
    Task,
    Unit,
)


def _report_query(plan_id: int, until: datetime | None, since: datetime | None) -> Any:
    query: Any = (
        select_columns(
            col(Report.created_at),
            col(Report.occurrence_id),
            col(Report.unit_id),
            col(Report.status),
            col(Report.percent),
            col(Report.late),
            col(Report.note),
            col(Report.evidence),
            col(Report.platform),
            col(Task.code).label("task_code"),
            col(Task.title).label("task_title"),
            col(Task.position).label("task_position"),
            col(Occurrence.period),
            col(Occurrence.due_at),
            col(Unit.code).label("unit_code"),
            col(Unit.name).label("unit_name"),
            col(Member.display_name).label("member_name"),
        )
        .join(Occurrence, col(Occurrence.id) == Report.occurrence_id)
        .join(Task, col(Task.id) == Occurrence.task_id)
        .join(Unit, col(Unit.id) == Report.unit_id)
        .outerjoin(Member, col(Member.id) == Report.member_id)
        .where(col(Task.plan_id) == plan_id)
        .order_by(col(Report.created_at), col(Report.id))
    )
    if until is not None:
        query = query.where(col(Report.created_at) <= until)
    if since is not None:
        query = query.where(col(Report.created_at) >= since)
    return query


def _record(row: Any) -> ReportRecord:
    return ReportRecord(
        created_at=row.created_at,
        task_code=row.task_code,
        task_title=row.task_title,
        task_position=row.task_position,
        period=row.period,
        due_at=row.due_at,
        occurrence_id=row.occurrence_id,
        unit_id=row.unit_id,
        unit_code=row.unit_code,
        unit_name=row.unit_name,
        member_name=row.member_name,
        status=row.status,
        percent=row.percent,
        late=row.late,
        note=row.note,
        evidence_count=len(json.loads(row.evidence or "[]")),
        platform=row.platform,
    )


def report_records(
    session: Session, plan_id: int, until: datetime | None = None
) -> list[ReportRecord]:
    """Every report on the plan's tasks (made at or before ``until``), oldest first."""
    return list(stream_report_records(session, plan_id, until))


def stream_report_records(
    session: Session,
    plan_id: int,
    until: datetime | None = None,
    since: datetime | None = None,
    batch: int = 2000,
) -> Iterator[ReportRecord]:
    """The reports of ``report_records`` (made from ``since``), read ``batch`` rows at a
    time in one joined statement: a year of 200,000 reports is never held whole."""
    result = session.connection().execute(
        _report_query(plan_id, until, since),
        execution_options={"yield_per": batch, "stream_results": True},
    )
    for row in result:
        yield _record(row)


def blocked_report_records(
    session: Session, plan_id: int, until: datetime | None = None
) -> list[ReportRecord]:
    """The plan's "vướng mắc" reports that give a reason (made at or before ``until``),
    oldest first: what the period report quotes. A few, where all reports are a year's."""
    query = _report_query(plan_id, until, None).where(
        col(Report.status) == ReportStatus.BLOCKED.value,
        col(Report.note).is_not(None),
        col(Report.note) != "",
    )
    return [_record(row) for row in session.connection().execute(query)]


def sent_reminders(session: Session, plan_id: int, batch: int = 2000) -> Iterator[SentReminder]:
    """Every reminder of the plan's deadlines that was sent, in the order it went out, read
    ``batch`` rows at a time."""
    units = dict(session.exec(select(Unit.id, Unit.name).where(Unit.plan_id == plan_id)).all())
    query: Any = (
        select_columns(
            col(Reminder.sent_at),
            col(Reminder.due_at).label("scheduled"),
            col(Reminder.unit_id),
            col(Reminder.kind),
            col(Reminder.step),
            col(Chat.title).label("chat_title"),
            col(Chat.kind).label("chat_kind"),
            col(Chat.platform),
            col(Occurrence.period),
            col(Occurrence.due_at),
            col(Task.code).label("task_code"),
            col(Task.title).label("task_title"),
        )
        .join(Chat, col(Chat.id) == Reminder.chat_id)
        .join(Occurrence, col(Occurrence.id) == Reminder.occurrence_id)
        .join(Task, col(Task.id) == Occurrence.task_id)
        .where(col(Task.plan_id) == plan_id, col(Reminder.state) == ReminderState.SENT)
        .order_by(col(Reminder.sent_at), col(Reminder.id))
    )
    result = session.connection().execute(
        query, execution_options={"yield_per": batch, "stream_results": True}
    )
    for row in result:
        yield SentReminder(
            # A sent row always has sent_at; fall back on its schedule all the same.
            sent_at=row.sent_at or row.scheduled,
            task_code=row.task_code,
            task_title=row.task_title,
            period=row.period,
            due_at=row.due_at,
            unit_name=units.get(row.unit_id) if row.unit_id else None,
            kind=row.kind,
            step=row.step,
            chat_title=row.chat_title,
            chat_kind=row.chat_kind,
            platform=row.platform,
        )
