"""The chat core behind the real Zalo client and adapter, against the fake Zalo server.

``ZaloWorld`` stands in for ``tests.chat_world.World``: ``send(sender, chat, text)`` plays
the user on the fake Zalo server, waits until the bot has handled the message, and returns
what the bot sent to that chat as ``Reply`` values, their text exactly as Zalo got it
(choices as numbered lines in it, so ``chat_world.shown`` is the text itself). A file
goes the way Zalo allows, from the bot's shelf of files by its address (a photo by its
URL, a document as a link); the world fetches it back over HTTP and gives the reply its
file, the link's paragraph taken off. So the chat core's dialog tables run unchanged
through Zalo.

The bot runs as ``nhacviec run`` would run it, through ``ZaloService``: in a background
thread with its own event loop (the dialog tables are synchronous), either polling the
fake, or in webhook mode behind the real web server (``bot.web``) on 127.0.0.1, where the
fake posts each update over HTTP with the secret. A person's Zalo id is their name and a
group's id is ``group-`` and its name, as in the console world, so that the tables'
database checks hold unchanged (Zalo's ids are opaque text to the bot).
"""

from __future__ import annotations

import asyncio
import re
import socket
import threading
import time
from collections.abc import Coroutine
from datetime import datetime
from typing import Any, ClassVar, TypeVar
from urllib.parse import quote

import httpx
from sqlalchemy import Engine

from bot.config import ZaloConfig
from bot.core.bot import ChatCore
from bot.core.settings import CoreSettings
from bot.core.types import Attachment, AttachmentKind, FileKind, OutgoingFile, Reply
from bot.exports import SqlFileBuilder
from bot.stores import chat_store
from bot.web import WebServer
from bot.zalo.service import ZaloService
from scheduler.clock import SimulatedClock
from tests.chat_world import START, World
from tests.fakes.zalo_server import FakeZaloServer, SentMessage, new_id

T = TypeVar("T")
SECRET = "bi-mat-webhook-2024"
HOOK_PATH = "/zalo/hook"
WAIT = 10.0  # seconds for the bot to handle one message (it takes milliseconds)


class QuickWebServer(WebServer):
    """The bot's web server with TCP_NODELAY on its socket. Without it each answer waits
    ~40 ms (uvicorn writes headers and body apart; Nagle's algorithm holds the body until
    the client's delayed ACK), which only slows the tests: the same fix belongs in
    ``bot.web``, and is noted for it."""

    def _bind(self) -> socket.socket:
        sock = super()._bind()
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock


class BotThread:
    """An event loop in a background thread: the bot's, while the test stays synchronous."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True, name="bot")
        self.thread.start()

    def run(self, coroutine: Coroutine[Any, Any, T], timeout: float = WAIT) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=5)
        self.loop.close()


def zalo_settings(fake: FakeZaloServer, mode: str, **values: Any) -> ZaloConfig:
    return ZaloConfig(
        enabled=True,
        token=fake.token,
        api_base_url=fake.api_base_url,
        mode=mode,
        webhook_url=f"http://127.0.0.1:0{HOOK_PATH}",  # the port is known once serving
        secret_token=SECRET,
        **values,
    )


class RunningBot:
    """A ``ZaloService`` running in a ``BotThread``: polling, or behind a web server."""

    def __init__(
        self,
        fake: FakeZaloServer,
        core: ChatCore,
        engine: Engine,
        clock: SimulatedClock,
        mode: str = "polling",
        operators: tuple[str, ...] = (),
        **settings: Any,
    ) -> None:
        self.fake = fake
        self.mode = mode
        # A stop lets the poll under way end: idle polls end sooner on the fake than on Zalo.
        fake.poll_cap = min(fake.poll_cap, 0.1)
        self.thread = BotThread()
        self.service = ZaloService(
            zalo_settings(fake, mode, **settings),
            core,
            engine,
            clock,
            operators=operators,
            reply_pauses=(0.05, 0.05),
        )
        self.server: WebServer | None = None
        self.thread.run(self._start())

    async def _start(self) -> None:
        routes = self.service.routes()
        if routes:
            self.server = QuickWebServer("127.0.0.1", 0, routes)
            await self.server.start()
            port = self.server.port
            self.service.settings.webhook_url = f"http://127.0.0.1:{port}{HOOK_PATH}"
            if self.service.files is not None:
                self.service.files.public_url = f"http://127.0.0.1:{port}/tep"
        await self.service.start()

    @property
    def url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.port}"

    def do(self, coroutine: Coroutine[Any, Any, T], timeout: float = WAIT) -> T:
        """Run ``coroutine`` in the bot's loop (a reminder tick, a send) and wait for it."""
        return self.thread.run(coroutine, timeout)

    def stop(self) -> None:
        async def stop() -> None:
            await self.service.stop()
            if self.server is not None:
                await self.server.stop()

        try:
            self.thread.run(stop())
        finally:
            self.thread.close()

    # --- knowing when the bot is done with a message --------------------------------

    def mark(self) -> int:
        if self.mode == "webhook":
            return len(self.fake.webhook_deliveries)
        return sum(call.status == 200 for call in self.fake.calls_of("getUpdates"))

    def handled_since(self, mark: int) -> bool:
        """Whether the bot is done with the update delivered after ``mark``: webhook, the
        POST was answered; polling, the bot asked for the next update and is done with
        those it took (it polls again while it handles them)."""
        if self.mode == "webhook":
            return len(self.fake.webhook_deliveries) > mark
        calls = self.fake.calls_of("getUpdates")
        taken = [index for index, call in enumerate(calls) if call.status == 200]
        poller = self.service.poller
        busy = poller is not None and poller.busy
        return len(taken) > mark and len(calls) > taken[mark] + 1 and not busy

    def wait_handled(self, mark: int, timeout: float = WAIT) -> None:
        deadline = time.monotonic() + timeout
        while not self.handled_since(mark):
            if time.monotonic() > deadline:
                raise AssertionError(f"the Zalo bot did not handle the update in {timeout} s")
            time.sleep(0.002)


def chat_of(sender: str, chat: str) -> tuple[str, str]:
    """(chat id, chat type) of a table's chat column."""
    if chat == "private":
        return sender, "PRIVATE"
    return f"group-{chat}", "GROUP"


def user_update(
    sender: str,
    chat: str,
    text: str,
    attachments: tuple[Attachment, ...] = (),
    message_id: str | None = None,
    at: datetime | None = None,
) -> dict[str, Any]:
    """The update Zalo delivers when ``sender`` writes ``text`` (with a photo: an image
    whose caption is the text; with another file: content Zalo withholds from bots)."""
    chat_id, chat_type = chat_of(sender, chat)
    message: dict[str, Any] = {
        "from": {"id": sender, "display_name": sender, "is_bot": False},
        "chat": {"id": chat_id, "chat_type": chat_type},
        "message_id": message_id or new_id(),
        "date": int((at.timestamp() if at else time.time()) * 1000),
    }
    photos = [a for a in attachments if a.kind == AttachmentKind.PHOTO]
    if photos:
        name = photos[0].name or photos[0].file_id
        message["photo_url"] = f"https://photo-talk.zdn.vn/{quote(name)}"
        if text:
            message["caption"] = text
        return {"event_name": "message.image.received", "message": message}
    if attachments:
        return {"event_name": "message.unsupported.received", "message": message}
    message["text"] = text
    return {"event_name": "message.text.received", "message": message}


class ZaloWorld(World):
    """``World`` whose messages go through Zalo. Call ``connect`` before ``send``."""

    bot: RunningBot
    fake: FakeZaloServer
    platform: ClassVar[str] = "zalo"

    def connect(
        self, fake: FakeZaloServer, mode: str, operators: tuple[str, ...] = (), **settings: Any
    ) -> None:
        self.fake = fake
        core, engine, clock = self.core, self.engine, self.clock
        self.bot = RunningBot(fake, core, engine, clock, mode, operators, **settings)

    def send(
        self,
        sender: str,
        chat: str,
        text: str,
        *,
        attachments: tuple[Attachment, ...] = (),
        choice: str | None = None,
        message_id: str | None = None,
    ) -> list[Reply]:
        assert choice is None, "Zalo has no buttons: type the option's number instead"
        text = text.format(**self.codes) if "{" in text else text
        chat_id, chat_type = chat_of(sender, chat)
        update = user_update(sender, chat, text, attachments, message_id, self.clock.now())
        self.fake.add_chat(chat_id, chat_type)
        mark, sent = self.bot.mark(), len(self.fake.outbox)
        self.fake.push_update(update)
        self.bot.wait_handled(mark)
        return [
            self.reply_of(message)
            for message in self.fake.outbox[sent:]
            if message.chat_id == chat_id
        ]

    def reply_of(self, message: SentMessage) -> Reply:
        """What the bot sent, as the core's reply: a photo by its address, or a link to a
        file on the bot's shelf (a paragraph of its own), become the file they name."""
        text = message.text or ""
        if message.kind == "photo" and message.photo_url:
            return Reply("zalo", message.chat_id, text, file=self.fetch(message.photo_url))
        shelf = f"{self.bot.url}/tep/" if self.bot.server is not None else None
        paragraphs = text.split("\n\n")
        if shelf and shelf in paragraphs[-1]:
            url = re.search(re.escape(shelf) + r"\S+", paragraphs[-1])
            assert url is not None, paragraphs[-1]
            file = self.fetch(url.group(0), FileKind.DOCUMENT)
            return Reply("zalo", message.chat_id, "\n\n".join(paragraphs[:-1]), file=file)
        return Reply("zalo", message.chat_id, text)

    def fetch(self, url: str, kind: FileKind = FileKind.PHOTO) -> OutgoingFile:
        """The file the bot serves at ``url``, as a user opening the link gets it."""
        answer = httpx.get(url, timeout=WAIT)
        assert answer.status_code == 200, f"{url}: {answer.status_code}"
        name = url.rsplit("/", 1)[-1]
        return OutgoingFile(name, answer.content, answer.headers["content-type"], kind)

    def close(self) -> None:
        self.bot.stop()


def make_zalo_world(
    engine: Engine, fake: FakeZaloServer, mode: str, operators: tuple[str, ...], **settings: Any
) -> ZaloWorld:
    """Like ``tests.chat_world.make_console_world``, on Zalo, on a database with its plans
    loaded; ``settings`` of ``[zalo]`` (a ``files_dir`` with ``public_files_url`` lets
    files go by their address)."""
    clock = SimulatedClock(START)
    store = chat_store(engine)
    core_settings = CoreSettings(operators={"zalo": frozenset(operators)})
    core = ChatCore(store, clock, core_settings, SqlFileBuilder(engine))
    world = ZaloWorld(engine, clock, store, core)
    world.connect(fake, mode, operators, **settings)
    return world
