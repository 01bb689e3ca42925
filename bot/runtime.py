"""``nhacviec run``: the bot's one process, on one asyncio event loop.

The loop owns, for as long as the bot runs: each enabled platform (Telegram by
python-telegram-bot's Application used as a library; Zalo by its poller), the reminders
runner (one APScheduler job reading the configured clock) with a sender per platform,
and, when a platform needs one (a webhook, Zalo's public files), one web server
(``[web]``) serving every platform's routes. The database schema is brought up to date
first; nothing starts when no platform is enabled.

SIGTERM and Ctrl-C stop it promptly, in the order that loses nothing: the reminders
runner first (it claims nothing more, the messages already handed to a platform finish
and are recorded, every other claimed reminder is given back at once, and the senders
stop waiting for slots), then the web server (requests under way are answered: each
stores its update before its 200), then the platforms (a long poll under way is dropped
unconfirmed; a batch being handled is finished). Only then are the connections closed:
well within the 10 s a service manager waits. The runner claims only the reminders of
the platforms this process serves.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import signal
import sys
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING

from sqlalchemy import Engine

from bot.config import Config
from bot.core.bot import ChatCore
from bot.core.settings import CoreSettings
from bot.evidence import EvidenceShelf
from bot.exports import SqlFileBuilder
from bot.stores import chat_store
from bot.timing import reminder_runner
from messages import runtime as texts
from messages.choices import numbered
from scheduler.clock import Clock
from scheduler.outbox import Sender, SendFailure
from storage.engine import make_engine, upgrade

if TYPE_CHECKING:  # the web server and the platforms' SDKs load only for ``run``
    from starlette.routing import BaseRoute

logger = logging.getLogger(__name__)


def core_settings(config: Config) -> CoreSettings:
    """The chat core's settings from the operator's configuration."""
    operators = config.operators
    return CoreSettings(
        operators={
            "telegram": frozenset(operators.telegram),
            "zalo": frozenset(operators.zalo),
            "console": frozenset(operators.console),
        },
        invite_ttl=timedelta(days=config.invites.ttl_days),
        default_language=config.general.language,
        page_url=config.web.public_url,
        page_secret=config.web.secret,
    )


class StartError(Exception):
    """The bot cannot start; the text says why in the operator's words."""


@dataclass
class Platform:
    """One chat platform as the runtime drives it."""

    name: str
    start: Callable[[], Awaitable[None]]
    stop: Callable[[], Awaitable[None]]
    sender: Sender
    routes: list[BaseRoute] = field(default_factory=list)  # served by the web server


@dataclass(frozen=True)
class Started:
    """What is running, for whoever started the bot (tests read the web server's port)."""

    platforms: tuple[str, ...]
    web_port: int | None


class ConsoleSender:
    """Reminders for console chats (made with ``nhacviec chat``) go to the terminal."""

    def __init__(self) -> None:
        self._ids = itertools.count(1)

    async def send(
        self, platform: str, chat_id: str, text: str, choices: Sequence[tuple[str, str]] = ()
    ) -> str:
        text = numbered(text, [label for label, _value in choices])
        print(texts.console_reminder(chat_id, text), file=sys.stdout, flush=True)
        return f"console-{next(self._ids)}"

    async def send_photo(
        self, platform: str, chat_id: str, content: bytes, filename: str, caption: str | None
    ) -> str:
        raise SendFailure("unsupported", "a terminal shows no pictures")


class PlatformSenders:
    """The outbox's Sender: each message goes through its chat's platform."""

    def __init__(self, senders: dict[str, Sender]) -> None:
        self.senders = {"console": ConsoleSender(), **senders}

    def _of(self, platform: str) -> Sender:
        sender = self.senders.get(platform)
        if sender is None:  # its platform is off in this process: try again later
            raise SendFailure("temporary", f"platform {platform} is not enabled")
        return sender

    async def send(
        self, platform: str, chat_id: str, text: str, choices: Sequence[tuple[str, str]] = ()
    ) -> str:
        extra = {"choices": choices} if choices else {}
        return await self._of(platform).send(platform, chat_id, text, **extra)

    def interrupt(self) -> None:
        """The process is stopping: senders waiting for a slot give up waiting."""
        for sender in self.senders.values():
            interrupt = getattr(sender, "interrupt", None)
            if interrupt is not None:
                interrupt()

    async def send_photo(
        self, platform: str, chat_id: str, content: bytes, filename: str, caption: str | None
    ) -> str:
        send_photo = getattr(self._of(platform), "send_photo", None)
        if send_photo is None:
            raise SendFailure("unsupported", f"{platform} sends no pictures")
        return await send_photo(platform, chat_id, content, filename, caption)


def telegram_platform(config: Config, core: ChatCore, engine: Engine, clock: Clock) -> Platform:
    """The Telegram bot as the runtime drives it (polling or webhook)."""
    from telegram.error import InvalidToken, NetworkError

    from bot.telegram.adapter import TelegramAdapter
    from bot.telegram.webhook import telegram_routes

    section = config.telegram
    adapter = TelegramAdapter(core, section, engine, clock)

    async def start() -> None:
        try:
            await adapter.start()
        except InvalidToken as error:
            raise StartError(texts.token_refused("Telegram")) from error
        except NetworkError as error:
            raise StartError(
                texts.unreachable("Telegram", section.api_base_url, error.message)
            ) from error

    routes = telegram_routes(adapter) if section.mode == "webhook" else []
    return Platform("telegram", start, adapter.stop, adapter.sender, routes)


def zalo_platform(config: Config, core: ChatCore, engine: Engine, clock: Clock) -> Platform:
    """The Zalo official account as the runtime drives it."""
    from bot.zalo.errors import ZaloAuthenticationError, ZaloError
    from bot.zalo.service import ZaloService

    section = config.zalo
    service = ZaloService(
        section,
        core,
        engine,
        clock,
        operators=config.operators.zalo,
        language=config.general.language,
    )

    async def start() -> None:
        try:
            await service.start()
        except ZaloAuthenticationError as error:
            raise StartError(texts.token_refused("Zalo")) from error
        except ZaloError as error:
            reason = str(error)
            raise StartError(texts.unreachable("Zalo", section.api_base_url, reason)) from error

    return Platform("zalo", start, service.stop, service.sender, service.routes())


def enabled_platforms(
    config: Config, core: ChatCore, engine: Engine, clock: Clock
) -> list[Platform]:
    """The chat platforms the configuration turns on."""
    platforms = []
    if config.telegram.enabled:
        platforms.append(telegram_platform(config, core, engine, clock))
    if config.zalo.enabled:
        platforms.append(zalo_platform(config, core, engine, clock))
    return platforms


def any_enabled(config: Config) -> bool:
    """Whether the configuration turns on at least one chat platform."""
    return config.telegram.enabled or config.zalo.enabled


async def run(
    config: Config,
    clock: Clock,
    stop: asyncio.Event,
    on_started: Callable[[Started], None] | None = None,
) -> None:
    """Run the bot until ``stop`` is set; raise ``StartError`` if it cannot start."""
    from bot.pages.app import configured_routes
    from bot.web import WebServer, WebServerError

    if not any_enabled(config):
        raise StartError(texts.nothing_enabled())
    engine = make_engine(config.database.url)
    await asyncio.to_thread(upgrade, engine)
    files = SqlFileBuilder(engine, config.files.evidence_dir)
    evidence = EvidenceShelf.configured(config)
    core = ChatCore(chat_store(engine), clock, core_settings(config), files, evidence)
    platforms = enabled_platforms(config, core, engine, clock)
    senders = PlatformSenders({platform.name: platform.sender for platform in platforms})
    runner = reminder_runner(config, engine, clock, senders)
    runner.platforms = tuple(senders.senders)  # claim nothing this process cannot send
    routes = [route for platform in platforms for route in platform.routes]
    if config.web.public_url:  # the leaders' page (bot/pages), served with the webhooks
        routes += configured_routes(config, engine, clock)
    server = WebServer(config.web.listen_host, config.web.listen_port, routes) if routes else None
    serving = False
    started: list[Platform] = []
    try:
        if server is not None:  # before the platforms: a webhook set must find it up
            try:
                await server.start()
            except WebServerError as error:
                raise StartError(texts.port_unavailable(str(error))) from error
            serving = True
        for platform in platforms:
            started.append(platform)  # stopped below even if it fails half-way
            await platform.start()
        runner.start()
        names = tuple(platform.name for platform in platforms)
        logger.info("nhacviec running: %s", ", ".join(names))
        if on_started is not None:
            on_started(Started(names, server.port if server is not None else None))
        await stop.wait()
        logger.info("nhacviec stopping")
    finally:
        runner.stop_claiming()
        senders.interrupt()
        await runner.shutdown()
        if server is not None and serving:
            await server.stop()
        for platform in reversed(started):
            try:
                await platform.stop()
            except Exception:  # stopping the others matters more
                logger.exception("%s did not stop cleanly", platform.name)
        await asyncio.to_thread(engine.dispose)
        logger.info("nhacviec stopped")


async def run_until_signalled(config: Config, clock: Clock) -> None:
    """``run`` until SIGTERM or Ctrl-C (SIGINT)."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()

    def stop_now(name: str) -> None:
        logger.info("%s received", name)
        stop.set()

    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop_now, sig.name)
    try:
        await run(config, clock, stop)
    finally:
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(sig)
