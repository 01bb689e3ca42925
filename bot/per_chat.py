"""Updates of different chats handled at once, each chat's in the order they came.

A ``PerChatQueue`` runs the coroutine of each update as soon as the update before it in the
same chat is done, at most ``workers`` at a time: one officer's long ``/xuat`` no longer
holds up another's ``/giup``, and a chat's "/baocao" then "xong" are never swapped. The
slots are taken once a chat's turn has come, so a chat that sends fifty messages waits
behind itself, never in front of the others. Both adapters use it: python-telegram-bot
through ``bot.telegram.concurrency``, the Zalo poller directly.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Hashable
from typing import Any

logger = logging.getLogger(__name__)

DEFAULT_WORKERS = 16  # the core's work runs in threads; this bounds the updates in flight


class PerChatQueue:
    """Runs awaitables keyed by chat: in order within a key, concurrently across keys."""

    def __init__(self, workers: int = DEFAULT_WORKERS) -> None:
        if workers < 1:
            raise ValueError("workers must be at least 1")
        self.workers = workers
        self._slots = asyncio.Semaphore(workers)
        self._tails: dict[Hashable, asyncio.Future[None]] = {}

    async def run(self, key: Hashable, work: Awaitable[Any]) -> Any:
        """Await ``work`` after every earlier work of ``key``; return its result."""
        previous = self._tails.get(key)
        mine: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._tails[key] = mine
        try:
            if previous is not None:
                await asyncio.shield(previous)
            async with self._slots:
                return await work
        finally:
            mine.set_result(None)
            if self._tails.get(key) is mine:
                del self._tails[key]

    def submit(self, key: Hashable, work: Awaitable[Any]) -> asyncio.Task[Any]:
        """Start ``work`` in its chat's turn as a task (its place in line is taken now)."""
        return asyncio.ensure_future(self.run(key, work))

    @property
    def waiting_chats(self) -> int:
        return len(self._tails)
