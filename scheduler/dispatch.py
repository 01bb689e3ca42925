"""Claiming due reminders and recording what became of them.

``claim`` takes the due rows of a batch of chats for this process. On PostgreSQL the
rows are read with ``SELECT ... FOR UPDATE SKIP LOCKED``, so a second process skips
what the first is taking; on SQLite, and on both as a second guard, each row moves from
pending to claimed by an UPDATE that only succeeds while the row is still pending. Two
processes therefore never both claim a row, and never both send it.

A claim left behind by a process that died before recording the outcome is taken back
after ``claim_lease``: the reminder may then go out late, but it is not lost.

``record`` applies a send's outcome: sent with its platform message id; retried later
(at ``retry_after`` on a rate limit, with doubling backoff on a temporary failure); or
given up: a refused message is kept as failed, and a chat that is gone or blocked the
bot is marked inactive, its other reminders held, and the operator told (an audit log
row, ``nhacviec reminders list`` and the log). Flood control and server or network
errors never end a reminder by their number: a 30-60 s flood control on a busy morning
only delays it. It is given up when it still fails ``give_up_after`` (24 h) after its
first failed try (``failing_since``), with "expired" and the last error kept as why.
A reminder the sender holds back on purpose (Zalo's monthly message budget is spent) is
kept as held until the time the sender names, then claimed again like any other.

The scheduled summaries (``scheduler.summaries``) are claimed the same way, by their own
call with ``kinds=SUMMARY_KINDS``, so a reminder and a summary never share a message.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Collection, Hashable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, or_, update
from sqlmodel import Session, col, func, select

from scheduler.outbox import (
    DEFAULT_SETTINGS,
    REMINDER_KINDS,
    OutboxSettings,
    SendFailure,
    series_of,
)
from storage.models import AuditLog, Chat, Reminder, ReminderState

logger = logging.getLogger(__name__)

ACTOR = "scheduler"
EXPIRED = "expired"  # the start of last_error of a reminder given up for its age


@dataclass(frozen=True)
class Claimed:
    """A reminder this process has claimed, as plain values (the session is gone)."""

    id: int
    dedupe_key: str
    chat_id: int
    occurrence_id: int | None
    kind: str
    step: str
    due_at: datetime
    attempts: int
    failing_since: datetime | None = None


def _guarded(session: Session, reminder_id: int, **values: object) -> bool:
    """Change a pending row; False when another process got to it first."""
    result = session.connection().execute(
        update(Reminder)
        .where(col(Reminder.id) == reminder_id, col(Reminder.state) == ReminderState.PENDING)
        .values(**values)
    )
    return result.rowcount == 1


def release_interrupted(
    session: Session, now: datetime, lease: timedelta, kinds: Sequence[str] = REMINDER_KINDS
) -> int:
    """Put back claims older than ``lease``: their process stopped before recording."""
    result = session.connection().execute(
        update(Reminder)
        .where(
            col(Reminder.kind).in_(kinds),
            col(Reminder.state) == ReminderState.CLAIMED,
            col(Reminder.claimed_at) <= now - lease,
        )
        .values(state=ReminderState.PENDING, claimed_by=None)
    )
    if result.rowcount:
        logger.warning("outbox: %s interrupted claims taken back", result.rowcount)
    return result.rowcount or 0


def release_held(session: Session, now: datetime) -> int:
    """Put back reminders held until a time that has come (a monthly message budget spent
    last month); those held with no time (an inactive chat) stay held."""
    result = session.connection().execute(
        update(Reminder)
        .where(
            col(Reminder.state) == ReminderState.HELD,
            col(Reminder.next_attempt_at).is_not(None),
            col(Reminder.next_attempt_at) <= now,
        )
        .values(state=ReminderState.PENDING, last_error=None)
    )
    if result.rowcount:
        logger.info("outbox: %s held reminders pending again", result.rowcount)
    return result.rowcount or 0


def claim(
    session: Session,
    now: datetime,
    worker: str,
    settings: OutboxSettings = DEFAULT_SETTINGS,
    *,
    kinds: Sequence[str] = REMINDER_KINDS,
    platforms: Collection[str] | None = None,
) -> list[Claimed]:
    """Claim the due rows of ``kinds`` of up to ``chats_per_claim`` chats (of ``platforms``
    only, when given: a process claims nothing it cannot send); the caller commits.

    Of a chat's due rows of one series (one occurrence and unit; one plan's weekly
    summary), only the latest is sent: the older ones are skipped (they were missed while
    the bot was stopped, or are still waiting for a retry that a newer row makes pointless).
    """
    release_interrupted(session, now, settings.claim_lease, kinds)
    release_held(session, now)
    ready = or_(col(Reminder.next_attempt_at).is_(None), col(Reminder.next_attempt_at) <= now)
    due = and_(
        col(Reminder.kind).in_(kinds),
        col(Reminder.state) == ReminderState.PENDING,
        col(Reminder.due_at) <= now,
    )
    active_chats = select(Chat.id).where(col(Chat.active).is_(True))
    if platforms is not None:
        active_chats = active_chats.where(col(Chat.platform).in_(platforms))
    chat_ids = session.exec(
        select(Reminder.chat_id)
        .where(due, ready, col(Reminder.chat_id).in_(active_chats))
        .group_by(col(Reminder.chat_id))
        .order_by(func.min(Reminder.due_at), col(Reminder.chat_id))
        .limit(settings.chats_per_claim)
    ).all()
    if not chat_ids:
        return []
    rows = session.exec(
        select(Reminder)
        .where(due, col(Reminder.chat_id).in_(chat_ids))
        .order_by(col(Reminder.due_at), col(Reminder.id))
        .with_for_update(skip_locked=True)
    ).all()
    by_series: dict[Hashable, list[Reminder]] = defaultdict(list)
    for row in rows:
        by_series[series_of(row.dedupe_key)].append(row)
    claimed: list[Claimed] = []
    for group in by_series.values():
        *older, latest = group
        for row in older:
            assert row.id is not None
            _guarded(session, row.id, state=ReminderState.SKIPPED, last_error="missed")
        if latest.next_attempt_at is not None and latest.next_attempt_at > now:
            continue
        assert latest.id is not None
        if _guarded(
            session, latest.id, state=ReminderState.CLAIMED, claimed_by=worker, claimed_at=now
        ):
            claimed.append(
                Claimed(
                    latest.id,
                    latest.dedupe_key,
                    latest.chat_id,
                    latest.occurrence_id,
                    latest.kind,
                    latest.step,
                    latest.due_at,
                    latest.attempts,
                    latest.failing_since,
                )
            )
    return claimed


def next_retry(
    session: Session,
    now: datetime,
    kinds: Sequence[str],
    platforms: Collection[str] | None = None,
) -> datetime | None:
    """When the earliest due reminder waiting for a retry (after a 429, a 5xx) may go."""
    chats = select(Chat.id).where(col(Chat.active).is_(True))
    if platforms is not None:
        chats = chats.where(col(Chat.platform).in_(platforms))
    return session.exec(
        select(func.min(Reminder.next_attempt_at)).where(
            col(Reminder.kind).in_(kinds),
            col(Reminder.state) == ReminderState.PENDING,
            col(Reminder.due_at) <= now,
            col(Reminder.next_attempt_at) > now,
            col(Reminder.chat_id).in_(chats),
        )
    ).first()


def release(session: Session, ids: list[int], worker: str) -> int:
    """Give claimed reminders back at once, untried (the process is stopping)."""
    if not ids:
        return 0
    result = session.connection().execute(
        update(Reminder)
        .where(_mine(ids, worker))
        .values(state=ReminderState.PENDING, claimed_by=None, claimed_at=None)
    )
    return result.rowcount or 0


def _mine(ids: list[int], worker: str) -> ColumnElement[bool]:
    return and_(
        col(Reminder.id).in_(ids),
        col(Reminder.state) == ReminderState.CLAIMED,
        col(Reminder.claimed_by) == worker,
    )


def skip(session: Session, ids: list[int], worker: str, reason: str) -> None:
    """Drop claimed reminders that no longer apply (reported done, chat changed...)."""
    if ids:
        session.connection().execute(
            update(Reminder)
            .where(_mine(ids, worker))
            .values(state=ReminderState.SKIPPED, last_error=reason)
        )


def record_sent(
    session: Session,
    ids: list[int],
    worker: str,
    now: datetime,
    message_id: str,
    note: str | None = None,
) -> None:
    """Mark claimed rows sent; ``note`` keeps what did not go with them (a summary's chart
    the platform could not take) for the operator."""
    session.connection().execute(
        update(Reminder)
        .where(_mine(ids, worker))
        .values(
            state=ReminderState.SENT,
            sent_at=now,
            platform_message_id=str(message_id),
            attempts=Reminder.attempts + 1,
            last_error=note[:1000] if note else None,
            failing_since=None,
        )
    )


def record_note(session: Session, reminder_id: int, note: str) -> None:
    """Keep, on a sent row, what did not go out with it (a summary's chart)."""
    session.connection().execute(
        update(Reminder).where(col(Reminder.id) == reminder_id).values(last_error=note[:1000])
    )


def _backoff(settings: OutboxSettings, attempts: int) -> timedelta:
    return min(settings.backoff * 2 ** max(attempts - 1, 0), settings.backoff_max)


def record_failure(
    session: Session,
    claimed: list[Claimed],
    worker: str,
    now: datetime,
    failure: SendFailure,
    settings: OutboxSettings = DEFAULT_SETTINGS,
) -> None:
    """Apply a failed send of these reminders (all to one chat) as its kind requires."""
    if not claimed:
        return
    chat = session.get(Chat, claimed[0].chat_id)
    where = f"{chat.platform}:{chat.chat_id}" if chat else str(claimed[0].chat_id)
    if failure.kind == "held":
        # Not an attempt: nothing was sent, so the attempts left stay as they were.
        until = now + timedelta(seconds=failure.retry_after or 0)
        session.connection().execute(
            update(Reminder)
            .where(_mine([c.id for c in claimed], worker))
            .values(
                state=ReminderState.HELD,
                claimed_by=None,
                next_attempt_at=until,
                last_error=failure.description[:1000],
            )
        )
        logger.warning(
            "outbox: %s reminder(s) to %s held until %s: %s",
            len(claimed),
            where,
            until.isoformat(),
            failure.description,
        )
        return
    error = str(failure)[:1000]
    for reminder in claimed:
        attempts = reminder.attempts + 1
        values: dict = {"attempts": attempts, "last_error": error, "claimed_by": None}
        given_up = failure.kind in ("permanent", "bad_request", "unsupported")
        since = reminder.failing_since or now
        values["failing_since"] = since
        if not given_up and now - since >= settings.give_up_after:
            hours = settings.give_up_after.total_seconds() / 3600
            values["last_error"] = f"{EXPIRED} after {hours:g} h: {error}"[:1000]
            values["state"] = ReminderState.FAILED
        elif given_up:
            values["state"] = ReminderState.FAILED
        else:
            values["state"] = ReminderState.PENDING
            delay = (
                timedelta(seconds=failure.retry_after or 1)
                if failure.kind == "retry_after"
                else _backoff(settings, attempts)
            )
            values["next_attempt_at"] = now + delay
        session.connection().execute(
            update(Reminder).where(_mine([reminder.id], worker)).values(**values)
        )
        if values["state"] == ReminderState.FAILED and failure.kind != "permanent":
            why = values["last_error"]
            logger.error("outbox: reminder %s to %s given up: %s", reminder.id, where, why)
            session.add(
                AuditLog(
                    at=now,
                    platform=chat.platform if chat else "?",
                    actor=ACTOR,
                    chat=chat.chat_id if chat else None,
                    action="reminder.failed",
                    detail=f"{reminder.dedupe_key}: {why}",
                )
            )
    if failure.kind == "permanent" and chat is not None and chat.active:
        chat.active = False
        session.add(chat)
        session.connection().execute(
            update(Reminder)
            .where(
                col(Reminder.chat_id) == chat.id,
                col(Reminder.state) == ReminderState.PENDING,
            )
            .values(state=ReminderState.HELD, last_error="chat-inactive", next_attempt_at=None)
        )
        session.add(
            AuditLog(
                at=now,
                platform=chat.platform,
                actor=ACTOR,
                chat=chat.chat_id,
                action="chat.deactivated",
                detail=error,
            )
        )
        logger.warning("outbox: chat %s marked inactive: %s", where, error)
    elif failure.kind != "permanent":
        logger.warning("outbox: sending to %s failed (%s)", where, error)
