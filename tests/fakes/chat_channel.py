"""A recording chat channel for the outbox: the ``Sender`` boundary, faked.

It keeps every message it delivered (platform, chat, text, message id, the clock's time;
for a photo its bytes and file name, the caption as its text) and can be told to fail the
next sends to a chat the way a platform does: 429 with a ``retry_after``, 500, 403 (chat
gone / bot blocked), 400 (message refused), or to die in the middle of a send as a killed
process would. With ``photos=False`` it is a platform that cannot send photos (Zalo with
no public file address): ``send_photo`` raises ``SendFailure("unsupported")``.
"""

from __future__ import annotations

import asyncio
import itertools
from collections import defaultdict, deque
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from scheduler.clock import Clock
from scheduler.outbox import SendFailure


@dataclass(frozen=True)
class Delivered:
    platform: str
    chat_id: str
    text: str
    message_id: str
    at: datetime
    photo: bytes | None = None
    filename: str | None = None
    choices: tuple[tuple[str, str], ...] = ()  # a reminder's one-tap answers (label, value)


class ProcessKilled(BaseException):
    """Raised by the fake in the middle of a send: the process stops right there."""


class RecordingSender:
    def __init__(self, clock: Clock, *, yield_between: bool = False, photos: bool = True) -> None:
        self.clock = clock
        self.delivered: list[Delivered] = []
        self.attempts: list[tuple[str, str]] = []
        self._failures: dict[tuple[str, str], deque] = defaultdict(deque)
        self._ids = itertools.count(1)
        self._yield = yield_between
        self._photos = photos
        self.photo_tries = 0  # calls of send_photo, taken or not

    def fail_next(
        self, platform: str, chat_id: str, *failures: SendFailure | BaseException | None
    ):
        """Make the next sends to this chat fail, one failure per send, in order; a None
        lets its send through (to fail a later part of a message only)."""
        self._failures[(platform, chat_id)].extend(failures)

    async def send(
        self, platform: str, chat_id: str, text: str, choices: Sequence[tuple[str, str]] = ()
    ) -> str:
        delivered = Delivered(
            platform, chat_id, text, "", self.clock.now(), choices=tuple(choices)
        )
        return await self._deliver(delivered)

    async def send_photo(
        self, platform: str, chat_id: str, content: bytes, filename: str, caption: str | None
    ) -> str:
        self.photo_tries += 1
        if not self._photos:
            raise SendFailure("unsupported", f"{platform} cannot send photos here")
        delivered = Delivered(platform, chat_id, caption or "", "", self.clock.now())
        return await self._deliver(replace(delivered, photo=content, filename=filename))

    async def _deliver(self, message: Delivered) -> str:
        self.attempts.append((message.platform, message.chat_id))
        if self._yield:  # lets another runner's tick interleave with this one
            await asyncio.sleep(0)
        pending = self._failures.get((message.platform, message.chat_id))
        if pending:
            failure = pending.popleft()
            if failure is not None:
                raise failure
        message_id = f"m{next(self._ids)}"
        self.delivered.append(replace(message, message_id=message_id))
        return message_id

    def texts(self, platform: str, chat_id: str) -> list[str]:
        """The text messages the chat received, in order (photos left out)."""
        return [
            d.text
            for d in self.delivered
            if (d.platform, d.chat_id) == (platform, chat_id) and d.photo is None
        ]

    def photos(self, platform: str, chat_id: str) -> list[Delivered]:
        return [
            d
            for d in self.delivered
            if (d.platform, d.chat_id) == (platform, chat_id) and d.photo is not None
        ]
