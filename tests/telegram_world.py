"""The chat core's dialog world, played through Telegram: the real python-telegram-bot
stack and our adapter, against the fake Bot API server, in polling or webhook mode.

``BotHarness`` runs the bot in its own thread and event loop (as ``nhacviec run`` runs
it in the main one): the adapter, in webhook mode the web server that the fake posts
to over real HTTP, and whatever coroutine a test hands it (a reminders tick). A test
stays synchronous, so the dialog tests of the chat core (``tests/test_chat_*.py``) can
be played here unchanged.

``TelegramWorld`` is ``tests.chat_world.World`` with ``send`` done the Telegram way:
a person is a Telegram user (first name = the name in the table), "private" is their
chat with the bot, any other chat name a group the bot is added to (as an admin, so it
reads every message, unless ``admin=False``). A choice is a press of the button that
carries it; a photo or file is sent as one. ``send`` waits until the adapter has
handled each update and returns the messages the bot sent to that chat meanwhile,
shaped like the core's replies (text, and the buttons as choices).
"""

from __future__ import annotations

import asyncio
import mimetypes
import threading
from collections.abc import Coroutine
from dataclasses import dataclass, field
from typing import Any, ClassVar

from sqlalchemy import Engine

from bot.config import TelegramConfig
from bot.core.bot import ChatCore
from bot.core.settings import CoreSettings
from bot.core.types import Attachment, AttachmentKind, Choice, FileKind, OutgoingFile
from bot.evidence import EvidenceShelf
from bot.exports import SqlFileBuilder
from bot.stores import chat_store
from bot.telegram.adapter import TelegramAdapter
from bot.telegram.keyboards import PREFIX
from bot.telegram.ledger import Handled
from bot.telegram.limits import SendLimits
from bot.telegram.webhook import telegram_routes
from bot.web import WebServer
from scheduler.clock import SimulatedClock
from tests.chat_world import START, World, load_plans
from tests.fakes.telegram_server import FakeTelegram
from tests.fakes.telegram_world import FakeChat, FakeUser, SentMessage

# Dialog tests send many messages to one chat in a second; the limiter's own rules are
# tested apart (test_telegram_sending.py) without waiting for real time.
NO_WAITING = SendLimits(overall_per_second=10_000, chat_interval=0.0, group_per_minute=10_000)
WEBHOOK_URL = "https://nhacviec.example.gov.vn/telegram/updates"
SECRET = "bi-mat_cua-webhook-42"
FIRST_USER_ID = 1001


@dataclass(frozen=True)
class Shown:
    """A message the bot sent, as a test reads it: like the core's ``Reply`` (a photo or a
    document as the file the bot uploaded, the caption as its text)."""

    text: str
    choices: tuple[Choice, ...]
    message: SentMessage
    file: OutgoingFile | None = None


FILE_METHODS = {"sendPhoto": FileKind.PHOTO, "sendDocument": FileKind.DOCUMENT}


def shown(message: SentMessage) -> Shown:
    choices = tuple(
        Choice(label, data[len(PREFIX) :])
        for row in message.buttons
        for label, data in row
        if data and data.startswith(PREFIX)
    )
    file = None
    if message.method in FILE_METHODS and message.file is not None:
        stored = message.file
        name = message.upload_name or stored.file_name or ""
        kind = FILE_METHODS[message.method]
        # Telegram serves a photo as a JPEG of its own; the bot sent the upload, by its name.
        mime = stored.mime_type if kind == FileKind.DOCUMENT else mimetypes.guess_type(name)[0]
        file = OutgoingFile(name, stored.content, mime or "", kind)
    return Shown(message.text, choices, message, file)


class BotHarness:
    """The Telegram adapter running in a thread of its own, against ``fake``."""

    def __init__(
        self,
        core: ChatCore,
        engine: Engine,
        fake: FakeTelegram,
        mode: str = "polling",
        limits: SendLimits = NO_WAITING,
        receive: bool = True,
    ) -> None:
        """``receive=False``: the bot only sends (for reminders), taking no updates."""
        self.core, self.engine, self.fake, self.mode = core, engine, fake, mode
        self.receive = receive
        self.config = TelegramConfig(
            enabled=True,
            token=fake.token,
            api_base_url=fake.api_base_url,
            mode=mode,
            webhook_url=WEBHOOK_URL if mode == "webhook" else "",
            secret_token=SECRET if mode == "webhook" else "",
        )
        self.limits = limits
        self.handled: dict[int, list[Handled]] = {}  # every handling of each update
        self._seen = threading.Condition()
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, name="bot", daemon=True)
        self.adapter: TelegramAdapter | None = None
        self.server: WebServer | None = None

    def call(self, coroutine: Coroutine[Any, Any, Any], timeout: float = 30.0) -> Any:
        """Run ``coroutine`` in the bot's loop and return its result."""
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def start(self) -> BotHarness:
        self._thread.start()
        self.call(self._start())
        return self

    async def _start(self) -> None:
        self.adapter = TelegramAdapter(
            self.core, self.config, self.engine, self.core.clock, self.limits
        )
        self.adapter.ledger.listeners.append(self._note)
        if not self.receive:
            await self.adapter.application.initialize()
            return
        if self.mode == "webhook":
            self.server = WebServer("127.0.0.1", 0, telegram_routes(self.adapter))
            await self.server.start()
            self.fake.route_webhook(f"http://127.0.0.1:{self.server.port}")
        await self.adapter.start()

    def stop(self) -> None:
        if self.adapter is not None:
            self.call(self._stop())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(timeout=10)
        self.loop.close()

    async def _stop(self) -> None:
        if self.server is not None:
            await self.server.stop()
        assert self.adapter is not None
        await self.adapter.stop()

    def _note(self, handled: Handled) -> None:
        with self._seen:
            self.handled.setdefault(handled.update_id, []).append(handled)
            self._seen.notify_all()

    def wait_handled(
        self, update: dict | None, times: int = 1, timeout: float = 10.0
    ) -> Handled | None:
        """Wait until the adapter has handled ``update`` (None: Telegram never sent it)
        ``times`` times (a repeated delivery counts again); what became of it last."""
        if update is None:
            return None
        update_id = update["update_id"]
        with self._seen:
            if not self._seen.wait_for(
                lambda: len(self.handled.get(update_id, [])) >= times, timeout
            ):
                raise AssertionError(f"update {update_id} not handled {times}x in {timeout} s")
            return self.handled[update_id][times - 1]


@dataclass
class TelegramWorld(World):
    """``tests.chat_world.World`` whose messages go through Telegram."""

    fake: FakeTelegram | None = None
    harness: BotHarness | None = None
    admin: bool = True
    people: dict[str, FakeUser] = field(default_factory=dict)
    groups: dict[str, FakeChat] = field(default_factory=dict)
    platform: ClassVar[str] = "telegram"

    def person(self, name: str) -> FakeUser:
        """The Telegram user called ``name`` (ids handed out in order of appearance)."""
        assert self.fake is not None
        if name not in self.people:
            self.people[name] = self.fake.user(FIRST_USER_ID + len(self.people), name)
        return self.people[name]

    def user_id(self, name: str) -> str:
        return str(self.person(name).id)

    def group(self, name: str, added_by: FakeUser) -> FakeChat:
        """The group called ``name``; the first time, ``added_by`` adds the bot to it."""
        assert self.fake is not None and self.harness is not None
        if name not in self.groups:
            group = self.groups[name] = self.fake.group(name)
            self.harness.wait_handled(self.fake.bot_added_to_group(group, added_by, self.admin))
            self.harness.wait_handled(self.fake.updates.history[max(self.fake.updates.history)])
        return self.groups[name]

    def chat_of(self, sender: str, chat: str) -> FakeChat | FakeUser:
        user = self.person(sender)
        return user if chat == "private" else self.group(chat, user)

    def chat_id(self, sender: str, chat: str) -> str:
        return str(self.chat_of(sender, chat).id)

    def close(self) -> None:
        if self.harness is not None:
            self.harness.stop()

    def send(  # type: ignore[override]
        self,
        sender: str,
        chat: str,
        text: str,
        *,
        attachments: tuple[Attachment, ...] = (),
        choice: str | None = None,
        message_id: str | None = None,
    ) -> list[Shown]:
        assert self.fake is not None and self.harness is not None
        if message_id is not None:
            raise NotImplementedError("Telegram numbers messages itself: use repeat_update")
        fake, user = self.fake, self.person(sender)
        target = self.chat_of(sender, chat)
        text = text.format(**self.codes) if "{" in text else text
        before = len(fake.sent(target))
        updates: list[dict | None] = []
        if choice is not None:
            updates.append(self.press(target, user, choice))
        elif attachments:
            for number, attachment in enumerate(attachments):
                caption = text or None if number == 0 else None
                if attachment.kind == AttachmentKind.PHOTO:
                    updates.append(fake.user_sends_photo(target, user, caption=caption))
                else:
                    name = attachment.name or "minh-chung.pdf"
                    content = b"%PDF-1.4\n% minh chung\n"
                    updates.append(
                        fake.user_sends_document(target, user, content, name, caption=caption)
                    )
        elif text:
            updates.append(fake.user_sends_text(target, user, text))
        # An empty message cannot be sent on Telegram: nothing reaches the bot.
        for update in updates:
            self.harness.wait_handled(update)
        return [shown(message) for message in fake.sent(target)[before:]]

    def press(self, target: FakeChat | FakeUser, user: FakeUser, choice: str) -> dict | None:
        """Press the newest button carrying ``choice`` in the chat."""
        assert self.fake is not None
        data = PREFIX + choice
        for message in reversed(self.fake.sent(target)):
            if data in message.callback_data:
                return self.fake.user_presses_button(target, user, message.message_id, data)
        raise AssertionError(f"no button {choice!r} to press in chat {target.id}")


def make_telegram_world(
    engine: Engine,
    fake: FakeTelegram,
    plans: tuple[str, ...] = ("cua-lo-2024",),
    operators: tuple[str, ...] = (),
    mode: str = "polling",
    admin: bool = True,
    evidence: EvidenceShelf | None = None,
) -> TelegramWorld:
    """Like ``tests.chat_world.make_console_world``, on Telegram; ``operators`` are names;
    ``evidence``: where the files of reports are kept (None: kept by file id only)."""
    clock = SimulatedClock(START)
    fake.clock = clock
    load_plans(engine, plans, clock.now())
    store = chat_store(engine)
    core = ChatCore(store, clock, files=SqlFileBuilder(engine), evidence=evidence)
    world = TelegramWorld(engine, clock, store, core, fake=fake, admin=admin)
    ids = frozenset(world.user_id(name) for name in operators)
    world.core.settings = CoreSettings(operators={"telegram": ids})
    world.harness = BotHarness(world.core, engine, fake, mode).start()
    return world
