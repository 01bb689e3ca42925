"""Receiving from Zalo by webhook: the route the bot's web app serves at ``webhook_url``.

Zalo POSTs each update with the secret given to ``setWebhook`` in the header
``X-Bot-Api-Secret-Token``. A request without that exact secret is answered 403 before
its body is even read: nothing of it is parsed, stored or answered in chat. The body may
be the update itself or wrapped in ``{"ok": true, "result": ...}``. The answer comes only
after the update is handled: 200 when it is done (or was seen before, or is not an update
at all: sending it again would not help), 503 when the database or the core failed, so
that a re-delivery can be handled.

``zalo_routes`` gives Starlette routes; the runtime mounts them in the one ASGI app that
also serves Telegram's webhook (``Starlette(routes=[*zalo_routes(...), ...])``).
"""

from __future__ import annotations

import json
import logging

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.web import bounded_body
from bot.zalo.adapter import Outcome, ZaloAdapter
from bot.zalo.client import ZaloClient
from bot.zalo.updates import ZaloInvalidUpdate, parse_update, verify_webhook_secret

logger = logging.getLogger(__name__)


def _answer(status: int) -> Response:
    return JSONResponse({"ok": 200 <= status < 300}, status_code=status)


def zalo_routes(adapter: ZaloAdapter, path: str, secret: str) -> list[Route]:
    """The POST route receiving Zalo's updates at ``path`` (the webhook URL's path)."""
    if not secret:
        raise ValueError("a Zalo webhook needs its secret token")

    async def receive(request: Request) -> Response:
        if not verify_webhook_secret(request.headers, secret):
            client = request.client.host if request.client else "?"
            logger.warning(
                "zalo webhook: a request from %s without the right secret refused", client
            )
            return _answer(403)
        body = await bounded_body(request)
        if body is None:
            return _answer(413)
        try:
            update = parse_update(json.loads(body))
        except (ValueError, ZaloInvalidUpdate) as error:
            logger.warning("zalo webhook: a body that is not an update was dropped: %s", error)
            return _answer(200)
        outcome = await adapter.handle_update(update)
        return _answer(503 if outcome == Outcome.FAILED else 200)

    return [Route(path or "/", receive, methods=["POST"])]


async def register_webhook(client: ZaloClient, url: str, secret: str) -> None:
    """Point Zalo at ``url``; polling stops working until the webhook is deleted."""
    info = await client.set_webhook(url, secret)
    logger.info("zalo: webhook set (%s)", "yes" if info.url else "no url returned")
