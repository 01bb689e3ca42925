"""python-telegram-bot's update processor that handles chats concurrently, each in order.

``Application`` with ``concurrent_updates(PerChatUpdateProcessor())`` starts a task per
update; this processor keys each update by its chat (updates with no chat, such as a
bot-wide event, share one key) and hands it to ``bot.per_chat.PerChatQueue``. The
application's own bound (``max_concurrent_updates``) is set high, since an update waiting
for its chat's turn holds no worker; the queue's ``workers`` is the real bound.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

from bot.per_chat import DEFAULT_WORKERS, PerChatQueue

IN_FLIGHT = 4096  # updates taken and waiting; the work itself is bounded by the queue
NO_CHAT = "-"


def chat_key(update: object) -> str:
    """The chat an update belongs to, so that one chat's updates are handled in order."""
    if isinstance(update, Update) and update.effective_chat is not None:
        return str(update.effective_chat.id)
    return NO_CHAT


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """Chats at once (at most ``workers`` updates worked on), one chat's updates in order."""

    def __init__(self, workers: int = DEFAULT_WORKERS) -> None:
        super().__init__(IN_FLIGHT)
        self.workers = workers
        self._queue: PerChatQueue | None = None

    def _chats(self) -> PerChatQueue:
        # Made on first use, inside the running loop its semaphore belongs to.
        if self._queue is None:
            self._queue = PerChatQueue(self.workers)
        return self._queue

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        await self._chats().run(chat_key(update), coroutine)

    async def initialize(self) -> None:
        self._queue = None

    async def shutdown(self) -> None:
        self._queue = None
