"""The route Telegram posts updates to in webhook mode, for the shared web server.

Telegram sends the ``secret_token`` given to setWebhook in the
``X-Telegram-Bot-Api-Secret-Token`` header; a request without it, or with another
value, is answered 403 and not read any further (compared in constant time, so the
answer's timing says nothing of the secret). An update is answered 200 only once it has
been handled and what it carried is stored; otherwise 500, and Telegram delivers it
again later. A body that is not an update is answered 400.
"""

from __future__ import annotations

import hmac
import json
import logging

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route
from telegram import Update

from bot.telegram.adapter import TelegramAdapter
from bot.web import bounded_body

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def telegram_routes(adapter: TelegramAdapter) -> list[BaseRoute]:
    """The webhook route at the path of ``[telegram] webhook_url``."""
    secret = adapter.config.secret_token.encode()

    async def receive(request: Request) -> Response:
        """One update POSTed by Telegram: checked, handled and stored, then acknowledged."""
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not secret or not hmac.compare_digest(given, secret):
            logger.warning("telegram webhook: refused a request without the right secret")
            return Response(status_code=403)
        body = await bounded_body(request)
        if body is None:
            return Response(status_code=413)
        try:
            data = json.loads(body)
            update = Update.de_json(data, adapter.application.bot)
        except Exception as error:  # not JSON, or not shaped like an update
            logger.warning("telegram webhook: not an update (%s)", error.__class__.__name__)
            return Response(status_code=400)
        if not isinstance(update, Update):
            return Response(status_code=400)
        handled = await adapter.process(update)
        return Response(status_code=200 if handled else 500)

    return [Route(adapter.webhook_path, receive, methods=["POST"])]
