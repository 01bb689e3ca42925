"""Extensions (*xin gia hạn*) and a reminder's one-tap answers, as dialogs.

The clock starts on Tuesday 5 March 2024, 09:00: Cửa Lò's T3 (Tháng 3) is due on Sunday
31 March for Phòng Nội vụ (An, in private); Giang follows the plan as its coordinator.
An asks for more time; Giang accepts in his own chat (a button on Telegram, the number on
Zalo) and the unit's deadline moves; a second request is refused with a reason, and An
is told it.
"""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlmodel import Session, select

from scheduler.delivery import keep_offer
from storage.models import AuditLog, Chat, Occurrence, Plan, Report, Task, Unit
from tests.chat_world import Cast, Has, run_dialog
from tests.telegram_world import TelegramWorld
from tests.telegram_world import shown as telegram_shown
from tests.zalo_world import ZaloWorld, chat_of

ACCEPTED = (
    "Đề nghị gia hạn nhiệm vụ T3 đã được chấp nhận: hạn chót mới của Phòng Nội vụ thị xã "
    "là Thứ Hai, 15 tháng 4, 2024. Nhắc việc sẽ theo hạn chót mới."
)
REFUSED = (
    "Đề nghị gia hạn nhiệm vụ T3 không được chấp nhận. Lý do: chưa đủ căn cứ. "
    "Hạn chót vẫn là Thứ Hai, 15 tháng 4, 2024."
)


@pytest.fixture
def cast() -> Cast:
    return Cast(codes=("NV", "COORD"), registered=("An", "Giang"))


def inbox(world, name: str) -> list[tuple[str, list[str]]]:
    """What ``name``'s private chat has received: each message's text and answers."""
    if isinstance(world, TelegramWorld):
        assert world.fake is not None
        sent = world.fake.sent(world.chat_of(name, "private"))
        return [(m.text, [c.label for c in telegram_shown(m).choices]) for m in sent]
    assert isinstance(world, ZaloWorld) and world.fake is not None
    chat_id, _kind = chat_of(name, "private")
    return [(m.text or "", []) for m in world.fake.outbox if m.chat_id == chat_id]


def answer(world, name: str, number: int, value: str) -> None:
    """Press the button (Telegram) or type the option's number (Zalo)."""
    if isinstance(world, TelegramWorld):
        world.send(name, "private", "", choice=value)
    else:
        world.send(name, "private", str(number))


def t3_due(world) -> datetime | None:
    with Session(world.engine) as session:
        plan = session.exec(select(Plan).where(Plan.code == "cua-lo-2024")).one()
        unit = session.exec(select(Unit).where(Unit.code == "NV", Unit.plan_id == plan.id)).one()
    assert plan.id is not None and unit.id is not None
    (entry,) = world.store.entries(plan.id, [unit.id], world.clock.now(), task_code="T3")
    return entry.due_at


def audited(world) -> list[str]:
    with Session(world.engine) as session:
        rows = session.exec(select(AuditLog).order_by(AuditLog.id)).all()
    return [row.action for row in rows if row.action.startswith("extension.")]


@pytest.mark.parametrize("platform", ["telegram-polling", "zalo-polling"], indirect=True)
def test_an_extension_accepted_then_one_refused(world):
    before = t3_due(world)
    run_dialog(
        world,
        [
            (
                "An",
                "private",
                "/giahan T3",
                "Nhiệm vụ T3, hạn chót hiện nay Chủ Nhật, 31 tháng 3, 2024. Anh/chị xin gia hạn "
                "đến ngày nào? Gõ ngày, ví dụ 30/4.",
            ),
            ("An", "private", "31/3", Has("Ngày mới phải sau hạn chót hiện nay")),
            ("An", "private", "15/4", "Anh/chị cho biết lý do xin gia hạn (một câu ngắn)."),
            (
                "An",
                "private",
                "chờ kinh phí",
                "Đã gửi đề nghị gia hạn nhiệm vụ T3 đến ngày Thứ Hai, 15 tháng 4, 2024. "
                "Anh/chị sẽ nhận được trả lời tại đây.",
            ),
        ],
    )
    request, options = inbox(world, "Giang")[-1]
    assert request.startswith("Đề nghị gia hạn #1 — Phòng Nội vụ thị xã\nNhiệm vụ T3, kỳ")
    assert "Hạn chót hiện nay: Chủ Nhật, 31 tháng 3, 2024" in request
    assert "Xin gia hạn đến: Thứ Hai, 15 tháng 4, 2024\nLý do: chờ kinh phí" in request
    if isinstance(world, TelegramWorld):
        assert options == ["Chấp nhận", "Từ chối"]
    else:
        assert request.endswith("1. Chấp nhận\n2. Từ chối")
    assert t3_due(world) == before

    answer(world, "Giang", 1, "/giahan #1 dong y")
    assert inbox(world, "Giang")[-1][0] == (
        "Đã chấp nhận: Phòng Nội vụ thị xã, nhiệm vụ T3, hạn chót mới Thứ Hai, 15 tháng 4, "
        "2024. Đã báo đơn vị."
    )
    assert inbox(world, "An")[-1][0] == ACCEPTED
    moved = t3_due(world)
    assert moved is not None and moved.date().isoformat() == "2024-04-15"

    run_dialog(world, [("An", "private", "/giahan T3 30/4 thiếu nhân lực", Has("Đã gửi"))])
    assert "Hạn chót hiện nay: Thứ Hai, 15 tháng 4, 2024" in inbox(world, "Giang")[-1][0]
    answer(world, "Giang", 2, "/giahan #2 tu choi")
    assert inbox(world, "Giang")[-1][0] == (
        "Anh/chị cho biết lý do từ chối đề nghị gia hạn #2 (một câu ngắn)."
    )
    run_dialog(world, [("Giang", "private", "chưa đủ căn cứ", Has("Đã từ chối"))])
    assert inbox(world, "An")[-1][0] == REFUSED
    assert t3_due(world) == moved
    steps = ["extension.ask", "extension.accept", "extension.ask", "extension.refuse"]
    assert audited(world) == steps


def test_only_a_coordinator_answers_and_an_answer_counts_once(world):
    run_dialog(world, [("An", "private", "/giahan T3 15/4 chờ kinh phí", Has("Đã gửi"))])
    run_dialog(
        world,
        [
            (
                "An",
                "private",
                "/giahan #1 đồng ý",
                "Chỉ đầu mối theo dõi kế hoạch hoặc quản trị viên mới trả lời đề nghị gia hạn.",
            ),
            ("Giang", "private", "/giahan #1 đồng ý", Has("Đã chấp nhận")),
            (
                "Giang",
                "private",
                "/giahan #1 từ chối không",
                "Đề nghị gia hạn #1 đã được trả lời trước đó.",
            ),
            ("Giang", "private", "/giahan #9 đồng ý", "Không tìm thấy đề nghị gia hạn này."),
            ("An", "private", "/giahan T3 hôm nay", Has("Chưa đọc được ngày")),
        ],
    )


def occurrence_of(world, code: str) -> tuple[int, int]:
    """(occurrence, unit) of task ``code`` of Phòng Nội vụ (its only occurrence)."""
    with Session(world.engine) as session:
        occurrence = session.exec(
            select(Occurrence).join(Task).where(Task.id == Occurrence.task_id, Task.code == code)
        ).first()
        unit = session.exec(select(Unit).where(Unit.code == "NV")).first()
    assert occurrence is not None and occurrence.id and unit is not None and unit.id
    return occurrence.id, unit.id


@pytest.mark.console_only("presses a reminder's answers by value, beside the outbox")
def test_a_reminders_answers_report_on_the_reminded_deadline(world):
    occurrence, unit = occurrence_of(world, "T2")
    done = world.send("An", "private", "", choice=f"/baocao T2 xong ~{occurrence}.{unit}")
    assert "Đã ghi báo cáo nhiệm vụ T2 (kỳ Tháng 2/2024)" in done[0].text
    occurrence3, _unit = occurrence_of(world, "T3")
    asked = world.send("An", "private", "", choice=f"/baocao T3 ~{occurrence3}.{unit}.p")
    assert asked[0].text.startswith("Được bao nhiêu phần trăm?")
    run_dialog(world, [("An", "private", "40", Has("Ghi chú ngắn về tiến độ"))])
    extend = world.send("An", "private", "", choice=f"/giahan T3 ~{occurrence3}.{unit}")
    assert extend[-1].text.startswith("Nhiệm vụ T3, hạn chót hiện nay")
    with Session(world.engine) as session:
        reports = session.exec(select(Report)).all()
    assert [(r.occurrence_id, r.unit_id, r.status) for r in reports] == [
        (occurrence, unit, "done")
    ]


@pytest.mark.console_only("keeps a reminder's numbered answers as the outbox would")
def test_a_number_typed_after_a_reminder_picks_its_answer(world):
    occurrence, unit = occurrence_of(world, "T2")
    with Session(world.engine) as session:
        chat = session.exec(select(Chat).where(Chat.chat_id == "An")).one()
        answers = (
            ("Hoàn thành", f"/baocao T2 xong ~{occurrence}.{unit}"),
            ("Xin gia hạn", f"/giahan T2 ~{occurrence}.{unit}"),
        )
        keep_offer(session, chat, answers, world.clock.now())
        session.commit()
    run_dialog(
        world,
        [
            ("An", "private", "3", Has("Tôi chưa hiểu")),  # not one of the answers
            ("An", "private", "1", Has("Đã ghi báo cáo nhiệm vụ T2", "hoàn thành")),
        ],
    )
