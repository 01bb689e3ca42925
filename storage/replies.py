"""The replies' outbox: replies to users, queued with the update that asked for them.

An adapter handles an update in one transaction (``storage.updates.unit_of_work``): the
update marked done, the core's writes (a report, a flow's state) and its replies queued
here all commit together or not at all. A crash before the commit loses nothing the user
sees as done: the platform delivers the update again and it is handled again. After the
commit the adapter claims and sends the replies it queued (``claim`` by id); what it could
not send (flood control, a network error, a crash in between) is claimed later by any
process serving the platform (``claim`` by platform), once ``next_attempt_at`` has come
or its claim is older than ``LEASE``. The lease is the last resort: a process that stops
gives its claims back (``release_claims``), and the claims of one that died are given
back as soon as another finds it gone (``storage.liveness``). A reply still not sent
after ``GIVE_UP_AFTER`` is failed: an answer that late would only confuse.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, update
from sqlmodel import Session, col, select

from storage.models import OutgoingReply, ReminderState

LEASE = timedelta(minutes=2)
GIVE_UP_AFTER = timedelta(hours=1)
BACKOFF = (1, 5, 30, 120)  # seconds before the next try of a reply not delivered


@dataclass(frozen=True)
class QueuedReply:
    """A reply to send, as plain values: ``payload`` is the adapter's own (JSON)."""

    id: int
    platform: str
    chat_id: str
    payload: dict
    content: bytes | None
    attempts: int
    created_at: datetime


def queue(
    session: Session,
    platform: str,
    update_key: str,
    replies: list[tuple[str, dict, bytes | None]],
    now: datetime,
) -> list[int]:
    """Queue ``(chat_id, payload, content)`` replies in order; their ids. The caller commits."""
    rows = [
        OutgoingReply(
            platform=platform,
            chat_id=chat_id,
            update_key=update_key,
            position=position,
            payload=json.dumps(payload, ensure_ascii=False),
            content=content,
            state=ReminderState.PENDING,
            created_at=now,
        )
        for position, (chat_id, payload, content) in enumerate(replies)
    ]
    session.add_all(rows)
    session.flush()
    return [row.id for row in rows if row.id is not None]


def _claim_where(session: Session, where, worker: str, now: datetime) -> list[QueuedReply]:  # type: ignore[no-untyped-def]
    rows = session.exec(
        select(OutgoingReply)
        .where(where)
        .order_by(col(OutgoingReply.id))
        .limit(200)
        .with_for_update(skip_locked=True)
    ).all()
    claimed = []
    for row in rows:
        assert row.id is not None
        taken = session.connection().execute(
            update(OutgoingReply)
            .where(col(OutgoingReply.id) == row.id, col(OutgoingReply.state) == row.state)
            .values(state=ReminderState.CLAIMED, claimed_by=worker, claimed_at=now)
        )
        if taken.rowcount == 1:
            claimed.append(
                QueuedReply(
                    row.id,
                    row.platform,
                    row.chat_id,
                    json.loads(row.payload),
                    row.content,
                    row.attempts,
                    row.created_at,
                )
            )
    return claimed


def claim_ids(session: Session, ids: list[int], worker: str, now: datetime) -> list[QueuedReply]:
    """Claim the replies just queued (still pending), in order."""
    where = and_(col(OutgoingReply.id).in_(ids), col(OutgoingReply.state) == ReminderState.PENDING)
    return _claim_where(session, where, worker, now)


def claim_due(session: Session, platform: str, worker: str, now: datetime) -> list[QueuedReply]:
    """Claim ``platform``'s replies left behind: due again, or claimed by a process that
    stopped before it could say what became of them."""
    pending = and_(
        col(OutgoingReply.state) == ReminderState.PENDING,
        or_(
            col(OutgoingReply.next_attempt_at).is_(None),
            col(OutgoingReply.next_attempt_at) <= now,
        ),
        col(OutgoingReply.created_at) <= now,
    )
    abandoned = and_(
        col(OutgoingReply.state) == ReminderState.CLAIMED,
        col(OutgoingReply.claimed_at) <= now - LEASE,
    )
    where = and_(col(OutgoingReply.platform) == platform, or_(pending, abandoned))
    return _claim_where(session, where, worker, now)


def claimants(session: Session, platform: str) -> set[str]:
    """The workers holding claims on ``platform``'s replies."""
    found = session.exec(
        select(OutgoingReply.claimed_by)
        .where(
            col(OutgoingReply.platform) == platform,
            col(OutgoingReply.state) == ReminderState.CLAIMED,
            col(OutgoingReply.claimed_by).is_not(None),
        )
        .distinct()
    ).all()
    return {worker for worker in found if worker is not None}


def release_claims(
    session: Session, platform: str, workers: set[str], before: datetime | None = None
) -> int:
    """Give back, untried, ``platform``'s replies claimed by ``workers`` (only those claimed
    before ``before``, when given); how many."""
    if not workers:
        return 0
    where = and_(
        col(OutgoingReply.platform) == platform,
        col(OutgoingReply.state) == ReminderState.CLAIMED,
        col(OutgoingReply.claimed_by).in_(sorted(workers)),
    )
    if before is not None:
        where = and_(where, col(OutgoingReply.claimed_at) < before)
    released = session.connection().execute(
        update(OutgoingReply)
        .where(where)
        .values(state=ReminderState.PENDING, claimed_by=None, claimed_at=None)
    )
    return released.rowcount or 0


def record(session: Session, reply: QueuedReply, worker: str, now: datetime, outcome: str) -> None:
    """What became of a claimed reply: "sent", "dropped" (refused for good), "later" (try
    again after a pause, until it is too old) or "released" (untried: the process stops)."""
    mine = and_(
        col(OutgoingReply.id) == reply.id,
        col(OutgoingReply.state) == ReminderState.CLAIMED,
        col(OutgoingReply.claimed_by) == worker,
    )
    values: dict = {"claimed_by": None}
    if outcome == "sent":
        values.update(state=ReminderState.SENT, sent_at=now, attempts=reply.attempts + 1)
    elif outcome == "released":
        values.update(state=ReminderState.PENDING, claimed_at=None)
    elif outcome == "later" and now - reply.created_at < GIVE_UP_AFTER:
        pause = BACKOFF[min(reply.attempts, len(BACKOFF) - 1)]
        values.update(
            state=ReminderState.PENDING,
            attempts=reply.attempts + 1,
            next_attempt_at=now + timedelta(seconds=pause),
            last_error="not delivered for now",
        )
    else:
        values.update(state=ReminderState.FAILED, attempts=reply.attempts + 1, last_error=outcome)
    session.connection().execute(update(OutgoingReply).where(mine).values(**values))
