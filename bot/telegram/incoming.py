"""From Telegram's updates to the chat core's ``IncomingMessage``, and nothing else.

Ids become text (the core keeps every platform's ids as text). A photo is kept by the
file id of its largest size, a document by its file id and name; the caption is the
message's text. A command addressed to another bot (``/tonghop@OtherBot``) is not for
us: Telegram delivers it when the bot is an admin or privacy mode is off, and answering
it would talk over the other bot. A button press is the press's own id (so a press
delivered twice is recognised) with the button's value as ``choice`` and its label as
the text, as if the user had typed it.
"""

from __future__ import annotations

from telegram import CallbackQuery, Chat, Message, MessageEntity, User

from bot.core.types import Attachment, AttachmentKind, ChatKind, IncomingMessage
from bot.telegram.keyboards import choice_of, label_of

PLATFORM = "telegram"
GROUP_TYPES = frozenset({Chat.GROUP, Chat.SUPERGROUP})


def chat_kind(chat: Chat) -> ChatKind | None:
    """Private or group; None for a channel, where the bot has nothing to do."""
    if chat.type == Chat.PRIVATE:
        return ChatKind.PRIVATE
    if chat.type in GROUP_TYPES:
        return ChatKind.GROUP
    return None


def sender_name(user: User | None) -> str:
    """The sender's full name, or nothing when Telegram gives no sender."""
    return user.full_name if user else ""


def addressed_elsewhere(message: Message, bot_username: str) -> bool:
    """A command at the start of the message that names another bot."""
    entities = message.entities or message.caption_entities
    text = message.text or message.caption or ""
    for entity in entities:
        if entity.type == MessageEntity.BOT_COMMAND and entity.offset == 0:
            command = text[: entity.length]
            if "@" in command:
                return command.split("@", 1)[1].lower() != bot_username.lower()
    return False


def attachments(message: Message) -> tuple[Attachment, ...]:
    """The photo (its largest size) or the document the message carries."""
    if message.photo:
        largest = max(message.photo, key=lambda size: size.width * size.height)
        return (Attachment(AttachmentKind.PHOTO, largest.file_id),)
    if message.document:
        document = message.document
        return (Attachment(AttachmentKind.FILE, document.file_id, document.file_name),)
    return ()


def from_message(message: Message, bot_username: str) -> IncomingMessage | None:
    """The core's view of a user's message; None when it is not for the bot to answer."""
    kind = chat_kind(message.chat)
    user = message.from_user
    if kind is None or user is None or user.is_bot:
        return None
    if addressed_elsewhere(message, bot_username):
        return None
    files = attachments(message)
    text = message.text if message.text is not None else message.caption or ""
    if not text and not files:
        return None  # a sticker, a poll, a location...: nothing the core reads
    return IncomingMessage(
        platform=PLATFORM,
        chat_id=str(message.chat.id),
        chat_kind=kind,
        sender_id=str(user.id),
        sender_name=sender_name(user),
        text=text,
        message_id=str(message.message_id),
        attachments=files,
        chat_title=message.chat.title if kind == ChatKind.GROUP else None,
    )


def from_button(query: CallbackQuery) -> IncomingMessage | None:
    """The core's view of a pressed button; None when it is not one of ours."""
    message = query.message
    value = choice_of(query.data)
    if message is None or value is None:
        return None
    kind = chat_kind(message.chat)
    if kind is None:
        return None
    markup = message.reply_markup if isinstance(message, Message) else None
    return IncomingMessage(
        platform=PLATFORM,
        chat_id=str(message.chat.id),
        chat_kind=kind,
        sender_id=str(query.from_user.id),
        sender_name=sender_name(query.from_user),
        text=label_of(markup, query.data or "") or "",
        message_id=f"cb:{query.id}",
        choice=value,
        chat_title=message.chat.title if kind == ChatKind.GROUP else None,
    )


def describe(incoming: IncomingMessage) -> str:
    """What the message was, for the log: the command's name, never the user's words."""
    if incoming.choice is not None:
        return "button"
    text = incoming.text.lstrip()
    if text.startswith("/"):
        command = text.split(maxsplit=1)[0].split("@", 1)[0]
        return command[:33] if command[1:].replace("_", "").isalnum() else "/?"
    if incoming.attachments:
        return str(incoming.attachments[0].kind)
    return "text"
