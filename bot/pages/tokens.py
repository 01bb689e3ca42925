"""Who is looking at the page: a link signed for one person, or Telegram's Mini App data.

A **page link** carries ``platform``, the person's user id and an expiry instant, signed
with HMAC-SHA256 under the server's secret (``[web] secret``): ``sign`` makes one for /xem,
``read`` gives back the person while it is unaltered and unexpired. The link opens the
pages of that person's plans only: whom it names is all it grants, and what that person
may see is read from the database at each view.

**Mini App launch data** (``initData``) is checked exactly as Telegram documents it
(core.telegram.org/bots/webapps, "Validating data received via the Mini App"): the
secret key is HMAC-SHA256 of the bot token keyed with the string "WebAppData"; the
data-check-string is every field but ``hash``, as ``key=value`` sorted by key and joined
with line feeds; its HMAC-SHA256 under that key, in hex, must equal ``hash``; and
``auth_date`` must be recent. Standard library only: the chat core signs links too.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import parse_qsl

LINK_LIFETIME = timedelta(minutes=15)
LAUNCH_DATA_LIFETIME = timedelta(hours=1)  # a Mini App left open longer is opened again


@dataclass(frozen=True)
class Viewer:
    """A person on a platform, as the page knows them: ``expires`` ends what they may open."""

    platform: str
    user_id: str
    expires: datetime


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _mac(secret: str, payload: str) -> str:
    return _b64(hmac.new(secret.encode(), payload.encode(), hashlib.sha256).digest())


def sign(secret: str, platform: str, user_id: str, now: datetime) -> str:
    """A token naming the person, good until ``now`` + 15 minutes."""
    expires = int((now + LINK_LIFETIME).timestamp())
    payload = _b64(json.dumps([platform, user_id, expires], separators=(",", ":")).encode())
    return f"{payload}.{_mac(secret, payload)}"


def read(secret: str, token: str, now: datetime) -> Viewer | None:
    """The person a token names; None when it is altered, malformed or expired."""
    payload, _dot, mac = token.partition(".")
    if not secret or not payload or not hmac.compare_digest(_mac(secret, payload), mac):
        return None
    try:
        platform, user_id, expires = json.loads(_unb64(payload))
        until = datetime.fromtimestamp(int(expires), tz=now.tzinfo)
    except (ValueError, TypeError):
        return None
    if now >= until:
        return None
    return Viewer(str(platform), str(user_id), until)


def check_init_data(bot_token: str, init_data: str, now: datetime) -> Viewer | None:
    """The Telegram user of Mini App launch data, if Telegram signed it for this bot
    within the last hour; None otherwise (altered, foreign, stale or without a user)."""
    if not bot_token or not init_data:
        return None
    fields = dict(parse_qsl(init_data, keep_blank_values=True, strict_parsing=False))
    received = fields.pop("hash", "")
    check_string = "\n".join(f"{key}={fields[key]}" for key in sorted(fields))
    secret_key = hmac.new(b"WebAppData", bot_token.encode(), hashlib.sha256).digest()
    expected = hmac.new(secret_key, check_string.encode(), hashlib.sha256).hexdigest()
    if not received or not hmac.compare_digest(expected, received):
        return None
    try:
        signed_at = datetime.fromtimestamp(int(fields["auth_date"]), tz=now.tzinfo)
        user_id = json.loads(fields["user"])["id"]
    except (KeyError, ValueError, TypeError):
        return None
    if not now - LAUNCH_DATA_LIFETIME <= signed_at <= now + timedelta(minutes=5):
        return None
    return Viewer("telegram", str(user_id), signed_at + LAUNCH_DATA_LIFETIME)
