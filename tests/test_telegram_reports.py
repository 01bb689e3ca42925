"""What only Telegram has: buttons pressed and marked, photos and documents kept by file
id, commands addressed to the bot by name, group privacy mode, the command menus.

Each test plays real updates from the fake Bot API server through python-telegram-bot
and the adapter; the fake fails a test whose bot sent a request Telegram would refuse
(a callback_data over 64 bytes, a text over 4096 characters, an unknown field...) or
left a button press without answerCallbackQuery.
"""

from __future__ import annotations

import json

import pytest
from sqlmodel import Session, select

from bot.core.commands import COMMANDS, Audience
from messages.help import COMMAND_TEXTS
from messages.i18n import _, language
from storage.engine import make_engine, upgrade
from storage.models import Chat, Report, Role
from tests.chat_world import NOTHING, Has, run_dialog
from tests.fakes.telegram_world import tiny_png
from tests.telegram_world import make_telegram_world


def _world(url, fake, mode="polling", admin=True):
    engine = make_engine(url)
    upgrade(engine)
    world = make_telegram_world(engine, fake, operators=("Quản trị",), mode=mode, admin=admin)
    world.invite("NV", Role.MEMBER, "NV", "cua-lo-2024")
    world.invite("PHUONG", Role.MEMBER, "UBND-PHUONG")
    world.invite("LEAD", Role.LEADER)
    world.send("An", "private", "/dangky {NV}")
    return world


@pytest.fixture
def world(sqlite_url, fake_telegram):
    world = _world(sqlite_url, fake_telegram)
    yield world
    world.harness.stop()
    world.engine.dispose()


@pytest.fixture
def webhook_world(sqlite_url, fake_telegram):
    world = _world(sqlite_url, fake_telegram, mode="webhook")
    yield world
    world.harness.stop()
    world.engine.dispose()


def reports(world) -> list[Report]:
    with Session(world.engine) as session:
        return list(session.exec(select(Report).order_by(Report.id)))


def test_guided_report_with_buttons_a_photo_and_a_document(world):
    fake, an = world.fake, world.person("An")
    (question,) = world.send("An", "private", "/baocao")
    assert question.text.startswith("Báo cáo nhiệm vụ nào?")
    t3 = next(c for c in question.choices if c.label.startswith("T3 · "))
    assert all(len(f"c:{c.value}".encode()) <= 64 for c in question.choices)
    assert [len(row) for row in question.message.buttons] == [1] * len(question.choices)

    (status,) = world.send("An", "private", "", choice=t3.value)
    # The pressed button was acknowledged, and its keyboard replaced by the choice.
    press = fake.calls_to("answerCallbackQuery")[-1]
    assert press.status == 200
    asked = fake.sent(an)[-2]
    assert asked.message_id == question.message.message_id and asked.reply_markup is None
    assert asked.text.endswith(f"\n\n→ Đã chọn: {t3.label}")
    assert status.text.startswith("T3. Tổ chức tập huấn")
    assert [c.label for c in status.choices] == [
        "chưa bắt đầu", "đang thực hiện", "hoàn thành", "vướng mắc"
    ]  # fmt: skip
    assert [len(row) for row in status.message.buttons] == [2, 2]  # short labels pair up

    (percent,) = world.send("An", "private", "", choice="s.in_progress")
    assert percent.text.startswith("Được bao nhiêu phần trăm?")
    world.send("An", "private", "60%")
    (evidence,) = world.send("An", "private", "đã mời giảng viên")
    assert evidence.text.startswith("Gửi ảnh hoặc tệp minh chứng nếu có.")
    assert [c.label for c in evidence.choices] == ["Xong"]

    photo_update = fake.user_sends_photo(an, an, tiny_png(4, 3), width=1600, height=1200)
    world.harness.wait_handled(photo_update)
    assert fake.sent_texts(an)[-1] == (
        "Đã nhận 1 tệp minh chứng. Gửi thêm, hoặc gõ xong để ghi báo cáo."
    )
    document_update = fake.user_sends_document(an, an, b"%PDF-1.4\n", "danh-sach-lop.pdf")
    world.harness.wait_handled(document_update)
    (saved,) = world.send("An", "private", "", choice="done")
    assert "Tình trạng: đang thực hiện 60%" in saved.text and "Minh chứng: 2 tệp" in saved.text

    (report,) = reports(world)
    largest = max(photo_update["message"]["photo"], key=lambda size: size["width"])
    document = document_update["message"]["document"]
    assert json.loads(report.evidence) == [
        {"kind": "photo", "file_id": largest["file_id"], "name": None},
        {"kind": "file", "file_id": document["file_id"], "name": "danh-sach-lop.pdf"},
    ]
    assert (report.source_chat_id, report.platform) == (str(an.id), "telegram")
    # The evidence can be fetched back from Telegram by its file id.
    assert fake.world.files[largest["file_id"]].content == tiny_png(4, 3)


def test_guided_report_in_a_unit_group_by_webhook(webhook_world):
    world = webhook_world
    world.send("Bình", "Phường", "/dangky {PHUONG}")
    (first,) = world.send("Bình", "Phường", "/baocao")
    t4 = next(c for c in first.choices if c.label.startswith("T4"))
    # In a group the first reply quotes the command it answers.
    assert first.message.json["reply_to_message"]["text"] == "/baocao"
    world.send("Bình", "Phường", "", choice=t4.value)
    (note,) = world.send("Bình", "Phường", "", choice="s.done")
    assert note.text == "Ghi chú ngắn về tiến độ (tối đa 1000 ký tự), hoặc gõ bỏ qua."
    # A photo with a caption at the note step: the caption is the note, the photo kept.
    world.send("Bình", "Phường", "đã treo băng rôn", attachments=(photo_attachment(),))
    (finish,) = world.send("Bình", "Phường", "", choice="done")
    assert "Minh chứng: 1 tệp" in finish.text and "Tình trạng: hoàn thành" in finish.text
    (report,) = reports(world)
    group = world.groups["Phường"]
    assert (report.note, report.percent, report.source_chat_id) == (
        "đã treo băng rôn",
        100,
        str(group.id),
    )
    # Every update was posted to the web server and acknowledged with 200.
    deliveries = world.fake.updates.deliveries
    assert deliveries and {d.status for d in deliveries} == {200}
    assert all(d.secret_sent for d in deliveries)


def photo_attachment():
    from bot.core.types import Attachment, AttachmentKind

    return Attachment(AttachmentKind.PHOTO, "-", None)


def test_a_pressed_button_delivered_twice_is_answered_once(world):
    fake, an = world.fake, world.person("An")
    world.send("An", "private", "/baocao T3")
    press = world.press(an, an, "s.done")
    assert world.harness.wait_handled(press).what == "button"
    count = len(fake.sent(an))
    fake.repeat_update(press["update_id"])
    assert world.harness.wait_handled(press, times=2).what == "repeated"
    assert len(fake.sent(an)) == count
    assert len(fake.calls_to("answerCallbackQuery")) == 1


def test_group_privacy_mode_commands_by_name(sqlite_url, fake_telegram):
    world = _world(sqlite_url, fake_telegram, admin=False)
    fake = world.fake
    try:
        bot_name = fake.bot.username
        run_dialog(
            world,
            [
                ("Chi", "Lãnh đạo", "/dangky {LEAD}", Has("Đã đăng ký nhóm này là nhóm lãnh đạo")),
                ("Chi", "Lãnh đạo", f"/tonghop@{bot_name}", Has("TỔNG HỢP TIẾN ĐỘ")),
                ("Chi", "Lãnh đạo", f"/quahan@{bot_name.upper()} cua-lo-2024", Has("QUÁ HẠN")),
                # Meant for another bot, or people talking: Telegram does not deliver it.
                ("Chi", "Lãnh đạo", "/tonghop@BaoCaoKhacBot", NOTHING),
                ("Chi", "Lãnh đạo", "tổng hợp giúp tôi", NOTHING),
            ],
        )
        # The greeting said how to let the bot read notes and photos in the group.
        greeting = fake.sent(world.groups["Lãnh đạo"])[:2]
        assert greeting[0].text.startswith("Chào cả nhóm. Tôi là bot Nhắc việc.")
        assert greeting[1].text.startswith("Lưu ý: trong nhóm, tôi chỉ đọc được các lệnh")
        # A reply to the bot's message reaches it even so.
        group, chi = world.groups["Lãnh đạo"], world.person("Chi")
        last = fake.sent(group)[-1]
        update = fake.user_sends_text(group, chi, "/chuabaocao", reply_to=last.message_id)
        world.harness.wait_handled(update)
        assert fake.sent(group)[-1].text.startswith("CHƯA BÁO CÁO")
    finally:
        world.harness.stop()
        world.engine.dispose()


def test_a_command_for_another_bot_is_ignored_when_the_bot_reads_everything(world):
    run_dialog(
        world,
        [
            ("Chi", "Lãnh đạo", "/dangky {LEAD}", Has("nhóm lãnh đạo")),
            ("Chi", "Lãnh đạo", "/tonghop@BaoCaoKhacBot", NOTHING),
            ("Chi", "Lãnh đạo", f"/tonghop@{world.fake.bot.username}", Has("TỔNG HỢP")),
        ],
    )
    with Session(world.engine) as session:
        group = session.exec(select(Chat).where(Chat.purpose == "leadership")).one()
    assert group.chat_id == str(world.groups["Lãnh đạo"].id)


def test_command_menus_in_vietnamese_and_english(world):
    fake = world.fake
    shown = [c for c in COMMANDS if c.audience != Audience.OPERATOR]
    vietnamese = fake.commands()
    english = fake.commands(language_code="en")
    assert [c["command"] for c in vietnamese] == [c.name for c in shown]
    assert [c["command"] for c in english] == [c.name for c in shown]
    assert vietnamese[0]["description"] == COMMAND_TEXTS["start"].summary
    with language("en"):
        assert [c["description"] for c in english] == [_(c.description) for c in shown]
    assert english[5]["description"] != vietnamese[5]["description"]
    assert "mamoi" not in {c["command"] for c in vietnamese}  # operators only
