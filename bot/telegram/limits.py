"""Telegram's sending limits, kept before each message rather than learnt from 429s.

Telegram answers 429 (flood control) to a bot that sends more than about 30 messages a
second overall, more than one a second to one chat, or more than 20 a minute to one
group. ``SendLimiter.acquire`` gives each message a slot that breaks none of the three and
waits for it, for reminders and replies alike (they share one limiter). The limits are
per bot, not per process: on PostgreSQL every process reserves its slots in the same
``send_pace`` rows (``storage.pace.DatabasePace``), so three processes together stay
within them; one process alone may keep them in memory.

The slots follow the generic cell rate algorithm (``storage.pace``):

- overall, one message every 1/(30 x ``margin``) seconds, evenly spaced: a margin of 5%
  leaves room for the jitter between taking a slot and Telegram counting the message;
- one private chat, one message every 1.25 s: a second, and a quarter for the jitter
  between a slot and Telegram counting the message (one process's message late, the
  next to the chat from another process on time, would otherwise be under a second
  apart);
- one group, bursts of up to ten (a second apart), then one every six seconds: never
  more than 20 in any minute.

A slot is taken ahead of time and slept for; a process whose event loop is held up
(a busy CPU) wakes late, and the messages of several slots would then leave together,
more than 30 in a second as Telegram counts them. So, after its slot, a message also
keeps this process's own spacing (one per overall interval, in memory): lateness makes
messages late, never bunched.

A 429 that still comes is waited out by the whole bot (``pause``): every process's next
slot moves past ``retry_after``. Time and sleep are injectable so the rules can be
checked without waiting; time is the wall clock, the one processes share.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from storage.pace import MemoryPace, Pace, Rule


@dataclass(frozen=True)
class SendLimits:
    overall_per_second: int = 30
    chat_interval: float = 1.0  # seconds between two messages to one chat
    chat_slack: float = 0.25  # added for a private chat (a group's own rule is wider)
    group_per_minute: int = 20
    margin: float = 0.95  # of the overall rate actually used


TELEGRAM_LIMITS = SendLimits()


def telegram_rules(limits: SendLimits, chat_id: int, group: bool, bot: str) -> list[Rule]:
    """The rules a message to ``chat_id`` falls under, for the bot named ``bot``."""
    rules = [Rule(f"{bot}:all", 1.0 / (limits.overall_per_second * limits.margin))]
    if limits.chat_interval > 0:
        interval = limits.chat_interval + (0.0 if group else limits.chat_slack)
        rules.append(Rule(f"{bot}:chat:{chat_id}", interval))
    if group:
        # Bursts of g/2, then one every 120/g seconds: at most g in any minute.
        interval = 120.0 / limits.group_per_minute
        rules.append(Rule(f"{bot}:group:{chat_id}", interval, max(60.0 - interval, 0.0)))
    return rules


class Interrupted(Exception):
    """The process is stopping: a message still waiting for its slot is not sent."""


class SendLimiter:
    """Waits for its slot before each message; safe for many concurrent senders."""

    def __init__(
        self,
        limits: SendLimits = TELEGRAM_LIMITS,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        pace: Pace | None = None,
        bot: str = "telegram",
    ) -> None:
        self.limits = limits
        self.pace: Pace = pace if pace is not None else MemoryPace()
        self.bot = bot  # the key prefix: one budget per bot token
        self._clock = clock
        self._sleep = sleep
        self._stopped = asyncio.Event()
        self._spacing = MemoryPace()  # this process's own dispatches

    async def _reserve(self, chat_id: int, group: bool) -> float:
        rules = telegram_rules(self.limits, chat_id, group, self.bot)
        now = self._clock()
        if isinstance(self.pace, MemoryPace):  # no thread needed for a dictionary
            return self.pace.reserve(rules, now)
        return await asyncio.to_thread(self.pace.reserve, rules, now)

    async def acquire(self, chat_id: int, group: bool) -> None:
        """Return when a message to ``chat_id`` (a group when ``group``) may be sent; its
        slot is taken."""
        if self._stopped.is_set():
            raise Interrupted
        await self._wait_until(await self._reserve(chat_id, group))
        overall = 1.0 / (self.limits.overall_per_second * self.limits.margin)
        await self._wait_until(self._spacing.reserve([Rule("sent", overall)], self._clock()))

    async def _wait_until(self, start: float) -> None:
        wait = start - self._clock()
        if wait <= 0:
            return
        sleeping = asyncio.ensure_future(self._sleep(wait))
        stopping = asyncio.ensure_future(self._stopped.wait())
        await asyncio.wait({sleeping, stopping}, return_when=asyncio.FIRST_COMPLETED)
        for task in (sleeping, stopping):
            task.cancel()
        if self._stopped.is_set():
            raise Interrupted

    def interrupt(self) -> None:
        """Wake every sender waiting for a slot with ``Interrupted``; send nothing more."""
        self._stopped.set()

    async def pause(self, seconds: float) -> None:
        """Telegram asked for ``seconds`` of quiet: no process sends before they are over."""
        until = self._clock() + seconds
        if isinstance(self.pace, MemoryPace):
            self.pace.hold(f"{self.bot}:all", until)
        else:
            await asyncio.to_thread(self.pace.hold, f"{self.bot}:all", until)
