"""A fake Telegram Bot API server for tests, and the ``fake_telegram`` pytest fixture.

The real python-telegram-bot stack talks HTTP to it on 127.0.0.1; a test acts as the
users (``user_sends_text``, ``user_presses_button``, ...) and reads what the bot sent
(``sent(chat_id)``, ``calls``). Every request is checked against the published Bot API
description: a request Telegram would refuse is answered 400 (404 for an unknown
method) like Telegram, recorded, and fails the test at teardown unless the test said it
expected it (``with fake.expect_violations(): ...``).

    app = ApplicationBuilder().token(fake.token).base_url(fake.base_url)
          .base_file_url(fake.base_file_url).build()

Updates wait in a queue, as on Telegram: getUpdates returns them from ``offset`` on (an
update is dropped once a later call's offset passes it) and long-polls up to
``timeout`` seconds; with a webhook set, a thread POSTs them to it instead (with the
``X-Telegram-Bot-Api-Secret-Token`` header) and getUpdates answers 409. Faults can be
injected per method: 429 with retry_after, 5xx, a connection reset, slow answers, a
repeated update. ``enforce_limits()`` turns on Telegram's flood control (429 past 30
messages a second, one a second per private chat, 20 a minute per group) and
``flood_for(seconds)`` a window of nothing but 429s; ``flood`` counts what was delivered
(``tests.fakes.telegram_limits``), on or off.
"""

from __future__ import annotations

import asyncio
import itertools
import mimetypes
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.fakes.telegram_http import RESET, Answer, FakeHttpServer, json_answer
from tests.fakes.telegram_limits import FloodControl
from tests.fakes.telegram_methods import ApiError, BotApiMethods
from tests.fakes.telegram_spec import BotApiSpec, Kind, Problem, Upload, load_spec
from tests.fakes.telegram_updates import UpdateQueue
from tests.fakes.telegram_users import ChatRef, UserActions
from tests.fakes.telegram_world import FakeUser, SentMessage, TelegramWorld


@dataclass
class ApiCall:
    """One request the bot made, in order, with how the fake answered it."""

    method: str
    params: dict[str, Any]
    status: int = 200
    description: str | None = None
    ignored: list[str] = field(default_factory=list)  # fields Telegram would ignore


@dataclass
class Violation:
    """A request Telegram would refuse: the bot has a bug (unless the test expected it)."""

    call: ApiCall
    problem: Problem
    expected: bool = False

    def __str__(self) -> str:
        return f"{self.call.method}: {self.problem}"


@dataclass
class Fault:
    """An injected misbehaviour for the next ``times`` calls of ``method`` (None: until
    cleared; "*" matches every method), optionally only for one chat."""

    method: str
    status: int | None = None
    retry_after: int | None = None
    delay: float = 0.0
    times: int | None = 1
    chat_id: int | None = None
    description: str | None = None
    reset: bool = False  # drop the connection, unanswered, before handling the request
    fired: int = 0

    def matches(self, method: str, params: dict[str, Any]) -> bool:
        if self.method not in {"*", method} or self.times == 0:
            return False
        return self.chat_id is None or params.get("chat_id") == self.chat_id

    def answer(self) -> Answer | None:
        if self.reset:
            return RESET
        if self.status is None:
            return None
        payload: dict[str, Any] = {"ok": False, "error_code": self.status}
        if self.status == 429:
            retry_after = self.retry_after or 1
            payload["description"] = f"Too Many Requests: retry after {retry_after}"
            payload["parameters"] = {"retry_after": retry_after}
        else:
            payload["description"] = self.description or _phrase(self.status)
        return json_answer(self.status, payload)


def _refusal(problem: Problem) -> ApiError:
    """Telegram's answer to a request with ``problem``: 404 for an unknown method."""
    if problem.kind == Kind.UNKNOWN_METHOD:
        return ApiError(404, "Not Found", violation=problem.kind)
    where = f" ({problem.field})" if problem.field and problem.field not in problem.detail else ""
    return ApiError(400, f"Bad Request: {problem.detail}{where}", violation=problem.kind)


def _phrase(status: int) -> str:
    return {500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}.get(
        status, f"Error {status}"
    )


class FakeTelegram(UserActions):
    """The fake server: start it, point the bot at ``base_url``, act as users, inspect."""

    def __init__(
        self,
        *,
        bot_username: str = "nhacviec_test_bot",
        bot_name: str = "Nhắc việc",
        bot_id: int = 7012345678,
        privacy_mode: bool = True,
        clock: Any = None,
        spec: BotApiSpec | None = None,
        webhook_retry_delay: float = 0.1,
    ) -> None:
        self.spec = spec or load_spec()
        self.token = f"{bot_id}:AAF-fake-{bot_username[:10]:_<10}-0123456789abcdef"
        self.bot = FakeUser(bot_id, bot_name, username=bot_username, is_bot=True)
        # Message dates: anything with now() -> aware datetime (a SimulatedClock), or None
        # for the machine's time. Settable while running.
        self.clock = clock
        self.world = TelegramWorld(self.bot, self._now, privacy_mode)
        self.methods = BotApiMethods(self.world, self.spec)
        self.lock = threading.Condition()
        self.updates = UpdateQueue(self.spec, self.lock, webhook_retry_delay, self._now)
        self.calls: list[ApiCall] = []
        self.violations: list[Violation] = []
        self.errors: list[ApiCall] = []  # Telegram errors a correct bot must cope with
        self.faults: list[Fault] = []
        self.flood = FloodControl()  # Telegram's limits: off until enforce_limits()
        self.require_callback_answers = True
        self._expecting: list[list[Violation]] = []
        self._server: FakeHttpServer | None = None
        self._thread: threading.Thread | None = None
        self._group_ids = itertools.count(4_000_000_001)
        self._supergroup_ids = itertools.count(1_000_000_001)
        self._query_ids = itertools.count(4_380_000_000_000_000_001, 7_919)

    def _now(self) -> int:
        return int(self.clock.now().timestamp() if self.clock else time.time())

    # -- running ----------------------------------------------------------------------

    def start(self) -> FakeTelegram:
        self._server = FakeHttpServer(
            self._serve_api, self._serve_file, self._refuse_body, self._serve_unknown_path
        )
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), name="fake-telegram", daemon=True
        )
        self._thread.start()
        self.updates.start()
        return self

    def stop(self) -> None:
        self.updates.stop()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> FakeTelegram:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def api_base_url(self) -> str:
        """For the ``[telegram] api_base_url`` setting: the bot calls ``{it}/bot{token}/M``."""
        assert self._server is not None, "start the fake first"
        return f"http://127.0.0.1:{self._server.port}"

    @property
    def privacy_mode(self) -> bool:
        """Group privacy mode (Telegram's default: on); settable."""
        return self.world.privacy_mode

    @privacy_mode.setter
    def privacy_mode(self, enabled: bool) -> None:
        self.world.privacy_mode = enabled

    @property
    def base_url(self) -> str:
        """For ``ApplicationBuilder().base_url(...)``: the bot calls ``{base_url}{token}/M``."""
        assert self._server is not None, "start the fake first"
        return f"http://127.0.0.1:{self._server.port}/bot"

    @property
    def base_file_url(self) -> str:
        assert self._server is not None, "start the fake first"
        return f"http://127.0.0.1:{self._server.port}/file/bot"

    # -- answering requests (server threads) ------------------------------------------

    def _serve_api(
        self, token: str, method: str, fields: dict[str, str], uploads: dict[str, Upload]
    ) -> Answer:
        with self.lock:
            if token != self.token:
                call = ApiCall(method, dict(fields), 401, "Unauthorized")
                self.calls.append(call)
                self._violate(call, [Problem(Kind.UNAUTHORIZED, "", "wrong bot token")])
                return json_answer(
                    401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
                )
            params, problems, ignored = self.spec.check_request(method, fields, uploads)
            description = self.spec.method(method)
            method = description["name"] if description else method
            call = ApiCall(method, params if description else dict(fields), ignored=ignored)
            self.calls.append(call)
            if problems:
                self._violate(call, problems)
                return self._refuse(call, _refusal(problems[0]))
            fault = next((f for f in self.faults if f.matches(method, params)), None)
            if fault is not None:
                fault.fired += 1
                if fault.times is not None:
                    fault.times -= 1
        if fault is not None and fault.delay:
            time.sleep(fault.delay)
        injected = fault.answer() if fault is not None else None
        if injected is not None:
            with self.lock:
                call.status, call.description = injected[0], "injected fault"
            return injected
        try:
            if method in UpdateQueue.METHODS:
                result = self.updates.call(method, params)
            else:
                with self.lock:
                    refusal = self.flood.refusal(method, params.get("chat_id"))
                    if refusal is not None:
                        call.status, call.description = 429, refusal["description"]
                        return json_answer(429, refusal)
                    result = self.methods.call(method, params)
                    text = params.get("text") or params.get("caption") or ""
                    self.flood.count(method, params.get("chat_id"), str(text))
        except ApiError as error:
            with self.lock:
                if error.violation is not None:
                    self._violate(call, [Problem(error.violation, "", error.description)])
                return self._refuse(call, error)
        return json_answer(200, {"ok": True, "result": result})

    def _refuse(self, call: ApiCall, error: ApiError) -> Answer:
        call.status, call.description = error.code, error.description
        if error.violation is None:
            self.errors.append(call)
        payload: dict[str, Any] = {
            "ok": False,
            "error_code": error.code,
            "description": error.description,
        }
        if error.parameters:
            payload["parameters"] = error.parameters
        return json_answer(error.code, payload)

    def _violate(self, call: ApiCall, problems: list[Problem]) -> None:
        for problem in problems:
            violation = Violation(call, problem, expected=bool(self._expecting))
            self.violations.append(violation)
            for seen in self._expecting:
                seen.append(violation)

    def _refuse_body(self, method: str, reason: str) -> Answer:
        with self.lock:
            call = ApiCall(method, {})
            self.calls.append(call)
            problem = Problem(Kind.WRONG_TYPE, "", reason)
            self._violate(call, [problem])
            return self._refuse(call, _refusal(problem))

    def _serve_unknown_path(self) -> Answer:
        with self.lock:
            call = ApiCall("(no method)", {})
            self.calls.append(call)
            problem = Problem(Kind.UNKNOWN_METHOD, "", "not a Bot API path")
            self._violate(call, [problem])
            return self._refuse(call, _refusal(problem))

    def _serve_file(self, token: str, path: str) -> Answer:
        with self.lock:
            stored = next((f for f in self.world.files.values() if f.file_path == path), None)
        if token != self.token or stored is None:
            return 404, {"Content-Type": "text/plain"}, b"Not Found"
        kind = stored.mime_type or mimetypes.guess_type(path)[0] or "application/octet-stream"
        return 200, {"Content-Type": kind}, stored.content

    # -- what the bot did ---------------------------------------------------------------

    def sent(self, chat: ChatRef) -> list[SentMessage]:
        """The messages the bot sent to the chat, in order, as they look now."""
        with self.lock:
            return list(self.world.sent.get(self._chat_id(chat), []))

    def sent_texts(self, chat: ChatRef) -> list[str]:
        return [message.text for message in self.sent(chat)]

    def calls_to(self, method: str) -> list[ApiCall]:
        with self.lock:
            return [call for call in self.calls if call.method == method]

    def commands(self, scope: dict | None = None, language_code: str = "") -> list[dict]:
        """The commands published with setMyCommands for this scope and language."""
        with self.lock:
            return self.methods.getMyCommands({"scope": scope, "language_code": language_code})

    def callback_answer(self, update: dict) -> dict | None:
        """The bot's answerCallbackQuery for the button press ``update`` (None: none yet)."""
        with self.lock:
            return self.methods.callback_queries[update["callback_query"]["id"]]["answer"]

    def unanswered_callback_queries(self) -> list[str]:
        with self.lock:
            return [
                query_id
                for query_id, query in self.methods.callback_queries.items()
                if query["answer"] is None
            ]

    @staticmethod
    def _chat_id(chat: ChatRef) -> int:
        return chat if isinstance(chat, int) else chat.id

    async def wait_until(
        self, condition: Callable[[], bool], timeout: float = 5.0, what: str = "condition"
    ) -> None:
        """Yield to the event loop (where the bot runs) until ``condition()`` holds."""
        deadline = time.monotonic() + timeout
        while True:
            with self.lock:
                if condition():
                    return
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out after {timeout}s waiting for {what}")
            await asyncio.sleep(0.01)

    async def wait_for_messages(
        self, chat: ChatRef, count: int = 1, timeout: float = 5.0
    ) -> list[SentMessage]:
        """Wait until the bot has sent at least ``count`` messages to the chat; all of them."""
        chat_id = self._chat_id(chat)
        try:
            await self.wait_until(lambda: len(self.world.sent.get(chat_id, [])) >= count, timeout)
        except AssertionError:
            texts = self.sent_texts(chat_id)
            raise AssertionError(
                f"expected {count} message(s) from the bot in chat {chat_id} within "
                f"{timeout}s, got {len(texts)}: {texts}"
            ) from None
        return self.sent(chat_id)

    async def wait_for_delivery(self, timeout: float = 5.0) -> None:
        """Wait until the bot has confirmed (polling) or accepted (webhook) every update."""
        await self.wait_until(lambda: self.updates.pending_count() == 0, timeout, "delivery")

    # -- faults ---------------------------------------------------------------------------

    def inject(self, method: str, **fault: Any) -> Fault:
        """Misbehave on the next calls of ``method``; see ``Fault`` for the options."""
        with self.lock:
            injected = Fault(method, **fault)
            self.faults.append(injected)
            return injected

    def rate_limit(self, method: str, retry_after: int = 1, times: int | None = 1, **kw: Any):
        return self.inject(method, status=429, retry_after=retry_after, times=times, **kw)

    def server_error(self, method: str, status: int = 500, times: int | None = 1, **kw: Any):
        return self.inject(method, status=status, times=times, **kw)

    def slow_down(self, method: str, delay: float, times: int | None = 1, **kw: Any):
        return self.inject(method, delay=delay, times=times, **kw)

    def reset_connection(self, method: str, times: int | None = 1, **kw: Any):
        """Drop the connection of the next calls, unanswered and not handled."""
        return self.inject(method, reset=True, times=times, **kw)

    def enforce_limits(self, enabled: bool = True) -> FloodControl:
        """Answer 429 past Telegram's sending limits, as Telegram does."""
        with self.lock:
            self.flood.enabled = enabled
            return self.flood

    def flood_for(self, seconds: float, retry_after: int | None = None) -> None:
        """Flood control: every message refused with 429 for ``seconds`` from now."""
        with self.lock:
            self.flood.enabled = True
            self.flood.flood_for(seconds, retry_after)

    def clear_faults(self) -> None:
        with self.lock:
            self.faults.clear()

    def route_webhook(self, to: str | None) -> None:
        """Deliver webhook updates to ``to`` (scheme://host:port, kept path) instead of
        the public URL the bot registered, as a reverse proxy would; only 127.0.0.1."""
        self.updates.route(to)

    # -- the verdict ----------------------------------------------------------------------

    @contextmanager
    def expect_violations(self, kind: Kind | None = None) -> Iterator[list[Violation]]:
        """Requests refused inside the block are expected (and not held against the test);
        the block must produce at least one (of ``kind``, when given)."""
        seen: list[Violation] = []
        with self.lock:
            self._expecting.append(seen)
        try:
            yield seen
        finally:
            with self.lock:
                self._expecting.remove(seen)
        if not any(kind is None or violation.problem.kind == kind for violation in seen):
            raise AssertionError(f"expected a refused request ({kind or 'any kind'}), got {seen}")

    def problems(self) -> list[str]:
        """Why the test must fail: unexpected violations, unanswered button presses."""
        with self.lock:
            found = [f"refused request {v}" for v in self.violations if not v.expected]
            if self.require_callback_answers:
                found += [
                    f"button press {query_id} ({query['data']!r}) never answered with "
                    "answerCallbackQuery"
                    for query_id, query in self.methods.callback_queries.items()
                    if query["answer"] is None
                ]
            return found


@pytest.fixture
def fake_telegram() -> Iterator[FakeTelegram]:
    """A running fake Bot API server; fails the test if the bot sent a refused request."""
    fake = FakeTelegram()
    with fake:
        yield fake
    problems = fake.problems()
    if problems:
        pytest.fail("the fake Telegram server saw:\n  " + "\n  ".join(problems), pytrace=False)
