"""``TelegramAdapter``: python-telegram-bot's ``Application`` around the chat core.

Used as a library inside the caller's event loop (``start``/``stop``), never through
``run_polling``, so the Zalo poller, the reminders and the web server share the loop.
The Application has no updater: in polling mode ``bot.telegram.polling`` long-polls
getUpdates (one process per bot, under a lock) and confirms an update only once it is
stored; in webhook mode the web server hands each update to ``process``. Either way an
update goes through ``process``.

Every update passes three groups of handlers: -1 drops an update already handled (its
update_id is in the database, across restarts and processes), 0 does the work, 1 writes
one log line (platform, chat, command: never the user's text) and tells the ledger's
listeners. The work of an update is one transaction (``bot.telegram.inbox``): the
update_id marked done, what the core stores and the replies queued commit together, so
an update is handled at least once and stored once; the replies then go out through
their outbox. A chat's updates are handled one at a time, so its
replies go out in order even when webhook requests arrive together. No business rule
lives here: a removed, re-added or upgraded group is the core's to deal with.
"""

from __future__ import annotations

import asyncio
import logging
import weakref

from sqlalchemy import Engine
from telegram import BotCommand, ChatMember, Message, Update
from telegram.constants import UpdateType
from telegram.error import BadRequest, TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    ChatMemberHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.config import TelegramConfig
from bot.core.bot import ChatCore
from bot.core.commands import COMMANDS, Audience
from bot.core.types import ChatKind, Reply
from bot.evidence import EvidenceShelf
from bot.logsafe import hide_secret
from bot.telegram import documents, evidence, incoming
from bot.telegram.concurrency import PerChatUpdateProcessor
from bot.telegram.inbox import Inbox, ReplyPost, Work
from bot.telegram.keyboards import marked_text
from bot.telegram.ledger import UpdateLedger
from bot.telegram.limits import TELEGRAM_LIMITS, SendLimiter, SendLimits
from bot.telegram.polling import PollLock, TelegramPoller
from bot.telegram.sender import PLATFORM, TelegramSender
from bot.telegram.settings import webhook_path
from messages.i18n import _, language
from messages.telegram import group_privacy_note
from scheduler.clock import Clock
from scheduler.runner import worker_name
from storage.pace import DatabasePace

logger = logging.getLogger(__name__)

ALLOWED_UPDATES = [UpdateType.MESSAGE, UpdateType.CALLBACK_QUERY, UpdateType.MY_CHAT_MEMBER]
PRESENT = frozenset({ChatMember.OWNER, ChatMember.ADMINISTRATOR, ChatMember.MEMBER})


def _in_chat(member: ChatMember) -> bool:
    return member.status in PRESENT or (
        member.status == ChatMember.RESTRICTED and bool(getattr(member, "is_member", False))
    )


class TelegramAdapter:
    """Receives Telegram updates, asks the core, sends the replies."""

    def __init__(
        self,
        core: ChatCore,
        config: TelegramConfig,
        engine: Engine,
        clock: Clock,
        limits: SendLimits = TELEGRAM_LIMITS,
    ) -> None:
        hide_secret(config.token, "telegram-token")
        hide_secret(config.secret_token, "telegram-secret")
        self.core = core
        self.config = config
        self.engine = engine
        self.clock = clock
        builder = (
            ApplicationBuilder()
            .token(config.token)
            .base_url(f"{config.api_base_url}/bot")
            .base_file_url(f"{config.api_base_url}/file/bot")
            .job_queue(None)  # reminders are the outbox's, not python-telegram-bot's
            .updater(None)  # polling is ours: it confirms only what is stored
            # Chats at once, each chat's updates in order (a slow /xuat blocks no one).
            .concurrent_updates(PerChatUpdateProcessor())
        )
        self.application: Application = builder.build()
        # One budget per bot token: shared by every process on PostgreSQL, where several
        # may run; SQLite serves one process, which keeps it in memory.
        pace = DatabasePace(engine) if engine.dialect.name == "postgresql" else None
        bot_id = config.token.split(":", 1)[0]
        limiter = SendLimiter(limits, pace=pace, bot=f"telegram:{bot_id}")
        self.sender = TelegramSender(self.application.bot, core, limiter)
        self.ledger = UpdateLedger(engine, clock)
        self.inbox = Inbox(engine, clock, core)
        self.replies = ReplyPost(engine, self.sender, worker_name())
        self.poll_lock = PollLock(engine, bot_id)
        self.poller: TelegramPoller | None = None
        self._chat_locks: weakref.WeakValueDictionary[str, asyncio.Lock] = (
            weakref.WeakValueDictionary()
        )
        self._register_handlers()

    @property
    def webhook_path(self) -> str:
        return webhook_path(self.config.webhook_url)

    def _register_handlers(self) -> None:
        app = self.application
        app.add_handler(TypeHandler(Update, self.skip_repeated), group=-1)
        app.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, self.on_migration))
        app.add_handler(
            MessageHandler(
                filters.UpdateType.MESSAGE & (filters.TEXT | filters.PHOTO | filters.Document.ALL),
                self.on_message,
            )
        )
        app.add_handler(CallbackQueryHandler(self.on_button))
        app.add_handler(ChatMemberHandler(self.on_membership, ChatMemberHandler.MY_CHAT_MEMBER))
        app.add_handler(TypeHandler(Update, self.log_handled), group=1)
        app.add_error_handler(self.on_error)

    # -- starting and stopping ----------------------------------------------------------

    async def start(self) -> None:
        """Connect (getMe), publish the command menus, and start receiving updates."""
        app = self.application
        await self.replies.start()  # before any update can claim a reply
        await app.initialize()
        if isinstance(self.core.evidence, EvidenceShelf):  # reports' files: downloaded here
            self.core.evidence.register(
                PLATFORM, evidence.downloader(app.bot, asyncio.get_running_loop())
            )
        await self.ledger.prune()
        await self.publish_commands()
        if self.config.mode == "webhook":
            await app.start()  # ready before Telegram is told where to post
            await app.bot.set_webhook(
                self.config.webhook_url,
                secret_token=self.config.secret_token,
                allowed_updates=ALLOWED_UPDATES,
            )
        elif await asyncio.to_thread(self.poll_lock.acquire):
            await app.start()
            self.poller = TelegramPoller(app.bot, self.process, list(ALLOWED_UPDATES))
            await self.poller.start()  # updates waiting since the last run are handled
        else:
            await app.start()
            logger.warning(
                "telegram: another process polls this bot; this one sends reminders only"
            )
        logger.info("telegram: @%s ready (%s)", app.bot.username, self.config.mode)

    async def stop(self) -> None:
        """Stop receiving, finish the updates already taken, close the connections."""
        app = self.application
        if self.poller is not None:
            await self.poller.stop()
            self.poller = None
        self.poll_lock.release()
        await self.replies.stop()
        if app.running:
            await app.stop()
        await app.shutdown()

    async def publish_commands(self) -> None:
        """The command menu: Vietnamese by default, English for English-speaking users."""
        shown = [command for command in COMMANDS if command.audience != Audience.OPERATOR]
        for code, language_code in (("vi", None), ("en", "en")):
            with language(code):
                menu = [BotCommand(c.name, _(c.description)) for c in shown]
            await self.application.bot.set_my_commands(menu, language_code=language_code)

    # -- webhook ------------------------------------------------------------------------

    async def process(self, update: Update) -> bool:
        """Handle one update from the webhook; False when it must come again (not stored)."""
        app = self.application
        await app.update_processor.process_update(update, app.process_update(update))
        outcome = self.ledger.outcome(update.update_id)
        return outcome is None or outcome.ok

    # -- the handlers -------------------------------------------------------------------

    async def skip_repeated(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Drop an update handled before (Telegram delivers again what it thinks was lost)."""
        if not await self.ledger.seen(update):
            return
        self.ledger.note(update, "repeated")
        await self.ledger.finish(update)
        raise ApplicationHandlerStop

    async def on_message(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A user's text, command, photo or document: the core answers it."""
        message = update.effective_message
        assert isinstance(message, Message)
        received = incoming.from_message(message, self.application.bot.username)
        if received is None:
            self.ledger.note(update, "not for the bot")
            return
        received = await documents.with_document(self.application.bot, message, received)
        async with self._chat_lock(received.chat_id):
            await self._handle(update, lambda core: core.handle(received), message.message_id)
        self.ledger.note(update, incoming.describe(received))

    async def on_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A pressed inline button: acknowledged, marked on its message, then answered."""
        query = update.callback_query
        assert query is not None
        try:
            await query.answer()  # stops the spinner on the user's button at once
        except BadRequest as error:  # pressed long ago: the query expired
            logger.info("telegram: button press not acknowledged: %s", error.message)
        received = incoming.from_button(query)
        if received is None:
            self.ledger.note(update, "not our button")
            return
        async with self._chat_lock(received.chat_id):
            if isinstance(query.message, Message):
                await self._mark_choice(query.message, received.text)
            await self._handle(update, lambda core: core.handle(received))
        self.ledger.note(update, incoming.describe(received))

    async def on_membership(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """The bot was added to or removed from a group, or blocked or unblocked by a user."""
        change = update.my_chat_member
        assert change is not None
        chat, kind = change.chat, incoming.chat_kind(change.chat)
        was_in, is_in = _in_chat(change.old_chat_member), _in_chat(change.new_chat_member)
        chat_id = str(chat.id)
        if kind is None:
            self.ledger.note(update, "a channel: not served")
            return
        if was_in == is_in:
            self.ledger.note(update, "membership unchanged")
            return
        if not is_in:

            def removed(core: ChatCore) -> list[Reply]:
                core.bot_removed(PLATFORM, chat_id)
                return []

            await self._handle(update, removed)
            self.ledger.note(update, f"bot {change.new_chat_member.status}")
            return
        note_privacy = kind == ChatKind.GROUP and self._sees_only_commands(change.new_chat_member)

        def added(core: ChatCore) -> list[Reply]:
            replies = core.bot_added(PLATFORM, chat_id, kind)
            if note_privacy:
                with language(core.chat_language(PLATFORM, chat_id)):
                    replies.append(Reply(PLATFORM, chat_id, group_privacy_note()))
            return replies

        await self._handle(update, added)
        self.ledger.note(update, "bot added")

    async def on_migration(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A group became a supergroup with a new id: its registration moves with it."""
        message = update.effective_message
        assert message is not None
        # Telegram posts both sides: "moved to" in the old chat, "moved from" in the new;
        # the second finds nothing left to move.
        if message.migrate_to_chat_id:
            old, new = message.chat.id, message.migrate_to_chat_id
        else:
            old, new = message.migrate_from_chat_id or 0, message.chat.id

        def moved(core: ChatCore) -> list[Reply]:
            core.chat_moved(PLATFORM, str(old), str(new))
            return []

        await self._handle(update, moved)
        self.ledger.note(update, "group migrated")

    async def log_handled(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """One log line per update, and the listeners told."""
        await self.ledger.finish(update)

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A handler failed: logged without the user's words; the update may come again."""
        error = context.error
        if not isinstance(update, Update):  # polling trouble: PTB retries by itself
            logger.warning("telegram: %s", error)
            return
        logger.error(
            "telegram update %s failed: %s",
            update.update_id,
            error.__class__.__name__,
            exc_info=error if not isinstance(error, TelegramError) else None,
        )
        self.ledger.note(update, "failed", ok=False)

    # -- helpers ------------------------------------------------------------------------

    async def _handle(self, update: Update, work: Work, quote: int | None = None) -> None:
        """``work`` in the update's transaction, then its replies sent (or left queued)."""
        ids = await asyncio.to_thread(self.inbox.handle, update.update_id, work, quote)
        if ids is None:  # another delivery of it was handled meanwhile
            self.ledger.note(update, "repeated")
            raise ApplicationHandlerStop
        if ids:
            await self.replies.send(ids)

    def _sees_only_commands(self, member: ChatMember) -> bool:
        reads_all = self.application.bot.can_read_all_group_messages
        return member.status != ChatMember.ADMINISTRATOR and not reads_all

    async def _mark_choice(self, message: Message, label: str) -> None:
        """Replace the pressed keyboard by a line saying what was chosen."""
        spoken = await asyncio.to_thread(self.core.chat_language, PLATFORM, str(message.chat.id))
        with language(spoken):
            text = marked_text(message.text or "", label) if message.text else None
        try:
            if text is not None:
                await message.edit_text(text, reply_markup=None)
            else:
                await message.edit_reply_markup(reply_markup=None)
        except BadRequest as error:  # already edited by a press a moment ago
            logger.info("telegram: keyboard not marked: %s", error.message)

    def _chat_lock(self, chat_id: str) -> asyncio.Lock:
        lock = self._chat_locks.get(chat_id)
        if lock is None:
            lock = self._chat_locks[chat_id] = asyncio.Lock()
        return lock
