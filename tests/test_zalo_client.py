"""The Zalo client against the fake Zalo server over real HTTP on 127.0.0.1.

What the adapter will rely on: polling gives one update or None, webhook mode delivers
with the secret header, every failure is a ``ZaloError`` of the right kind, limits are
enforced before sending, and the token shows up in no exception and no log line.
"""

from __future__ import annotations

import json
import logging
import socket
import threading
import traceback
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest

from bot.zalo import (
    MAX_TEXT_LENGTH,
    SECRET_HEADER,
    UpdateKind,
    ZaloApiError,
    ZaloAuthenticationError,
    ZaloClient,
    ZaloCommunicationError,
    ZaloError,
    ZaloInvalidRequest,
    ZaloInvalidUpdate,
    ZaloRateLimited,
    ZaloServerError,
    parse_update,
    text_length,
    verify_webhook_secret,
)
from tests.fakes.zalo_server import FakeZaloServer, new_id

LAN = new_id()  # a user: in a private Zalo chat, the chat id is the user's id
GROUP = new_id()


@pytest.fixture
async def zalo(fake_zalo: FakeZaloServer) -> AsyncIterator[ZaloClient]:
    async with ZaloClient(fake_zalo.token, fake_zalo.api_base_url, timeout=5) as client:
        yield client


async def test_get_me_names_the_bot(zalo: ZaloClient, fake_zalo: FakeZaloServer) -> None:
    bot = await zalo.get_me()
    assert (bot.id, bot.display_name) == (fake_zalo.bot["id"], "Nhắc việc")
    assert bot.can_join_groups is True


async def test_an_idle_poll_is_nothing_new_not_an_error(
    zalo: ZaloClient, fake_zalo: FakeZaloServer
) -> None:
    assert await zalo.get_updates(timeout=1) is None
    (call,) = fake_zalo.calls_of("getUpdates")
    assert (call.body, call.status) == ({"timeout": 1}, 408)


async def test_a_poll_outlasts_the_client_timeout_of_other_calls(
    fake_zalo: FakeZaloServer,
) -> None:
    # Other calls give up after 0.2 s; the poll is held 1 s and still ends as the API's 408.
    fake_zalo.poll_cap = 1.0
    async with ZaloClient(fake_zalo.token, fake_zalo.api_base_url, timeout=0.2) as client:
        assert await client.get_updates(timeout=1) is None
    assert fake_zalo.calls_of("getUpdates")[0].status == 408


async def test_polls_receive_a_text_then_an_image_one_at_a_time(
    zalo: ZaloClient, fake_zalo: FakeZaloServer
) -> None:
    sent_text = fake_zalo.user_sends_text(LAN, LAN, "Nguyễn Thị Lan", "/baocao T3 50%")
    sent_image = fake_zalo.user_sends_image(
        GROUP, LAN, "Nguyễn Thị Lan", caption="Ảnh hội nghị", chat_type="GROUP"
    )

    text = await zalo.get_updates(timeout=1)
    assert text is not None and text.kind is UpdateKind.TEXT
    assert (text.chat_id, text.sender_id, text.sender_name) == (LAN, LAN, "Nguyễn Thị Lan")
    assert (text.text, text.chat_type, text.is_group) == ("/baocao T3 50%", "PRIVATE", False)
    assert text.message_id == sent_text["message"]["message_id"]
    assert text.date == datetime.fromtimestamp(sent_text["message"]["date"] / 1000, tz=UTC)

    image = await zalo.get_updates(timeout=1)
    assert image is not None and image.kind is UpdateKind.IMAGE
    assert (image.chat_id, image.is_group, image.text) == (GROUP, True, None)
    assert image.photo_url == sent_image["message"]["photo_url"]
    assert image.caption == "Ảnh hội nghị"

    assert await zalo.get_updates(timeout=1) is None


async def test_the_fake_delivers_a_consumed_update_again(
    zalo: ZaloClient, fake_zalo: FakeZaloServer
) -> None:
    # Zalo has no offset; the adapter must recognise the second copy by its message_id.
    fake_zalo.redeliver_all = True
    fake_zalo.user_sends_text(LAN, LAN, "Lan", "/nhiemvu")
    first = await zalo.get_updates(timeout=1)
    again = await zalo.get_updates(timeout=1)
    assert first is not None and again is not None
    assert first.message_id == again.message_id and first is not again
    assert await zalo.get_updates(timeout=1) is None

    fake_zalo.redeliver(first.message_id)
    third = await zalo.get_updates(timeout=1)
    assert third is not None and third.message_id == first.message_id


async def test_send_message_returns_the_message_id_the_chat_shows(
    zalo: ZaloClient, fake_zalo: FakeZaloServer
) -> None:
    fake_zalo.add_chat(LAN)
    message_id = await zalo.send_message(LAN, "Đơn vị còn 2 nhiệm vụ quá hạn.")
    (sent,) = fake_zalo.sent(LAN)
    assert (sent.message_id, sent.text, sent.parse_mode) == (
        message_id,
        "Đơn vị còn 2 nhiệm vụ quá hạn.",
        None,
    )
    await zalo.send_message(LAN, "x" * MAX_TEXT_LENGTH)  # the limit itself is allowed
    assert len(fake_zalo.sent(LAN)) == 2


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("x" * (MAX_TEXT_LENGTH + 1), "2001 characters"),
        ("🙂" * 1001, "emoji count twice: 2002 UTF-16 units"),
        ("", "empty"),
        ("  \n ", "blank"),
    ],
)
async def test_a_text_zalo_would_refuse_is_refused_before_sending(
    zalo: ZaloClient, fake_zalo: FakeZaloServer, text: str, why: str
) -> None:
    fake_zalo.add_chat(LAN)
    with pytest.raises(ZaloInvalidRequest, match="sendMessage"):
        await zalo.send_message(LAN, text)
    assert fake_zalo.calls_of("sendMessage") == [], why


def test_text_length_counts_as_the_limit_is_counted() -> None:
    assert text_length("Hạn chót: Thứ Năm, 29 tháng 2, 2024") == 35
    assert text_length("🙂") == 2


async def test_send_photo_and_chat_action(zalo: ZaloClient, fake_zalo: FakeZaloServer) -> None:
    fake_zalo.add_chat(LAN)
    url = "https://example.org/bieu-do.png"
    message_id = await zalo.send_photo(LAN, url, caption="Biểu đồ tiến độ")
    await zalo.send_chat_action(LAN)
    (sent,) = fake_zalo.sent(LAN)
    assert (sent.kind, sent.photo_url, sent.text, sent.message_id) == (
        "photo",
        url,
        "Biểu đồ tiến độ",
        message_id,
    )
    assert fake_zalo.chat_actions == [(LAN, "typing")]
    with pytest.raises(ZaloInvalidRequest, match="URL"):
        await zalo.send_photo(LAN, "/tmp/bieu-do.png")


async def test_an_api_error_carries_its_code_and_description(
    zalo: ZaloClient, fake_zalo: FakeZaloServer
) -> None:
    with pytest.raises(ZaloApiError) as refused:
        await zalo.send_message(new_id(), "Xin chào")  # no user ever wrote from that chat
    assert (refused.value.error_code, refused.value.description) == (
        400,
        "Bad Request: Chat not found",
    )
    assert not refused.value.transient

    # ok=false inside an HTTP 200 is still a failure.
    fake_zalo.fail_next("getMe", error_code=-201, description="Bot đang bị khóa", http_status=200)
    with pytest.raises(ZaloApiError) as locked:
        await zalo.get_me()
    assert (locked.value.error_code, locked.value.http_status) == (-201, 200)
    assert "Bot đang bị khóa" in str(locked.value)


@pytest.mark.parametrize(
    ("failure", "error_class", "code"),
    [
        ({"error_code": 500}, ZaloServerError, 500),
        ({"error_code": 503, "description": "Service Unavailable"}, ZaloServerError, 503),
        ({"error_code": 502, "raw_body": "<html>502 Bad Gateway</html>"}, ZaloServerError, 502),
        ({"error_code": 429, "retry_after": 3}, ZaloRateLimited, 429),
    ],
)
async def test_server_trouble_is_a_transient_error(
    zalo: ZaloClient,
    fake_zalo: FakeZaloServer,
    failure: dict[str, Any],
    error_class: type[ZaloApiError],
    code: int,
) -> None:
    fake_zalo.add_chat(LAN)
    fake_zalo.fail_next("sendMessage", **failure)
    with pytest.raises(error_class) as raised:
        await zalo.send_message(LAN, "Nhắc việc")
    assert raised.value.error_code == code and raised.value.transient
    if error_class is ZaloRateLimited:
        assert raised.value.retry_after == 3  # type: ignore[attr-defined]
    assert fake_zalo.sent(LAN) == []
    await zalo.send_message(LAN, "Nhắc việc")  # the failure was for one call only
    assert fake_zalo.texts(LAN) == ["Nhắc việc"]


async def test_an_answer_that_is_not_the_api_is_a_communication_error(
    zalo: ZaloClient, fake_zalo: FakeZaloServer
) -> None:
    fake_zalo.fail_next("getMe", error_code=200, http_status=200, raw_body="<html>portal</html>")
    with pytest.raises(ZaloCommunicationError, match="not the API's JSON"):
        await zalo.get_me()


async def test_a_refused_token_is_an_authentication_error(fake_zalo: FakeZaloServer) -> None:
    async with ZaloClient("1234:sai-ma", fake_zalo.api_base_url) as client:
        with pytest.raises(ZaloAuthenticationError) as refused:
            await client.get_me()
    assert refused.value.error_code == 401 and not refused.value.transient
    with pytest.raises(ZaloAuthenticationError, match="malformed"):
        ZaloClient("   ")


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def test_no_server_is_a_communication_error() -> None:
    async with ZaloClient("1234:abcd", f"http://127.0.0.1:{_closed_port()}") as client:
        with pytest.raises(ZaloCommunicationError) as raised:
            await client.get_me()
    assert raised.value.transient and "ConnectError" in str(raised.value)


async def test_a_slow_answer_times_out_as_a_communication_error(
    fake_zalo: FakeZaloServer,
) -> None:
    fake_zalo.add_chat(LAN)
    fake_zalo.slow_down("sendMessage", 3)
    async with ZaloClient(fake_zalo.token, fake_zalo.api_base_url, timeout=0.3) as client:
        with pytest.raises(ZaloCommunicationError, match="no answer in time"):
            await client.send_message(LAN, "Nhắc việc")


async def test_the_token_is_in_no_exception_and_no_log_line(
    fake_zalo: FakeZaloServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.INFO, logger="httpx")  # the runtime may have quietened it
    token = fake_zalo.token
    fake_zalo.add_chat(LAN)
    fake_zalo.fail_next("getMe", error_code=500, description=f"crashed on /bot{token}/getMe")
    fake_zalo.fail_next("sendChatAction", error_code=400, description=f"bad token {token}")
    fake_zalo.slow_down("sendPhoto", 3)
    errors: list[ZaloError] = []
    async with ZaloClient(token, fake_zalo.api_base_url, timeout=0.3) as client:
        await client.send_message(LAN, "ok")
        for call in (
            client.get_me(),
            client.send_chat_action(LAN),
            client.send_photo(LAN, "https://example.org/a.png"),
            client.send_message(new_id(), "không có chat này"),
        ):
            try:
                await call
            except ZaloError as error:
                errors.append(error)
    async with ZaloClient(token, f"http://127.0.0.1:{_closed_port()}") as offline:
        try:
            await offline.get_me()
        except ZaloError as error:
            errors.append(error)

    assert [type(error) for error in errors] == [
        ZaloServerError,
        ZaloApiError,
        ZaloCommunicationError,
        ZaloApiError,
        ZaloCommunicationError,
    ]
    secret = token.split(":")[1]
    for failure in errors:
        text = "".join(traceback.format_exception(failure)) + repr(failure)
        assert secret not in text, text
        # No chained httpx exception: its request would still hold the URL.
        assert failure.__cause__ is None and failure.__context__ is None
    # httpx does log each request URL: the line is there, with the token scrubbed.
    lines = [record.getMessage() for record in caplog.records]
    assert any("HTTP Request" in line and "<token>" in line for line in lines)
    assert not [line for line in lines if secret in line]


class _Receiver(BaseHTTPRequestHandler):
    """The bot's webhook endpoint, as far as this test needs one: it keeps what came."""

    received: list[tuple[dict[str, str], Any]]

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.received.append((dict(self.headers.items()), body))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        """Silence."""


@pytest.fixture
def webhook_endpoint() -> Iterator[tuple[str, list[tuple[dict[str, str], Any]]]]:
    received: list[tuple[dict[str, str], Any]] = []
    handler = type("Receiver", (_Receiver,), {"received": received})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/zalo/webhook", received
    server.shutdown()
    server.server_close()
    thread.join()


async def test_webhook_mode_posts_updates_with_the_secret(
    zalo: ZaloClient,
    fake_zalo: FakeZaloServer,
    webhook_endpoint: tuple[str, list[tuple[dict[str, str], Any]]],
) -> None:
    url, received = webhook_endpoint
    secret = "bi-mat-cua-don-vi-2024"
    info = await zalo.set_webhook(url, secret)
    assert info.url == url and info.updated_at is not None
    assert (await zalo.get_webhook_info()).url == url
    with pytest.raises(ZaloApiError) as conflict:
        await zalo.get_updates(timeout=1)  # polling and webhook exclude each other
    assert conflict.value.error_code == 409

    fake_zalo.user_sends_text(LAN, LAN, "Lan", "/hanchot 7")
    fake_zalo.webhook_body_wrapped = True
    fake_zalo.user_sends_sticker(LAN, LAN, "Lan")
    await fake_zalo.wait_webhook_deliveries(2)
    assert [delivery.status for delivery in fake_zalo.webhook_deliveries] == [200, 200]

    (headers, bare), (_, wrapped) = received
    assert verify_webhook_secret(headers, secret)
    assert not verify_webhook_secret(headers, secret + "x")
    assert parse_update(bare).text == "/hanchot 7"
    assert parse_update(wrapped).kind is UpdateKind.STICKER

    assert (await zalo.delete_webhook()).url == ""
    fake_zalo.user_sends_text(LAN, LAN, "Lan", "/nhiemvu")
    update = await zalo.get_updates(timeout=1)
    assert update is not None and update.text == "/nhiemvu"


@pytest.mark.parametrize("secret", ["ngan", "x" * 257, "có dấu tiếng Việt", "with space inside"])
async def test_a_webhook_secret_zalo_cannot_take_is_refused(
    zalo: ZaloClient, fake_zalo: FakeZaloServer, secret: str
) -> None:
    with pytest.raises(ZaloInvalidRequest, match="8 to 256"):
        await zalo.set_webhook("https://bot.example.gov.vn/zalo", secret)
    assert fake_zalo.calls == []


@pytest.mark.parametrize(
    ("headers", "expected", "accepted"),
    [
        ({SECRET_HEADER: "bi-mat-123"}, "bi-mat-123", True),
        ({"x-bot-api-secret-token": "bi-mat-123"}, "bi-mat-123", True),
        ({SECRET_HEADER: "bi-mat-124"}, "bi-mat-123", False),
        ({SECRET_HEADER: "bi-mat-12"}, "bi-mat-123", False),
        ({}, "bi-mat-123", False),
        ({SECRET_HEADER: ""}, "", False),  # no configured secret opens nothing
        ({SECRET_HEADER: "bí-mật"}, "bi-mat-123", False),
    ],
)
def test_verify_webhook_secret(headers: dict[str, str], expected: str, accepted: bool) -> None:
    assert verify_webhook_secret(headers, expected) is accepted


async def test_the_fake_records_what_the_bot_must_never_send(
    fake_zalo: FakeZaloServer,
) -> None:
    # Straight HTTP, bypassing the client's checks, as a buggy adapter might.
    fake_zalo.add_chat(LAN)
    base = f"{fake_zalo.api_base_url}/bot{fake_zalo.token}"
    async with httpx.AsyncClient() as http:
        too_long = await http.post(
            f"{base}/sendMessage", json={"chat_id": LAN, "text": "x" * 2001}
        )
        unknown = await http.post(f"{base}/editMessageText", json={})
    assert too_long.status_code == 400 and too_long.json()["ok"] is False
    assert unknown.status_code == 404
    assert fake_zalo.sent(LAN) == []
    assert len(fake_zalo.violations) == 2
    fake_zalo.allow_violations = True  # this test broke the rules on purpose


async def test_several_updates_in_one_answer_are_all_handed_out() -> None:
    # Not seen on Zalo (one update per poll), but an answer holding a list loses nothing.
    updates = [_text_update(text) for text in ("một", "hai")]
    calls: list[str] = []

    def api(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        return httpx.Response(200, json={"ok": True, "result": updates})

    transport = httpx.MockTransport(api)
    async with ZaloClient("1234:abcd", "https://zalo.test", transport=transport) as client:
        first, second = await client.get_updates(), await client.get_updates()
    assert [first and first.text, second and second.text] == ["một", "hai"]
    assert calls == ["/bot1234:abcd/getUpdates"]


def _text_update(text: str, **message: Any) -> dict[str, Any]:
    body = {
        "from": {"id": LAN, "display_name": "Lan", "is_bot": False},
        "chat": {"id": LAN, "chat_type": "PRIVATE"},
        "text": text,
        "message_id": "2d758cb5e222177a4e35",
        "date": 1750316131602,
    }
    return {"event_name": "message.text.received", "message": {**body, **message}}


SENT_AT = datetime(2025, 6, 19, 6, 55, 31, 602000, tzinfo=UTC)
GROUP_CHAT = {"id": GROUP, "chat_type": "GROUP"}
IMAGE = "message.image.received"

# (what the payload is, the payload, the fields expected of the parsed update)
PAYLOADS: list[tuple[str, Any, dict[str, Any]]] = [
    ("bare", _text_update("/nhiemvu"), {"text": "/nhiemvu", "date": SENT_AT}),
    (
        "wrapped in ok/result",
        {"ok": True, "result": _text_update("/nhiemvu")},
        {"kind": UpdateKind.TEXT, "text": "/nhiemvu", "message_id": "2d758cb5e222177a4e35"},
    ),
    (
        "older first_name",
        _text_update("hi", **{"from": {"id": LAN, "first_name": "Trần", "last_name": "Văn An"}}),
        {"sender_name": "Trần Văn An", "sender_id": LAN},
    ),
    (
        "name only",
        _text_update("hi", **{"from": {"id": LAN, "name": " Phòng Nội vụ "}}),
        {"sender_name": "Phòng Nội vụ"},
    ),
    (
        "group chat",
        _text_update("@Nhắc việc /tonghop", chat=GROUP_CHAT),
        {"chat_id": GROUP, "sender_id": LAN, "chat_type": "GROUP", "is_group": True},
    ),
    (
        "lower-case chat type",
        _text_update("hi", chat={"id": GROUP, "chat_type": "group"}),
        {"chat_type": "GROUP", "is_group": True},
    ),
    (
        "no chat: a private chat",
        _text_update("hi", chat=None),
        {"chat_id": LAN, "chat_type": "PRIVATE"},
    ),
    (
        "numbers for ids, date in seconds",
        _text_update("hi", message_id=12345, date=1750316131, **{"from": {"id": 987}}),
        {"message_id": "12345", "sender_id": "987", "date": SENT_AT.replace(microsecond=0)},
    ),
    (
        "image as photo, with caption",
        {
            "event_name": IMAGE,
            "message": {
                **_text_update("")["message"],
                "photo": "https://p/1.jpg",
                "caption": "Biên bản",
            },
        },
        {
            "kind": UpdateKind.IMAGE,
            "photo_url": "https://p/1.jpg",
            "caption": "Biên bản",
            "text": None,
        },
    ),
    (
        "image as photo_url, no caption",
        {
            "event_name": IMAGE,
            "message": {**_text_update("")["message"], "photo_url": "https://p/2"},
        },
        {"photo_url": "https://p/2", "caption": None},
    ),
    (
        "sticker",
        {
            "event_name": "message.sticker.received",
            "message": {**_text_update("")["message"], "sticker": "abc", "url": "https://s/1"},
        },
        {"kind": UpdateKind.STICKER, "photo_url": None, "text": None},
    ),
    (
        "unsupported content",
        {"event_name": "message.unsupported.received", "message": _text_update("")["message"]},
        {"kind": UpdateKind.UNSUPPORTED, "chat_id": LAN, "text": None},
    ),
    (
        "voice",
        {"event_name": "message.voice.received", "message": _text_update("")["message"]},
        {"kind": UpdateKind.VOICE},
    ),
    (
        "an event the bot does not know",
        {"event_name": "bot.added.to.group", "group": {"id": GROUP}},
        {"kind": UpdateKind.UNKNOWN, "event": "bot.added.to.group", "chat_id": None},
    ),
    (
        "no event_name: guessed from the fields",
        {"message": _text_update("/giup")["message"]},
        {"kind": UpdateKind.TEXT, "text": "/giup"},
    ),
]


@pytest.mark.parametrize(
    ("payload", "expected"), [case[1:] for case in PAYLOADS], ids=[case[0] for case in PAYLOADS]
)
def test_parse_update_reads_every_known_shape(payload: Any, expected: dict[str, Any]) -> None:
    update = parse_update(payload)
    assert {name: getattr(update, name) for name in expected} == expected
    if update.date is not None:
        assert update.date.tzinfo is not None


@pytest.mark.parametrize("payload", [None, [], "message", {"ok": True}, {"foo": 1}])
def test_parse_update_refuses_what_is_not_an_update(payload: Any) -> None:
    with pytest.raises(ZaloInvalidUpdate):
        parse_update(payload)
