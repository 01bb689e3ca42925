"""The updates waiting for the bot, and the two ways Telegram hands them over.

Polling: getUpdates returns the waiting updates from ``offset`` on; an update is
dropped ("confirmed") once a call's offset is above its id; with ``timeout`` the call
waits until an update arrives. A newer getUpdates ends a waiting one with 409, as on
Telegram when two bot processes poll. Webhook: once setWebhook is called, a thread POSTs
each update (oldest first, one at a time) with the secret header, drops it on a 2xx
answer and retries it otherwise; getUpdates then answers 409.

Every update is checked against the Bot API description before it is queued, so a
mistake in the fake shows at once instead of as a puzzling failure in the bot.
"""

from __future__ import annotations

import copy
import itertools
import json
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx

from tests.fakes.telegram_methods import ApiError
from tests.fakes.telegram_spec import BotApiSpec, Kind

logger = logging.getLogger(__name__)

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
# Telegram's default when a bot never named the updates it wants.
NOT_BY_DEFAULT = {"chat_member", "message_reaction", "message_reaction_count"}


@dataclass
class WebhookDelivery:
    """One POST of an update to the bot's webhook."""

    update_id: int
    url: str
    status: int | None  # None: the connection failed
    secret_sent: bool


class UpdateQueue:
    """Updates not yet confirmed by the bot, getUpdates, and webhook delivery."""

    METHODS = frozenset({"getUpdates", "setWebhook", "deleteWebhook", "getWebhookInfo"})

    def __init__(
        self,
        spec: BotApiSpec,
        lock: threading.Condition,
        retry_delay: float,
        now: Callable[[], int],
    ) -> None:
        self.spec = spec
        self.lock = lock
        self.retry_delay = retry_delay
        self.now = now
        self.history: dict[int, dict] = {}
        self.withheld: list[dict] = []  # updates of kinds the bot did not ask for
        self.deliveries: list[WebhookDelivery] = []
        self.webhook: dict[str, Any] | None = None
        self.allowed: list[str] | None = None
        self._pending: list[dict] = []
        self._again: list[dict] = []  # repeated deliveries, sent before anything else
        self._ids = itertools.count(350_000_001)
        self._route: str | None = None
        self._polls = 0
        self._closing = False
        self._retry_at = 0.0
        self._last_error: tuple[int, str] | None = None
        self._thread = threading.Thread(target=self._deliver, name="fake-webhook", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        with self.lock:
            self._closing = True
            self.lock.notify_all()
        self._thread.join(timeout=15)

    # -- filling the queue (the caller holds the lock) ------------------------------

    def add(self, body: dict[str, Any]) -> dict | None:
        """Queue a new update with the next update_id; None if the bot does not take
        updates of that kind (``allowed_updates``)."""
        with self.lock:
            update = {"update_id": next(self._ids), **body}
            problems = self.spec.check_object("Update", update)
            if problems:
                raise AssertionError(f"the fake built an invalid update: {problems}")
            self.history[update["update_id"]] = update
            kind = next(key for key in body)
            wanted = set(self.allowed) if self.allowed else self.spec.update_kinds - NOT_BY_DEFAULT
            if kind not in wanted:
                self.withheld.append(update)
                return None
            self._pending.append(update)
            self.lock.notify_all()
            return update

    def repeat(self, update_id: int) -> None:
        with self.lock:
            if update_id not in self.history:
                raise ValueError(f"there was no update {update_id}")
            self._again.append(copy.deepcopy(self.history[update_id]))
            self.lock.notify_all()

    def poll_count(self) -> int:
        """How many getUpdates calls have come: a new one ends any still waiting."""
        with self.lock:
            return self._polls

    def pending_count(self) -> int:
        with self.lock:
            return len(self._pending) + len(self._again)

    def route(self, to: str | None) -> None:
        with self.lock:
            if to is not None and urlsplit(to).hostname not in LOOPBACK:
                raise ValueError("the fake only ever connects to 127.0.0.1")
            self._route = to
            self.lock.notify_all()

    # -- the methods --------------------------------------------------------------------

    def call(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getUpdates":
            return self._get_updates(params)
        with self.lock:
            if method == "setWebhook":
                return self._set_webhook(params)
            if method == "deleteWebhook":
                return self._delete_webhook(params)
            return self._webhook_info()

    def _get_updates(self, params: dict[str, Any]) -> list[dict]:
        with self.lock:
            self._polls += 1
            poll = self._polls
            self.lock.notify_all()  # ends a getUpdates still waiting (see _conflict)
            if "allowed_updates" in params:
                self.allowed = params["allowed_updates"]
            offset = params.get("offset", 0)
            if offset > 0:
                self._pending = [u for u in self._pending if u["update_id"] >= offset]
            elif offset < 0:
                self._pending = self._pending[offset:]
            limit = min(max(params.get("limit", 100), 1), 100)
            deadline = time.monotonic() + max(params.get("timeout", 0), 0)
            while True:
                self._conflict(poll)
                if self._closing:
                    return []
                batch = (self._again + self._pending)[:limit]
                if batch:
                    del self._again[: min(len(self._again), limit)]
                    return batch
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return []
                self.lock.wait(remaining)

    def _conflict(self, poll: int) -> None:
        if self.webhook is not None:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        if poll != self._polls:
            raise ApiError(
                409,
                "Conflict: terminated by other getUpdates request; make sure that only "
                "one bot instance is running",
            )

    def _set_webhook(self, params: dict[str, Any]) -> bool:
        url = params["url"]
        if not url:
            return self._delete_webhook(params)
        parts = urlsplit(url)
        local = parts.hostname in LOOPBACK
        if parts.scheme != "https" and not (local and parts.scheme == "http"):
            raise ApiError(
                400,
                "Bad Request: bad webhook: An HTTPS URL must be provided for webhook",
                violation=Kind.BAD_VALUE,
            )
        if not local and (parts.port or 443) not in {80, 88, 443, 8443}:
            raise ApiError(
                400,
                "Bad Request: bad webhook: Webhook can be set up only on ports "
                "80, 88, 443 or 8443",
                violation=Kind.BAD_VALUE,
            )
        self.webhook = {
            "url": url,
            "secret_token": params.get("secret_token"),
            "max_connections": params.get("max_connections", 40),
            "ip_address": params.get("ip_address"),
            "has_custom_certificate": "certificate" in params,
        }
        if "allowed_updates" in params:
            self.allowed = params["allowed_updates"]
        if params.get("drop_pending_updates"):
            self._pending.clear()
        self._last_error, self._retry_at = None, 0.0
        self.lock.notify_all()
        return True

    def _delete_webhook(self, params: dict[str, Any]) -> bool:
        self.webhook = None
        if params.get("drop_pending_updates"):
            self._pending.clear()
        self.lock.notify_all()
        return True

    def _webhook_info(self) -> dict[str, Any]:
        info: dict[str, Any] = {
            "url": "",
            "has_custom_certificate": False,
            "pending_update_count": len(self._pending) + len(self._again),
        }
        if self.webhook is not None:
            info.update(
                url=self.webhook["url"],
                has_custom_certificate=self.webhook["has_custom_certificate"],
                max_connections=self.webhook["max_connections"],
            )
            if self.webhook["ip_address"]:
                info["ip_address"] = self.webhook["ip_address"]
            if self.allowed:
                info["allowed_updates"] = self.allowed
            if self._last_error:
                info["last_error_date"], info["last_error_message"] = self._last_error
        return info

    # -- webhook delivery (its own thread) -------------------------------------------

    def _target(self) -> str | None:
        """Where the next update goes, or None (with the reason kept) if nowhere."""
        if self.webhook is None:
            return None
        url = urlsplit(self.webhook["url"])
        if self._route is not None:
            route = urlsplit(self._route)
            url = url._replace(scheme=route.scheme, netloc=route.netloc)
        if url.hostname not in LOOPBACK:
            self._last_error = (
                self.now(),
                "fake: not delivering outside 127.0.0.1; use route_webhook",
            )
            return None
        return urlunsplit(url)

    def _next_delivery(self) -> tuple[dict, str, str | None] | None:
        with self.lock:
            while not self._closing:
                target = self._target()
                queue = self._again or self._pending
                wait = self._retry_at - time.monotonic()
                if target and queue and wait <= 0:
                    return queue[0], target, self.webhook["secret_token"]  # type: ignore[index]
                self.lock.wait(wait if target and queue else 1.0)
            return None

    def _deliver(self) -> None:
        with httpx.Client(timeout=10.0, trust_env=False) as client:
            while (next_delivery := self._next_delivery()) is not None:
                update, target, secret = next_delivery
                headers = {"Content-Type": "application/json"}
                if secret:
                    headers["X-Telegram-Bot-Api-Secret-Token"] = secret
                status, error = None, None
                try:
                    response = client.post(target, content=json.dumps(update), headers=headers)
                    status = response.status_code
                    if not 200 <= status < 300:
                        error = (
                            f"Wrong response from the webhook: {status} {response.reason_phrase}"
                        )
                except httpx.HTTPError as failure:
                    error = f"Connection failed: {failure.__class__.__name__}"
                with self.lock:
                    update_id = update["update_id"]
                    self.deliveries.append(
                        WebhookDelivery(update_id, target, status, bool(secret))
                    )
                    if error is None:
                        for queue in (self._again, self._pending):
                            if any(item is update for item in queue):
                                queue[:] = [item for item in queue if item is not update]
                    else:
                        logger.debug("webhook delivery of %s failed: %s", update_id, error)
                        self._last_error = (self.now(), error)
                        self._retry_at = time.monotonic() + self.retry_delay
                    self.lock.notify_all()
