"""Progress reports as dialogs: one line, the guided flow with evidence, refusals, bad input.

The clock starts on Tuesday 5 March 2024, 09:00 in Hà Nội: Cửa Lò's T2 (Tháng 2) is
overdue, T3 (Tháng 3) is open, T6 (tháng 6 đến 12) has not started. Each dialog runs on
the console and on every platform (the ``world`` fixture).
"""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from sqlmodel import Session, select

from bot.core.types import Attachment, AttachmentKind
from storage.engine import make_engine
from storage.models import AuditLog, Conversation, Member, Report, Role
from tests.chat_world import NOTHING, At, Cast, Has, photo, run_dialog

T3_50 = (
    "Đã ghi báo cáo nhiệm vụ T3 (kỳ Tháng 3/2024) của Phòng Nội vụ thị xã:\n"
    "Tình trạng: đang thực hiện 50%\n"
    "Ghi chú: đã lắp 2 pano\n"
    "Hạn chót: Chủ Nhật, 31 tháng 3, 2024; báo cáo đúng hạn.\n"
    "Gõ /nhiemvu để xem các nhiệm vụ khác."
)


# An officer in private, the wards' group and the leadership group; a code of a second
# unit (VHTT) for An.
CAST = Cast(codes=("NV", "VHTT", "PHUONG", "LEAD"), registered=("An", "Bình", "Chi"))


@pytest.fixture
def cast() -> Cast:
    return CAST


# On a platform, a message delivered twice is dropped by the adapter's ledger before the
# core sees it (test_telegram_webhook, test_zalo_adapter): these are the core's own repeats.
REPEATED = "a message id given by hand, delivered twice"


def reports(world) -> list[Report]:
    with Session(world.engine) as session:
        return list(session.exec(select(Report).order_by(Report.id)).all())


def test_one_line_reports(world):
    run_dialog(
        world,
        [
            ("An", "private", "/baocao T3 50% đã lắp 2 pano", T3_50),
            ("An", "private", "/baocao t3 hoàn thành", Has("Tình trạng: hoàn thành\n")),
            ("An", "private", "báo cáo D5 30% đã đôn đốc 3 phòng", Has("D5 (kỳ Năm 2024)", "30%")),
            (
                "An",
                "private",
                "/baocao D6 vướng mắc, chưa có kinh phí",
                Has("vướng mắc", "kinh phí"),
            ),
            ("An", "private", "/baocao D7 0%", Has("Tình trạng: chưa bắt đầu")),
            ("An", "private", "/baocao D8: đang làm - 40%", Has("đang thực hiện 40%")),
            (
                "An",
                "private",
                "/report T2 100% đã nộp muộn",
                "Đã ghi báo cáo nhiệm vụ T2 (kỳ Tháng 2/2024) của Phòng Nội vụ thị xã:\n"
                "Tình trạng: hoàn thành\n"
                "Ghi chú: đã nộp muộn\n"
                "Hạn chót: Thứ Năm, 29 tháng 2, 2024; báo cáo sau hạn chót.\n"
                "Gõ /nhiemvu để xem các nhiệm vụ khác.",
            ),
            ("Bình", "Phường", "/baocao T1 hoàn thành", Has("T1 (kỳ Tháng 1/2024) của Ủy ban")),
        ],
    )
    rows = [(r.status, r.percent, r.late, r.note) for r in reports(world)]
    assert rows == [
        ("in_progress", 50, False, "đã lắp 2 pano"),
        ("done", 100, False, None),
        ("in_progress", 30, False, "đã đôn đốc 3 phòng"),
        ("blocked", None, False, "chưa có kinh phí"),
        ("not_started", 0, False, None),
        ("in_progress", 40, False, None),
        ("done", 100, True, "đã nộp muộn"),
        ("done", 100, True, None),
    ]
    with Session(world.engine) as session:
        member = session.exec(select(Member).where(Member.user_id == world.user_id("An"))).one()
    assert reports(world)[0].member_id == member.id
    assert reports(world)[0].source_chat_id == world.chat_id("An", "private")


@pytest.mark.console_only(REPEATED)
def test_the_same_message_twice_is_stored_once(world):
    first = world.send("An", "private", "/baocao T3 50% đã lắp 2 pano", message_id="m-77")
    again = world.send("An", "private", "/baocao T3 50% đã lắp 2 pano", message_id="m-77")
    assert [r.text for r in first] == [r.text for r in again] == [T3_50]
    assert len(reports(world)) == 1


@pytest.mark.console_only(
    "evidence by the console's file ids; Telegram's in test_telegram_reports, Zalo's (which "
    "withholds documents) in test_zalo_adapter"
)
def test_guided_report_with_evidence(world):
    run_dialog(
        world,
        [
            (
                "An",
                "private",
                "/baocao",
                Has(
                    "Báo cáo nhiệm vụ nào? Các nhiệm vụ đang đến hạn ở trên cùng.",
                    "Chọn một mục (gõ số thứ tự), hoặc gõ /huy để hủy.",
                ),
            ),
        ],
    )
    flow_reply = world.send("An", "private", "/baocao")[-1]
    labels = [c.label for c in flow_reply.choices]
    assert [label.split(" · ")[0] for label in labels] == [
        "T2",
        "T3",
        "D5",
        "D6",
        "D7",
        "D8",
        "D9",
        "T6",
    ]  # overdue and open first, not yet started last
    assert labels[1].endswith("· 31/03/2024")
    # Choice values fit Telegram's callback_data (64 bytes) with room for a prefix.
    assert all(c.value.isascii() and len(c.value) <= 48 for c in flow_reply.choices)
    run_dialog(
        world,
        [
            (
                "An",
                "private",
                "2",
                "T3. Tổ chức tập huấn cho các Tổ truyền thông và Tổ hỗ trợ nộp hồ sơ trực tuyến\n"
                "Kỳ Tháng 3/2024, hạn chót: Chủ Nhật, 31 tháng 3, 2024.\n"
                "Tình trạng thế nào?\n"
                "Chọn một mục (gõ số thứ tự), hoặc gõ /huy để hủy.\n"
                "1. chưa bắt đầu\n"
                "2. đang thực hiện\n"
                "3. hoàn thành\n"
                "4. vướng mắc",
            ),
            (
                "An",
                "private",
                "sắp xong",
                "Hãy chọn một tình trạng (gõ số từ 1 đến 4), hoặc gõ /huy để hủy.",
            ),
            ("An", "private", "Vướng mắc", Has("Được bao nhiêu phần trăm?")),
            ("An", "private", "120", Has("Hãy gõ một số nguyên từ 0 đến 99")),
            ("An", "private", "30%", "Vướng mắc là gì? Ghi ngắn (tối đa 1000 ký tự)."),
            ("An", "private", "bỏ qua", "Vướng mắc là gì? Ghi ngắn (tối đa 1000 ký tự)."),
            ("An", "private", "x" * 1001, Has("Ghi chú dài 1001 ký tự, quá giới hạn 1000 ký tự.")),
            (
                "An",
                "private",
                "chưa có giảng viên",
                Has("Gửi ảnh hoặc tệp minh chứng nếu có.", "1. Xong"),
            ),
            ("An", "private", "ảnh đây", Has("Ở bước này tôi chỉ nhận ảnh hoặc tệp.")),
        ],
    )
    assert reports(world) == []  # nothing before the last step
    assert world.send("An", "private", "", attachments=(photo("lop1.jpg"),))[0].text == (
        "Đã nhận 1 tệp minh chứng. Gửi thêm, hoặc gõ xong để ghi báo cáo."
    )
    document = Attachment(AttachmentKind.FILE, "file-77", "danh-sach.pdf")
    world.send("An", "private", "", attachments=(document,))
    run_dialog(
        world,
        [
            (
                "An",
                "private",
                "xong",
                "Đã ghi báo cáo nhiệm vụ T3 (kỳ Tháng 3/2024) của Phòng Nội vụ thị xã:\n"
                "Tình trạng: vướng mắc 30%\n"
                "Ghi chú: chưa có giảng viên\n"
                "Minh chứng: 2 tệp\n"
                "Hạn chót: Chủ Nhật, 31 tháng 3, 2024; báo cáo đúng hạn.\n"
                "Gõ /nhiemvu để xem các nhiệm vụ khác.",
            ),
            ("An", "private", "xong", Has("Tôi chưa hiểu tin nhắn này.")),  # the flow is over
        ],
    )
    (report,) = reports(world)
    assert (report.status, report.percent, report.late) == ("blocked", 30, False)
    assert json.loads(report.evidence) == [
        {"kind": "photo", "file_id": "photo-lop1.jpg", "name": "lop1.jpg"},
        {"kind": "file", "file_id": "file-77", "name": "danh-sach.pdf"},
    ]
    assert world.count(Conversation) == 0


@pytest.mark.console_only(
    "buttons, an old one pressed again: Telegram's in test_telegram_reports; Zalo has none"
)
def test_guided_report_with_buttons_in_a_unit_group(world):
    first = world.send("Bình", "Phường", "/baocao")[-1]
    t4 = next(c for c in first.choices if c.label.startswith("T4"))
    status = world.send("Bình", "Phường", t4.label, choice=t4.value)[-1]
    assert status.text.startswith(
        "T4. Tổ chức truyền thông về các tiện ích dịch vụ công trực tuyến"
    )
    done = next(c for c in status.choices if c.label == "hoàn thành")
    assert world.send("Bình", "Phường", "", choice=done.value)[0].text == (
        "Ghi chú ngắn về tiến độ (tối đa 1000 ký tự), hoặc gõ bỏ qua."
    )
    # A photo sent with a caption at the note step: the caption is the note, the photo kept.
    world.send("Bình", "Phường", "đã treo băng rôn", attachments=(photo("bang-ron.jpg"),))
    stale = world.send("Bình", "Phường", "", choice="s.done")  # an old button pressed again
    assert (
        stale[0].text.startswith("Hãy chọn một mục trong danh sách") or "Ở bước" in stale[0].text
    )
    finish = world.send("Bình", "Phường", "", choice="done")
    assert "Minh chứng: 1 tệp" in finish[0].text and "Tình trạng: hoàn thành" in finish[0].text
    (report,) = reports(world)
    assert (report.note, report.percent, report.source_chat_id) == (
        "đã treo băng rôn",
        100,
        "group-Phường",
    )


def test_report_on_a_named_task_asks_only_what_is_missing(world):
    run_dialog(
        world,
        [
            ("An", "private", "/baocao T3", Has("T3. Tổ chức tập huấn", "Tình trạng thế nào?")),
            ("An", "private", "3", "Ghi chú ngắn về tiến độ (tối đa 1000 ký tự), hoặc gõ bỏ qua."),
            ("An", "private", "bỏ qua", Has("Gửi ảnh hoặc tệp minh chứng")),
            ("An", "private", "bỏ qua", Has("Tình trạng: hoàn thành", "báo cáo đúng hạn")),
        ],
    )
    assert [(r.status, r.note) for r in reports(world)] == [("done", None)]


def test_a_flow_is_dropped_after_30_minutes_and_by_cancel(world):
    run_dialog(
        world,
        [
            ("An", "private", "/baocao", Has("Báo cáo nhiệm vụ nào?")),
            ("An", "private", "2", Has("Tình trạng thế nào?")),
            At("2024-03-05 09:31"),
            (
                "An",
                "private",
                "3",
                "Phiên báo cáo trước đã tự hủy vì quá 30 phút không có trả lời; chưa có gì được "
                "lưu. Gõ /baocao để báo cáo lại.",
            ),
            ("An", "private", "/baocao T3", Has("Tình trạng thế nào?")),
            ("An", "private", "/huy", "Đã hủy, không có gì được lưu."),
            ("An", "private", "/huy", "Không có việc gì đang làm dở để hủy."),
            ("An", "private", "/baocao T3", Has("Tình trạng thế nào?")),
            ("An", "private", "hủy", "Đã hủy, không có gì được lưu."),
            ("An", "private", "/baocao T3", Has("Tình trạng thế nào?")),
            (
                "An",
                "private",
                "/nhiemvu",
                Has("Đã hủy việc đang làm dở (chưa có gì được lưu).\n---\nNhiệm vụ của Phòng"),
            ),
        ],
    )
    assert reports(world) == []
    assert world.count(Conversation) == 0


@pytest.mark.console_only(REPEATED)
def test_a_repeated_flow_message_answers_nothing(world):
    world.send("An", "private", "/baocao", message_id="a1")
    world.send("An", "private", "2", message_id="a2")
    assert world.send("An", "private", "2", message_id="a2") == []  # delivered twice
    assert world.send("An", "private", "/baocao", message_id="a1") == []
    assert "Được bao nhiêu phần trăm?" in world.send("An", "private", "2", message_id="a3")[0].text


def test_bad_input_is_refused_and_nothing_is_stored(world):
    before = world.stored()
    run_dialog(
        world,
        [
            (
                "An",
                "private",
                "/baocao T3 150%",
                "Phần trăm phải là số nguyên từ 0 đến 100, ví dụ 50%.",
            ),
            (
                "An",
                "private",
                "/baocao T3 -5%",
                "Phần trăm phải là số nguyên từ 0 đến 100, ví dụ 50%.",
            ),
            (
                "An",
                "private",
                "/baocao T3 50.5%",
                "Phần trăm phải là số nguyên từ 0 đến 100, ví dụ 50%.",
            ),
            (
                "An",
                "private",
                "/baocao T3 50% " + "a" * 1001,
                "Ghi chú dài 1001 ký tự, quá giới hạn 1000 ký tự. Hãy rút gọn rồi gửi lại.",
            ),
            (
                "An",
                "private",
                "/baocao T3 50% chuông\x07",
                "Tin nhắn có ký tự điều khiển không hiển thị được nên tôi không ghi nhận. Hãy gõ "
                "lại bằng chữ thường.",
            ),
            ("An", "private", "/baocao T3 50% \u202eabc", Has("ký tự điều khiển")),
            (
                "An",
                "private",
                "/baocao T99 50%",
                "Không có nhiệm vụ mã T99 trong kế hoạch của đơn vị anh/chị. Gõ /nhiemvu để xem "
                "mã "
                "các nhiệm vụ.",
            ),
            (
                "An",
                "private",
                "/baocao 50% đã xong",
                "Thiếu mã nhiệm vụ. Gõ ví dụ /baocao T3 50% đã lắp 2 pano, hoặc chỉ gõ /baocao để "
                "được hỏi từng bước.",
            ),
            (
                "An",
                "private",
                "/baocao T3 đã tập huấn",
                "Thiếu tình trạng hoặc phần trăm. Gõ ví dụ /baocao T3 50% ghi chú, hoặc /baocao "
                "T3 "
                "hoàn thành.",
            ),
            ("An", "private", "/baocao T3 hoàn thành 50%", Has("Hoàn thành nghĩa là 100%.")),
            ("An", "private", "/baocao T3 đang thực hiện 100%", Has("100% nghĩa là hoàn thành.")),
            (
                "An",
                "private",
                "/baocao T3 chưa bắt đầu 20%",
                Has("Chưa bắt đầu thì phần trăm là 0."),
            ),
            ("An", "private", "/baocao T3 vướng mắc", Has("Báo cáo vướng mắc cần ghi ngắn")),
            (
                "An",
                "private",
                "/",
                "Lệnh trống: sau dấu / cần tên lệnh, ví dụ /baocao. Gõ /giup để xem các lệnh.",
            ),
            ("An", "private", "/abc", "Không có lệnh /abc. Gõ /giup để xem các lệnh."),
            ("An", "private", "chào bot", Has("Tôi chưa hiểu tin nhắn này.")),
            ("An", "private", "", NOTHING),
            ("An", "private", "[ảnh]", Has("Tôi chưa hiểu")),
        ],
    )
    assert world.send("An", "private", "", attachments=(photo("x.jpg"),))[0].text.startswith(
        "Tôi đã nhận được tệp nhưng chưa biết đây là minh chứng cho nhiệm vụ nào"
    )
    assert world.send("Bình", "Phường", "", attachments=(photo("y.jpg"),)) == []
    assert world.stored() == before


def test_refusals_of_point_6_store_nothing(world):
    before = world.stored()
    run_dialog(
        world,
        [
            # A member reports only on the tasks of the unit (lead or support).
            (
                "An",
                "private",
                "/baocao T1 hoàn thành",
                "Nhiệm vụ T1 không giao cho Phòng Nội vụ thị xã (chủ trì hay phối hợp) nên "
                "anh/chị "
                "không báo cáo được; nhiệm vụ này của: Ủy ban nhân dân thị xã Cửa Lò; Ủy ban nhân "
                "dân các phường. Gõ /nhiemvu để xem nhiệm vụ của đơn vị.",
            ),
            # In a unit's group, only that unit's registered officers report.
            (
                "An",
                "Phường",
                "/baocao T1 hoàn thành",
                "Anh/chị chưa đăng ký là cán bộ của Ủy ban nhân dân các phường nên chưa báo cáo "
                "được trong nhóm này. Hãy nhắn riêng cho bot: /dangky MÃ.",
            ),
            # Not in the leadership group.
            (
                "Chi",
                "Lãnh đạo",
                "/baocao T3 50%",
                Has("/baocao dùng trong chat riêng với bot hoặc trong nhóm của đơn vị"),
            ),
            # Unregistered people are told how to register.
            ("Người lạ", "private", "/baocao T3 50%", Has("Anh/chị chưa đăng ký", "/dangky MÃ")),
            ("Người lạ", "private", "/tonghop", Has("Anh/chị chưa đăng ký")),
            # Summaries are for leaders, coordinators and operators; in groups, the leadership's.
            (
                "An",
                "private",
                "/tonghop",
                "Lệnh /tonghop dành cho lãnh đạo và đầu mối theo dõi. Anh/chị xem nhiệm vụ của "
                "đơn "
                "vị bằng /nhiemvu.",
            ),
            (
                "Bình",
                "Phường",
                "/quahan",
                "Lệnh /quahan chỉ dùng trong chat riêng với bot hoặc trong nhóm lãnh đạo.",
            ),
            (
                "Bình",
                "Phường",
                "/chuabaocao",
                Has("chỉ dùng trong chat riêng với bot hoặc trong nhóm lãnh đạo"),
            ),
            (
                "Bình",
                "Phường",
                "/xuat",
                Has("chỉ dùng trong chat riêng với bot hoặc trong nhóm lãnh đạo"),
            ),
            (
                "Chi",
                "private",
                "/nhiemvu",
                "Lệnh /nhiemvu dành cho cán bộ của đơn vị. Anh/chị xem tiến độ chung bằng "
                "/tonghop.",
            ),
        ],
    )
    assert world.stored() == before
    with Session(world.engine) as session:
        refused = session.exec(select(AuditLog).where(AuditLog.action == "refused")).all()
    assert len(refused) >= 9  # every refusal leaves a trace of who tried what


def test_a_person_in_two_units_and_two_plans_is_asked(make_world):
    world = make_world(replace(CAST, plans=("cua-lo-2024", "kong-chro-2021")))
    world.invite("NV-KC", Role.MEMBER, "NV", "kong-chro-2021")
    world.send("An", "private", "/dangky {NV-KC}")
    world.send("An", "private", "/dangky {VHTT}")
    run_dialog(
        world,
        [
            (
                "An",
                "private",
                "/baocao T3 50% đã mời giảng viên",
                Has(
                    "Mã T3 có trong nhiều kế hoạch.", "cua-lo-2024 · 2024", "kong-chro-2021 · 2021"
                ),
            ),
            (
                "An",
                "private",
                "1",
                Has("T3 (kỳ Tháng 3/2024) của Phòng Nội vụ thị xã", "50%", "đã mời giảng viên"),
            ),
            # T6 is supported by both of An's Cửa Lò units: which one?
            (
                "An",
                "private",
                "/baocao T6 chưa bắt đầu",
                Has(
                    "Nhiệm vụ T6: anh/chị báo cáo cho đơn vị nào?",
                    "1. Phòng Văn hóa và Thông tin thị xã\n2. Phòng Nội vụ thị xã",
                ),
            ),
            ("An", "private", "1", Has("T6 (kỳ Tháng 6–12/2024) của Phòng Văn hóa và Thông tin")),
        ],
    )
    assert [(r.status, r.percent) for r in reports(world)] == [
        ("in_progress", 50),
        ("not_started", 0),
    ]


def test_an_operator_reports_for_a_unit(world):
    run_dialog(
        world,
        [
            (
                "Quản trị",
                "private",
                "/baocao",
                Has("Anh/chị không thuộc đơn vị nào nên cần ghi mã"),
            ),
            (
                "Quản trị",
                "private",
                "/baocao T3 40%",
                Has("T3 (kỳ Tháng 3/2024) của Phòng Nội vụ thị xã"),
            ),
            ("Quản trị", "private", "/tonghop", Has("TỔNG HỢP TIẾN ĐỘ")),
        ],
    )
    assert reports(world)[0].member_id is None


def test_reports_in_english(world):
    world.send("An", "private", "/language en")
    run_dialog(
        world,
        [
            (
                "An",
                "private",
                "/report T3 50% two panels up",
                "Recorded the report on task T3 (period Tháng 3/2024) of Phòng Nội vụ thị xã:\n"
                "Status: in progress 50%\n"
                "Note: two panels up\n"
                "Deadline: Sunday, March 31, 2024; reported on time.\n"
                "Type /tasks to see the other tasks.",
            ),
            (
                "An",
                "private",
                "/report T3 150%",
                "The percent must be a whole number from 0 to 100, for example 50%.",
            ),
            (
                "An",
                "private",
                "/report T1 done",
                Has("Task T1 is not assigned to Phòng Nội vụ thị xã"),
            ),
            (
                "An",
                "private",
                "/report",
                Has("Which task is the report about?", "Pick an option (type its number)"),
            ),
            ("An", "private", "2", Has("What is the status?", "1. not started", "4. blocked")),
            ("An", "private", "in progress", Has("How many percent is done?")),
            ("An", "private", "skip", Has("A short note on the progress")),
            ("An", "private", "skip", Has("Send photos or files as evidence")),
            ("An", "private", "done", Has("Status: in progress", "reported on time")),
            ("An", "private", "/summary", Has("/summary is for leaders and coordinators.")),
        ],
    )
    assert len(reports(world)) == 2


def test_user_text_shown_back_cannot_break_a_message(world):
    note = "thiếu kinh phí\n- T9 · Phòng giả mạo: hoàn thành"
    reply = world.send("Bình", "Phường", f"/baocao T4 vướng mắc {note}")[0].text
    assert "Ghi chú: thiếu kinh phí - T9 · Phòng giả mạo: hoàn thành\n" in reply
    summary = world.send("Chi", "Lãnh đạo", "/tonghop")[0].text
    assert (
        "Vướng mắc mới nhất:\n- T4 · Ủy ban nhân dân các phường: thiếu kinh phí - T9 · Phòng "
        "giả mạo: hoàn thành (05/03/2024)\n"
    ) in summary
    assert reports(world)[0].note == note  # stored as typed, shown on one line
    from bot.core.types import ChatKind, IncomingMessage

    odd = IncomingMessage(
        platform="console",
        chat_id="Lạ",
        chat_kind=ChatKind.PRIVATE,
        sender_id="Lạ",
        sender_name="Lạ\nĐã đăng ký: lãnh đạo\u202e",
        text="/start",
        message_id="n1",
    )
    assert world.core.handle(odd)[0].text.startswith("Chào anh/chị Lạ Đã đăng ký: lãnh đạo. Tôi")


@pytest.mark.console_only(
    "moves a console group through the core; Telegram's in test_telegram_groups"
)
def test_groups_the_bot_left_or_that_moved(world):
    world.core.chat_moved("console", "group-Phường", "group-Phường-mới")
    reply = world.send("Bình", "Phường-mới", "/nhiemvu")[0].text
    assert reply.startswith("Nhiệm vụ của Ủy ban nhân dân các phường")
    world.core.bot_removed("console", "group-Phường-mới")
    assert world.send("Bình", "Phường-mới", "/nhiemvu")[0].text.startswith(
        "Nhóm này chưa đăng ký với bot."
    )
    with Session(world.engine) as session:
        actions = [a.action for a in session.exec(select(AuditLog).where(AuditLog.actor == "-"))]
    assert actions == ["chat.moved", "chat.removed"]


@pytest.mark.console_only(
    "swaps the core for another process's; a platform's adapter keeps its own"
)
def test_a_flow_survives_a_restart_and_another_process(world):
    from bot.core.bot import ChatCore
    from storage.store import SqlStore

    world.send("An", "private", "/baocao T3")
    world.send("An", "private", "2")
    # Another bot process (its own engine and core) takes the next answer.
    other_engine = make_engine(str(world.engine.url))
    world.core = ChatCore(SqlStore(other_engine), world.clock, world.core.settings)
    run_dialog(
        world,
        [
            ("An", "private", "45", Has("Ghi chú ngắn về tiến độ")),
            ("An", "private", "đã xong lớp 1", Has("Gửi ảnh hoặc tệp minh chứng")),
            ("An", "private", "bỏ qua", Has("Tình trạng: đang thực hiện 45%")),
        ],
    )
    other_engine.dispose()


def test_refusals_and_bad_input_in_english(world):
    for sender, chat in (("An", "private"), ("Người lạ", "private"), ("Chi", "Lãnh đạo")):
        world.send(sender, chat, "/language en")
    before = world.stored()
    run_dialog(
        world,
        [
            ("Người lạ", "private", "/report T3 50%", Has("You are not registered yet")),
            ("Người lạ", "private", "/summary", Has("You are not registered yet")),
            ("An", "private", "/summary", Has("/summary is for leaders and coordinators.")),
            ("An", "private", "/report T3 50% bell\x07", Has("invisible control characters")),
            ("An", "private", "/report T3 50% " + "a" * 1001, Has("The note is 1001 characters")),
            (
                "An",
                "private",
                "/report T99 50%",
                Has("Your unit's plan has no task with code T99"),
            ),
            ("An", "private", "/report 50%", Has("The task code is missing.")),
            ("An", "private", "/report T3 done 50%", Has("Done means 100%.")),
            ("An", "private", "/report T3 in progress 100%", Has("100% means done.")),
            ("An", "private", "/report T3 blocked", Has("A blocked report needs a short note")),
            ("An", "private", "/report T3 did things", Has("The status or percent is missing.")),
            ("An", "private", "hello", Has("I did not understand this message.")),
            (
                "Chi",
                "Lãnh đạo",
                "/tasks",
                "/tasks works in a private chat with the bot or in a unit's group, not in the "
                "leadership group.",
            ),
            ("Ai đó", "Nhóm mới", "/tasks", Has("Nhóm này chưa đăng ký")),  # a new group: vi
        ],
    )
    assert world.stored() == before
