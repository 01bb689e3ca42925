"""The values that cross the boundary between the chat core and a platform adapter.

An adapter (Telegram, Zalo, the console) turns what its platform delivers into an
``IncomingMessage`` and turns each ``Reply`` back into the platform's calls. Nothing
here knows any platform: choices are abstract (Telegram shows them as inline buttons,
Zalo and the console as numbered options answered by typing the number), and a file
is bytes with a name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class ChatKind(StrEnum):
    PRIVATE = "private"
    GROUP = "group"


class AttachmentKind(StrEnum):
    PHOTO = "photo"
    FILE = "file"


@dataclass(frozen=True)
class Attachment:
    """A photo or file the user sent, kept by the platform's file id (evidence of a report)."""

    kind: AttachmentKind
    file_id: str
    name: str | None = None
    # A plan document the adapter downloaded for the importer (Telegram, private chats).
    content: bytes | None = field(default=None, compare=False, repr=False)
    size: int | None = None


@dataclass(frozen=True)
class IncomingMessage:
    """One message (or one button press, ``choice``) from a user, as the core sees it.

    Ids are text: Telegram's integers and Zalo's hex strings alike. ``message_id`` is
    the platform's id of the message (for a button press: of the press), so that a
    message delivered twice is recognised.
    """

    platform: str
    chat_id: str
    chat_kind: ChatKind
    sender_id: str
    sender_name: str
    text: str
    message_id: str
    attachments: tuple[Attachment, ...] = ()
    choice: str | None = None
    chat_title: str | None = None


@dataclass(frozen=True)
class Choice:
    """One option offered to the user. ``value`` is short ASCII (at most 48 bytes), so that
    it fits Telegram's 64-byte callback_data with room for a prefix."""

    label: str
    value: str


class FileKind(StrEnum):
    DOCUMENT = "document"
    PHOTO = "photo"


@dataclass(frozen=True)
class OutgoingFile:
    """A file the bot sends: an Excel export, a chart, a Word draft."""

    filename: str
    content: bytes
    mime_type: str
    kind: FileKind = FileKind.DOCUMENT


@dataclass(frozen=True)
class WebApp:
    """A button that opens ``url`` inside the chat (a Telegram Mini App), labelled ``label``.
    Only Telegram shows it; elsewhere the text itself carries a link."""

    label: str
    url: str


@dataclass(frozen=True)
class Reply:
    """One message the bot sends to ``chat_id`` on ``platform``.

    ``text`` is plain text: adapters send it without parse mode, so user-typed content
    shown back can never break a message's formatting. The core has already split long
    texts to the platform's limit, at line boundaries.
    """

    platform: str
    chat_id: str
    text: str
    choices: tuple[Choice, ...] = ()
    file: OutgoingFile | None = None
    web_app: WebApp | None = None
