"""Every message the bot sends on Zalo goes through here, so that each one is counted.

Replies (the adapter) and reminders (the sender) alike: ``ZaloOutbound`` sends, counts the
message in the month's budget, and when a send crosses 80% of the budget or spends it,
tells the operators in their private Zalo chats (and the log). It does not retry: the
adapter retries a reply a little, the outbox retries reminders.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

from bot.zalo.budget import BudgetState, Crossing, MessageBudget
from bot.zalo.client import ZaloClient
from bot.zalo.errors import ZaloError
from messages import zalo as texts
from messages.i18n import language

logger = logging.getLogger(__name__)


class ZaloOutbound:
    """Sends on Zalo through ``client`` and counts in ``budget``; ``operators`` are the Zalo
    user ids (their private chat ids) told about the budget, in ``language``."""

    def __init__(
        self,
        client: ZaloClient,
        budget: MessageBudget,
        operators: Sequence[str] = (),
        language: str = "vi",
    ) -> None:
        self.client = client
        self.budget = budget
        self.operators = tuple(dict.fromkeys(operators))
        self.language = language

    async def send_text(self, chat_id: str, text: str) -> str:
        """Send plain ``text`` (at most 2000 characters); the message id. Raises ZaloError."""
        message_id = await self.client.send_message(chat_id, text)
        await self._count()
        return message_id

    async def send_photo(self, chat_id: str, photo_url: str, caption: str | None = None) -> str:
        message_id = await self.client.send_photo(chat_id, photo_url, caption)
        await self._count()
        return message_id

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
