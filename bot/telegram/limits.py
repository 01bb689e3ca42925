"""Telegram's sending limits, kept before each message rather than learnt from 429s.

Telegram answers 429 (flood control) to a bot that sends more than about 30 messages a
second overall, more than one a second to one chat, or more than 20 a minute to one
group. ``SendLimiter.acquire`` waits until a message may go without breaking any of the
three, for reminders and replies alike (they share one limiter). A 429 that still comes
is not retried here: the outbox reschedules the reminder, the reply path waits once.

Time and sleep are injectable so the rules can be checked without waiting.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class SendLimits:
    overall_per_second: int = 30
    chat_interval: float = 1.0  # seconds between two messages to one chat
    group_per_minute: int = 20


TELEGRAM_LIMITS = SendLimits()


class SendLimiter:
    """Waits as long as needed before each message; safe for many concurrent senders."""

    def __init__(
        self,
        limits: SendLimits = TELEGRAM_LIMITS,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.limits = limits
        self._clock = clock
        self._sleep = sleep
        self._lock = asyncio.Lock()
        self._recent: deque[float] = deque()  # every message of the last second
        self._last: dict[int, float] = {}  # chat -> when its last message went
        self._groups: dict[int, deque[float]] = {}  # group -> its messages of the last minute

    def wait_needed(self, chat_id: int, group: bool, now: float) -> float:
        """How many seconds a message to ``chat_id`` must still wait at ``now``."""
        self._forget(now)
        limits = self.limits
        waits = [0.0]
        if chat_id in self._last:
            waits.append(self._last[chat_id] + limits.chat_interval - now)
        if len(self._recent) >= limits.overall_per_second:
            waits.append(self._recent[-limits.overall_per_second] + 1.0 - now)
        sent = self._groups.get(chat_id)
        if group and sent is not None and len(sent) >= limits.group_per_minute:
            waits.append(sent[-limits.group_per_minute] + 60.0 - now)
        return max(waits)

    async def acquire(self, chat_id: int, group: bool) -> None:
        """Return when a message to ``chat_id`` (a group when ``group``) may be sent, and
        count it as sent."""
        while True:
            async with self._lock:
                now = self._clock()
                wait = self.wait_needed(chat_id, group, now)
                if wait <= 0:
                    self._recent.append(now)
                    self._last[chat_id] = now
                    if group:
                        self._groups.setdefault(chat_id, deque()).append(now)
                    return
            await self._sleep(wait)

    def _forget(self, now: float) -> None:
        while self._recent and self._recent[0] <= now - 1.0:
            self._recent.popleft()
        if len(self._last) > 1000:  # chats quiet for longer than the interval need no entry
            horizon = now - self.limits.chat_interval
            self._last = {chat: at for chat, at in self._last.items() if at > horizon}
        for chat, sent in list(self._groups.items()):
            while sent and sent[0] <= now - 60.0:
                sent.popleft()
            if not sent:
                del self._groups[chat]
