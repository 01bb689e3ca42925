"""Polling Telegram so that an update is confirmed only once it is stored, by one process.

python-telegram-bot's updater asks getUpdates for the next batch (which confirms the
previous one to Telegram) before the handlers have run: a process killed with a backlog
loses what it had fetched. Here a batch is handled first (each update in its own
transaction, ``bot.telegram.inbox``), and the offset moves past an update only once it and
every update before it are stored; one that failed comes back in the next batch, the ones
after it stored already are dropped as repeats.

Only one process may poll a bot (Telegram answers 409 Conflict to the others), so polling
takes a lock first: on PostgreSQL a session advisory lock, held by a connection of its
own for as long as the process polls and freed by the server if the process dies; on
SQLite a file lock next to the database. A process that does not get it says so in one
line and goes on with its other work (webhooks of Zalo, reminders).
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import logging
import zlib
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Connection, Engine, text
from telegram import Bot, Update
from telegram.error import Conflict, NetworkError, TelegramError

logger = logging.getLogger(__name__)

POLL_TIMEOUT = 25  # seconds a getUpdates call waits for news
MAX_PAUSE = 30.0

Process = Callable[[Update], Awaitable[bool]]


class PollLock:
    """The right to poll one bot; ``acquire`` is False when another process holds it."""

    def __init__(self, engine: Engine, bot_id: str) -> None:
        self.engine = engine
        self.key = zlib.crc32(f"nhacviec-telegram-poll:{bot_id}".encode())
        self._connection: Connection | None = None
        self._file: IO[Any] | None = None

    def acquire(self) -> bool:
        if self.engine.dialect.name == "postgresql":
            connection = self.engine.connect()
            taken = connection.execute(
                text("SELECT pg_try_advisory_lock(:key)"), {"key": self.key}
            ).scalar()
            connection.commit()
            if taken:
                self._connection = connection
            else:
                connection.close()
            return bool(taken)
        database = self.engine.url.database or ""
        path = Path(f"{database}.telegram-poll.lock") if database else None
        if path is None or database == ":memory:":
            return True  # an in-memory database has one process by nature
        handle = path.open("a")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            return False
        self._file = handle
        return True

    def release(self) -> None:
        if self._connection is not None:
            with contextlib.suppress(Exception):
                self._connection.close()  # the session lock ends with the session
            self._connection = None
        if self._file is not None:
            self._file.close()
            self._file = None


class TelegramPoller:
    """Fetches batches of updates and confirms each batch once it is stored."""

    def __init__(self, bot: Bot, process: Process, allowed_updates: list[str]) -> None:
        self.bot = bot
        self.process = process
        self.allowed_updates = allowed_updates
        self.timeout = POLL_TIMEOUT
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        await self.bot.delete_webhook()  # getUpdates is refused while a webhook is set
        self._task = asyncio.create_task(self._run(), name="telegram-polling")

    async def stop(self) -> None:
        """Stop at once: a getUpdates under way is dropped (nothing it brings is confirmed),
        a batch being handled is finished."""
        self._stop.set()
        if self._task is not None:
            await self._task
            self._task = None

    async def _fetch(self, offset: int | None) -> tuple[Update, ...] | None:
        """The next batch, or None when the stop came first."""
        poll = asyncio.ensure_future(
            self.bot.get_updates(
                offset=offset, timeout=self.timeout, allowed_updates=self.allowed_updates
            )
        )
        stopping = asyncio.ensure_future(self._stop.wait())
        await asyncio.wait({poll, stopping}, return_when=asyncio.FIRST_COMPLETED)
        stopping.cancel()
        if not poll.done():
            poll.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await poll
            return None
        return poll.result()

    async def _run(self) -> None:
        offset: int | None = None
        failures = 0
        while not self._stop.is_set():
            try:
                updates = await self._fetch(offset)
            except Conflict:
                failures += 1
                if failures == 1:
                    logger.error("telegram: another program polls this bot (409); retrying")
                await self._pause(failures)
                continue
            except (NetworkError, TelegramError) as error:
                failures += 1
                logger.warning("telegram: getUpdates failed (%s); retrying", error)
                await self._pause(failures)
                continue
            if updates is None:
                break
            failures = 0
            outcomes = await asyncio.gather(*(self.process(update) for update in updates))
            for update, stored in zip(updates, outcomes, strict=True):
                if not stored:  # it and the ones after come again with the next batch
                    failures = 1
                    break
                offset = update.update_id + 1
            if failures:
                await self._pause(failures)
        logger.info("telegram: polling stopped")

    async def _pause(self, failures: int) -> None:
        seconds = min(2.0 ** (failures - 1), MAX_PAUSE)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stop.wait(), timeout=seconds)
