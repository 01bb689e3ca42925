"""Sending to Telegram: the outbox's ``Sender`` for reminders, and the core's replies.

Both go through one ``SendLimiter``, so reminders and replies together keep Telegram's
limits. They differ in who retries:

- a reminder is the outbox's: each Telegram error becomes a ``SendFailure`` whose kind
  tells the outbox what to do (reschedule at ``retry_after``, back off, give the chat up,
  or record the refusal), and nothing is retried here;
- a reply has no row to come back to, so it is retried here a little (a 429 is waited
  out once if short, a network error tried again twice) before being given up.

A 429 pauses the whole bot (every process, through the shared limiter) for its
``retry_after``: Telegram's flood control is about the bot, not the message. A stop
interrupts the messages still waiting for their slot (``interrupt``).

Both follow a group upgraded to a supergroup (``ChatMigrated``): the stored chat id is
rewritten through the core and the message sent again to the new id. A chat that
refuses the bot (403: blocked, kicked) is made inactive through the core.
"""

from __future__ import annotations

import asyncio
import logging
import warnings
from collections.abc import Awaitable, Callable, Sequence
from datetime import timedelta

from telegram import Bot, InputFile, Message, ReplyParameters
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
)

from bot.core.bot import ChatCore
from bot.core.types import Choice, FileKind, Reply
from bot.telegram.keyboards import keyboard
from bot.telegram.limits import Interrupted, SendLimiter
from messages.split import units
from scheduler.outbox import SendFailure

logger = logging.getLogger(__name__)
# python-telegram-bot warns when RetryAfter is built with an int; both types are read here.
warnings.filterwarnings("ignore", message=r"Deprecated since version v22\.2: In a future.*")

PLATFORM = "telegram"
CAPTION_LIMIT = 1024  # characters of a photo's or document's caption
REPLY_TRIES = 3
LONGEST_WAIT = 30.0  # seconds a reply may wait out a 429; longer, and it is given up
GONE = ("chat not found", "user not found", "peer_id_invalid")

Send = Callable[[int], Awaitable[Message]]


def seconds_to_wait(error: RetryAfter) -> float:
    """``retry_after`` in seconds, whichever type this python-telegram-bot gives it in."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the int form is deprecated in v22
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def failure_of(error: TelegramError) -> SendFailure:
    """What the outbox should do about a message Telegram did not take."""
    text = error.message
    if isinstance(error, RetryAfter):
        return SendFailure("retry_after", text, seconds_to_wait(error))
    if isinstance(error, Forbidden):
        return SendFailure("permanent", text)
    if isinstance(error, BadRequest):  # before NetworkError: it is a subclass of it
        if any(sign in text.lower() for sign in GONE):
            return SendFailure("permanent", text)
        return SendFailure("bad_request", text)
    if isinstance(error, ChatMigrated):
        return SendFailure("bad_request", f"chat moved again: {text}")
    return SendFailure("temporary", f"{error.__class__.__name__}: {text}")


def is_group(chat_id: int) -> bool:
    """Telegram gives groups (and channels) negative ids, people positive ones."""
    return chat_id < 0


class TelegramSender:
    """Sends within the limits; implements ``scheduler.outbox.Sender`` for "telegram"."""

    def __init__(
        self,
        bot: Bot,
        core: ChatCore,
        limiter: SendLimiter,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.bot = bot
        self.core = core
        self.limiter = limiter
        self._sleep = sleep

    async def _limited(self, chat_id: int, send: Send) -> Message:
        """``send`` within the limits, following the chat if it became a supergroup."""
        await self.limiter.acquire(chat_id, is_group(chat_id))
        try:
            return await send(chat_id)
        except ChatMigrated as moved:
            new_id = int(moved.new_chat_id)
            logger.info("telegram chat %s is now supergroup %s", chat_id, new_id)
            await asyncio.to_thread(self.core.chat_moved, PLATFORM, str(chat_id), str(new_id))
            await self.limiter.acquire(new_id, True)
            return await send(new_id)

    # -- the outbox ------------------------------------------------------------------

    async def _for_outbox(self, platform: str, chat_id: str, send: Send) -> str:
        if platform != PLATFORM:
            raise SendFailure("bad_request", f"not a Telegram chat: {platform}:{chat_id}")
        try:
            target = int(chat_id)
        except ValueError:
            raise SendFailure("permanent", f"not a Telegram chat id: {chat_id!r}") from None
        try:
            message = await self._limited(target, send)
        except Interrupted:
            raise SendFailure("temporary", "stopping: not sent") from None
        except RetryAfter as error:
            await self.limiter.pause(seconds_to_wait(error))
            raise failure_of(error) from error
        except TelegramError as error:
            raise failure_of(error) from error
        return str(message.message_id)

    def interrupt(self) -> None:
        """The process is stopping: what still waits for its slot is not sent."""
        self.limiter.interrupt()

    async def send(
        self, platform: str, chat_id: str, text: str, choices: Sequence[tuple[str, str]] = ()
    ) -> str:
        """Deliver one reminder message, its answers as buttons; raise ``SendFailure`` if
        Telegram did not take it."""
        markup = keyboard(tuple(Choice(label, value) for label, value in choices))
        return await self._for_outbox(
            platform, chat_id, lambda chat: self.bot.send_message(chat, text, reply_markup=markup)
        )

    async def send_photo(
        self, platform: str, chat_id: str, content: bytes, filename: str, caption: str | None
    ) -> str:
        """Deliver a picture (a summary's chart); failures as for ``send``."""

        def send(chat: int) -> Awaitable[Message]:
            upload = InputFile(content, filename=filename)
            return self.bot.send_photo(chat, upload, caption=caption or None)

        return await self._for_outbox(platform, chat_id, send)

    # -- replies to users ------------------------------------------------------------

    def _parts(self, reply: Reply, reply_to: int | None) -> list[Send]:
        """The Bot API calls that show ``reply``: a text (with its keyboard), or a file
        with the text as its caption (or before it, when too long for a caption)."""
        markup = keyboard(reply.choices, reply.web_app)
        quoted = ReplyParameters(reply_to, allow_sending_without_reply=True) if reply_to else None
        if reply.file is None:
            if not reply.text.strip():
                return []
            return [
                lambda chat: self.bot.send_message(
                    chat, reply.text, reply_markup=markup, reply_parameters=quoted
                )
            ]
        file = reply.file
        parts: list[Send] = []
        caption: str | None = reply.text if units(reply.text) <= CAPTION_LIMIT else None
        if reply.text.strip() and caption is None:
            first = quoted
            parts.append(
                lambda chat: self.bot.send_message(chat, reply.text, reply_parameters=first)
            )
            quoted = None  # the text before the file quotes the user's message

        async def send_file(chat: int, quoted: ReplyParameters | None = quoted) -> Message:
            upload = InputFile(file.content, filename=file.filename)
            if file.kind == FileKind.PHOTO:
                return await self.bot.send_photo(
                    chat, upload, caption=caption or None, reply_markup=markup,
                    reply_parameters=quoted,
                )  # fmt: skip
            return await self.bot.send_document(
                chat, upload, caption=caption or None, reply_markup=markup,
                reply_parameters=quoted,
            )  # fmt: skip

        parts.append(send_file)
        return parts

    async def reply(self, replies: list[Reply], reply_to: int | None = None) -> bool:
        """Send the core's replies in order (the first quoting ``reply_to`` in a group).
        False when some could not be delivered for now (network, flood control)."""
        delivered = True
        for number, reply in enumerate(replies):
            chat_id = int(reply.chat_id)
            quote = reply_to if number == 0 and is_group(chat_id) else None
            for send in self._parts(reply, quote):
                outcome = await self._try_reply(chat_id, send)
                if outcome == "gone":
                    return True  # the chat refuses the bot: nothing more will get there
                if outcome == "later":
                    delivered = False
        return delivered

    async def send_reply(self, reply: Reply, quote: int | None) -> str:
        """Send one queued reply (quoting ``quote``); what became of it: "sent", "dropped",
        "gone" or "later", as for each of its parts."""
        outcome = "sent"
        for send in self._parts(reply, quote):
            result = await self._try_reply(int(reply.chat_id), send)
            if result in ("gone", "later"):
                return result
            if result == "dropped":
                outcome = "dropped"
        return outcome

    async def _try_reply(self, chat_id: int, send: Send) -> str:
        """What became of one part: "sent", "dropped" (refused: trying again would not
        help), "gone" (the chat refuses the bot) or "later" (not delivered for now)."""
        for attempt in range(1, REPLY_TRIES + 1):
            try:
                await self._limited(chat_id, send)
                return "sent"
            except Interrupted:
                return "later"
            except RetryAfter as error:
                wait = seconds_to_wait(error)
                await self.limiter.pause(wait)
                if wait > LONGEST_WAIT or attempt == REPLY_TRIES:
                    logger.warning("telegram reply to %s given up: flood control", chat_id)
                    return "later"
            except Forbidden as error:
                logger.info("telegram chat %s refuses the bot: %s", chat_id, error.message)
                await asyncio.to_thread(self.core.bot_removed, PLATFORM, str(chat_id))
                return "gone"
            except BadRequest as error:
                logger.warning("telegram refused a reply to %s: %s", chat_id, error.message)
                return "dropped"
            except (NetworkError, ChatMigrated) as error:
                if attempt == REPLY_TRIES:
                    logger.warning("telegram reply to %s not delivered: %s", chat_id, error)
                    return "later"
                await self._sleep(0.25 * 2**attempt)  # 0.5 s, then 1 s: someone is waiting
        return "later"
