"""The updates the Telegram adapter has handled: which, and what became of each.

Telegram delivers an update again when it believes the bot did not get it (a webhook
call that timed out, a polling offset not confirmed before a stop). Each update_id is
marked done in the database in the transaction of the update's effects
(``bot.telegram.inbox``), so it is stored once across restarts and between bot
processes, and one whose handling failed or was cut short is handled on its next
delivery. ``seen`` looks it up before any work, to drop a repeat early.

Each update ends with one log line (update, chat, what it was: a command's name, never
the user's words) and the listeners told (``nhacviec run`` has none; tests wait on it).
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import Engine
from telegram import Chat, Update

from scheduler.clock import Clock
from storage.updates import prune_updates, update_seen

logger = logging.getLogger(__name__)

PLATFORM = "telegram"
KEPT = 1000  # outcomes kept in memory: the webhook reads its update's right after
KEPT_IN_DATABASE = timedelta(days=7)  # Telegram keeps an update 24 hours at most


@dataclass(frozen=True)
class Handled:
    """What became of one update: ``ok`` False when it must be delivered again."""

    update_id: int
    chat_id: str | None
    what: str
    ok: bool = True


Listener = Callable[[Handled], None]


class UpdateLedger:
    """Remembers handled updates (database) and their outcomes (memory)."""

    def __init__(self, engine: Engine, clock: Clock) -> None:
        self.engine = engine
        self.clock = clock
        self.listeners: list[Listener] = []
        self._outcomes: OrderedDict[int, Handled] = OrderedDict()

    async def seen(self, update: Update) -> bool:
        """Whether ``update`` was handled and stored before."""
        key = str(update.update_id)
        return await asyncio.to_thread(update_seen, self.engine, PLATFORM, key)

    async def prune(self) -> int:
        before = self.clock.now() - KEPT_IN_DATABASE
        return await asyncio.to_thread(prune_updates, self.engine, PLATFORM, before)

    def note(self, update: Update, what: str, ok: bool = True) -> None:
        """What the update was (for the log line), and whether it was handled fully."""
        chat = update.effective_chat
        chat_id = str(chat.id) if isinstance(chat, Chat) else None
        earlier = self._outcomes.get(update.update_id)
        if earlier is not None and not ok:
            what = f"{earlier.what}, failed"
        self._outcomes[update.update_id] = Handled(update.update_id, chat_id, what, ok)
        while len(self._outcomes) > KEPT:
            self._outcomes.popitem(last=False)

    def outcome(self, update_id: int) -> Handled | None:
        return self._outcomes.get(update_id)

    async def finish(self, update: Update) -> Handled:
        """The update is done with: logged, listeners told."""
        handled = self._outcomes.get(update.update_id)
        if handled is None:  # no handler took it: a service message, an edit...
            self.note(update, "ignored")
            handled = self._outcomes[update.update_id]
        logger.info(
            "telegram update %s: chat %s, %s", handled.update_id, handled.chat_id, handled.what
        )
        for listener in self.listeners:
            listener(handled)
        return handled
