"""Archiving a plan: it stays for history, summaries and exports, and sends nothing more.

The outbox no longer materializes anything for an archived plan (``scheduler.outbox``,
``scheduler.summaries``); the rows already waiting for it are skipped here, with the
reason kept, so that a restart does not send them either.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from storage.models import AuditLog, Occurrence, Plan, Reminder, ReminderState, Task

ARCHIVED = "plan archived"  # the last_error of a reminder skipped by archiving


def _weekly_of(dedupe_key: str) -> int | None:
    """The plan a weekly summary's key (``s:chat:plan:when``) names, or None."""
    parts = dedupe_key.split(":")
    return int(parts[2]) if len(parts) == 4 and parts[0] == "s" and parts[2].isdigit() else None


def archive_plan(session: Session, plan: Plan, now: datetime, actor: str = "operator") -> int:
    """Archive ``plan``; returns how many waiting reminders and summaries were skipped.
    The caller commits."""
    plan.archived = True
    session.add(plan)
    occurrences = select(Occurrence.id).join(Task, col(Task.id) == Occurrence.task_id)
    waiting = session.exec(
        select(Reminder).where(col(Reminder.state) == ReminderState.PENDING)
    ).all()
    ids = set(session.exec(occurrences.where(Task.plan_id == plan.id)).all())
    dropped = 0
    for reminder in waiting:
        if reminder.occurrence_id in ids or _weekly_of(reminder.dedupe_key) == plan.id:
            reminder.state, reminder.last_error = ReminderState.SKIPPED, ARCHIVED
            session.add(reminder)
            dropped += 1
    session.add(
        AuditLog(
            at=now,
            platform="cli",
            actor=actor,
            action="plan.archive",
            detail=f"{plan.code}: {dropped} waiting message(s) skipped",
        )
    )
    session.flush()
    return dropped
