"""Every message the bot sends on Zalo goes through here, so that each one is counted.

Replies (the adapter) and reminders (the sender) alike: ``ZaloOutbound`` sends, counts the
message in the month's budget, and when a send crosses 80% of the budget or spends it,
tells the operators in their private Zalo chats (and the log). It does not retry: the
adapter retries a reply a little, the outboxes retry replies and reminders.

Each message first takes its slot in ``storage.pace`` under the key "zalo" (in the
database on PostgreSQL, so every process shares one rate; in memory on SQLite, which
serves one process) and waits for it. bot/zalo had no rate of its own before:
``PER_SECOND`` is a guess to check against Zalo's terms.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence

from bot.zalo.budget import BudgetState, Crossing, MessageBudget
from bot.zalo.client import ZaloClient
from bot.zalo.errors import ZaloError
from messages import zalo as texts
from messages.i18n import language
from storage.pace import DatabasePace, MemoryPace, Pace, Rule

logger = logging.getLogger(__name__)

PER_SECOND = 10.0  # messages a second, all Zalo chats and processes together
PACE_KEY = "zalo"


class ZaloOutbound:
    """Sends on Zalo through ``client`` and counts in ``budget``; ``operators`` are the Zalo
    user ids (their private chat ids) told about the budget, in ``language``."""

    def __init__(
        self,
        client: ZaloClient,
        budget: MessageBudget,
        operators: Sequence[str] = (),
        language: str = "vi",
        pace: Pace | None = None,
    ) -> None:
        if pace is None:
            engine = budget.engine
            pace = DatabasePace(engine) if engine.dialect.name == "postgresql" else MemoryPace()
        self.pace = pace
        self.client = client
        self.budget = budget
        self.operators = tuple(dict.fromkeys(operators))
        self.language = language

    async def send_text(self, chat_id: str, text: str) -> str:
        """Send plain ``text`` (at most 2000 characters); the message id. Raises ZaloError."""
        await self._slot()
        message_id = await self.client.send_message(chat_id, text)
        await self._count()
        return message_id

    async def send_photo(self, chat_id: str, photo_url: str, caption: str | None = None) -> str:
        await self._slot()
        message_id = await self.client.send_photo(chat_id, photo_url, caption)
        await self._count()
        return message_id

    async def _slot(self) -> None:
        """Wait for this message's slot in the rate shared by every process."""
        rules = [Rule(PACE_KEY, 1.0 / PER_SECOND)]
        if isinstance(self.pace, MemoryPace):
            start = self.pace.reserve(rules, time.time())
        else:
            start = await asyncio.to_thread(self.pace.reserve, rules, time.time())
        wait = start - time.time()
        if wait > 0:
            await asyncio.sleep(wait)

    async def budget_state(self) -> BudgetState:
        return await asyncio.to_thread(self.budget.state)

    async def _count(self) -> None:
        try:
            state, crossing = await asyncio.to_thread(self.budget.record_sent, 1)
        except Exception:  # the message is out; a lost count must not lose the reply
            logger.exception("zalo: a sent message could not be counted")
            return
        if crossing is not None:
            await self._tell_operators(state, crossing)

    async def _tell_operators(self, state: BudgetState, crossing: Crossing) -> None:
        with language(self.language):
            if crossing == Crossing.SPENT:
                text = texts.budget_spent(state.budget, state.month, self.budget.resume_at())
            else:
                text = texts.budget_warning(state.sent, state.budget, state.month)
        if not self.operators:
            logger.warning("zalo: no operator to tell ([operators] zalo is empty): %s", text)
        for operator in self.operators:
            try:
                await self.send_text(operator, text)
            except ZaloError as error:
                logger.warning("zalo: operator %s not told of the budget: %s", operator, error)
