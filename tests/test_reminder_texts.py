"""What the units and the leaders read: the reminder messages, word for word, as the
fake chat channel received them (one tick a morning on the simulated clock)."""

from __future__ import annotations

import pytest

from messages.reminders import Section, compose
from storage.engine import make_engine, upgrade
from tests.reminder_world import local, new_world

T2 = (
    "Thành lập Tổ truyền thông về tiện ích dịch vụ công trực tuyến cấp thị, cấp phường; "
    "thành lập tổ hỗ trợ nộp hồ sơ trực tuyến"
)
T1 = "Ban hành kế hoạch tuyên truyền cải cách hành chính năm 2024"

# (morning, chat) -> the whole message.
CUA_LO_CONVERSATION = [
    (
        "2024-01-26",
        "-1",
        "Nhắc việc — Ủy ban nhân dân thị xã Cửa Lò\n\n"
        f"1. Nhiệm vụ T1 (đơn vị chủ trì): {T1}\n"
        "Còn 3 ngày làm việc đến hạn chót Thứ Tư, 31 tháng 1, 2024.\n"
        "Báo cáo gần nhất: chưa báo cáo.\n"
        "Báo cáo tiến độ: /baocao T1",
    ),
    (
        "2024-02-07",
        "-1",
        "Nhắc việc — Ủy ban nhân dân thị xã Cửa Lò\n\n"
        f"1. Nhiệm vụ T1 (đơn vị chủ trì): {T1}\n"
        "Đã quá hạn 7 ngày (hạn chót Thứ Tư, 31 tháng 1, 2024) mà đơn vị chưa báo cáo hoàn "
        "thành.\n"
        "Báo cáo gần nhất: chưa báo cáo.\n"
        "Báo cáo tiến độ: /baocao T1",
    ),
    (
        # The leadership group reads English.
        "2024-02-07",
        "-9",
        "For the leadership: overdue tasks not done — "
        "Kế hoạch tuyên truyền cải cách hành chính thị xã Cửa Lò năm 2024\n\n"
        f"1. Task T1: {T1}\n"
        "Deadline Wednesday, January 31, 2024, 7 days overdue.\n"
        "Not reported done: Ủy ban nhân dân các phường (lead); "
        "Ủy ban nhân dân thị xã Cửa Lò (lead).\n\n"
        "See the overdue list: /overdue",
    ),
    (
        # One officer registered in two units: one message, a section per unit.
        "2024-02-29",
        "z1",
        "Nhắc việc — Phòng Nội vụ thị xã\n\n"
        f"1. Nhiệm vụ T2 (đơn vị chủ trì): {T2}\n"
        "Hôm nay là hạn chót (Thứ Năm, 29 tháng 2, 2024).\n"
        "Báo cáo gần nhất: chưa báo cáo.\n"
        "Báo cáo tiến độ: /baocao T2\n\n"
        "Nhắc việc — Trung tâm VNPT Cửa Lò\n\n"
        f"1. Nhiệm vụ T2 (đơn vị phối hợp): {T2}\n"
        "Hôm nay là hạn chót (Thứ Năm, 29 tháng 2, 2024).\n"
        "Báo cáo gần nhất: chưa báo cáo.\n"
        "Báo cáo tiến độ: /baocao T2",
    ),
    (
        # T3 is due on Sunday 31/03: Friday is the last working day before it. (T2's latest
        # follow-up, of 28/03, missed while the bot was not ticking, comes along.)
        "2024-03-29",
        "z1",
        "Nhắc việc — Phòng Nội vụ thị xã\n\n"
        f"1. Nhiệm vụ T2 (đơn vị chủ trì): {T2}\n"
        "Đã quá hạn 29 ngày (hạn chót Thứ Năm, 29 tháng 2, 2024) mà đơn vị chưa báo cáo hoàn "
        "thành.\n"
        "Báo cáo gần nhất: chưa báo cáo.\n"
        "Báo cáo tiến độ: /baocao T2\n\n"
        "2. Nhiệm vụ T3 (đơn vị chủ trì): Tổ chức tập huấn cho các Tổ truyền thông và Tổ hỗ trợ "
        "nộp hồ sơ trực tuyến\n"
        "Hạn chót Chủ Nhật, 31 tháng 3, 2024 là ngày nghỉ: hôm nay là ngày làm việc cuối cùng "
        "trước hạn.\n"
        "Báo cáo gần nhất: chưa báo cáo.\n"
        "Báo cáo tiến độ: /baocao T3\n\n"
        "Nhắc việc — Trung tâm VNPT Cửa Lò\n\n"
        f"1. Nhiệm vụ T2 (đơn vị phối hợp): {T2}\n"
        "Đã quá hạn 29 ngày (hạn chót Thứ Năm, 29 tháng 2, 2024) mà đơn vị chưa báo cáo hoàn "
        "thành.\n"
        "Báo cáo gần nhất: chưa báo cáo.\n"
        "Báo cáo tiến độ: /baocao T2",
    ),
]


@pytest.fixture
def cua_lo(sqlite_url):
    engine = make_engine(sqlite_url)
    upgrade(engine)
    world = new_world(engine, "cua-lo-2024", "2024-01-26 07:00")
    world.unit_group("nhóm UBND thị xã", "UBND-TX", "telegram", "-1")
    world.member("Hoa", "NV", "zalo", "z1")
    world.member("Hoa", "VNPT", "zalo", "z1")
    world.leadership("lãnh đạo", "telegram", "-9", language="en")
    yield world
    engine.dispose()


async def test_the_messages_read_as_expected(cua_lo):
    runner = cua_lo.runner()
    mornings = sorted({morning for morning, _, _ in CUA_LO_CONVERSATION})
    for morning in mornings:
        cua_lo.clock.set(local(f"{morning} 08:00:30"))
        await runner.tick()
    received = {
        (d.at.astimezone(local(mornings[0]).tzinfo).date().isoformat(), d.chat_id): d.text
        for d in cua_lo.sender.delivered
    }
    for morning, chat, expected in CUA_LO_CONVERSATION:
        assert received[(morning, chat)] == expected


async def test_a_recurring_report_names_its_period(sqlite_url):
    engine = make_engine(sqlite_url)
    upgrade(engine)
    world = new_world(engine, "long-ho-2022", "2022-03-15 07:00")
    world.unit_group("nhóm UBND các xã", "UBND-XA", "zalo", "g1")
    world.clock.set(local("2022-03-15 08:00:30"))
    await world.runner().tick()
    (message,) = world.sender.texts("zalo", "g1")
    assert message.splitlines()[2:4] == [
        "1. Nhiệm vụ R1, kỳ Quý I/2022 (đơn vị chủ trì): Báo cáo tình hình, kết quả thực hiện "
        "công tác thông tin, tuyên truyền CCHC của cơ quan, đơn vị, địa phương gửi về phòng Văn "
        "hóa và Thông tin huyện tổng hợp…",
        "Hôm nay là hạn chót (Thứ Ba, 15 tháng 3, 2022).",
    ]
    engine.dispose()


def test_a_long_message_is_split_between_items_and_repeats_its_header():
    items = [(f"{n}. " + "x" * 50, n) for n in range(1, 6)]
    parts = compose([Section("Nhắc việc — Phòng Nội vụ", items)], footer="/quahan", limit=150)
    assert [refs for _, refs in parts] == [[1, 2], [3, 4], [5]]
    for text, _ in parts:
        assert text.startswith("Nhắc việc — Phòng Nội vụ\n\n") and text.endswith("\n\n/quahan")
        assert len(text) <= 150
