"""Downloading a report's photo or file from Telegram: getFile, then the file's link.

Bots may download files of up to 20 MB; Telegram refuses getFile beyond ("file is too
big"). The core calls from its worker thread, so the download runs on the bot's own event
loop (python-telegram-bot's connection pool belongs to it) and the thread waits for it.
"""

from __future__ import annotations

import asyncio

from telegram import Bot
from telegram.error import BadRequest, TelegramError

from bot.core.evidence import EvidenceTooLarge, EvidenceUnavailable
from bot.evidence import Downloader

WAIT = 120.0  # seconds: 20 MB on a slow link


async def download(bot: Bot, file_id: str, limit: int) -> bytes:
    """The file's bytes; ``EvidenceTooLarge`` over ``limit``, ``EvidenceUnavailable``
    when Telegram cannot give it now."""
    try:
        file = await bot.get_file(file_id)
    except BadRequest as error:
        if "too big" in error.message.lower():
            raise EvidenceTooLarge(file_id) from error
        raise EvidenceUnavailable(error.message) from error
    except TelegramError as error:
        raise EvidenceUnavailable(str(error)) from error
    if file.file_size is not None and file.file_size > limit:
        raise EvidenceTooLarge(file_id)
    try:
        content = bytes(await file.download_as_bytearray())
    except TelegramError as error:
        raise EvidenceUnavailable(str(error)) from error
    if len(content) > limit:
        raise EvidenceTooLarge(file_id)
    return content


def downloader(bot: Bot, loop: asyncio.AbstractEventLoop) -> Downloader:
    """A blocking download for the core's worker thread, run on ``loop``."""

    def fetch(file_id: str, limit: int) -> bytes:
        future = asyncio.run_coroutine_threadsafe(download(bot, file_id, limit), loop)
        try:
            return future.result(WAIT)
        except TimeoutError as error:
            future.cancel()
            raise EvidenceUnavailable("download timed out") from error

    return fetch
