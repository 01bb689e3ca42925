"""The outbox's ``Sender`` for Zalo chats: reminders and scheduled summaries out, failures
in the outbox's terms.

When the month's message budget is spent, a reminder is not sent: ``SendFailure("held")``
makes the outbox keep it as held until the first day of the next month (Vietnam time),
and ``nhacviec reminders list`` shows it so. Replies to users never pass here: they keep
going out whatever the budget. A summary's chart goes as a photo by its URL when the bot
has a public address for files, and is ``unsupported`` otherwise (Zalo takes no upload).

How a Zalo error maps to what the outbox does (see ``scheduler.outbox.SendFailure``):

- rate limited (429) -> ``retry_after``, after the seconds Zalo asks (a minute if none);
- network down, timeout, 5xx -> ``temporary`` (retried with backoff);
- the token refused (401/403) -> ``temporary`` as well: it is the bot's configuration, not
  the chat, so no chat is marked inactive, and the reminders go out once the operator
  fixes it (they fail for good a day after they were due); logged as an error.
  A 403 that says the bot was blocked or removed is about the chat: ``permanent``;
- the chat is unknown, gone, or the bot was blocked or removed -> ``permanent`` (the
  outbox marks the chat inactive and holds its reminders);
- any other refusal of the message (4xx), or a message the client refuses -> ``bad_request``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

from bot.core.types import FileKind, OutgoingFile
from bot.zalo.budget import MessageBudget
from bot.zalo.errors import (
    ZaloApiError,
    ZaloAuthenticationError,
    ZaloError,
    ZaloRateLimited,
)
from bot.zalo.files import FileShelf
from bot.zalo.outbound import ZaloOutbound
from messages.choices import numbered
from messages.split import split_message
from scheduler.outbox import SendFailure

logger = logging.getLogger(__name__)

PLATFORM = "zalo"
BUDGET_SPENT = "budget-spent"  # the reason kept with a held reminder (see reminder_views)
DEFAULT_RETRY_AFTER = 60.0
# Zalo's texts for a chat the bot can no longer write to are not documented: these words
# in an error's description are taken to mean it.
CHAT_GONE = (
    "not found",
    "not exist",
    "blocked",
    "not a member",
    "not member",
    "kicked",
    "removed",
    "unfollow",
    "deleted",
)
# Of those, the ones a 403 may carry about a chat (a 403 is otherwise the token refused).
BLOCKED = ("blocked", "not a member", "not member", "kicked", "removed", "unfollow")


def failure_of(error: ZaloError) -> SendFailure:
    """What the outbox should make of a failed Zalo send."""
    if isinstance(error, ZaloRateLimited):
        return SendFailure("retry_after", str(error), error.retry_after or DEFAULT_RETRY_AFTER)
    if isinstance(error, ZaloAuthenticationError):
        if any(words in str(error).lower() for words in BLOCKED):
            return SendFailure("permanent", str(error))
        logger.error("zalo: the bot token is refused; reminders wait: %s", error)
        return SendFailure("temporary", str(error))
    if error.transient:
        return SendFailure("temporary", str(error))
    if isinstance(error, ZaloApiError):
        description = error.description.lower()
        if error.error_code == 404 or any(words in description for words in CHAT_GONE):
            return SendFailure("permanent", str(error))
    return SendFailure("bad_request", str(error))


class ZaloSender:
    """``scheduler.outbox.Sender`` for platform "zalo"; ``files`` keeps the photos it sends
    by address (None: no public address, no photos)."""

    def __init__(
        self, outbound: ZaloOutbound, budget: MessageBudget, files: FileShelf | None = None
    ) -> None:
        self.outbound = outbound
        self.budget = budget
        self.files = files

    async def _may_send(self, platform: str) -> None:
        if platform != PLATFORM:
            raise SendFailure("bad_request", f"the Zalo sender cannot send to {platform}")
        state = await self.outbound.budget_state()
        if state.spent:
            wait = (self.budget.resume_at() - self.budget.clock.now()).total_seconds()
            raise SendFailure("held", BUDGET_SPENT, retry_after=max(wait, 1.0))

    async def send(
        self, platform: str, chat_id: str, text: str, choices: Sequence[tuple[str, str]] = ()
    ) -> str:
        """Deliver a reminder, its answers numbered (the officer types the number)."""
        await self._may_send(platform)
        text = numbered(text, [label for label, _value in choices])
        # The outbox writes a chat's reminders to Zalo's 2000-character limit already;
        # splitting here only guards against a longer text.
        message_id = ""
        for part in split_message(text, PLATFORM):
            try:
                message_id = await self.outbound.send_text(chat_id, part)
            except ZaloError as error:
                raise failure_of(error) from error
        return message_id

    async def send_photo(
        self, platform: str, chat_id: str, content: bytes, filename: str, caption: str | None
    ) -> str:
        if self.files is None:
            raise SendFailure(
                "unsupported", "a Zalo bot cannot upload a photo: no public_files_url"
            )
        await self._may_send(platform)
        photo = OutgoingFile(filename, content, "image/png", FileKind.PHOTO)
        try:
            url = await asyncio.to_thread(self.files.put, photo)
        except OSError as error:
            raise SendFailure("temporary", f"the photo could not be kept: {error}") from error
        try:
            return await self.outbound.send_photo(chat_id, url, caption)
        except ZaloError as error:
            raise failure_of(error) from error
