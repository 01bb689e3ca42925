"""/sukien (/event) in chat: a coordinator or operator records that the event a task waits
for happened, and the deadline counted from it applies; /nhiemvu says what a task waits
for and shows the document's columns (parent task, product, funding). On the console: the
plan is a multi-year one written in the test, and the shared world loads only plans/.

The plan is the 2025 document of ``tests.test_plan_documents`` (signed 14/11/2025): task 4
is due "trong vòng 10 ngày kể từ khi có sự cố", R1 is a half-yearly report "hoặc đột xuất
khi có yêu cầu". Giang coordinates the plan, Chi is a leader, An works in the office (VP).
"""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from scheduler.planfile import parse_plan
from scheduler.planload import load_plan
from storage.engine import make_engine, session_scope, upgrade
from storage.models import Role, TaskEvent
from storage.timezone import VN_TZ
from tests.chat_world import At, Has, World, make_console_world, run_dialog
from tests.test_plan_documents import PLAN

WAITING = """\
Các nhiệm vụ chờ sự kiện của kế hoạch cds-2025-2027:
4. Khắc phục sự cố mất an toàn thông tin
   Chờ sự kiện: kể từ khi có sự cố; hạn chót 10 ngày sau sự kiện
R1. Báo cáo kết quả thực hiện
   Chờ sự kiện: đột xuất khi có yêu cầu
Ghi nhận sự kiện: /sukien MÃ ngày cds-2025-2027, ví dụ /sukien 4 18/11/2025 cds-2025-2027"""

TASKS_BEFORE = """\
Nhiệm vụ của Văn phòng HĐND và UBND xã (cds-2025-2027), 4 nhiệm vụ:
1 (chủ trì) Xây dựng cơ sở dữ liệu dùng chung của xã
   Sản phẩm: Cơ sở dữ liệu được đưa vào sử dụng · Kinh phí: Ngân sách xã
   Kỳ Năm 2025–2027, hạn chót Thứ Sáu, 31 tháng 12, 2027 · chưa báo cáo
1.1 (chủ trì) Số hóa hồ sơ hộ tịch
   Thuộc nhiệm vụ: 1 · Sản phẩm: Kho hồ sơ số
   Kỳ Quý II/2026, hạn chót Thứ Ba, 30 tháng 6, 2026 · chưa báo cáo
4 (chủ trì) Khắc phục sự cố mất an toàn thông tin
   Chờ sự kiện: kể từ khi có sự cố; hạn chót 10 ngày sau sự kiện · chưa báo cáo
5 (chủ trì) Tổng kết giai đoạn trước
   Kỳ Quý I/2025, hạn chót Thứ Hai, 31 tháng 3, 2025 · quá hạn · chưa báo cáo

Báo cáo: /baocao MÃ tình trạng ghi chú, ví dụ /baocao T3 50% đã lắp 2 pano."""


@pytest.fixture
def world(sqlite_url):
    engine = make_engine(sqlite_url)
    upgrade(engine)
    world = make_console_world(engine, plans=(), operators=("Quản trị",))
    run_dialog(world, [At("2025-11-20 09:00")])
    with session_scope(engine) as session:
        load_plan(session, parse_plan(PLAN.encode("utf-8"), "cds.toml"), world.clock.now())
    world.invite("COORD", Role.COORDINATOR, plan="cds-2025-2027")
    world.invite("LEAD", Role.LEADER)
    world.invite("VP", Role.MEMBER, "VP", "cds-2025-2027")
    world.send("Giang", "private", "/dangky {COORD}")
    world.send("Chi", "private", "/dangky {LEAD}")
    world.send("An", "private", "/dangky {VP}")
    yield world
    engine.dispose()


def events(world: World) -> list[tuple[str, str]]:
    with Session(world.engine) as session:
        return [
            (f"{e.happened_at.astimezone(VN_TZ):%Y-%m-%d}", e.actor)
            for e in session.exec(select(TaskEvent).order_by(TaskEvent.id))
        ]


def test_a_coordinator_records_an_event_and_the_deadline_follows(world):
    run_dialog(world, [
        ("An", "private", "/nhiemvu", TASKS_BEFORE),
        ("Giang", "private", "/sukien", WAITING),
        ("Giang", "private", "/sukien 4 18/11/2025",
         "Đã ghi nhận sự kiện của nhiệm vụ 4 (kỳ Sự kiện 18/11/2025): hạn chót Thứ Sáu, "
         "28 tháng 11, 2025."),
        ("An", "private", "/nhiemvu", Has(
            "4 (chủ trì) Khắc phục sự cố mất an toàn thông tin\n"
            "   Kỳ Sự kiện 18/11/2025, hạn chót Thứ Sáu, 28 tháng 11, 2025 · chưa báo cáo",
        )),
        ("An", "private", "/hanchot", Has(
            "- Thứ Sáu, 28 tháng 11, 2025: 4 (chủ trì) Khắc phục sự cố mất an toàn thông tin",
        )),
        # No count of days in the document: the coordinator sets the deadline.
        ("Giang", "private", "/sukien R1 ngày 19/11 hạn 25/11/2025",
         "Đã ghi nhận sự kiện của nhiệm vụ R1 (kỳ Sự kiện 19/11/2025): hạn chót Thứ Ba, "
         "25 tháng 11, 2025."),
        ("Giang", "private", "sự kiện", Has(
            "   Chờ sự kiện: kể từ khi có sự cố; hạn chót 10 ngày sau sự kiện\n"
            "   Đã xảy ra ngày 18/11/2025\n",
            "   Chờ sự kiện: đột xuất khi có yêu cầu\n   Đã xảy ra ngày 19/11/2025\n",
        )),
    ])  # fmt: skip
    assert events(world) == [("2025-11-18", "console:Giang"), ("2025-11-19", "console:Giang")]


def test_an_event_with_no_day_happened_today(world):
    run_dialog(world, [
        ("Quản trị", "private", "/sukien 4 cds-2025-2027",
         "Đã ghi nhận sự kiện của nhiệm vụ 4 (kỳ Sự kiện 20/11/2025): hạn chót Chủ Nhật, "
         "30 tháng 11, 2025."),
    ])  # fmt: skip


def test_refusals_record_nothing(world):
    run_dialog(world, [
        ("Giang", "private", "/sukien 3",
         "Nhiệm vụ 3 không chờ sự kiện nào (thời gian: Tháng 12 hằng năm)."),
        ("Giang", "private", "/sukien 9", "Kế hoạch cds-2025-2027 không có nhiệm vụ mã 9."),
        ("Giang", "private", "/sukien 4 01/12/2025",
         "Ngày 01/12/2025 chưa đến; hãy ghi sự kiện khi nó đã xảy ra."),
        ("Giang", "private", "/sukien 4 31/02",
         "Không có ngày 31/02; hãy ghi ngày dạng 18/11/2025."),
        ("Giang", "private", "/sukien 4 18/11 hạn 10/11",
         "Hạn chót phải từ ngày xảy ra sự kiện trở đi."),
        ("Giang", "private", "/sukien 4 18/11 19/11", Has("Cách ghi nhận sự kiện: /sukien")),
        ("Chi", "private", "/sukien 4",
         "Chỉ đầu mối theo dõi kế hoạch và quản trị viên ghi nhận sự kiện. Anh/chị vẫn xem "
         "được các nhiệm vụ chờ sự kiện bằng /sukien."),
        ("Chi", "private", "/sukien", WAITING),
        ("An", "private", "/sukien",
         "Lệnh /sukien dành cho lãnh đạo và đầu mối theo dõi. Anh/chị xem nhiệm vụ của đơn "
         "vị bằng /nhiemvu."),
    ])  # fmt: skip
    assert events(world) == []
    run_dialog(world, [
        ("Giang", "private", "/sukien 4 18/11", Has("Đã ghi nhận")),
        ("Giang", "private", "/sukien 4 18/11/2025", "Sự kiện ngày 18/11/2025 đã được ghi."),
    ])  # fmt: skip
    assert len(events(world)) == 1


def test_in_english(world):
    run_dialog(world, [
        ("Giang", "private", "/ngonngu en", "This chat's language is now English."),
        ("Giang", "private", "/event", Has(
            "4. Khắc phục sự cố mất an toàn thông tin",
            "Record an event: /event CODE day cds-2025-2027, for example /event 4 18/11/2025 "
            "cds-2025-2027",
        )),
        ("Giang", "private", "/event 4 on 19/11/2025 cds-2025-2027",
         "Recorded the event of task 4 (period Sự kiện 19/11/2025): due Saturday, "
         "November 29, 2025."),
        ("Giang", "private", "/event R1 19/11 due 18/11",
         "The deadline must be on or after the day of the event."),
        ("Giang", "private", "/event x y z",
         "To record an event: /event TASK-CODE day [plan code], for example /event 4 "
         "18/11/2025. No day means today; add “due 25/11/2025” when the document counts no "
         "deadline. Type /event to see the tasks waiting for an event."),
        ("Chi", "private", "/ngonngu en", "This chat's language is now English."),
        ("Chi", "private", "/event 4 19/11",
         "Only the plan's coordinators and operators record events. You can still see the "
         "tasks waiting for an event with /event."),
        ("Giang", "private", "/help event", Has("/event [task code] [day] [plan code]")),
    ])  # fmt: skip
