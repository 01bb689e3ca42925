"""Downloading a plan document sent to the bot in a private chat, for the importer.

The chat core is synchronous and platform-free, so the adapter fetches the file first
(getFile, then the file's URL, through python-telegram-bot) and hands its bytes to the
core on the message's attachment. Only what the importer can read is fetched: a private
chat, a name ending in .docx, .pdf, .txt or .md, and a size within the importer's cap
and the Bot API's 20 MB download limit; anything else reaches the core without bytes
(and with its size, which tells the core when Telegram's limit is why), and the core
says why it cannot be read.
"""

from __future__ import annotations

import dataclasses
import logging
from pathlib import PurePath

from telegram import Bot, Message
from telegram.error import TelegramError

from bot.core.plan_import import DOWNLOAD_LIMITS
from bot.core.types import AttachmentKind, ChatKind, IncomingMessage
from scheduler.importer.reading import MAX_BYTES, SUFFIXES

logger = logging.getLogger(__name__)

BOT_API_DOWNLOAD_LIMIT = DOWNLOAD_LIMITS["telegram"]  # getFile refuses bigger files


async def with_document(bot: Bot, message: Message, received: IncomingMessage) -> IncomingMessage:
    """``received`` with the document's bytes (and size) when it may be a plan to import."""
    document = message.document
    if received.chat_kind != ChatKind.PRIVATE or document is None or not received.attachments:
        return received
    size = document.file_size
    attachment = dataclasses.replace(received.attachments[0], size=size)
    name = (document.file_name or "").lower()
    fits = size is not None and 0 < size <= min(MAX_BYTES, BOT_API_DOWNLOAD_LIMIT)
    if attachment.kind == AttachmentKind.FILE and PurePath(name).suffix in SUFFIXES and fits:
        try:
            file = await bot.get_file(document.file_id)
            content = bytes(await file.download_as_bytearray())
            attachment = dataclasses.replace(attachment, content=content)
        except TelegramError as error:
            logger.warning("telegram: document not downloaded: %s", error.__class__.__name__)
            if "too big" in str(error).lower():  # a size the message did not tell
                attachment = dataclasses.replace(
                    attachment, size=max(size or 0, BOT_API_DOWNLOAD_LIMIT + 1)
                )
    return dataclasses.replace(received, attachments=(attachment, *received.attachments[1:]))
