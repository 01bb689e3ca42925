"""Zalo at run time, built from the ``[zalo]`` configuration: what ``nhacviec run`` starts.

    zalo = ZaloService(config.zalo, core, engine, clock,
                       operators=config.operators.zalo, language=config.general.language)
    app_routes += zalo.routes()          # webhook mode, and files when they have an address
    senders["zalo"] = zalo.sender        # the outbox's Sender for Zalo chats
    await zalo.start()                   # checks the token; polls, or sets the webhook
    ...
    await zalo.stop()

In webhook mode the web server must be serving ``routes()`` before ``start()`` tells
Zalo where to post. ``start`` raises ``ZaloAuthenticationError`` when the token is
refused, and ``ZaloError`` when Zalo cannot be reached: the runtime decides whether to
go on without Zalo.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from pathlib import Path

import httpx
from sqlalchemy import Engine
from starlette.routing import BaseRoute

from bot.config import ZaloConfig
from bot.core.bot import ChatCore
from bot.evidence import EvidenceShelf
from bot.logsafe import hide_secret
from bot.zalo.adapter import ZaloAdapter
from bot.zalo.budget import MessageBudget
from bot.zalo.client import ZaloClient
from bot.zalo.evidence import PhotoDownloads
from bot.zalo.files import FileShelf, file_routes
from bot.zalo.outbound import ZaloOutbound
from bot.zalo.polling import ZaloPoller
from bot.zalo.sender import ZaloSender
from bot.zalo.settings import url_path, webhook_path
from bot.zalo.webhook import register_webhook, zalo_routes
from scheduler.clock import Clock

logger = logging.getLogger(__name__)


class ZaloService:
    """The Zalo client, adapter, reminder sender and receiving loop of one bot."""

    def __init__(
        self,
        settings: ZaloConfig,
        core: ChatCore,
        engine: Engine,
        clock: Clock,
        *,
        operators: Sequence[str] = (),
        language: str = "vi",
        transport: httpx.AsyncBaseTransport | None = None,
        reply_pauses: Sequence[float] | None = None,
    ) -> None:
        self.settings = settings
        # The client scrubs its own errors and httpx's lines; this covers every other log.
        hide_secret(settings.token, "zalo-token")
        hide_secret(settings.secret_token, "zalo-secret")
        self.client = ZaloClient(settings.token, settings.api_base_url, transport=transport)
        self.budget = MessageBudget(engine, clock, settings.monthly_budget)
        self.outbound = ZaloOutbound(self.client, self.budget, operators, language)
        self.files = (
            FileShelf(Path(settings.files_dir), settings.public_files_url, clock)
            if settings.public_files_url
            else None
        )
        extra = {"reply_pauses": reply_pauses} if reply_pauses is not None else {}
        self.adapter = ZaloAdapter(core, self.outbound, engine, clock, files=self.files, **extra)
        self.sender = ZaloSender(self.outbound, self.budget, self.files)
        self.core = core
        self.photos = PhotoDownloads(transport)
        self.poller: ZaloPoller | None = None
        if settings.mode == "polling":
            self.poller = ZaloPoller(self.client, self.adapter, poll_timeout=settings.poll_timeout)

    def routes(self) -> list[BaseRoute]:
        """What the web app serves for Zalo: the webhook (webhook mode) and the files."""
        routes: list[BaseRoute] = []
        if self.settings.mode == "webhook":
            path = webhook_path(self.settings.webhook_url)
            routes.extend(zalo_routes(self.adapter, path, self.settings.secret_token))
        if self.files is not None:
            routes.extend(file_routes(self.files, url_path(self.settings.public_files_url)))
        return routes

    async def start(self) -> None:
        bot = await self.client.get_me()
        if isinstance(self.core.evidence, EvidenceShelf):  # reports' photos: downloaded here
            self.core.evidence.register("zalo", self.photos.downloader(asyncio.get_running_loop()))
        logger.info(
            "zalo: bot %s (%s) ready, %s mode", bot.display_name, bot.id, self.settings.mode
        )
        await self.adapter.replies.start()  # before updates come: their replies go through it
        if self.poller is not None:
            await self.poller.start()
        else:
            await register_webhook(
                self.client, self.settings.webhook_url, self.settings.secret_token
            )

    async def stop(self) -> None:
        try:
            if self.poller is not None:
                await self.poller.stop()
            await self.adapter.replies.stop()
        finally:
            await asyncio.shield(self.client.aclose())
            await asyncio.shield(self.photos.aclose())
