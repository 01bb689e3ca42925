"""The Zalo side of the bot: a thin client of the Zalo Bot API and its update parsing.

``ZaloClient`` does the HTTP; ``parse_update`` and ``verify_webhook_secret`` serve the
webhook path; every failure is a ``ZaloError`` (see ``errors``). Built on these, and
imported from their modules: ``adapter`` (updates in, the core's replies out),
``polling`` and ``webhook`` (the two ways of receiving), ``budget`` and ``outbound``
(every message counted against the monthly budget), ``sender`` (the outbox's Sender),
``files`` (files offered by address) and ``service`` (all of it from ``[zalo]``, for
``nhacviec run``).
"""

from bot.zalo.client import (
    DEFAULT_API_BASE_URL,
    MAX_TEXT_LENGTH,
    WebhookInfo,
    ZaloBot,
    ZaloClient,
    text_length,
)
from bot.zalo.errors import (
    ZaloApiError,
    ZaloAuthenticationError,
    ZaloCommunicationError,
    ZaloError,
    ZaloInvalidRequest,
    ZaloRateLimited,
    ZaloServerError,
)
from bot.zalo.updates import (
    SECRET_HEADER,
    UpdateKind,
    ZaloInvalidUpdate,
    ZaloUpdate,
    parse_update,
    verify_webhook_secret,
)

__all__ = [
    "DEFAULT_API_BASE_URL",
    "MAX_TEXT_LENGTH",
    "SECRET_HEADER",
    "UpdateKind",
    "WebhookInfo",
    "ZaloApiError",
    "ZaloAuthenticationError",
    "ZaloBot",
    "ZaloClient",
    "ZaloCommunicationError",
    "ZaloError",
    "ZaloInvalidRequest",
    "ZaloInvalidUpdate",
    "ZaloRateLimited",
    "ZaloServerError",
    "ZaloUpdate",
    "parse_update",
    "text_length",
    "verify_webhook_secret",
]
