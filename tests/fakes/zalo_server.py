"""A fake Zalo Bot API server: real HTTP on 127.0.0.1 (random port) in a background thread.

It answers the way ``shared/specs/zalo-bot-api.md`` says the real API does, so the real
``ZaloClient`` (and later the adapter) runs against it unchanged while the test's asyncio
loop goes on. A test plays the users (``user_sends_text`` and friends), reads what the
bot sent per chat (``sent``, ``texts``, ``await wait_sent``) and every call (``calls``),
and can break things: ``fail_next`` (API errors, HTTP 5xx, a proxy's HTML page),
``slow_down`` (an answer held back), ``redeliver``/``redeliver_all`` (a consumed update
comes back, as it was measured to on the real API).

Choices where the real API is not documented:
- getUpdates holds an idle poll ``min(timeout, poll_cap)`` seconds (small in tests),
  then answers HTTP 408 ``{"ok": false, "error_code": 408, "description": "Request timeout"}``.
- While a webhook is set, getUpdates answers HTTP 409 (as Telegram does), and new
  updates are POSTed to the webhook with ``X-Bot-Api-Secret-Token``, once each, in
  order, from one delivery thread; each attempt is kept in ``webhook_deliveries``.
- sendMessage/sendPhoto to a chat no user has written from answers 400 "Chat not found"
  (``require_known_chat=False`` turns that off; ``add_chat`` declares one).
- Lengths are counted as the client counts them (UTF-16 code units), the strict reading.
- A request the bot must never make (text over 2000 characters or empty, a photo that
  is not a URL, a bad secret, an unknown method, a GET, a body that is not JSON) is
  answered as an API error AND kept in ``violations``; the ``fake_zalo`` fixture fails
  the test at teardown unless the test set ``allow_violations = True``.
- A user message in a group reaches the bot as is: the test decides whether it
  mentions the bot, as the real API would only deliver such messages.
"""

from __future__ import annotations

import asyncio
import json
import queue
import secrets
import socket
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest

from bot.zalo.client import MAX_TEXT_LENGTH, text_length

SECRET_HEADER = "X-Bot-Api-Secret-Token"
IDLE = (408, {"ok": False, "error_code": 408, "description": "Request timeout"})


def new_id() -> str:
    """An id shaped like Zalo's: 20 hexadecimal characters."""
    return secrets.token_hex(10)


def _error(code: int, description: str) -> tuple[int, dict[str, Any]]:
    return code, {"ok": False, "error_code": code, "description": description}


def _ok(result: Any) -> tuple[int, dict[str, Any]]:
    return 200, {"ok": True, "result": result}


def _is_web_url(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(("https://", "http://")) and len(value) > 8


@dataclass
class Call:
    """One request the bot made; ``status`` is the HTTP status it got (None: no answer)."""

    method: str
    body: Any
    status: int | None = None


@dataclass(frozen=True)
class SentMessage:
    """What the bot sent to a chat: a text, or a photo (by URL) with its caption in ``text``."""

    chat_id: str
    message_id: str
    kind: str
    text: str | None
    photo_url: str | None = None
    parse_mode: str | None = None


@dataclass(frozen=True)
class WebhookDelivery:
    """One POST of an update to the bot's webhook: the status it answered or the error."""

    message_id: str | None
    status: int | None
    error: str | None = None


@dataclass
class _Failure:
    error_code: int
    description: str
    http_status: int
    retry_after: float | None
    raw_body: str | None


@dataclass
class _Held:
    seconds: float
    times: int | None  # None: every call


@dataclass
class _State:
    queue: deque[dict[str, Any]] = field(default_factory=deque)
    consumed: list[dict[str, Any]] = field(default_factory=list)
    redelivered: set[str] = field(default_factory=set)
    failures: dict[str, deque[_Failure]] = field(default_factory=dict)
    held: dict[str, _Held] = field(default_factory=dict)


class FakeZaloServer:
    """The fake API. ``start()``/``stop()``, or use the ``fake_zalo`` fixture."""

    def __init__(
        self,
        *,
        poll_cap: float = 0.5,
        require_known_chat: bool = True,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.token = f"{secrets.randbelow(9 * 10**18) + 10**18}:{secrets.token_urlsafe(30)}"
        self.bot = {
            "id": new_id(),
            "account_name": "bot.nhacviec",
            "display_name": "Nhắc việc",
            "account_type": "BASIC",
            "can_join_groups": True,
        }
        self.poll_cap = poll_cap
        self.require_known_chat = require_known_chat
        self.clock = clock
        self.legacy_sender_names = False  # older payloads: from.first_name
        self.redeliver_all = False  # every consumed update comes back once, later
        self.webhook_url = ""
        self.webhook_secret = ""
        self.webhook_body_wrapped = False  # POST {"ok": true, "result": update}
        self.webhook_updated_at = 0
        self.known_chats: dict[str, str] = {}
        self.calls: list[Call] = []
        self.outbox: list[SentMessage] = []
        self.chat_actions: list[tuple[str, str]] = []
        self.webhook_deliveries: list[WebhookDelivery] = []
        self.violations: list[str] = []
        self.allow_violations = False
        self.photos: dict[str, bytes] = {}  # path -> bytes: the images users sent, served
        self._state = _State()
        self._changed = threading.Condition()
        self._closing = threading.Event()
        self._outgoing: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self._httpd: ThreadingHTTPServer | None = None
        self._threads: list[threading.Thread] = []

    # --- life cycle -------------------------------------------------------------

    @property
    def api_base_url(self) -> str:
        assert self._httpd is not None, "start() the fake first"
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> None:
        httpd = _Server(("127.0.0.1", 0), _Handler)
        httpd.fake = self
        self._httpd = httpd
        for target in (lambda: httpd.serve_forever(poll_interval=0.05), self._deliver_webhooks):
            thread = threading.Thread(target=target, daemon=True, name="fake-zalo")
            thread.start()
            self._threads.append(thread)

    def stop(self) -> None:
        self._closing.set()
        with self._changed:
            self._changed.notify_all()
        self._outgoing.put(None)
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        for thread in self._threads:
            thread.join(timeout=5)

    # --- the test plays the users ---------------------------------------------------

    def user_sends_text(
        self, chat_id: str, user_id: str, name: str, text: str, chat_type: str = "PRIVATE"
    ) -> dict[str, Any]:
        """A user writes ``text``; returns the update as delivered (it holds the message_id)."""
        return self._user_event(
            "message.text.received", chat_id, user_id, name, chat_type, text=text
        )

    def user_sends_image(
        self,
        chat_id: str,
        user_id: str,
        name: str,
        photo_url: str | None = None,
        caption: str | None = None,
        chat_type: str = "PRIVATE",
    ) -> dict[str, Any]:
        url = photo_url or f"https://photo-talk.zdn.vn/{new_id()}/{new_id()}.jpg"
        content: dict[str, Any] = {"photo_url": url}
        if caption is not None:
            content["caption"] = caption
        return self._user_event(
            "message.image.received", chat_id, user_id, name, chat_type, **content
        )

    def host_photo(self, content: bytes) -> str:
        """Keep an image a user sends and give its URL, as Zalo's CDN would (here on the
        fake's own address, served by GET, so the bot can download it)."""
        path = f"/photos/{new_id()}.jpg"
        with self._changed:
            self.photos[path] = content
        return f"{self.api_base_url}{path}"

    def user_sends_sticker(
        self, chat_id: str, user_id: str, name: str, chat_type: str = "PRIVATE"
    ) -> dict[str, Any]:
        sticker = {"sticker": new_id(), "url": f"https://zalo-api.zadn.vn/sticker/{new_id()}"}
        return self._user_event(
            "message.sticker.received", chat_id, user_id, name, chat_type, **sticker
        )

    def user_sends_voice(
        self, chat_id: str, user_id: str, name: str, chat_type: str = "PRIVATE"
    ) -> dict[str, Any]:
        voice = {"url": f"https://voice-talk.zdn.vn/{new_id()}.aac"}
        return self._user_event(
            "message.voice.received", chat_id, user_id, name, chat_type, **voice
        )

    def user_sends_unsupported(
        self, chat_id: str, user_id: str, name: str, chat_type: str = "PRIVATE"
    ) -> dict[str, Any]:
        """Content Zalo withholds from bots (a file, a location, ...): only who and where."""
        return self._user_event("message.unsupported.received", chat_id, user_id, name, chat_type)

    def push_update(self, update: dict[str, Any]) -> None:
        """Deliver any payload as it is (odd shapes, unknown events)."""
        self._deliver(update)

    def add_chat(self, chat_id: str, chat_type: str = "PRIVATE") -> None:
        """Declare a chat the bot may write to although no user has written from it here."""
        self.known_chats[chat_id] = chat_type

    def redeliver(self, message_id: str | None = None) -> dict[str, Any]:
        """Deliver again an update already consumed by a poll (the last one by default)."""
        with self._changed:
            consumed = [
                update
                for update in self._state.consumed
                if message_id is None or _message_id(update) == message_id
            ]
        if not consumed:
            raise ValueError(f"no consumed update to deliver again ({message_id or 'none yet'})")
        chosen = consumed[-1]
        self._deliver(chosen)
        return chosen

    # --- the test breaks things --------------------------------------------------------

    def fail_next(
        self,
        method: str,
        *,
        times: int = 1,
        error_code: int = 500,
        description: str = "Internal Server Error",
        http_status: int | None = None,
        retry_after: float | None = None,
        raw_body: str | None = None,
    ) -> None:
        """The next ``times`` calls of ``method`` fail with this error (nothing happens).

        ``http_status`` defaults to ``error_code`` when that is an HTTP status, else 200
        (an API error inside a 200). ``raw_body`` answers that text instead of JSON.
        """
        if http_status is None:
            http_status = error_code if 400 <= error_code < 600 else 200
        failure = _Failure(error_code, description, http_status, retry_after, raw_body)
        with self._changed:
            self._state.failures.setdefault(method, deque()).extend([failure] * times)

    def slow_down(self, method: str, seconds: float, *, times: int | None = 1) -> None:
        """Hold the next ``times`` answers of ``method`` (every one when None) ``seconds``.

        The call still takes effect after the pause, as on a real slow server: a client
        that gave up waiting cannot know its message went out. (Unless the fake stops.)
        """
        with self._changed:
            self._state.held[method] = _Held(seconds, times)

    # --- what the bot did ----------------------------------------------------------

    def sent(self, chat_id: str) -> list[SentMessage]:
        with self._changed:
            return [message for message in self.outbox if message.chat_id == chat_id]

    def texts(self, chat_id: str) -> list[str | None]:
        return [message.text for message in self.sent(chat_id)]

    def calls_of(self, method: str) -> list[Call]:
        with self._changed:
            return [call for call in self.calls if call.method == method]

    @property
    def pending_updates(self) -> int:
        with self._changed:
            return len(self._state.queue)

    async def wait_until(self, condition: Callable[[], bool], timeout: float = 5.0) -> None:
        """Let the test's event loop run (the bot works in it) until ``condition`` holds."""
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise AssertionError(f"the fake Zalo server waited {timeout} s in vain")
            await asyncio.sleep(0.01)

    async def wait_sent(
        self, chat_id: str, count: int = 1, timeout: float = 5.0
    ) -> list[SentMessage]:
        try:
            await self.wait_until(lambda: len(self.sent(chat_id)) >= count, timeout)
        except AssertionError:
            raise AssertionError(
                f"expected {count} message(s) to {chat_id}, got {self.texts(chat_id)!r}"
            ) from None
        return self.sent(chat_id)

    async def wait_webhook_deliveries(self, count: int, timeout: float = 5.0) -> None:
        await self.wait_until(lambda: len(self.webhook_deliveries) >= count, timeout)

    # --- inside: updates --------------------------------------------------------------

    def _now_ms(self) -> int:
        if self.clock is not None:
            return int(self.clock().timestamp() * 1000)
        return int(time.time() * 1000)

    def _user_event(
        self, event: str, chat_id: str, user_id: str, name: str, chat_type: str, **content: Any
    ) -> dict[str, Any]:
        if chat_type == "PRIVATE" and chat_id != user_id:
            raise ValueError("in a private Zalo chat, the chat id is the user's id")
        sender: dict[str, Any] = {"id": user_id, "is_bot": False}
        sender["first_name" if self.legacy_sender_names else "display_name"] = name
        message = {
            "from": sender,
            "chat": {"id": chat_id, "chat_type": chat_type},
            "message_id": new_id(),
            "date": self._now_ms(),
            **content,
        }
        self.known_chats[chat_id] = chat_type
        update = {"event_name": event, "message": message}
        self._deliver(update)
        return update

    def _deliver(self, update: dict[str, Any]) -> None:
        with self._changed:
            if self.webhook_url:
                self._outgoing.put(update)
            else:
                self._state.queue.append(update)
                self._changed.notify_all()

    def _deliver_webhooks(self) -> None:
        # TCP_NODELAY: a request's headers and body go out in two writes (see _Handler).
        nodelay = httpx.HTTPTransport(socket_options=[(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)])
        with httpx.Client(timeout=10, transport=nodelay) as http:
            while (update := self._outgoing.get()) is not None:
                body = {"ok": True, "result": update} if self.webhook_body_wrapped else update
                headers = {SECRET_HEADER: self.webhook_secret}
                try:
                    response = http.post(self.webhook_url, json=body, headers=headers)
                    delivery = WebhookDelivery(_message_id(update), response.status_code)
                except httpx.HTTPError as error:
                    delivery = WebhookDelivery(_message_id(update), None, repr(error))
                with self._changed:
                    self.webhook_deliveries.append(delivery)

    def _next_update(self, timeout: Any) -> tuple[int, dict[str, Any]]:
        if self.webhook_url:
            return _error(409, "Conflict: a webhook is set; call deleteWebhook before getUpdates")
        try:
            hold = min(max(float(timeout), 0.0), self.poll_cap)
        except (TypeError, ValueError):
            return self._violation(f"getUpdates with timeout {timeout!r}")
        deadline = time.monotonic() + hold
        with self._changed:
            while not self._state.queue and not self._closing.is_set():
                left = deadline - time.monotonic()
                if left <= 0:
                    return IDLE
                self._changed.wait(left)
            if not self._state.queue:
                return IDLE
            update = self._state.queue.popleft()
            self._state.consumed.append(update)
            key = _message_id(update) or ""
            if self.redeliver_all and key not in self._state.redelivered:
                self._state.redelivered.add(key)
                self._state.queue.append(update)
        return _ok(update)

    # --- inside: the methods -----------------------------------------------------------

    def _violation(self, what: str, code: int = 400) -> tuple[int, dict[str, Any]]:
        with self._changed:
            self.violations.append(what)
        return _error(code, f"Bad Request: {what}")

    def answer(self, method: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """The API's answer to one authenticated call (after injected failures)."""
        handler = getattr(self, f"_api_{method}", None)
        if handler is None:
            return self._violation(f"unknown method {method}", 404)
        return handler(body)

    def _api_getMe(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        return _ok(dict(self.bot))

    def _api_getUpdates(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        return self._next_update(body.get("timeout", 30))

    def _webhook(self) -> dict[str, Any]:
        return {"url": self.webhook_url, "updated_at": self.webhook_updated_at}

    def _api_setWebhook(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        url, secret = body.get("url"), body.get("secret_token")
        if not isinstance(url, str) or not _is_web_url(url):
            return self._violation(f"setWebhook with url {url!r}")
        if not isinstance(secret, str) or not 8 <= len(secret) <= 256:
            return self._violation("setWebhook with a secret_token not of 8-256 characters")
        local = url.startswith(("http://127.0.0.1", "http://localhost"))
        if not url.startswith("https://") and not local:
            return _error(400, "Bad Request: the webhook url must be HTTPS")
        with self._changed:
            self.webhook_url, self.webhook_secret = url, secret
            self.webhook_updated_at = self._now_ms()
            return _ok(self._webhook())

    def _api_deleteWebhook(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        with self._changed:
            self.webhook_url, self.webhook_secret = "", ""
            self.webhook_updated_at = self._now_ms()
            return _ok(self._webhook())

    def _api_getWebhookInfo(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        with self._changed:
            return _ok(self._webhook())

    def _chat(self, method: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]] | None:
        chat_id = body.get("chat_id")
        if not isinstance(chat_id, str) or not chat_id:
            return self._violation(f"{method} without a chat_id string")
        if self.require_known_chat and chat_id not in self.known_chats:
            return _error(400, "Bad Request: Chat not found")
        return None

    def _record(self, message: SentMessage) -> tuple[int, dict[str, Any]]:
        with self._changed:
            self.outbox.append(message)
        return _ok({"message_id": message.message_id, "date": self._now_ms()})

    def _api_sendMessage(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if refused := self._chat("sendMessage", body):
            return refused
        text, parse_mode = body.get("text"), body.get("parse_mode")
        if not isinstance(text, str) or not 1 <= text_length(text) <= MAX_TEXT_LENGTH:
            size = text_length(text) if isinstance(text, str) else text
            return self._violation(f"sendMessage text must be 1-2000 characters, got {size}")
        if parse_mode not in (None, "markdown", "html"):
            return self._violation(f"sendMessage with parse_mode {parse_mode!r}")
        return self._record(SentMessage(body["chat_id"], new_id(), "text", text, None, parse_mode))

    def _api_sendPhoto(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if refused := self._chat("sendPhoto", body):
            return refused
        photo, caption = body.get("photo"), body.get("caption")
        if not _is_web_url(photo):
            return self._violation("sendPhoto: the photo must be an image URL")
        if caption is not None and (
            not isinstance(caption, str) or text_length(caption) > MAX_TEXT_LENGTH
        ):
            return self._violation("sendPhoto caption over 2000 characters")
        return self._record(SentMessage(body["chat_id"], new_id(), "photo", caption, photo))

    def _api_sendChatAction(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if refused := self._chat("sendChatAction", body):
            return refused
        if body.get("action") != "typing":
            return self._violation(f"sendChatAction with action {body.get('action')!r}")
        with self._changed:
            self.chat_actions.append((body["chat_id"], "typing"))
        return _ok(True)

    def _take(self, method: str) -> tuple[float, _Failure | None]:
        """The delay and the injected failure due for this call of ``method``."""
        with self._changed:
            delay = 0.0
            held = self._state.held.get(method)
            if held is not None:
                delay = held.seconds
                if held.times is not None:
                    held.times -= 1
                    if held.times <= 0:
                        del self._state.held[method]
            failures = self._state.failures.get(method)
            return delay, failures.popleft() if failures else None


def _message_id(update: Any) -> str | None:
    message = update.get("message") if isinstance(update, dict) else None
    return message.get("message_id") if isinstance(message, dict) else None


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # keep-alive handler threads must not hold up stop()
    fake: FakeZaloServer


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as a real API behind a proxy
    # Headers and body go out in two writes: without TCP_NODELAY, Nagle's algorithm and
    # the client's delayed ACK hold each answer ~40 ms.
    disable_nagle_algorithm = True
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        """Silence: the test reads ``calls``, not stderr."""

    def do_GET(self) -> None:
        fake = self.server.fake
        photo = fake.photos.get(self.path)
        if photo is not None:  # an image a user sent: the CDN serves it to anyone
            self._answer(200, photo, "image/jpeg")
            return
        status, payload = fake._violation(
            f"GET {self.path.split('/')[-1]}: the bot must POST", 405
        )
        self._answer(status, payload)

    def do_POST(self) -> None:
        fake = self.server.fake
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        parts = self.path.split("/")
        if len(parts) != 3 or not parts[1].startswith("bot"):
            self._answer(
                *fake._violation(f"path not /bot<token>/<method>: {len(parts)} parts", 404)
            )
            return
        token, method = parts[1][3:], parts[2]
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            body = None
        call = Call(method, body)
        with fake._changed:
            fake.calls.append(call)
        if token != fake.token:
            call.status = 401
            self._answer(*_error(401, "Unauthorized"))
            return
        if not isinstance(body, dict):
            status, payload = fake._violation(f"{method} with a body that is not a JSON object")
            call.status = status
            self._answer(status, payload)
            return
        delay, failure = fake._take(method)
        if delay and fake._closing.wait(delay):
            self.close_connection = True  # the server is stopping: no answer at all
            return
        if failure is not None:
            call.status = failure.http_status
            if failure.raw_body is not None:
                self._answer(failure.http_status, failure.raw_body, "text/html; charset=utf-8")
                return
            refusal = _error(failure.error_code, failure.description)[1]
            if failure.retry_after is not None:
                refusal["parameters"] = {"retry_after": failure.retry_after}
            self._answer(failure.http_status, refusal)
            return
        status, payload = fake.answer(method, body)
        call.status = status
        self._answer(status, payload)

    def _answer(self, status: int, payload: Any, content_type: str = "application/json") -> None:
        if isinstance(payload, bytes):
            data = payload
        else:
            data = payload.encode() if isinstance(payload, str) else json.dumps(payload).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client gave up waiting (a timeout test)


@pytest.fixture
def fake_zalo() -> Iterator[FakeZaloServer]:
    """A running fake Zalo API; fails the test if the bot broke the API's rules."""
    server = FakeZaloServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()
    if server.violations and not server.allow_violations:
        pytest.fail("the bot broke the Zalo API's rules:\n" + "\n".join(server.violations))
