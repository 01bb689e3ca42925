"""What Zalo delivers, made regular: ``parse_update`` and the webhook secret check.

Zalo's payloads vary with the API version and are only partly documented (see
``shared/specs/zalo-bot-api.md``): a body may be bare or wrapped in ``{ok, result}``,
the sender's name may be ``display_name``, ``name`` or an older ``first_name``, ids may
arrive as numbers, the photo as ``photo`` or ``photo_url``. Parsing is therefore
tolerant: whatever can be read is read, the rest stays in ``raw``, and only a payload
that is not an update at all is refused.
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from bot.zalo.errors import ZaloError

SECRET_HEADER = "X-Bot-Api-Secret-Token"

# A number of milliseconds since 1970 is above this from 1973 on; a number of seconds
# stays below it until the year 5138. So an older payload in seconds is still read right.
_MILLISECONDS_FROM = 100_000_000_000


class UpdateKind(StrEnum):
    """The events the bot knows; the value is Zalo's ``event_name``."""

    TEXT = "message.text.received"
    IMAGE = "message.image.received"
    STICKER = "message.sticker.received"
    VOICE = "message.voice.received"
    UNSUPPORTED = "message.unsupported.received"
    UNKNOWN = "unknown"


class ZaloInvalidUpdate(ZaloError):
    """The payload is not a Zalo update (not an object, or neither event nor message)."""


@dataclass(frozen=True)
class ZaloUpdate:
    """One event from Zalo. Ids are text; ``chat_type`` is upper case (``PRIVATE``,
    ``GROUP``); ``date`` is an aware UTC instant. Fields the event does not carry are
    None (``text`` of an image, everything of an event without a message)."""

    event: str
    message_id: str | None
    chat_id: str | None
    chat_type: str
    sender_id: str | None
    sender_name: str
    text: str | None = None
    photo_url: str | None = None
    caption: str | None = None
    date: datetime | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def kind(self) -> UpdateKind:
        try:
            return UpdateKind(self.event)
        except ValueError:
            return UpdateKind.UNKNOWN

    @property
    def is_group(self) -> bool:
        return "GROUP" in self.chat_type


def _text_or_none(value: Any) -> str | None:
    """A string as sent, a JSON number as its digits; blank or anything else is None."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a numeric id must not turn into "123.0"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str) and value.strip():
        return value
    return None


def _id(value: Any) -> str | None:
    text = _text_or_none(value)
    return text.strip() if text else None


def _string(value: Any) -> str | None:
    """User-typed content: kept exactly as typed, only a str that is not blank."""
    return value if isinstance(value, str) and value.strip() else None


def epoch_to_utc(value: Any) -> datetime | None:
    """Zalo's ``date`` (milliseconds, or seconds in older bodies) as an aware UTC instant."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    if number <= 0:
        return None
    seconds = number / 1000 if number >= _MILLISECONDS_FROM else number
    try:
        return datetime.fromtimestamp(seconds, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _sender_name(sender: Mapping[str, Any]) -> str:
    for key in ("display_name", "name"):
        name = _text_or_none(sender.get(key))
        if name:
            return name.strip()
    parts = [_text_or_none(sender.get(key)) for key in ("first_name", "last_name")]
    name = " ".join(part.strip() for part in parts if part)
    return name or (_text_or_none(sender.get("username")) or "").strip()


def _photo_url(message: Mapping[str, Any]) -> str | None:
    for key in ("photo_url", "photo"):
        value = message.get(key)
        if isinstance(value, list) and value:
            value = value[-1]  # a list of sizes, smallest first as on Telegram: take the largest
        if isinstance(value, Mapping):
            value = value.get("url") or value.get("photo_url")
        url = _string(value)
        if url:
            return url.strip()
    return None


def _guess_event(message: Mapping[str, Any]) -> str:
    # Some bodies carry no event_name; the fields then say what the message is.
    if message.get("photo_url") or message.get("photo"):
        return UpdateKind.IMAGE.value
    if message.get("sticker"):
        return UpdateKind.STICKER.value
    if _string(message.get("text")) is not None:
        return UpdateKind.TEXT.value
    return UpdateKind.UNKNOWN.value


def unwrap(payload: Any) -> Any:
    """The update inside ``{"ok": true, "result": ...}``, or the payload itself when bare."""
    if isinstance(payload, Mapping) and "result" in payload and "event_name" not in payload:
        return payload["result"]
    return payload


def parse_update(payload: Any) -> ZaloUpdate:
    """Read one update, bare or wrapped; raise ``ZaloInvalidUpdate`` for anything else."""
    body = unwrap(payload)
    if not isinstance(body, Mapping):
        raise ZaloInvalidUpdate(f"a Zalo update must be a JSON object, not {type(body).__name__}")
    message = body.get("message")
    message = message if isinstance(message, Mapping) else {}
    event = _text_or_none(body.get("event_name"))
    if event is None and not message:
        raise ZaloInvalidUpdate("a Zalo update needs an event_name or a message")
    sender = message.get("from")
    sender = sender if isinstance(sender, Mapping) else {}
    chat = message.get("chat")
    chat = chat if isinstance(chat, Mapping) else {}
    sender_id = _id(sender.get("id"))
    # In a private chat chat.id == from.id, so a payload without chat is a private one.
    chat_id = _id(chat.get("id")) or sender_id
    chat_type = (_text_or_none(chat.get("chat_type")) or "").strip().upper()
    if not chat_type and chat_id is not None:
        chat_type = "PRIVATE" if chat_id == sender_id else "GROUP"
    return ZaloUpdate(
        event=event.strip() if event else _guess_event(message),
        message_id=_id(message.get("message_id")),
        chat_id=chat_id,
        chat_type=chat_type,
        sender_id=sender_id,
        sender_name=_sender_name(sender),
        text=_string(message.get("text")),
        photo_url=_photo_url(message),
        caption=_string(message.get("caption")),
        date=epoch_to_utc(message.get("date")),
        raw=body,
    )


def verify_webhook_secret(headers: Mapping[str, str], expected: str) -> bool:
    """Whether a webhook request carries the secret given to ``setWebhook``.

    Constant-time comparison; an empty expected secret refuses every request, so a
    missing setting never opens the door. Header names match in any case, as HTTP says.
    """
    if not expected:
        return False
    received = headers.get(SECRET_HEADER)
    if received is None:
        wanted = SECRET_HEADER.lower()
        received = next((value for name, value in headers.items() if name.lower() == wanted), None)
    if not isinstance(received, str):
        return False
    return hmac.compare_digest(received.encode("utf-8"), expected.encode("utf-8"))
