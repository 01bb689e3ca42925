"""What the chat platforms delivered and what the bot sent them: seen updates, monthly counts.

**Seen updates.** Zalo has no update offset: a consumed update may come again on a later
poll, and a webhook call may be retried. An adapter therefore calls ``remember_update``
with the update's key (Zalo: its ``message_id``) before handling it, and handles it only
when that returns True. The unique constraint on (platform, key) makes this hold across
restarts and between bot processes: on PostgreSQL two processes inserting the same key
at once both reach the constraint, and only one insert counts. The Telegram adapter may
use it the same way (key: the update_id), for webhook retries. ``forget_update`` gives an
update back when handling it failed before anything was done, so a re-delivery is handled.

**One transaction per update.** Better still, an adapter marks the update inside the
transaction of its effects: ``unit_of_work`` gives one connection in one transaction; a
``SqlStore`` built on it (and ``remember_update`` given it) writes there, each of its
methods in a savepoint of its own, and everything commits together when the block ends,
or nothing does. ``update_seen`` only looks, for skipping a repeat early.

**Outbound counts.** Zalo's free plan allows 3,000 outbound messages a month; the Zalo
adapter counts every message it sends with ``count_outbound`` (an atomic increment that
returns the new total, so exactly one caller sees the total cross a threshold).

Every function takes an Engine (one transaction, committed before it returns) or a
Session (the caller's transaction, which the caller commits).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import TypeVar

from sqlalchemy import Connection, Engine, delete
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from storage.engine import session_scope
from storage.models import OutboundCount, SeenUpdate

T = TypeVar("T")
MAX_KEY_LENGTH = 128


@contextmanager
def _session(session_or_engine: Session | Engine) -> Iterator[Session]:
    if isinstance(session_or_engine, Session):
        yield session_or_engine
    else:
        with session_scope(session_or_engine) as session:
            yield session


def _in_session(session_or_engine: Session | Engine, work: Callable[[Session], T]) -> T:
    with _session(session_or_engine) as session:
        return work(session)


def _insert(session: Session):  # type: ignore[no-untyped-def]
    postgresql = session.get_bind().dialect.name == "postgresql"
    return postgresql_insert if postgresql else sqlite_insert


def _checked_key(key: str) -> str:
    if not key or len(key) > MAX_KEY_LENGTH:
        raise ValueError(f"an update key must have 1 to {MAX_KEY_LENGTH} characters")
    return key


def remember_update(
    session_or_engine: Session | Engine, platform: str, key: str, now: datetime
) -> bool:
    """Note that ``platform`` delivered the update ``key``; True when it is new (handle
    it), False when it was seen before (ignore it)."""
    key = _checked_key(key)

    def work(session: Session) -> bool:
        table = SeenUpdate.__table__  # type: ignore[attr-defined]
        statement = (
            _insert(session)(table)
            .values(platform=platform, key=key, seen_at=now)
            .on_conflict_do_nothing(index_elements=["platform", "key"])
            .returning(table.c.id)
        )
        return session.connection().execute(statement).first() is not None

    return _in_session(session_or_engine, work)


@contextmanager
def unit_of_work(engine: Engine) -> Iterator[Connection]:
    """One connection in one transaction, committed when the block ends without error.

    The savepoint opened inside makes each Session bound to the connection keep its own
    savepoint (SQLAlchemy's "conservative_savepoint"): a store method that meets a unique
    constraint rolls back its own writes only, as it would on its own transaction.
    """
    with engine.connect() as connection, connection.begin(), connection.begin_nested():
        yield connection


def update_seen(engine: Engine, platform: str, key: str) -> bool:
    """Whether the update ``key`` was handled already (its effects are committed)."""
    with session_scope(engine) as session:
        found = session.exec(
            select(SeenUpdate.id).where(
                col(SeenUpdate.platform) == platform, col(SeenUpdate.key) == key
            )
        ).first()
        return found is not None


def forget_update(session_or_engine: Session | Engine, platform: str, key: str) -> bool:
    """Let the update ``key`` be handled again when it comes back; False if it was unknown."""

    def work(session: Session) -> bool:
        result = session.connection().execute(
            delete(SeenUpdate).where(
                col(SeenUpdate.platform) == platform, col(SeenUpdate.key) == key
            )
        )
        return bool(result.rowcount)

    return _in_session(session_or_engine, work)


def prune_updates(session_or_engine: Session | Engine, platform: str, before: datetime) -> int:
    """Forget the updates seen before ``before`` (none comes back that late); how many."""

    def work(session: Session) -> int:
        result = session.connection().execute(
            delete(SeenUpdate).where(
                col(SeenUpdate.platform) == platform, col(SeenUpdate.seen_at) < before
            )
        )
        return result.rowcount or 0

    return _in_session(session_or_engine, work)


def count_outbound(
    session_or_engine: Session | Engine, platform: str, month: str, messages: int = 1
) -> int:
    """Add ``messages`` to the month's count of messages sent on ``platform``; the new total."""

    def work(session: Session) -> int:
        table = OutboundCount.__table__  # type: ignore[attr-defined]
        statement = _insert(session)(table).values(platform=platform, month=month, count=messages)
        statement = statement.on_conflict_do_update(
            index_elements=["platform", "month"],
            set_={"count": table.c.count + statement.excluded.count},
        ).returning(table.c.count)
        return int(session.connection().execute(statement).scalar_one())

    return _in_session(session_or_engine, work)


def outbound_count(session_or_engine: Session | Engine, platform: str, month: str) -> int:
    """How many messages the bot sent on ``platform`` in ``month`` ("2024-03")."""

    def work(session: Session) -> int:
        found = session.exec(
            select(OutboundCount.count).where(
                col(OutboundCount.platform) == platform, col(OutboundCount.month) == month
            )
        ).first()
        return int(found or 0)

    return _in_session(session_or_engine, work)
