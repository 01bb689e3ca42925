"""The Zalo adapter end to end: the fake Zalo server, the real client, the chat core.

People here have Zalo's own ids (20 hex characters). What is checked: choices typed as
numbers, a photo kept as evidence, stickers and withheld content answered politely,
forged webhook calls refused with nothing stored, an update handled once however often
it comes (also after a restart), bad payloads and API failures survived, long replies
split, and files offered the way Zalo allows.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import httpx
import pytest
from sqlmodel import Session, func, select

from bot.core.bot import ChatCore
from bot.core.registration import issue_invite
from bot.core.settings import CoreSettings
from bot.core.types import ChatKind, FileKind, IncomingMessage, OutgoingFile, Reply
from bot.zalo import SECRET_HEADER, ZaloAuthenticationError
from scheduler.clock import SimulatedClock
from scheduler.planfile import read_plan_file
from scheduler.planload import load_plan
from storage.engine import make_engine, session_scope, upgrade
from storage.models import AuditLog, Member, Report, Role, SeenUpdate
from storage.store import SqlStore
from tests.chat_world import START
from tests.conftest import PLANS
from tests.fakes.zalo_server import FakeZaloServer, SentMessage, new_id
from tests.zalo_world import SECRET, RunningBot

AN, BINH, CHI = new_id(), new_id(), new_id()  # officers: in a private chat, chat id = user id
OPERATOR = new_id()
WARD_GROUP, LEADERS = new_id(), new_id()


@dataclass
class Setup:
    """A database with the Cửa Lò plan, the chat core, and the bot on the fake Zalo."""

    engine: object
    clock: SimulatedClock
    core: ChatCore
    fake: FakeZaloServer
    bot: RunningBot
    codes: dict[str, str] = field(default_factory=dict)

    def invite(self, role: Role, unit: str | None = None) -> str:
        issued = issue_invite(
            self.core.store, self.clock.now(), self.core.settings.invite_ttl, role, unit
        )
        return issued.invite.code

    def through(self, chat_id: str, deliver) -> list[SentMessage]:
        """Run ``deliver`` (a user acting on the fake) and return what the bot sent to
        ``chat_id`` in answer, once the bot is done with it."""
        mark, sent = self.bot.mark(), len(self.fake.outbox)
        deliver()
        self.bot.wait_handled(mark)
        return [m for m in self.fake.outbox[sent:] if m.chat_id == chat_id]

    def say(self, user: str, name: str, text: str, chat: str | None = None) -> list[str]:
        chat_id = chat or user
        chat_type = "PRIVATE" if chat_id == user else "GROUP"
        sent = self.through(
            chat_id, lambda: self.fake.user_sends_text(chat_id, user, name, text, chat_type)
        )
        return [m.text or "" for m in sent]

    def count(self, model) -> int:
        with Session(self.engine) as session:
            return session.exec(select(func.count()).select_from(model)).one()

    def restart(self, mode: str = "polling") -> None:
        """Another bot process on the same database (and the same Zalo bot)."""
        self.bot.stop()
        self.bot = RunningBot(self.fake, self.core, self.engine, self.clock, mode)


def make_setup(url: str, fake: FakeZaloServer, mode: str = "polling", **settings) -> Setup:
    engine = make_engine(url)
    upgrade(engine)
    clock = SimulatedClock(START)
    with session_scope(engine) as session:
        load_plan(session, read_plan_file(PLANS / "cua-lo-2024.toml"), clock.now())
    store = SqlStore(engine)
    core = ChatCore(store, clock, CoreSettings(operators={"zalo": frozenset({OPERATOR})}))
    bot = RunningBot(fake, core, engine, clock, mode, (OPERATOR,), **settings)
    return Setup(engine, clock, core, fake, bot)


@pytest.fixture
def zalo(sqlite_url, fake_zalo):
    setup = make_setup(sqlite_url, fake_zalo)
    yield setup
    setup.bot.stop()
    setup.engine.dispose()


@pytest.fixture
def zalo_webhook(sqlite_url, fake_zalo):
    setup = make_setup(sqlite_url, fake_zalo, "webhook")
    yield setup
    setup.bot.stop()
    setup.engine.dispose()


def test_a_guided_report_with_numbered_choices_and_a_photo_as_evidence(zalo):
    code = zalo.invite(Role.MEMBER, "NV")
    assert zalo.say(AN, "An", f"/dangky {code}")[0].startswith("Đã đăng ký: anh/chị An")
    (question,) = zalo.say(AN, "An", "báo cáo")  # plain words work on Zalo too
    lines = question.splitlines()
    assert lines[:2] == [
        "Báo cáo nhiệm vụ nào? Các nhiệm vụ đang đến hạn ở trên cùng.",
        "Chọn một mục (gõ số thứ tự), hoặc gõ /huy để hủy.",
    ]
    assert lines[2].startswith("1. T2 · ") and lines[3].startswith("2. T3 · ")
    (status,) = zalo.say(AN, "An", "2")
    assert status.endswith("1. chưa bắt đầu\n2. đang thực hiện\n3. hoàn thành\n4. vướng mắc")
    assert "Được bao nhiêu phần trăm?" in zalo.say(AN, "An", "2")[0]
    assert "Ghi chú ngắn" in zalo.say(AN, "An", "60%")[0]
    assert "Gửi ảnh hoặc tệp minh chứng" in zalo.say(AN, "An", "đã tập huấn 2 lớp")[0]
    photo = "https://photo-talk.zdn.vn/4f1c9a/lop-tap-huan.jpg"
    sent = zalo.through(AN, lambda: zalo.fake.user_sends_image(AN, AN, "An", photo_url=photo))
    assert [m.text for m in sent] == [
        "Đã nhận 1 tệp minh chứng. Gửi thêm, hoặc gõ xong để ghi báo cáo."
    ]
    (done,) = zalo.say(AN, "An", "xong")
    assert "Tình trạng: đang thực hiện 60%\nGhi chú: đã tập huấn 2 lớp\nMinh chứng: 1 tệp" in done
    with Session(zalo.engine) as session:
        report = session.exec(select(Report)).one()
    assert (report.platform, report.source_chat_id, report.percent) == ("zalo", AN, 60)
    assert json.loads(report.evidence) == [
        {"kind": "photo", "file_id": photo, "name": "lop-tap-huan.jpg"}
    ]
    assert all(m.parse_mode is None for m in zalo.fake.outbox)  # plain text, always


def test_a_photo_with_a_caption_in_a_unit_group_is_the_note_and_the_evidence(zalo):
    code = zalo.invite(Role.MEMBER, "UBND-PHUONG")
    zalo.say(BINH, "Bình", f"/dangky {code}", chat=WARD_GROUP)
    zalo.say(BINH, "Bình", "/baocao T4 hoàn thành", chat=WARD_GROUP)
    assert zalo.count(Report) == 1
    zalo.say(BINH, "Bình", "/baocao T1", chat=WARD_GROUP)
    zalo.say(BINH, "Bình", "3", chat=WARD_GROUP)  # hoàn thành: then the note
    sent = zalo.through(
        WARD_GROUP,
        lambda: zalo.fake.user_sends_image(
            WARD_GROUP, BINH, "Bình", caption="đã ban hành", chat_type="GROUP"
        ),
    )
    assert [m.text for m in sent] == [
        "Gửi ảnh hoặc tệp minh chứng nếu có. Gửi xong thì gõ xong; không có thì gõ bỏ qua.\n"
        "Chọn một mục (gõ số thứ tự), hoặc gõ /huy để hủy.\n"
        "1. Xong"
    ]
    assert "Minh chứng: 1 tệp" in zalo.say(BINH, "Bình", "xong", chat=WARD_GROUP)[0]
    with Session(zalo.engine) as session:
        report = session.exec(select(Report).where(Report.id == 2)).one()
    assert report.note == "đã ban hành" and report.source_chat_id == WARD_GROUP


@pytest.mark.parametrize(
    ("act", "answer"),
    [
        ("user_sends_sticker", "Tôi chỉ đọc được tin nhắn chữ và ảnh. Gõ /giup để xem các lệnh."),
        ("user_sends_voice", "Tôi chưa nghe được tin nhắn thoại."),
        ("user_sends_unsupported", "Zalo không chuyển nội dung này cho bot."),
    ],
)
def test_what_the_bot_cannot_read_gets_a_polite_answer_in_private_and_none_in_groups(
    zalo, act, answer
):
    sent = zalo.through(AN, lambda: getattr(zalo.fake, act)(AN, AN, "An"))
    assert len(sent) == 1 and sent[0].text.startswith(answer)
    in_group = zalo.through(
        WARD_GROUP, lambda: getattr(zalo.fake, act)(WARD_GROUP, BINH, "Bình", chat_type="GROUP")
    )
    assert in_group == []
    assert zalo.count(Report) == zalo.count(Member) == 0
    assert zalo.say(AN, "An", "/giup")[0].startswith("Các lệnh của bot Nhắc việc:")  # still up


def test_the_polite_answer_speaks_the_chats_language(zalo):
    zalo.say(AN, "An", "/ngonngu en")
    sent = zalo.through(AN, lambda: zalo.fake.user_sends_sticker(AN, AN, "An"))
    assert (
        sent[0].text == "I can only read text messages and photos. Type /help to see the commands."
    )


def test_odd_payloads_do_not_stop_the_polling_loop(zalo):
    mark = zalo.bot.mark()
    zalo.fake.push_update({"event_name": "message.text.received"})  # no message at all
    zalo.fake.push_update([1, 2, 3])  # not an update
    zalo.fake.push_update({"event_name": "user.follow", "message": {"from": {"id": AN}}})
    bot_itself = {
        "event_name": "message.text.received",
        "message": {
            "from": {"id": new_id(), "is_bot": True},
            "chat": {"id": AN, "chat_type": "PRIVATE"},
            "text": "/giup",
            "message_id": new_id(),
        },
    }
    zalo.fake.push_update(bot_itself)
    zalo.bot.wait_handled(mark + 3)
    assert zalo.say(AN, "An", "/start")[0].startswith("Chào anh/chị An.")
    assert zalo.fake.texts(AN) == [zalo.fake.texts(AN)[-1]]  # only the answer to /start


def test_an_update_delivered_again_is_handled_once_also_after_a_restart(zalo):
    code = zalo.invite(Role.MEMBER, "NV")
    zalo.say(AN, "An", f"/dangky {code}")
    zalo.fake.redeliver_all = True  # every update comes back once, as measured on Zalo
    mark = zalo.bot.mark()
    first = zalo.say(AN, "An", "/baocao T3 50% đã lắp 2 pano")
    zalo.bot.wait_handled(mark + 1)  # the copy came too, and was taken
    zalo.fake.redeliver_all = False
    assert len(first) == 1 and first[0].startswith("Đã ghi báo cáo nhiệm vụ T3")
    assert len(zalo.fake.texts(AN)) == 2  # the registration and one confirmation

    zalo.restart()  # a new process knows the update from the database
    assert zalo.through(AN, zalo.fake.redeliver) == []
    assert zalo.count(Report) == 1 and len(zalo.fake.texts(AN)) == 2
    assert zalo.say(AN, "An", "/baocao T3 60%")[0].startswith("Đã ghi báo cáo")  # new ones go


def test_polling_goes_on_after_api_failures(zalo):
    zalo.fake.fail_next("getUpdates", error_code=502, description="Bad Gateway")
    zalo.fake.fail_next("getUpdates", error_code=504, raw_body="<html>Gateway Timeout</html>")
    assert zalo.say(AN, "An", "/start")[0].startswith("Chào anh/chị An.")
    statuses = [call.status for call in zalo.fake.calls_of("getUpdates")]
    # The poll under way when the failures were set may still end as an empty 200.
    assert [s for s in statuses if s != 200][:2] == [502, 504]
    assert statuses[-1] is None  # polling again, waiting


def test_a_reply_is_tried_again_after_a_passing_failure_and_given_up_otherwise(zalo):
    zalo.fake.fail_next("sendMessage", error_code=500)
    assert zalo.say(AN, "An", "/start")[0].startswith("Chào anh/chị An.")
    zalo.fake.fail_next("sendMessage", error_code=400, description="Bad Request: Chat not found")
    assert zalo.say(AN, "An", "/start") == []  # refused for good: logged, not retried
    assert len(zalo.fake.calls_of("sendMessage")) == 3
    assert zalo.say(AN, "An", "/giup")[0].startswith("Các lệnh")


def test_the_summary_reaches_zalo_whole_in_one_message(sqlite_url, fake_zalo):
    """The summary is bounded (at most 25 lines) so that it fits Zalo's 2,000 characters;
    cutting longer texts at line ends is ``messages.split``'s (tests/test_split.py)."""
    zalo = make_setup(sqlite_url, fake_zalo)
    with session_scope(zalo.engine) as session:
        load_plan(session, read_plan_file(PLANS / "long-ho-2022.toml"), zalo.clock.now())
    code = zalo.invite(Role.LEADER)
    zalo.say(CHI, "Chi", f"/dangky {code}", chat=LEADERS)
    parts = zalo.say(CHI, "Chi", "/tonghop long-ho-2022", chat=LEADERS)
    zalo.bot.stop()
    assert len(parts) == 1 and parts[0].startswith("TỔNG HỢP TIẾN ĐỘ")
    assert len(parts[0].encode("utf-16-le")) // 2 <= 2000
    # Nothing lost, nothing repeated: the same summary straight from the core, line by line.
    asked = IncomingMessage(
        "zalo", LEADERS, ChatKind.GROUP, CHI, "Chi", "/tonghop long-ho-2022", "again"
    )
    replies = zalo.core.handle(asked)
    assert [line for p in parts for line in p.split("\n") if line] == [
        line for r in replies for line in r.text.split("\n") if line
    ]
    zalo.engine.dispose()


# --- the webhook ------------------------------------------------------------------------


def _update(text: str, user: str = AN) -> dict:
    return {
        "event_name": "message.text.received",
        "message": {
            "from": {"id": user, "display_name": "An", "is_bot": False},
            "chat": {"id": user, "chat_type": "PRIVATE"},
            "text": text,
            "message_id": new_id(),
            "date": 1709604000000,
        },
    }


def test_a_forged_webhook_call_changes_nothing(zalo_webhook):
    hook = zalo_webhook.bot.url + "/zalo/hook"
    code = zalo_webhook.invite(Role.MEMBER, "NV")
    forged = _update(f"/dangky {code}")
    zalo_webhook.fake.add_chat(AN)
    audit_before = zalo_webhook.count(AuditLog)
    with httpx.Client() as http:
        for headers in ({}, {SECRET_HEADER: "doan-mo-bi-mat"}, {SECRET_HEADER: SECRET[:-1]}):
            answer = http.post(hook, json=forged, headers=headers)
            assert answer.status_code == 403
        assert http.get(hook).status_code == 405
    assert zalo_webhook.fake.outbox == []
    assert zalo_webhook.count(SeenUpdate) == zalo_webhook.count(Member) == 0
    assert zalo_webhook.count(AuditLog) == audit_before
    # The same update with the secret is handled (and only once).
    with httpx.Client() as http:
        for _ in range(2):
            answer = http.post(hook, json=forged, headers={SECRET_HEADER: SECRET})
            assert answer.status_code == 200
    assert zalo_webhook.count(Member) == 1 and len(zalo_webhook.fake.texts(AN)) == 1


def test_webhook_bodies_bare_or_wrapped_and_redelivered(zalo_webhook):
    zalo = zalo_webhook
    assert zalo.fake.webhook_url.endswith("/zalo/hook")  # set by the bot at start
    assert zalo.say(AN, "An", "/start")[0].startswith("Chào anh/chị An.")
    zalo.fake.webhook_body_wrapped = True  # {"ok": true, "result": update}
    assert zalo.say(AN, "An", "/giup")[0].startswith("Các lệnh")
    update = _update("/start")
    zalo.fake.add_chat(AN)
    zalo.through(AN, lambda: zalo.fake.push_update(update))
    assert zalo.through(AN, lambda: zalo.fake.push_update(update)) == []  # Zalo sent it again
    assert [d.status for d in zalo.fake.webhook_deliveries] == [200] * 4
    with httpx.Client() as http:
        hook, secret = zalo.bot.url + "/zalo/hook", {SECRET_HEADER: SECRET}
        assert http.post(hook, content=b"not json", headers=secret).status_code == 200
        assert http.post(hook, json=[1, 2], headers=secret).status_code == 200
        assert http.post(hook, content=b"x" * 2_000_000, headers=secret).status_code == 413


# --- files and the start --------------------------------------------------------------


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_files_cannot_be_uploaded_so_the_bot_says_where_they_are(zalo):
    zalo.fake.add_chat(AN)
    excel = OutgoingFile("Tổng hợp tiến độ.xlsx", b"PK...", XLSX)
    zalo.bot.do(
        zalo.bot.service.adapter.send_reply(Reply("zalo", AN, "Bảng tổng hợp:", file=excel))
    )
    assert zalo.fake.texts(AN) == [
        "Bảng tổng hợp:\n\nZalo không cho bot gửi tệp nên tệp Tổng hợp tiến độ.xlsx chưa gửi "
        "được ở đây. Anh/chị nhờ quản trị viên gửi tệp này, hoặc nhận trên Telegram nếu đã "
        "đăng ký ở đó."
    ]


def test_without_a_public_address_a_chart_is_left_out(zalo):
    zalo.fake.add_chat(AN)
    chart = OutgoingFile("Biểu đồ.png", b"\x89PNG-chart", "image/png", FileKind.PHOTO)
    adapter = zalo.bot.service.adapter
    zalo.bot.do(adapter.send_reply(Reply("zalo", AN, "Tổng hợp tiến độ: ...")))
    zalo.bot.do(adapter.send_reply(Reply("zalo", AN, "Biểu đồ tiến độ", file=chart)))
    assert zalo.fake.texts(AN) == ["Tổng hợp tiến độ: ..."]


def test_with_a_public_address_files_go_as_a_photo_or_a_link(sqlite_url, fake_zalo, tmp_path):
    zalo = make_setup(
        sqlite_url,
        fake_zalo,
        public_files_url="http://127.0.0.1:0/tep",  # the port is set once serving
        files_dir=str(tmp_path / "tep"),
    )
    zalo.fake.add_chat(AN)
    adapter = zalo.bot.service.adapter
    chart = OutgoingFile("Biểu đồ.png", b"\x89PNG-chart", "image/png", FileKind.PHOTO)
    excel = OutgoingFile("Tổng hợp.xlsx", b"PK-excel", XLSX)
    zalo.bot.do(adapter.send_reply(Reply("zalo", AN, "Biểu đồ tiến độ", file=chart)))
    zalo.bot.do(adapter.send_reply(Reply("zalo", AN, "", file=excel)))
    sender = zalo.bot.service.sender  # a scheduled summary's chart goes the same way
    zalo.bot.do(sender.send_photo("zalo", AN, b"\x89PNG-week", "tien-do.png", "Tuần 10"))
    photo, link, chart = zalo.fake.sent(AN)
    assert (chart.kind, chart.text) == ("photo", "Tuần 10")
    assert photo.kind == "photo" and photo.text == "Biểu đồ tiến độ"
    assert photo.photo_url.startswith(zalo.bot.url + "/tep/") and photo.photo_url.endswith(
        "/Bieu-do.png"
    )
    assert link.text.startswith("Tải tệp Tổng hợp.xlsx: " + zalo.bot.url + "/tep/")
    assert link.text.endswith("(liên kết dùng được 7 ngày).")
    excel_url = link.text.split(": ", 1)[1].split(" ")[0]
    with httpx.Client() as http:
        assert http.get(photo.photo_url).content == b"\x89PNG-chart"
        assert http.get(chart.photo_url).content == b"\x89PNG-week"
        got = http.get(excel_url)
        assert (got.status_code, got.content) == (200, b"PK-excel")
        assert got.headers["content-type"] == XLSX
        assert http.get(excel_url.replace("/Tong-hop.xlsx", "/../x")).status_code == 404
        assert http.get(zalo.bot.url + "/tep/20240305-guessed/Tong-hop.xlsx").status_code == 404
    zalo.bot.stop()
    zalo.engine.dispose()


async def test_a_refused_token_stops_the_start(sqlite_url, fake_zalo):
    from bot.config import ZaloConfig
    from bot.zalo.service import ZaloService

    engine = make_engine(sqlite_url)
    upgrade(engine)
    clock = SimulatedClock(START)
    settings = ZaloConfig(
        enabled=True, token="123:not-the-token", api_base_url=fake_zalo.api_base_url
    )
    service = ZaloService(settings, ChatCore(SqlStore(engine), clock), engine, clock)
    with pytest.raises(ZaloAuthenticationError) as refused:
        await service.start()
    await service.stop()
    assert "not-the-token" not in str(refused.value)
    engine.dispose()


async def test_polling_deletes_the_webhook_first_and_stops_on_an_event_or_a_cancel(
    sqlite_url, fake_zalo
):
    import asyncio

    from bot.config import ZaloConfig
    from bot.zalo.service import ZaloService

    engine = make_engine(sqlite_url)
    upgrade(engine)
    clock = SimulatedClock(START)
    fake_zalo.webhook_url = "https://bot.example.gov.vn/zalo"  # left by an earlier webhook run
    settings = ZaloConfig(enabled=True, token=fake_zalo.token, api_base_url=fake_zalo.api_base_url)
    service = ZaloService(settings, ChatCore(SqlStore(engine), clock), engine, clock)
    assert service.poller is not None

    def polling() -> bool:
        return any(call.status is None for call in fake_zalo.calls_of("getUpdates"))

    stop = asyncio.Event()
    task = asyncio.create_task(service.poller.run(stop))
    await fake_zalo.wait_until(polling)
    assert [call.method for call in fake_zalo.calls][:2] == ["deleteWebhook", "getUpdates"]
    assert fake_zalo.webhook_url == ""
    # An update on its way when the stop comes: Zalo has handed it over, so it is handled.
    fake_zalo.slow_down("getUpdates", 0.3)  # the next poll's answer
    await fake_zalo.wait_until(lambda: len(fake_zalo.calls_of("getUpdates")) == 2)
    fake_zalo.user_sends_text(AN, AN, "An", "/start")
    stop.set()
    await asyncio.wait_for(task, 5)
    assert fake_zalo.texts(AN)[0].startswith("Chào anh/chị An.")
    assert len(fake_zalo.calls_of("getUpdates")) == 2

    task = asyncio.create_task(service.poller.run())
    await fake_zalo.wait_until(lambda: len(fake_zalo.calls_of("deleteWebhook")) == 2)
    await fake_zalo.wait_until(polling)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    await service.stop()
    engine.dispose()


def test_a_database_failure_is_answered_503_so_zalo_may_deliver_again(zalo_webhook):
    from sqlalchemy import text

    zalo = zalo_webhook
    zalo.fake.add_chat(AN)
    with zalo.engine.begin() as connection:
        connection.execute(text("ALTER TABLE seenupdate RENAME TO seenupdate_away"))
    update = _update("/start")
    assert zalo.through(AN, lambda: zalo.fake.push_update(update)) == []
    assert zalo.fake.webhook_deliveries[-1].status == 503
    with zalo.engine.begin() as connection:
        connection.execute(text("ALTER TABLE seenupdate_away RENAME TO seenupdate"))
    sent = zalo.through(AN, lambda: zalo.fake.push_update(update))  # delivered again: handled
    assert sent[0].text.startswith("Chào anh/chị An.")
