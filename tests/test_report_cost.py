"""A message costs the same in a plan of 10 units or 200: the queries are counted.

Each plan has the same five tasks, three of them owed by every commune through the group
"UBND các xã" (so a plan of 200 units has 600 more obligations than one of 10), and
every commune has reported on every task once. An officer of the first commune then
reports in one line, through the guided flow, and asks /nhiemvu and /hanchot: each
runs the same number of statements at both sizes, counted by SQLAlchemy's
``before_cursor_execute``; and the summaries read aggregates, never report rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

import pytest
from sqlalchemy import event
from sqlmodel import select

from bot.core.bot import ChatCore
from bot.core.settings import CoreSettings
from bot.core.types import ChatKind, IncomingMessage
from bot.exports import workbook_bytes
from scheduler.clock import SimulatedClock
from scheduler.planfile import parse_plan
from scheduler.planload import load_plan
from scheduler.timeexpr import VN_TZ
from storage.engine import make_engine, session_scope, upgrade
from storage.models import Chat, ChatPurpose, Member, Occurrence, Plan, Report, Role, Unit
from storage.store import SqlStore
from storage.summary_queries import plan_summary

NOW = datetime(2024, 5, 6, 9, 0, tzinfo=VN_TZ)
TASKS = """
[[tasks]]
code = "T1"
title = "Ban hành kế hoạch tuyên truyền"
lead = ["PHONG-1"]
support = ["UBND-XA"]
when = "Tháng 1"

[[tasks]]
code = "T2"
title = "Đăng tin trên trang thông tin điện tử"
lead = ["UBND-XA"]
when = "01 chuyên mục/01 tháng"

[[tasks]]
code = "T3"
title = "Tổ chức hội nghị tuyên truyền"
lead = ["UBND-XA"]
when = "Quý II/2024"

[[tasks]]
code = "T4"
title = "Báo cáo kết quả"
lead = ["PHONG-1"]
when = "Định kỳ quý, 06 tháng, năm"

[[tasks]]
code = "D1"
title = "Theo dõi, đôn đốc"
lead = ["PHONG-1"]
support = ["UBND-XA"]
when = "Thường xuyên trong năm"
"""


def plan_toml(communes: int) -> str:
    lines = [
        "[plan]",
        f'code = "xa-{communes}"',
        'title = "Kế hoạch tuyên truyền cải cách hành chính năm 2024"',
        'issuer = "Ủy ban nhân dân huyện Thử Nghiệm"',
        "year = 2024",
        "[[units]]",
        'code = "PHONG-1"',
        'name = "Phòng Nội vụ"',
        'kind = "phòng"',
    ]
    for i in range(1, communes + 1):
        lines += ["[[units]]", f'code = "XA-{i}"', f'name = "UBND xã số {i}"', 'kind = "xã"']
    members = ", ".join(f'"XA-{i}"' for i in range(1, communes + 1))
    lines += ["[[groups]]", 'code = "UBND-XA"', 'name = "UBND các xã"', f"members = [{members}]"]
    return "\n".join(lines) + TASKS


@contextmanager
def counted(engine) -> Iterator[list[str]]:
    statements: list[str] = []

    def note(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", note)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", note)


class Plant:
    """A plan of ``communes`` communes with one report of each on each deadline begun."""

    def __init__(self, tmp_path, communes: int) -> None:
        self.engine = make_engine(f"sqlite:///{tmp_path}/cost-{communes}.db")
        upgrade(self.engine)
        clock = SimulatedClock(NOW)
        with session_scope(self.engine) as session:
            load_plan(session, parse_plan(plan_toml(communes).encode(), "test"), NOW)
        with session_scope(self.engine) as session:
            plan = session.exec(select(Plan)).one()
            units = session.exec(select(Unit).where(Unit.plan_id == plan.id)).all()
            occurrences = session.exec(select(Occurrence)).all()
            first = next(u for u in units if u.code == "XA-1")
            session.add(
                Member(
                    platform="console",
                    user_id="lan",
                    display_name="Lan",
                    role=Role.MEMBER,
                    unit_id=first.id,
                    created_at=NOW,
                )
            )
            session.add(
                Chat(
                    platform="console",
                    chat_id="lan",
                    kind="private",
                    purpose=ChatPurpose.PRIVATE,
                    created_at=NOW,
                )
            )
            number = 0
            for unit in units:
                if unit.is_group:
                    continue
                for occurrence in occurrences:
                    if occurrence.start_at and occurrence.start_at > NOW:
                        continue
                    number += 1
                    session.add(
                        Report(
                            occurrence_id=occurrence.id,
                            unit_id=unit.id,
                            status="in_progress",
                            percent=50,
                            created_at=NOW - timedelta(days=3),
                            platform="console",
                            source_chat_id="seed",
                            source_message_id=str(number),
                        )
                    )
            self.plan_id = plan.id
        self.reports = number
        self.core = ChatCore(SqlStore(self.engine), clock, CoreSettings())
        self._message = 0

    def say(self, text: str, choice: str | None = None) -> list[str]:
        self._message += 1
        message = IncomingMessage(
            platform="console",
            chat_id="lan",
            chat_kind=ChatKind.PRIVATE,
            sender_id="lan",
            sender_name="Lan",
            text=text,
            message_id=f"m{self._message}",
            choice=choice,
        )
        return [reply.text for reply in self.core.handle(message)]

    def cost(self, text: str, choice: str | None = None) -> int:
        with counted(self.engine) as statements:
            self.say(text, choice)
        return len(statements)


@pytest.fixture(scope="module")
def plants(tmp_path_factory) -> dict[int, Plant]:
    folder = tmp_path_factory.mktemp("cost")
    return {n: Plant(folder, n) for n in (10, 200)}


def _costs(plant: Plant) -> dict[str, int]:
    costs = {
        "/baocao T2 60% đã đăng 2 tin": plant.cost("/baocao T2 60% đã đăng 2 tin"),
        "/baocao T3 hoàn thành": plant.cost("/baocao T3 hoàn thành"),
        "/nhiemvu": plant.cost("/nhiemvu"),
        "/hanchot 30": plant.cost("/hanchot 30"),
        "/baocao": plant.cost("/baocao"),
    }
    flow = plant.core.store.load_flow("console", "lan", "lan")
    assert flow is not None
    task = next(value for label, value in flow.data["choices"] if "T3" in label)
    costs["(task picked)"] = plant.cost("", task)
    costs["(status picked)"] = plant.cost("", "s.done")
    costs["(note)"] = plant.cost("xong")
    costs["(no file)"] = plant.cost("bỏ qua")
    return costs


def test_a_report_costs_the_same_few_queries_in_a_plan_of_10_or_200_units(plants):
    small, large = _costs(plants[10]), _costs(plants[200])
    assert plants[200].reports > 10 * plants[10].reports
    assert small == large
    assert max(small.values()) <= 20, small


def test_a_report_reads_no_report_row_as_an_object(plants):
    loaded: list[Report] = []

    def note(target, context):
        loaded.append(target)

    event.listen(Report, "load", note)
    try:
        assert "đang thực hiện" in plants[200].say("/baocao T2 70%")[0]
    finally:
        event.remove(Report, "load", note)
    assert loaded == []


@pytest.mark.parametrize("what", ["summary", "workbook"])
def test_summaries_and_the_workbook_never_load_report_rows(plants, what):
    """They read aggregates and stream rows: no ORM ``Report`` object, and a number of
    statements that does not grow with the plan."""
    loaded: list[Report] = []
    counts = []

    def note(target, context):
        loaded.append(target)

    event.listen(Report, "load", note)
    try:
        for plant in plants.values():
            with counted(plant.engine) as statements, session_scope(plant.engine) as session:
                plan = session.get(Plan, plant.plan_id)
                assert plan is not None
                if what == "summary":
                    result = plan_summary(session, plant.plan_id, NOW)
                    assert result.counts.total > 0
                else:
                    assert workbook_bytes(session, plan, NOW)[:2] == b"PK"
            counts.append(len(statements))
    finally:
        event.remove(Report, "load", note)
    assert loaded == []
    assert counts[0] == counts[1] <= 12, counts
