"""Which bot processes are still running, so that what a dead one had claimed is taken
back at once rather than after a lease.

A process that claims rows (replies to send) names itself with a worker name and
``Presence.announce``s it. On PostgreSQL that takes a session advisory lock keyed by the
name, held on a connection of its own for as long as the process runs; the server frees
it the moment the process dies (kill -9, a crash, the OOM killer: its socket closes), so
``departed`` tells a dead claimant from a live one by trying that lock in a transaction
of its own. A name that collides with a live one's key only looks alive: its claims wait
out their lease as before, nothing is taken twice.

SQLite serves one process: whoever claimed before this process started is gone, so on
SQLite ``departed`` calls every other name departed and ``claimed_before`` limits that to
the claims older than the start (another adapter of this same process keeps its own).
"""

from __future__ import annotations

import contextlib
import logging
import zlib
from datetime import datetime

from sqlalchemy import Connection, Engine, text

logger = logging.getLogger(__name__)

NAMESPACE = 0x6E68  # "nh": the first key of every presence lock, apart from other locks


def _key(worker: str) -> int:
    """The lock's second key: a signed 32-bit hash of the worker's name."""
    value = zlib.crc32(worker.encode())
    return value - 2**32 if value >= 2**31 else value


class Presence:
    """One process's sign of life, under its worker name."""

    def __init__(self, engine: Engine, worker: str, started: datetime) -> None:
        self.engine = engine
        self.worker = worker
        self.started = started
        self._connection: Connection | None = None

    @property
    def shared(self) -> bool:
        """Whether other processes may use this database at the same time."""
        return self.engine.dialect.name == "postgresql"

    @property
    def claimed_before(self) -> datetime | None:
        """Only claims older than this are a departed process's (None: any of them)."""
        return None if self.shared else self.started

    def announce(self) -> None:
        """Hold the lock that says this process runs (nothing to hold on SQLite)."""
        if not self.shared or self._connection is not None:
            return
        connection = self.engine.connect()
        connection.execute(
            text("SELECT pg_advisory_lock(:space, :key)"),
            {"space": NAMESPACE, "key": _key(self.worker)},
        )
        connection.commit()
        self._connection = connection

    def withdraw(self) -> None:
        """The process stops: its lock goes with its connection."""
        if self._connection is not None:
            with contextlib.suppress(Exception):
                # Out of the pool for good: a pooled session would keep holding the lock.
                self._connection.invalidate()
                self._connection.close()
            self._connection = None

    def departed(self, workers: set[str]) -> set[str]:
        """Those of ``workers`` whose process no longer runs (never this one)."""
        others = workers - {self.worker}
        if not others or not self.shared:
            return others
        gone = set()
        with self.engine.connect() as connection:
            for worker in sorted(others):
                # A transaction lock, let go at the commit: only a look at who holds it.
                free = connection.execute(
                    text("SELECT pg_try_advisory_xact_lock(:space, :key)"),
                    {"space": NAMESPACE, "key": _key(worker)},
                ).scalar()
                connection.commit()
                if free:
                    gone.add(worker)
        if gone:
            logger.info("claims of %s stopped processes taken back", len(gone))
        return gone
