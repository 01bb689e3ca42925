"""Importing a plan in chat, on Telegram: the operator sends the plan's Word file to the
bot in a private chat, reads the timetable, corrects a task by its number, confirms with
/xacnhan; the plan is then followed like any other (a unit's /nhiemvu lists its tasks).

Played through python-telegram-bot and the adapter against the fake Bot API server,
which serves getFile and the file download as Telegram does.
"""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from bot.core.types import ChatKind, IncomingMessage
from storage.engine import make_engine, upgrade
from storage.models import Plan, Role
from tests.plan_documents import WordTable, scanned_pdf, word
from tests.telegram_world import make_telegram_world

PLAN_DOCX = word(
    "ỦY BAN NHÂN DÂN THỊ XÃ HÒA BÌNH",
    "Số: 12/KH-UBND",
    "Hòa Bình, ngày 10 tháng 01 năm 2024",
    "KẾ HOẠCH",
    "Cải cách hành chính năm 2024 của thị xã Hòa Bình",
    "PHỤ LỤC",
    WordTable(
        rows=[
            ["Stt", "Nội dung", "Cơ quan chủ trì", "Thời gian thực hiện"],
            ["1", "Rà soát thủ tục hành chính", "Phòng Tư pháp thị xã", "Quý I/2024"],
            ["2", "Kiểm tra công tác cải cách hành chính", "", "Quý IV/2024"],
            ["3", "Tập huấn kỹ năng số", "Phòng Nội vụ thị xã", "tùy tình hình kinh phí"],
        ]
    ),
)


@pytest.fixture
def world(sqlite_url, fake_telegram):
    engine = make_engine(sqlite_url)
    upgrade(engine)
    world = make_telegram_world(engine, fake_telegram, operators=("Quản trị",))
    yield world
    world.harness.stop()
    world.engine.dispose()


def send_document(world, sender: str, content: bytes, name: str) -> list[str]:
    user = world.person(sender)
    before = len(world.fake.sent(user))
    world.harness.wait_handled(world.fake.user_sends_document(user, user, content, name))
    return world.fake.sent_texts(user)[before:]


def say(world, sender: str, text: str) -> str:
    replies = world.send(sender, "private", text)
    return "\n".join(reply.text for reply in replies)


def plan_codes(world) -> list[str]:
    with Session(world.engine) as session:
        return [plan.code for plan in session.exec(select(Plan))]


def test_import_review_correct_confirm_and_follow(world):
    [review] = send_document(world, "Quản trị", PLAN_DOCX, "ke-hoach-hoa-binh.docx")
    assert review.startswith(
        "Tôi đã đọc ke-hoach-hoa-binh.docx.\n"
        "Kế hoạch: Kế hoạch cải cách hành chính năm 2024 của thị xã Hòa Bình"
    )
    assert "Văn bản: Kế hoạch số 12/KH-UBND ngày 10/01/2024" in review
    assert (
        "1. [T1] Rà soát thủ tục hành chính\n"
        "   Chủ trì: Phòng Tư pháp thị xã · Quý I/2024 · hạn 31/03/2024"
    ) in review
    assert (
        "2. [T2] Kiểm tra công tác cải cách hành chính\n"
        "   Chủ trì: Ủy ban nhân dân thị xã Hòa Bình · Quý IV/2024 · hạn 31/12/2024"
    ) in review
    assert "Cần anh/chị kiểm tra (2 dòng):" in review
    assert (
        "Phụ lục, dòng 3: “Tập huấn kỹ năng số” — chưa đọc được thời gian "
        '"tùy tình hình kinh phí"; tạm ghi "Trong năm 2024", hãy sửa'
    ) in review
    assert "Gửi /xacnhan để nạp kế hoạch, /huy để bỏ." in review

    assert say(world, "Quản trị", "2 chủ trì: Phòng Nội vụ") == (
        "Đã sửa nhiệm vụ 2 [T2]: chủ trì Phòng Nội vụ thị xã · Quý IV/2024 · hạn 31/12/2024.\n"
        "Gửi /xacnhan để nạp, /huy để bỏ."
    )
    assert say(world, "Quản trị", "3 thời gian: tùy lúc rảnh").startswith(
        "Chưa đọc được mốc thời gian “tùy lúc rảnh”."
    )
    assert say(world, "Quản trị", "3 thời gian: Quý II/2024").startswith(
        "Đã sửa nhiệm vụ 3 [T3]: chủ trì Phòng Nội vụ thị xã · Quý II/2024 · hạn 30/06/2024."
    )
    assert say(world, "Quản trị", "9 chủ trì: Phòng Nội vụ") == (
        "Không có nhiệm vụ số 9; bản nháp có 3 nhiệm vụ."
    )
    assert plan_codes(world) == ["cua-lo-2024"]  # nothing loaded before /xacnhan
    assert say(world, "Quản trị", "/xacnhan") == (
        "Đã nạp kế hoạch hoa-binh-2024: 3 nhiệm vụ, 2 đơn vị. Bot sẽ nhắc hạn như mọi kế hoạch "
        "khác; tạo mã mời cho các đơn vị bằng nhacviec invite."
    )
    assert plan_codes(world) == ["cua-lo-2024", "hoa-binh-2024"]
    assert say(world, "Quản trị", "/xacnhan").startswith(
        "Không có kế hoạch nào đang chờ xác nhận."
    )

    world.invite("NV", Role.MEMBER, "PNV", "hoa-binh-2024")
    say(world, "Bình", "/dangky {NV}")
    tasks = say(world, "Bình", "/nhiemvu")
    assert "Kiểm tra công tác cải cách hành chính" in tasks
    assert "Tập huấn kỹ năng số" in tasks
    assert "Rà soát thủ tục hành chính" not in tasks  # Phòng Tư pháp's, not Nội vụ's


def test_huy_drops_the_draft_and_nothing_is_loaded(world):
    send_document(world, "Quản trị", PLAN_DOCX, "ke-hoach.docx")
    assert say(world, "Quản trị", "/huy") == "Đã hủy, không có gì được lưu."
    assert say(world, "Quản trị", "/xacnhan").startswith("Không có kế hoạch nào")
    assert plan_codes(world) == ["cua-lo-2024"]


def test_an_unreadable_document_is_refused_with_its_reason(world):
    [reply] = send_document(world, "Quản trị", scanned_pdf(), "ban-quet.pdf")
    assert reply.startswith("Tệp ban-quet.pdf là PDF không có lớp chữ (bản quét hay ảnh chụp)")
    assert reply.endswith("Chưa nạp gì.")
    [reply] = send_document(world, "Quản trị", b"", "rong.txt")
    assert "trống" in reply
    assert plan_codes(world) == ["cua-lo-2024"]


def test_a_document_over_telegrams_download_limit_is_sent_to_the_command_line(world):
    # 25 MB: under the importer's 50 MB cap, over the 20 MB the Bot API lets a bot fetch
    # (the fake server's getFile refuses it as Telegram does), so no resending helps.
    big = b"PK\x03\x04" + bytes(25 * 1024 * 1024)
    [reply] = send_document(world, "Quản trị", big, "ke-hoach-kem-anh.docx")
    assert reply == (
        "Tệp ke-hoach-kem-anh.docx nặng 25.0 MB, quá giới hạn 20 MB mà Telegram cho bot tải "
        "về, nên gửi lại cũng không được. Hãy chép tệp lên máy chủ và nhập bằng lệnh: "
        "nhacviec plan import TỆP, kiểm tra tệp nháp, rồi nhacviec plan load.\nChưa nạp gì."
    )
    assert plan_codes(world) == ["cua-lo-2024"]


def test_a_document_from_someone_else_is_no_plan_import(world):
    [reply] = send_document(world, "Khách", PLAN_DOCX, "ke-hoach.docx")
    assert reply.startswith("Tôi đã nhận được tệp nhưng chưa biết đây là minh chứng")


def test_on_zalo_the_operator_is_told_to_use_the_command_line(world):
    from bot.core.settings import CoreSettings
    from bot.core.types import Attachment, AttachmentKind

    world.core.settings = CoreSettings(operators={"zalo": frozenset({"z-op"})})
    message = IncomingMessage(
        platform="zalo",
        chat_id="z-op",
        chat_kind=ChatKind.PRIVATE,
        sender_id="z-op",
        sender_name="Quản trị",
        text="",
        message_id="m1",
        attachments=(Attachment(AttachmentKind.FILE, "f1", "ke-hoach.docx"),),
    )
    [reply] = world.core.handle(message)
    assert reply.text.startswith("Trên Zalo, tệp không đến được bot.")
    assert "nhacviec plan import TỆP" in reply.text
