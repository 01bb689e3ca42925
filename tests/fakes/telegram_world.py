"""The state behind the fake Bot API server: users, chats, messages and files.

It builds objects shaped exactly like Telegram's (``to_json``), so that what the bot
reads back through python-telegram-bot is what it would read from the real server.
Ids follow Telegram's habits: a private chat has the user's id, a basic group a small
negative id, a supergroup ``-100`` followed by ten digits; message ids count up per chat.
Nothing here locks: the server holds its lock around every use.
"""

from __future__ import annotations

import itertools
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.fakes.telegram_html import bot_command_entities


@dataclass
class FakeUser:
    """A Telegram account: a person acting in a test, or the bot itself."""

    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = "vi"
    is_bot: bool = False

    def to_json(self) -> dict[str, Any]:
        user: dict[str, Any] = {
            "id": self.id,
            "is_bot": self.is_bot,
            "first_name": self.first_name,
        }
        for name in ("last_name", "username", "language_code"):
            if getattr(self, name) is not None and not (self.is_bot and name == "language_code"):
                user[name] = getattr(self, name)
        return user


@dataclass
class FakeChat:
    """A chat the bot can be in. ``bot_status`` is the bot's membership as Telegram names
    it ("member", "administrator", "left", "kicked"); for a private chat "left" means the
    user never started the bot and "kicked" that they blocked it."""

    id: int
    type: str
    title: str | None = None
    user: FakeUser | None = None
    bot_status: str = "left"
    migrated_to: int | None = None
    next_message_id: int = 1
    added_by: FakeUser | None = None

    def to_json(self) -> dict[str, Any]:
        if self.type == "private" and self.user is not None:
            chat: dict[str, Any] = {"id": self.id, "first_name": self.user.first_name}
            if self.user.last_name:
                chat["last_name"] = self.user.last_name
            if self.user.username:
                chat["username"] = self.user.username
            chat["type"] = "private"
            return chat
        return {"id": self.id, "title": self.title or f"Nhóm {self.id}", "type": self.type}

    @property
    def is_group(self) -> bool:
        return self.type in {"group", "supergroup"}


@dataclass
class StoredFile:
    """A file Telegram keeps: sent by a user or uploaded by the bot; getFile serves it."""

    file_id: str
    file_unique_id: str
    content: bytes
    file_path: str
    file_name: str | None = None
    mime_type: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.content),
            "file_path": self.file_path,
        }


@dataclass
class Edit:
    """One change the bot made to a message it had sent."""

    method: str
    text: str | None
    reply_markup: dict | None


@dataclass
class SentMessage:
    """A message the bot sent, as the chat shows it now (after edits).

    ``text`` is what the user sees: the message text (or the caption of a photo or
    document) after HTML parsing; ``raw_text`` is what the bot sent.
    """

    chat_id: int
    message_id: int
    method: str
    text: str
    raw_text: str | None
    parse_mode: str | None
    reply_markup: dict | None
    json: dict[str, Any]
    file: StoredFile | None = None
    upload_name: str | None = None
    edits: list[Edit] = field(default_factory=list)
    deleted: bool = False

    @property
    def buttons(self) -> list[list[tuple[str, str | None]]]:
        """The inline keyboard as rows of (label, callback_data)."""
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [[(button["text"], button.get("callback_data")) for button in row] for row in rows]

    @property
    def callback_data(self) -> list[str]:
        return [data for row in self.buttons for _, data in row if data is not None]

    @property
    def document(self) -> StoredFile | None:
        return self.file if self.method == "sendDocument" else None

    @property
    def photo(self) -> StoredFile | None:
        return self.file if self.method == "sendPhoto" else None


def tiny_png(width: int = 2, height: int = 2) -> bytes:
    """A valid PNG of one colour, for photos a test does not care to draw."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + b"\x2a\xa6\x66" * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


IMAGE_SIGNATURES = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a", b"BM", b"RIFF")


class TelegramWorld:
    """Users, chats, every message in them, and the files Telegram holds."""

    def __init__(self, bot: FakeUser, now: Callable[[], int], privacy_mode: bool) -> None:
        self.bot = bot
        self.now = now
        self.privacy_mode = privacy_mode
        self.users: dict[int, FakeUser] = {bot.id: bot}
        self.chats: dict[int, FakeChat] = {}
        self.messages: dict[tuple[int, int], dict[str, Any]] = {}
        self.sent: dict[int, list[SentMessage]] = {}
        self.files: dict[str, StoredFile] = {}
        self._file_numbers = itertools.count(1)

    def user(self, user: FakeUser | int) -> FakeUser:
        """The user, known from now on; a bare id makes a plain Vietnamese account."""
        if isinstance(user, FakeUser):
            return self.users.setdefault(user.id, user)
        if user not in self.users:
            if user <= 0:
                raise ValueError(f"a user id is positive, got {user}")
            self.users[user] = FakeUser(user, "Người dùng", str(user), f"user{user}")
        return self.users[user]

    def chat(self, chat: FakeChat | int) -> FakeChat:
        """The chat; a bare positive id is that user's private chat, a negative one a
        group (``-100...`` a supergroup) that the bot has not joined yet."""
        if isinstance(chat, FakeChat):
            return self.chats.setdefault(chat.id, chat)
        if chat not in self.chats:
            if chat > 0:
                self.chats[chat] = FakeChat(chat, "private", user=self.user(chat))
            else:
                kind = "supergroup" if str(chat).startswith("-100") else "group"
                self.chats[chat] = FakeChat(chat, kind, title=f"Nhóm {chat}")
        return self.chats[chat]

    def find_chat(self, chat_id: int | str) -> FakeChat | None:
        """The chat a request names. "@username" finds only public groups and channels,
        which the fake has none of; a known user's private chat exists (the bot may not
        be able to write there)."""
        if isinstance(chat_id, str):
            return None
        if chat_id > 0 and chat_id in self.users and chat_id != self.bot.id:
            return self.chat(chat_id)
        return self.chats.get(chat_id)

    def new_message(
        self, chat: FakeChat, sender: FakeUser, reply_to: int | None = None, **content: Any
    ) -> dict[str, Any]:
        """A new message in ``chat`` with the next message id, stored and returned."""
        message: dict[str, Any] = {
            "message_id": chat.next_message_id,
            "from": sender.to_json(),
            "chat": chat.to_json(),
            "date": self.now(),
        }
        chat.next_message_id += 1
        if reply_to is not None:
            original = self.messages.get((chat.id, reply_to))
            if original is None:
                raise ValueError(f"there is no message {reply_to} in chat {chat.id} to reply to")
            message["reply_to_message"] = {
                k: v for k, v in original.items() if k != "reply_to_message"
            }
        message.update(content)
        self.messages[(chat.id, message["message_id"])] = message
        return message

    def typed_text(self, text: str, key: str = "text") -> dict[str, Any]:
        """A text (or caption) as a user types it: commands become bot_command entities."""
        content: dict[str, Any] = {key: text}
        entities = bot_command_entities(text)
        if entities:
            content["entities" if key == "text" else "caption_entities"] = entities
        return content

    def store_file(
        self, content: bytes, folder: str, extension: str, name: str | None, mime: str | None
    ) -> StoredFile:
        number = next(self._file_numbers)
        prefix = "AgACAgUAAxkBAAI" if folder == "photos" else "BQACAgUAAxkBAAI"
        stored = StoredFile(
            file_id=f"{prefix}{number:06d}{zlib.crc32(content):08x}",
            file_unique_id=f"AQAD{number:06d}",
            content=content,
            file_path=f"{folder}/file_{number}.{extension}",
            file_name=name,
            mime_type=mime,
        )
        self.files[stored.file_id] = stored
        return stored

    def photo_sizes(self, content: bytes, width: int, height: int) -> list[dict[str, Any]]:
        """The sizes Telegram makes of a photo (smallest first), all served as ``content``."""
        sizes = []
        for longest in (90, 320, 800, 1280):
            scale = min(1.0, longest / max(width, height))
            stored = self.store_file(content, "photos", "jpg", None, "image/jpeg")
            sizes.append(
                {
                    "file_id": stored.file_id,
                    "file_unique_id": stored.file_unique_id,
                    "width": max(1, round(width * scale)),
                    "height": max(1, round(height * scale)),
                    "file_size": len(content),
                }
            )
            if scale == 1.0:
                break
        return sizes

    def delivered_in_group(self, chat: FakeChat, message: dict[str, Any]) -> bool:
        """Whether a group message reaches the bot. With privacy mode on (Telegram's
        default) a bot that is not an admin only gets commands meant for it, replies to
        its own messages and service messages."""
        if not chat.is_group or not self.privacy_mode or chat.bot_status == "administrator":
            return True
        if "text" not in message and "caption" not in message:
            return True  # service messages: members joining, migration, ...
        replied = message.get("reply_to_message", {}).get("from", {})
        if replied.get("id") == self.bot.id:
            return True
        text = message.get("text", message.get("caption", ""))
        entities = message.get("entities", message.get("caption_entities", []))
        for entity in entities:
            if entity["type"] == "bot_command" and entity["offset"] == 0:
                command = text[: entity["length"]]
                return "@" not in command or command.lower().endswith(
                    f"@{self.bot.username}".lower()
                )
        return False
