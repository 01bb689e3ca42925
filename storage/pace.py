"""Pacing messages by the generic cell rate algorithm, in memory or shared through the database.

A ``Rule`` is one limit: at most one message per ``interval`` seconds on average under
its key, with ``burst`` seconds of tolerance (how far ahead of that average a burst may
run). For each key a pace keeps its *theoretical arrival time* (``next_at``): the instant
the key's next message would go at the average rate. ``reserve`` gives a message the
earliest instant every rule allows and moves each of its keys on by one interval, in one
step, so a slot once given is never given twice:

    start = max(now, next_at[key] - burst for each rule)
    next_at[key] = max(next_at[key], start) + interval      for each rule

Reserving is not waiting: the caller sleeps until ``start`` and then sends. A slot is
counted when it is given, whether the message then goes or not; that only ever errs on
the side of sending less.

``MemoryPace`` serves one process. ``DatabasePace`` keeps ``next_at`` in the
``send_pace`` table, each reservation one short transaction with the rows locked
(``SELECT ... FOR UPDATE`` on PostgreSQL, in key order so that two processes never wait
on each other in a circle), so any number of processes on one database share one budget.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import Engine, case
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import col, select

from storage.engine import session_scope
from storage.models import SendPace


@dataclass(frozen=True)
class Rule:
    """One limit: a message per ``interval`` seconds on average, ``burst`` seconds ahead."""

    key: str
    interval: float
    burst: float = 0.0


def _plan(rules: Sequence[Rule], stored: dict[str, float], now: float) -> float:
    """The slot for a message under ``rules``; ``stored`` is moved on in place."""
    start = now
    for rule in rules:
        start = max(start, stored.get(rule.key, now) - rule.burst)
    for rule in rules:
        stored[rule.key] = max(stored.get(rule.key, start), start) + rule.interval
    return start


class Pace(Protocol):
    """Where the theoretical arrival times live. Synchronous: async callers use a thread
    for the database one."""

    def reserve(self, rules: Sequence[Rule], now: float) -> float:
        """The earliest instant (>= ``now``) a message may go under all ``rules``; that slot
        is taken."""

    def hold(self, key: str, until: float) -> None:
        """Nothing goes under ``key`` before ``until`` (the platform asked for a pause)."""


class MemoryPace:
    """The pace of one process."""

    def __init__(self) -> None:
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()

    def reserve(self, rules: Sequence[Rule], now: float) -> float:
        with self._lock:
            if len(self._next) > 10_000:  # keys long past hold nothing back
                self._next = {key: at for key, at in self._next.items() if at > now}
            return _plan(rules, self._next, now)

    def hold(self, key: str, until: float) -> None:
        with self._lock:
            self._next[key] = max(self._next.get(key, until), until)


class DatabasePace:
    """The pace of every process using this database."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._insert = postgresql_insert if engine.dialect.name == "postgresql" else sqlite_insert

    def reserve(self, rules: Sequence[Rule], now: float) -> float:
        keys = sorted({rule.key for rule in rules})
        table = SendPace.__table__  # type: ignore[attr-defined]
        with session_scope(self.engine) as session:
            # Rows exist before they are locked; a new key starts free (at ``now``).
            session.connection().execute(
                self._insert(table)
                .values([{"key": key, "next_at": now} for key in keys])
                .on_conflict_do_nothing(index_elements=["key"])
            )
            rows = session.exec(
                select(SendPace)
                .where(col(SendPace.key).in_(keys))
                .order_by(col(SendPace.key))
                .with_for_update()
            ).all()
            stored = {row.key: row.next_at for row in rows}
            start = _plan(rules, stored, now)
            for row in rows:
                row.next_at = stored[row.key]
                session.add(row)
            return start

    def hold(self, key: str, until: float) -> None:
        table = SendPace.__table__  # type: ignore[attr-defined]
        statement = self._insert(table).values(key=key, next_at=until)
        statement = statement.on_conflict_do_update(
            index_elements=["key"],
            set_={
                "next_at": case(
                    (table.c.next_at > statement.excluded.next_at, table.c.next_at),
                    else_=statement.excluded.next_at,
                )
            },
        )
        with session_scope(self.engine) as session:
            session.connection().execute(statement)
