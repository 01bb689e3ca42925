"""The Zalo adapter: a Zalo update in, the chat core's replies out, within Zalo's means.

``handle_update`` is the one entry for both ways of receiving (the poller and the webhook):

1. the update is handled in one transaction (``bot.telegram.inbox.Inbox``, shared with
   Telegram): its ``message_id`` marked seen (``storage.updates``), the core's writes and
   its replies queued in the replies' outbox (``storage.replies``) commit together or not
   at all. One seen before, here or in another process or before a restart, is ignored;
   one whose handling failed left nothing, so Zalo's re-delivery is handled afresh;
2. a text becomes an ``IncomingMessage`` (platform "zalo"); an image becomes a photo
   attachment whose file id is the photo's URL (evidence, when a report asks for it),
   its caption the text; a sticker, a voice message or content Zalo withholds from bots
   gets a short answer in a private chat and none in a group;
3. the core answers (in a worker thread: it is synchronous); after the commit each queued
   reply (``ReplyPost``; what is left behind, a sweep sends) goes out as plain
   text, its choices as numbered lines the user answers by typing the number, cut at
   line boundaries to Zalo's 2000 characters; a file goes as a link or a photo URL when
   the bot has a public address for files; else a document gets a sentence saying it
   cannot be sent here, and a photo (a chart) is left out.

Updates of one chat are handled one at a time, in the order they came. A reply Zalo
refuses is logged, never raised into the receiving loop; one refused for a while is
tried again by the outbox.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from contextvars import ContextVar
from datetime import datetime, timedelta
from enum import StrEnum
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from sqlalchemy import Engine

from bot.core.bot import ChatCore
from bot.core.types import (
    Attachment,
    AttachmentKind,
    ChatKind,
    FileKind,
    IncomingMessage,
    OutgoingFile,
    Reply,
)
from bot.telegram.inbox import Inbox, ReplyPost, Work
from bot.zalo.client import MAX_TEXT_LENGTH, text_length
from bot.zalo.errors import ZaloError, ZaloRateLimited
from bot.zalo.files import FileShelf
from bot.zalo.outbound import ZaloOutbound
from bot.zalo.updates import UpdateKind, ZaloUpdate
from messages import zalo as texts
from messages.choices import numbered
from messages.i18n import language
from messages.split import split_message
from scheduler.clock import Clock
from scheduler.runner import worker_name
from storage.updates import prune_updates

logger = logging.getLogger(__name__)

PLATFORM = "zalo"
REPLY_PAUSES = (1.0, 3.0)  # before trying a reply again after a passing failure
SEEN_KEPT = timedelta(days=30)  # no update comes back later than this
PRUNE_EVERY = timedelta(hours=6)
# Why the reply being sent (in this task) was not: replies of several chats go at once.
_refused: ContextVar[ZaloError | None] = ContextVar("zalo_refused", default=None)


class Outcome(StrEnum):
    """What became of an update."""

    HANDLED = "handled"
    DUPLICATE = "duplicate"  # seen before: nothing done
    IGNORED = "ignored"  # not from a person in a chat (a bot, an event without a sender)
    FAILED = "failed"  # the database or the core failed: given back for a re-delivery


def update_key(update: ZaloUpdate) -> str:
    """The update's identity: its message_id, or a digest of the whole payload (when it
    has none, or one longer than the 64 characters a report keeps of it)."""
    if update.message_id and len(update.message_id) <= 64:
        return update.message_id
    payload = json.dumps(dict(update.raw), sort_keys=True, ensure_ascii=False, default=str)
    return "h:" + hashlib.sha256(payload.encode("utf-8")).hexdigest()[:40]


def _photo_name(url: str) -> str | None:
    name = PurePosixPath(urlsplit(url).path).name
    return name[:120] or None


def _chat_title(update: ZaloUpdate) -> str | None:
    message = update.raw.get("message")
    chat = message.get("chat") if isinstance(message, dict) else None
    if not update.is_group or not isinstance(chat, dict):
        return None
    for key in ("title", "name", "display_name"):
        if isinstance(chat.get(key), str) and chat[key].strip():
            return chat[key].strip()
    return None


def _from_a_bot(update: ZaloUpdate) -> bool:
    message = update.raw.get("message")
    sender = message.get("from") if isinstance(message, dict) else None
    return isinstance(sender, dict) and sender.get("is_bot") is True


UNREADABLE = {  # what a private chat is told of what the bot cannot read
    UpdateKind.STICKER: texts.sticker_received,
    UpdateKind.VOICE: texts.voice_received,
    UpdateKind.UNSUPPORTED: texts.unsupported_received,
    UpdateKind.IMAGE: texts.unsupported_received,  # an image without its address
}


class ZaloAdapter:
    """Joins Zalo to the chat core. ``files`` is where files go when they have a public
    address (None: they are not sent); ``reply_pauses`` are the waits before trying a
    reply again after a passing failure."""

    platform = PLATFORM

    def __init__(
        self,
        core: ChatCore,
        outbound: ZaloOutbound,
        engine: Engine,
        clock: Clock,
        *,
        files: FileShelf | None = None,
        reply_pauses: Sequence[float] = REPLY_PAUSES,
    ) -> None:
        self.core = core
        self.outbound = outbound
        self.engine = engine
        self.clock = clock
        self.files = files
        self.reply_pauses = tuple(reply_pauses)
        self._chat_locks: dict[str, tuple[asyncio.Lock, int]] = {}
        self.inbox = Inbox(engine, clock, core, PLATFORM)
        # Its own worker name: a process serving Telegram too announces that one apart.
        self.replies = ReplyPost(engine, self, f"{worker_name()}/zalo", PLATFORM)
        self._pruned_at: datetime | None = None

    # --- in ---------------------------------------------------------------------------

    def incoming(self, update: ZaloUpdate) -> IncomingMessage | None:
        """The core's view of a text or an image; None for anything else."""
        if update.chat_id is None or update.sender_id is None:
            return None
        kind = update.kind
        attachments: tuple[Attachment, ...] = ()
        if update.photo_url and kind in (UpdateKind.IMAGE, UpdateKind.UNKNOWN):
            photo = Attachment(
                AttachmentKind.PHOTO, update.photo_url, _photo_name(update.photo_url)
            )
            attachments, text = (photo,), update.caption or update.text or ""
        elif kind == UpdateKind.TEXT or (kind == UpdateKind.UNKNOWN and update.text):
            text = update.text or ""
        else:
            return None
        return IncomingMessage(
            platform=PLATFORM,
            chat_id=update.chat_id,
            chat_kind=ChatKind.GROUP if update.is_group else ChatKind.PRIVATE,
            sender_id=update.sender_id,
            sender_name=update.sender_name,
            text=text,
            message_id=update_key(update),
            attachments=attachments,
            chat_title=_chat_title(update),
        )

    async def handle_update(self, update: ZaloUpdate) -> Outcome:
        """Handle one update once; never raises for a bad update or a refused reply."""
        if update.chat_id is None or update.sender_id is None or _from_a_bot(update):
            logger.debug("zalo: update %s ignored (%s)", update.message_id, update.event)
            return Outcome.IGNORED
        key = update_key(update)
        async with self._chat_lock(update.chat_id):
            try:
                await self._prune_seen()
                # Marked seen in the transaction of its effects and its queued replies.
                ids = await asyncio.to_thread(self.inbox.handle, key, self._work(update))
            except Exception:
                logger.exception("zalo: update %s in chat %s failed", key, update.chat_id)
                return Outcome.FAILED
            if ids is None:
                logger.debug("zalo: update %s seen before, ignored", key)
                return Outcome.DUPLICATE
            try:
                await self.replies.send(ids)
            except Exception:  # the database away after the commit: the sweep sends them
                logger.warning("zalo: replies to %s left for the sweep", key, exc_info=True)
        return Outcome.HANDLED

    def _work(self, update: ZaloUpdate) -> Work:
        """The core's work for ``update``, on the core the inbox binds to its transaction."""

        def work(core: ChatCore) -> list[Reply]:
            message = self.incoming(update)
            if message is not None:
                return core.handle(message)
            if update.is_group or update.chat_id is None:
                return []  # people talk among themselves in a group: no answer to a sticker
            answer = UNREADABLE.get(update.kind)
            if answer is None:
                logger.info("zalo: event %s not answered", update.event)
                return []
            chat = core.store.chat(PLATFORM, update.chat_id)
            with language(chat.language if chat else core.settings.default_language):
                return [Reply(PLATFORM, update.chat_id, answer())]

        return work

    async def _prune_seen(self) -> None:
        now = self.clock.now()
        if self._pruned_at is not None and now - self._pruned_at < PRUNE_EVERY:
            return
        self._pruned_at = now
        removed = await asyncio.to_thread(prune_updates, self.engine, PLATFORM, now - SEEN_KEPT)
        if removed:
            logger.info("zalo: %s seen updates older than %s forgotten", removed, SEEN_KEPT)

    @asynccontextmanager
    async def _chat_lock(self, chat_id: str) -> AsyncIterator[None]:
        lock, users = self._chat_locks.get(chat_id, (asyncio.Lock(), 0))
        self._chat_locks[chat_id] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._chat_locks[chat_id]
            if users <= 1:
                del self._chat_locks[chat_id]
            else:
                self._chat_locks[chat_id] = (lock, users - 1)

    def _language_of(self, chat_id: str) -> str:
        chat = self.core.store.chat(PLATFORM, chat_id)
        return chat.language if chat else self.core.settings.default_language

    # --- out --------------------------------------------------------------------------

    async def send_reply(self, reply: Reply, quote: int | None = None) -> str:
        """Send one queued reply of the core: its text with numbered choices, then its file
        (Zalo quotes nothing); "sent", "later" after a passing failure, else "dropped"."""
        _refused.set(None)
        text = numbered(reply.text, [choice.label for choice in reply.choices])
        if reply.file is not None:
            await self._send_with_file(reply.chat_id, text, reply.file)
        else:
            await self._send_text(reply.chat_id, text)
        refused = _refused.get()
        if refused is None:
            return "sent"
        return "later" if refused.transient else "dropped"

    async def _send_text(self, chat_id: str, text: str) -> bool:
        for part in split_message(text, PLATFORM) if text.strip() else []:
            if not await self._deliver(chat_id, part):
                return False  # the rest would fail alike, or come out of order
        return True

    async def _deliver(self, chat_id: str, text: str) -> bool:
        pauses = [0.0, *self.reply_pauses]
        last: ZaloError | None = None
        for attempt, pause in enumerate(pauses):
            if pause:
                await asyncio.sleep(pause)
            try:
                await self.outbound.send_text(chat_id, text)
                return True
            except ZaloRateLimited as error:
                last = error
                if attempt + 1 < len(pauses) and error.retry_after:
                    await asyncio.sleep(min(error.retry_after, 30.0))
            except ZaloError as error:
                last = error
                if not error.transient:
                    break
        logger.warning("zalo: a reply to chat %s was not sent: %s", chat_id, last)
        _refused.set(last)
        return False

    async def _send_with_file(self, chat_id: str, text: str, file: OutgoingFile) -> None:
        url = None
        if self.files is not None:
            try:
                url = await asyncio.to_thread(self.files.put, file)
            except OSError as error:
                logger.error("zalo: file %s not kept for sending: %s", file.filename, error)
        if url is None and file.kind == FileKind.PHOTO:
            # A photo (the summary's chart) needs a public address on Zalo. Without one it is
            # left out: its caption only names the picture, and the summary text went already.
            logger.info("zalo: photo %s left out, no public address for files", file.filename)
            return
        if url is not None and file.kind == FileKind.PHOTO:
            caption = text if text and text_length(text) <= MAX_TEXT_LENGTH else None
            if text and caption is None and not await self._send_text(chat_id, text):
                return
            try:
                await self.outbound.send_photo(chat_id, url, caption)
                return
            except ZaloError as error:  # Zalo could not fetch it, say: the link still works
                logger.warning("zalo: photo %s not sent to %s: %s", url, chat_id, error)
                text = "" if caption is None else text
        with language(await asyncio.to_thread(self._language_of, chat_id)):
            if url is not None and self.files is not None:
                note = texts.file_link(file.filename, url, self.files.keep_days)
            else:
                note = texts.file_not_sent(file.filename)
        await self._send_text(chat_id, f"{text}\n\n{note}" if text else note)
