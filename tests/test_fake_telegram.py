"""The fake Telegram Bot API server, driven by the real python-telegram-bot ``Bot``.

Other tests trust this fake to behave like Telegram and to refuse what Telegram refuses,
so these tests hold it to both: what python-telegram-bot sends is accepted and read back
correctly, and each kind of bad request (sent raw with httpx) is refused and recorded.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import textwrap
import threading
from collections.abc import AsyncIterator, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
import telegram
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.ext import (
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
)

from tests.fakes.telegram_html import EntityParseError, parse_html, utf16_len
from tests.fakes.telegram_server import FakeTelegram
from tests.fakes.telegram_spec import Kind
from tests.fakes.telegram_world import tiny_png

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
async def bot(fake_telegram: FakeTelegram) -> AsyncIterator[telegram.Bot]:
    """The real python-telegram-bot client, pointed at the fake."""
    client = telegram.Bot(
        fake_telegram.token,
        base_url=fake_telegram.base_url,
        base_file_url=fake_telegram.base_file_url,
    )
    async with client:
        yield client


def keyboard(*choices: tuple[str, str]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(t, callback_data=d) for t, d in choices]])


def post(fake: FakeTelegram, method: str, **kwargs) -> httpx.Response:
    """A raw request, the way a buggy client could send it."""
    return httpx.post(f"{fake.base_url}{fake.token}/{method}", trust_env=False, **kwargs)


# -- sending, buttons, edits ------------------------------------------------------------


async def test_message_with_keyboard_press_answer_and_edit(fake_telegram, bot):
    an = fake_telegram.user(1001, "An", "Nguyễn Văn", "annv")
    fake_telegram.user_sends_text(an, an, "/start")
    sent = await bot.send_message(
        an.id,
        "<b>Nhiệm vụ T3</b>: chọn trạng thái &lt;mới&gt;",
        parse_mode="HTML",
        reply_markup=keyboard(("Hoàn thành", "st:T3:done"), ("Vướng mắc", "st:T3:stuck")),
    )
    assert sent.text == "Nhiệm vụ T3: chọn trạng thái <mới>"
    assert sent.entities[0].type == "bold" and sent.entities[0].length == len("Nhiệm vụ T3")

    shown = fake_telegram.sent(an)[-1]
    assert (shown.text, shown.method, shown.message_id) == (sent.text, "sendMessage", 2)
    assert shown.buttons == [[("Hoàn thành", "st:T3:done"), ("Vướng mắc", "st:T3:stuck")]]

    press = fake_telegram.user_presses_button(an, an, sent.message_id, "st:T3:done")
    updates = await bot.get_updates(offset=press["update_id"])
    query = updates[0].callback_query
    assert (query.data, query.from_user.id, query.message.message_id) == (
        "st:T3:done", an.id, sent.message_id,
    )  # fmt: skip
    assert fake_telegram.unanswered_callback_queries() == [query.id]
    assert await query.answer("Đã ghi nhận")
    assert fake_telegram.callback_answer(press)["text"] == "Đã ghi nhận"

    edited = await bot.edit_message_text("Nhiệm vụ T3: hoàn thành", an.id, sent.message_id)
    assert edited.reply_markup is None  # editing the text without a keyboard removes it
    assert [(e.method, e.text) for e in shown.edits] == [
        ("editMessageText", "Nhiệm vụ T3: hoàn thành")
    ]
    assert fake_telegram.sent_texts(an) == ["Nhiệm vụ T3: hoàn thành"]
    with pytest.raises(ValueError, match="no button"):
        fake_telegram.user_presses_button(an, an, sent.message_id, "st:T3:done")
    with pytest.raises(telegram.error.BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_text("Nhiệm vụ T3: hoàn thành", an.id, sent.message_id)
    assert fake_telegram.errors[-1].method == "editMessageText"
    assert [c.method for c in fake_telegram.calls] == [
        "getMe", "sendMessage", "getUpdates", "answerCallbackQuery", "editMessageText",
        "editMessageText",
    ]  # fmt: skip


async def test_document_and_photo_upload_as_multipart(fake_telegram, bot):
    chi = fake_telegram.user(1002, "Chi")
    fake_telegram.user_sends_text(chi, chi, "/xuat")
    content = b"PK\x03\x04 bytes\r\n--not-a-boundary\r\n\x00\xff"
    message = await bot.send_document(
        chi.id,
        document=content,
        filename="Tổng hợp quý I.xlsx",
        caption="Báo cáo <i>tổng hợp</i>",
        parse_mode="HTML",
        reply_markup=keyboard(("Tải lại", "export:again")),
    )
    assert message.document.file_name == "Tổng hợp quý I.xlsx"
    assert message.caption == "Báo cáo tổng hợp"
    shown = fake_telegram.sent(chi)[-1]
    assert (shown.method, shown.upload_name, shown.document.content) == (
        "sendDocument", "Tổng hợp quý I.xlsx", content,
    )  # fmt: skip
    assert shown.callback_data == ["export:again"]
    file = await bot.get_file(message.document.file_id)
    assert await file.download_as_bytearray() == content

    photo = await bot.send_photo(chi.id, photo=tiny_png(40, 30), caption="Ảnh minh chứng")
    assert (photo.photo[-1].width, photo.photo[-1].height) == (40, 30)
    assert fake_telegram.sent(chi)[-1].photo.content == tiny_png(40, 30)
    with fake_telegram.expect_violations(Kind.BAD_VALUE):
        with pytest.raises(telegram.error.BadRequest, match=r"(?i)IMAGE_PROCESS_FAILED"):
            await bot.send_photo(chi.id, photo=b"not an image", filename="x.jpg")


async def test_user_photo_and_document_can_be_downloaded_by_file_id(fake_telegram, bot):
    binh = fake_telegram.user(1003, "Bình")
    fake_telegram.user_sends_photo(binh, binh, tiny_png(), caption="/baocao T3 100%")
    fake_telegram.user_sends_document(binh, binh, b"%PDF-1.4 ...", "Biên bản.pdf")
    photo_update, document_update = await bot.get_updates()
    photo = photo_update.message.photo
    assert [size.width for size in photo] == [90, 320, 800, 1280]
    assert photo_update.message.caption_entities[0].type == "bot_command"
    assert len({size.file_unique_id for size in photo}) == len(photo)
    document = document_update.message.document
    assert (document.file_name, document.mime_type) == ("Biên bản.pdf", "application/pdf")
    downloaded = await (await bot.get_file(document.file_id)).download_as_bytearray()
    assert downloaded == b"%PDF-1.4 ..."


async def test_application_polls_replies_and_stops_through_the_fake(fake_telegram):
    """The way the adapter will use it: an Application, polling, with HTML by default."""

    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.effective_chat.send_message(
            f"Chào <b>{update.effective_user.first_name}</b>",
            reply_markup=keyboard(("Nhiệm vụ", "menu:tasks")),
        )

    async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.callback_query.answer()
        await update.callback_query.edit_message_reply_markup(None)

    app = (
        ApplicationBuilder()
        .token(fake_telegram.token)
        .base_url(fake_telegram.base_url)
        .base_file_url(fake_telegram.base_file_url)
        .defaults(Defaults(parse_mode=ParseMode.HTML))
        .build()
    )
    app.add_handler(CommandHandler("tonghop", start))
    app.add_handler(CallbackQueryHandler(pressed))
    an = fake_telegram.user(1001, "An")
    group = fake_telegram.group("Lãnh đạo UBND", supergroup=True)
    fake_telegram.bot_added_to_group(group, an)
    async with app:
        await app.start()
        await app.updater.start_polling(timeout=5)
        fake_telegram.user_sends_text(group, an, "/tonghop@nhacviec_test_bot")
        (menu,) = await fake_telegram.wait_for_messages(group, 1)
        fake_telegram.user_presses_button(group, an, menu.message_id, "menu:tasks")
        await fake_telegram.wait_until(lambda: not menu.buttons, what="the keyboard removed")
        await app.updater.stop()
        await app.stop()
    assert menu.text == "Chào An"
    assert fake_telegram.unanswered_callback_queries() == []
    assert fake_telegram.updates.pending_count() == 0  # stopping confirmed every update
    # Defaults put parse_mode on editMessageReplyMarkup, which Telegram ignores.
    assert fake_telegram.calls_to("editMessageReplyMarkup")[0].ignored == ["parse_mode"]


# -- getUpdates ---------------------------------------------------------------------------


async def test_get_updates_offset_confirms_and_limit_and_negative_offset(fake_telegram, bot):
    an = fake_telegram.user(1001, "An")
    ids = [fake_telegram.user_sends_text(an, an, f"tin {n}")["update_id"] for n in range(3)]
    assert [u.update_id for u in await bot.get_updates(limit=2)] == ids[:2]
    assert [u.update_id for u in await bot.get_updates()] == ids  # nothing confirmed yet
    assert [u.message.text for u in await bot.get_updates(offset=ids[1])] == ["tin 1", "tin 2"]
    assert [u.update_id for u in await bot.get_updates()] == ids[1:]  # ids[0] is gone
    assert [u.update_id for u in await bot.get_updates(offset=-1)] == ids[2:]
    assert await bot.get_updates(offset=ids[2] + 1) == ()
    assert fake_telegram.updates.pending_count() == 0


async def test_long_poll_waits_until_an_update_arrives(fake_telegram, bot):
    an = fake_telegram.user(1001, "An")
    loop = asyncio.get_running_loop()
    loop.call_later(0.2, fake_telegram.user_sends_text, an, an, "có ai không?")
    updates = await bot.get_updates(timeout=10)
    assert [u.message.text for u in updates] == ["có ai không?"]
    assert await bot.get_updates(offset=updates[0].update_id + 1, timeout=1) == ()


async def test_a_second_poller_ends_the_first_with_conflict(fake_telegram, bot):
    waiting = asyncio.create_task(bot.get_updates(timeout=10))
    await fake_telegram.wait_until(lambda: len(fake_telegram.calls) == 2, what="first poll")
    async with telegram.Bot(fake_telegram.token, base_url=fake_telegram.base_url) as second:
        assert await second.get_updates() == ()  # a second bot process with the same token
    with pytest.raises(telegram.error.Conflict, match="terminated by other getUpdates"):
        await waiting


async def test_allowed_updates_and_repeated_delivery(fake_telegram, bot):
    an = fake_telegram.user(1001, "An")
    assert await bot.get_updates(allowed_updates=["callback_query"]) == ()
    assert fake_telegram.user_sends_text(an, an, "không ai nhận") is None
    await bot.get_updates(allowed_updates=[])  # back to Telegram's default
    first = fake_telegram.user_sends_text(an, an, "/nhiemvu")
    (got,) = await bot.get_updates(offset=first["update_id"])
    assert await bot.get_updates(offset=got.update_id + 1) == ()
    fake_telegram.repeat_update(first["update_id"])
    again = await bot.get_updates(offset=got.update_id + 1)
    assert [(u.update_id, u.message.message_id) for u in again] == [
        (got.update_id, got.message.message_id)
    ]


# -- groups ----------------------------------------------------------------------------


async def test_group_commands_privacy_mode_membership_and_migration(fake_telegram, bot):
    an = fake_telegram.user(1001, "An")
    group = fake_telegram.group("UBND xã Tân An")
    with pytest.raises(ValueError, match="bot_added_to_group"):
        fake_telegram.user_sends_text(group, an, "/tonghop")
    added = fake_telegram.bot_added_to_group(group, an)
    command = fake_telegram.user_sends_text(group, an, "/tonghop@nhacviec_test_bot Q1")
    assert command["message"]["entities"] == [{"type": "bot_command", "offset": 0, "length": 26}]
    assert fake_telegram.user_sends_text(group, an, "/tonghop@other_bot") is None
    assert fake_telegram.user_sends_text(group, an, "chào cả nhà") is None  # privacy mode
    reply = await bot.send_message(group.id, "Mời anh/chị trả lời tin này")
    assert fake_telegram.user_sends_text(group, an, "50%", reply_to=reply.message_id)

    updates = await bot.get_updates()
    member = updates[0].my_chat_member
    assert updates[0].update_id == added["update_id"]
    assert (member.old_chat_member.status, member.new_chat_member.status) == ("left", "member")
    assert updates[1].message.new_chat_members[0].id == fake_telegram.bot.id
    assert updates[2].message.text == "/tonghop@nhacviec_test_bot Q1"
    assert updates[3].message.reply_to_message.message_id == reply.message_id
    assert updates[3].effective_chat.title == "UBND xã Tân An"

    old_update, new_update = fake_telegram.group_migrates_to_supergroup(group.id)
    new_id = new_update["message"]["chat"]["id"]
    assert old_update["message"]["migrate_to_chat_id"] == new_id
    assert new_update["message"]["migrate_from_chat_id"] == group.id
    assert Update.de_json(new_update, bot).effective_chat.type == "supergroup"
    with pytest.raises(telegram.error.ChatMigrated) as migrated:
        await bot.send_message(group.id, "Nhắc việc")
    assert migrated.value.new_chat_id == new_id
    await bot.send_message(new_id, "Nhắc việc")
    fake_telegram.bot_removed_from_group(new_id, an)
    with pytest.raises(telegram.error.Forbidden, match="kicked from the supergroup"):
        await bot.send_message(new_id, "Nhắc việc")


async def test_private_chats_refuse_like_telegram(fake_telegram, bot):
    binh = fake_telegram.user(1003, "Bình")
    with pytest.raises(telegram.error.Forbidden, match="can't initiate conversation"):
        await bot.send_message(binh.id, "Xin chào")
    with pytest.raises(telegram.error.BadRequest, match=r"(?i)chat not found"):
        await bot.send_message(-4999, "Xin chào")
    with pytest.raises(telegram.error.BadRequest, match=r"(?i)chat not found"):
        await bot.send_message("@binh", "Xin chào")  # users are never found by username
    fake_telegram.user_sends_text(binh, binh, "/start")
    await bot.send_chat_action(binh.id, "typing")
    fake_telegram.user_blocks_bot(binh)
    with pytest.raises(telegram.error.Forbidden, match="blocked by the user"):
        await bot.send_message(binh.id, "Xin chào")
    assert [c.status for c in fake_telegram.errors] == [403, 400, 400, 403]
    assert fake_telegram.violations == []


# -- commands, webhook -------------------------------------------------------------------


async def test_commands_are_kept_per_scope_and_language(fake_telegram, bot):
    groups = telegram.BotCommandScopeAllGroupChats()
    await bot.set_my_commands([("tonghop", "Tổng hợp tiến độ")], scope=groups)
    await bot.set_my_commands([("summary", "Progress summary")], language_code="en")
    assert [c.command for c in await bot.get_my_commands(scope=groups)] == ["tonghop"]
    assert await bot.get_my_commands() == ()
    assert fake_telegram.commands(language_code="en") == [
        {"command": "summary", "description": "Progress summary"}
    ]
    await bot.delete_my_commands(language_code="en")
    assert fake_telegram.commands(language_code="en") == []
    with fake_telegram.expect_violations(Kind.BAD_VALUE):
        with pytest.raises(telegram.error.BadRequest, match=r"(?i)BOT_COMMAND_INVALID"):
            await bot.set_my_commands([("TongHop", "Tổng hợp")])


class _Receiver(ThreadingHTTPServer):
    """A stand-in for the bot's webhook endpoint: records requests, answers ``statuses``."""

    def __init__(self, statuses: list[int]) -> None:
        self.statuses = statuses
        self.received: list[tuple[dict, dict]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((dict(self.headers), json.loads(body)))
                self.send_response(receiver.statuses.pop(0) if receiver.statuses else 200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        super().__init__(("127.0.0.1", 0), Handler)


@pytest.fixture
def receiver() -> Iterator[_Receiver]:
    server = _Receiver([500])  # the first delivery fails: Telegram must retry it
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


async def test_webhook_delivers_with_secret_and_retries(fake_telegram, bot, receiver):
    url = f"http://127.0.0.1:{receiver.server_address[1]}/telegram/hook"
    assert await bot.set_webhook(url, secret_token="bi-mat_123")
    with pytest.raises(telegram.error.Conflict, match="webhook is active"):
        await bot.get_updates()
    an = fake_telegram.user(1001, "An")
    sent = fake_telegram.user_sends_text(an, an, "/baocao")
    await fake_telegram.wait_for_delivery()
    assert [d.status for d in fake_telegram.updates.deliveries] == [500, 200]
    headers, body = receiver.received[-1]
    assert headers["X-Telegram-Bot-Api-Secret-Token"] == "bi-mat_123"
    assert body == sent
    info = await bot.get_webhook_info()
    assert (info.url, info.pending_update_count) == (url, 0)
    assert "500" in info.last_error_message

    await bot.delete_webhook()
    later = fake_telegram.user_sends_text(an, an, "/hanchot")
    assert [u.update_id for u in await bot.get_updates()] == [later["update_id"]]


async def test_webhook_to_a_public_url_goes_through_the_route(fake_telegram, bot, receiver):
    receiver.statuses.clear()
    await bot.set_webhook("https://nhacviec.example.gov.vn/telegram/hook", secret_token="s")
    an = fake_telegram.user(1001, "An")
    fake_telegram.user_sends_text(an, an, "/start")
    assert (await bot.get_webhook_info()).pending_update_count == 1  # never sent outside
    fake_telegram.route_webhook(f"http://127.0.0.1:{receiver.server_address[1]}")
    await fake_telegram.wait_for_delivery()
    assert fake_telegram.updates.deliveries[0].url.endswith("/telegram/hook")
    with fake_telegram.expect_violations(Kind.BAD_VALUE):
        with pytest.raises(telegram.error.BadRequest, match=r"(?i)HTTPS URL"):
            await bot.set_webhook("http://nhacviec.example.gov.vn/hook")


# -- faults ----------------------------------------------------------------------------


async def test_injected_faults(fake_telegram, bot):
    an = fake_telegram.user(1001, "An")
    fake_telegram.user_sends_text(an, an, "/start")
    fake_telegram.rate_limit("sendMessage", retry_after=7)
    with pytest.raises(telegram.error.RetryAfter, match="Retry in 7 seconds"):
        await bot.send_message(an.id, "Nhắc việc")
    await bot.send_message(an.id, "Nhắc việc")  # one-shot: the next call goes through

    fault = fake_telegram.server_error("sendMessage", times=None, chat_id=an.id)
    for _ in range(2):
        with pytest.raises(telegram.error.NetworkError, match="Internal Server Error"):
            await bot.send_message(an.id, "Nhắc việc")
    assert fault.fired == 2
    fake_telegram.clear_faults()

    fake_telegram.slow_down("sendMessage", delay=0.5)
    with pytest.raises(telegram.error.TimedOut):
        await bot.send_message(an.id, "Nhắc việc", read_timeout=0.1)
    # Telegram may carry out a request whose answer came too late: the slow one arrives.
    assert [m.text for m in await fake_telegram.wait_for_messages(an, 2)] == ["Nhắc việc"] * 2
    assert [c.status for c in fake_telegram.calls_to("sendMessage")] == [429, 200, 500, 500, 200]


# -- what the fake refuses -------------------------------------------------------------

LONG_EMOJI_TEXT = "😀" * 2049  # 2049 characters in Python, 4098 UTF-16 code units
BUTTON_65_BYTES = "bc:" + "ố" * 21  # 24 characters, 66 bytes in UTF-8

BAD_REQUESTS = [
    ("unknown method", "sendMesage", {"data": {"chat_id": 1001, "text": "x"}},
     404, Kind.UNKNOWN_METHOD),
    ("unknown field", "sendMessage", {"data": {"chat_id": 1001, "text": "x", "colour": "đỏ"}},
     400, Kind.UNKNOWN_FIELD),
    ("missing required field", "sendMessage", {"json": {"chat_id": 1001}},
     400, Kind.MISSING_FIELD),
    ("wrong scalar type", "sendMessage",
     {"data": {"chat_id": 1001, "text": "x", "disable_notification": "có"}},
     400, Kind.WRONG_TYPE),
    ("wrong nested type in form data", "sendMessage",
     {"data": {"chat_id": 1001, "text": "x",
               "reply_markup": json.dumps({"inline_keyboard": [{"text": "A"}]})}},
     400, Kind.WRONG_TYPE),
    ("wrong type in ReplyParameters", "sendMessage",
     {"json": {"chat_id": 1001, "text": "x", "reply_parameters": {"message_id": "1"}}},
     400, Kind.WRONG_TYPE),
    ("unknown field in LinkPreviewOptions", "sendMessage",
     {"json": {"chat_id": 1001, "text": "x", "link_preview_options": {"disabled": True}}},
     400, Kind.UNKNOWN_FIELD),
    ("chat_id neither Integer nor @username", "sendMessage",
     {"json": {"chat_id": {"id": 1001}, "text": "x"}}, 400, Kind.WRONG_TYPE),
    ("text over 4096 UTF-16 code units", "sendMessage",
     {"data": {"chat_id": 1001, "text": LONG_EMOJI_TEXT}}, 400, Kind.TOO_LONG),
    ("text over 4096 after HTML parsing", "editMessageText",
     {"data": {"chat_id": 1001, "message_id": 1, "parse_mode": "HTML",
               "text": "<b>" + "a" * 4097 + "</b>"}}, 400, Kind.TOO_LONG),
    ("unescaped < in HTML", "sendMessage",
     {"data": {"chat_id": 1001, "text": "tiến độ < 50%", "parse_mode": "HTML"}},
     400, Kind.BAD_VALUE),
    ("empty text", "sendMessage", {"data": {"chat_id": 1001, "text": " \n "}},
     400, Kind.BAD_VALUE),
    ("caption over 1024", "sendDocument",
     {"data": {"chat_id": 1001, "caption": "x" * 1025},
      "files": {"document": ("a.txt", b"abc", "text/plain")}}, 400, Kind.TOO_LONG),
    ("callback_data over 64 bytes", "sendMessage",
     {"data": {"chat_id": 1001, "text": "x", "reply_markup": json.dumps(
         {"inline_keyboard": [[{"text": "Có", "callback_data": BUTTON_65_BYTES}]]})}},
     400, Kind.TOO_LONG),
    ("inline button without action", "sendMessage",
     {"json": {"chat_id": 1001, "text": "x",
               "reply_markup": {"inline_keyboard": [[{"text": "A"}]]}}},
     400, Kind.BAD_VALUE),
    ("answerCallbackQuery text over 200", "answerCallbackQuery",
     {"data": {"callback_query_id": "1", "text": "x" * 201}}, 400, Kind.TOO_LONG),
    ("unknown BotCommandScope", "setMyCommands",
     {"json": {"commands": [], "scope": {"type": "all_users"}}}, 400, Kind.BAD_VALUE),
    ("file part nobody refers to", "sendMessage",
     {"data": {"chat_id": 1001, "text": "x"}, "files": {"extra": ("a.txt", b"a", "text/plain")}},
     400, Kind.UNKNOWN_FIELD),
    ("body that is not JSON", "sendMessage",
     {"content": b"{chat_id", "headers": {"Content-Type": "application/json"}},
     400, Kind.WRONG_TYPE),
    ("Markdown the fake cannot check", "sendMessage",
     {"data": {"chat_id": 1001, "text": "*x*", "parse_mode": "MarkdownV2"}},
     400, Kind.NOT_EMULATED),
]  # fmt: skip


@pytest.mark.parametrize(
    ("method", "request_", "status", "kind"),
    [case[1:] for case in BAD_REQUESTS],
    ids=[case[0] for case in BAD_REQUESTS],
)
def test_bad_requests_are_refused_and_recorded(fake_telegram, method, request_, status, kind):
    an = fake_telegram.user(1001, "An")
    fake_telegram.user_sends_text(an, an, "/start")
    with fake_telegram.expect_violations(kind) as seen:
        response = post(fake_telegram, method, **request_)
    assert response.status_code == status
    assert response.json()["ok"] is False
    assert {violation.problem.kind for violation in seen} == {kind}
    assert fake_telegram.calls[-1].status == status
    assert fake_telegram.sent(an) == []  # a refused request changes nothing
    assert fake_telegram.errors == []  # a refusal is a violation or an error, not both
    assert fake_telegram.problems() == []  # expected, so not held against the test


def test_accepted_request_encodings(fake_telegram):
    an = fake_telegram.user(1001, "An")
    fake_telegram.user_sends_text(an, an, "/start")
    markup = {"inline_keyboard": [[{"text": "Có", "callback_data": "bc:" + "ố" * 20}]]}
    assert post(fake_telegram, "sendMessage", json={"chat_id": 1001, "text": "json"}).is_success
    assert post(fake_telegram, "SENDMESSAGE", data={"chat_id": "1001", "text": "form"}).is_success
    query = httpx.get(
        f"{fake_telegram.base_url}{fake_telegram.token}/sendMessage",
        params={"chat_id": 1001, "text": "query", "reply_markup": json.dumps(markup)},
        trust_env=False,
    )
    assert query.is_success
    assert fake_telegram.sent_texts(an) == ["json", "form", "query"]
    assert fake_telegram.sent(an)[2].callback_data == ["bc:" + "ố" * 20]  # 63 bytes: fits


def test_wrong_token_and_unknown_path_are_refused(fake_telegram):
    with fake_telegram.expect_violations(Kind.UNAUTHORIZED):
        response = httpx.post(f"{fake_telegram.base_url}123:wrong/getMe", trust_env=False)
    assert response.status_code == 401
    with fake_telegram.expect_violations(Kind.UNKNOWN_METHOD):
        assert (
            httpx.get(fake_telegram.base_url[:-4] + "/hello", trust_env=False).status_code == 404
        )


def test_expect_violations_fails_when_nothing_was_refused(fake_telegram):
    with pytest.raises(AssertionError, match="expected a refused request"):
        with fake_telegram.expect_violations():
            assert post(fake_telegram, "getMe").is_success


def test_unexpected_violation_and_unanswered_press_are_reported():
    with FakeTelegram() as fake:
        an = fake.user(1001, "An")
        fake.user_sends_text(an, an, "/start")
        post(fake, "sendMessage", data={"chat_id": 1001})
        sent = post(fake, "sendMessage", json={"chat_id": 1001, "text": "?", "reply_markup": {
            "inline_keyboard": [[{"text": "Có", "callback_data": "yes"}]]}})  # fmt: skip
        fake.user_presses_button(an, an, sent.json()["result"]["message_id"], "yes")
        problems = fake.problems()
    assert len(problems) == 2
    assert 'sendMessage: missing required field text: field "text" is required' in problems[0]
    assert "never answered with answerCallbackQuery" in problems[1]


def test_the_fixture_fails_a_test_whose_bot_sent_a_bad_request(tmp_path):
    test_file = tmp_path / "test_buggy_bot.py"
    test_file.write_text(
        textwrap.dedent(
            """
            import httpx
            from tests.fakes.telegram_server import fake_telegram

            def test_buggy(fake_telegram):
                url = f"{fake_telegram.base_url}{fake_telegram.token}/sendMessage"
                httpx.post(url, data={"chat_id": 1, "text": "x" * 5000}, trust_env=False)
            """
        )
    )
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(test_file)],
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1, result.stdout
    assert "1 passed, 1 error" in result.stdout
    assert "message is too long (5000 characters, at most 4096)" in result.stdout


# -- Telegram's text rules ------------------------------------------------------------


def test_html_parsing_counts_utf16_and_refuses_what_telegram_refuses():
    text, entities = parse_html('😀 <b>Đơn vị</b> <a href="https://x.vn/?a=1&amp;b=2">xem</a>')
    assert text == "😀 Đơn vị xem"
    assert utf16_len(text) == 13
    assert entities == [
        {"type": "bold", "offset": 3, "length": 6},
        {"type": "text_link", "offset": 10, "length": 3, "url": "https://x.vn/?a=1&b=2"},
    ]
    assert parse_html("A &amp; B &#273; &nbsp;")[0] == "A & B đ &nbsp;"
    for bad, reason in [
        ("<div>x</div>", 'Unsupported start tag "div"'),
        ("<b>x", "Can't find end tag"),
        ("<b><i>x</b></i>", "Unmatched end tag"),
        ("x</b>", "Unexpected end tag"),
        ('<span class="other">x</span>', "tg-spoiler"),
    ]:
        with pytest.raises(EntityParseError, match=reason):
            parse_html(bad)
