"""An accepted extension moves the unit's reminders: the rows written for the plan's date
are skipped ("moved"), the steps are planned again for the unit's own date, and the
summaries count the unit as due then, not overdue. Other units keep the plan's date.

Cửa Lò's T2 (Tháng 2) is due on Thursday 29 February 2024; Phòng Nội vụ is granted
Friday 15 March on Monday 26 February, after its first reminder.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session, select

from storage.engine import make_engine, upgrade
from storage.models import Occurrence, Reminder, Task, Unit
from storage.records import ExtensionAsk
from storage.store import SqlStore
from tests.reminder_world import daily, local, new_world


@pytest.fixture
def engine(sqlite_url):
    engine = make_engine(sqlite_url)
    upgrade(engine)
    yield engine
    engine.dispose()


def grant(engine, task: str, unit: str, until: str, at: str) -> None:
    with Session(engine) as session:
        occurrence = session.exec(
            select(Occurrence).join(Task).where(Task.id == Occurrence.task_id, Task.code == task)
        ).one()
        unit_ = session.exec(select(Unit).where(Unit.code == unit)).one()
    assert occurrence.id is not None and unit_.id is not None
    store = SqlStore(engine)
    request = ExtensionAsk(
        occurrence_id=occurrence.id,
        unit_id=unit_.id,
        wanted_due_at=local(until),
        reason="chờ kinh phí",
        platform="telegram",
        chat_id="7",
        user_id="7",
        display_name="An",
        created_at=local(at),
    )
    asked = store.ask_extension(request)
    assert store.decide_extension(asked.id, True, "coordinator", local(at), None) is not None


async def test_the_units_reminders_follow_its_new_deadline(engine):
    world = new_world(engine, "cua-lo-2024", "2024-02-26 07:00")
    noi_vu_chat = world.unit_group("nhóm Nội vụ", "NV", "telegram", "-1")
    world.unit_group("nhóm VNPT", "VNPT", "telegram", "-2")  # supports T2: keeps the date
    runner = world.runner()
    got: dict[str, list[tuple[date, str]]] = {"-1": [], "-2": []}
    for moment in daily(date(2024, 2, 26), date(2024, 3, 15)):
        world.clock.set(moment)
        before = len(world.sender.delivered)
        await runner.tick()
        if moment.date() == date(2024, 2, 26):
            grant(engine, "T2", "NV", "2024-03-15 23:59", "2024-02-26 10:00")
        for sent in world.sender.delivered[before:]:
            if sent.chat_id in got and "Nhiệm vụ T2" in sent.text:
                got[sent.chat_id].append((moment.date(), sent.text))

    noi_vu = got["-1"]
    assert "Còn 3 ngày làm việc đến hạn chót Thứ Năm, 29 tháng 2, 2024." in noi_vu[0][1]
    later = noi_vu[1:]
    assert [day.isoformat() for day, _text in later] == [
        "2024-03-06",  # 7 working days before
        "2024-03-12",  # 3
        "2024-03-14",  # 1
        "2024-03-15",  # the due day
    ]
    assert all("15 tháng 3, 2024" in text and "29 tháng 2" not in text for _d, text in later)
    assert "Hôm nay là hạn chót (Thứ Sáu, 15 tháng 3, 2024)." in later[-1][1]
    vnpt_days = [day.isoformat() for day, _text in got["-2"]]
    assert "2024-02-29" in vnpt_days  # the plan's date for the other unit
    with Session(engine) as session:
        moved = session.exec(select(Reminder).where(Reminder.last_error == "moved")).all()
    assert moved and all(r.chat_id == noi_vu_chat.id for r in moved)


async def test_an_extended_unit_is_not_overdue_in_the_summary(engine):
    world = new_world(engine, "cua-lo-2024", "2024-03-05 09:00")
    store = SqlStore(engine)
    plan = store.plans()[0]
    assert plan.id is not None

    def overdue_units() -> set[str]:
        entries = store.entries(plan.id, None, world.clock.now(), task_code="T2")
        return {e.unit.code for e in entries if e.overdue}

    assert "NV" in overdue_units()
    grant(engine, "T2", "NV", "2024-03-15 23:59", "2024-03-05 09:00")
    assert "NV" not in overdue_units() and overdue_units()  # the others are still late
    world.clock.set(local("2024-03-18 09:00"))
    assert "NV" in overdue_units()
