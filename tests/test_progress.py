"""``storage.progress``: who owes what, latest statuses, counts, overdue and missing units.

A small plan written here as its TOML file: a group with members (owed by each member),
a group without members (owed by the group itself), a monthly task, an unscheduled one.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import Session, select

from scheduler.planfile import parse_plan
from scheduler.planload import load_plan
from storage.models import Occurrence, Report, ReportStatus, Task, Unit
from storage.progress import open_entries
from storage.progress_queries import plan_progress

PLAN = """\
[plan]
code = "tien-do-2024"
title = "Kế hoạch thử tiến độ năm 2024"
issuer = "UBND huyện"
year = 2024

[[units]]
code = "NV"
name = "Phòng Nội vụ"
kind = "phòng"

[[units]]
code = "XA-A"
name = "UBND xã A"
kind = "xã"

[[units]]
code = "XA-B"
name = "UBND xã B"
kind = "xã"

[[groups]]
code = "UBND-XA"
name = "UBND các xã"
members = ["XA-A", "XA-B"]

[[groups]]
code = "DOAN-THE"
name = "Các đoàn thể"
members = []

[[tasks]]
code = "T1"
title = "Tập huấn"
lead = ["NV"]
support = ["UBND-XA", "DOAN-THE"]
when = "Tháng 2"

[[tasks]]
code = "T2"
title = "Chuyên mục hằng tháng"
lead = ["UBND-XA"]
support = ["XA-A"]
when = "hằng tháng"

[[tasks]]
code = "T3"
title = "Theo kế hoạch của Sở"
lead = ["NV"]
when = "Theo Kế hoạch của Sở"
"""

LOADED = datetime(2024, 1, 2, tzinfo=UTC)
NOW = datetime(2024, 3, 10, 3, 0, tzinfo=UTC)  # 10/03/2024 10:00 in Hà Nội


@pytest.fixture
def plan(engine):
    with Session(engine) as session:
        result = load_plan(session, parse_plan(PLAN.encode(), "tien-do-2024.toml"), LOADED)
        session.commit()
        return result.plan_id


def _report(session, task: str, unit: str, period: str, status, percent, at, late=False):
    occurrence = session.exec(
        select(Occurrence).join(Task).where(Task.code == task, Occurrence.period == period)
    ).one()
    unit_row = session.exec(select(Unit).where(Unit.code == unit)).one()
    session.add(
        Report(
            occurrence_id=occurrence.id,
            unit_id=unit_row.id,
            status=status,
            percent=percent,
            evidence='[{"kind": "photo", "file_id": "f1", "name": null}]',
            late=late,
            created_at=at,
            platform="console",
            source_chat_id="x",
            source_message_id=f"{task}-{unit}-{period}-{at.isoformat()}",
        )
    )


def test_groups_are_owed_by_their_members_or_by_themselves(engine, plan):
    with Session(engine) as session:
        progress = plan_progress(session, plan, NOW)
    t1 = [(e.unit.code, e.role) for e in progress.entries if e.task_code == "T1"]
    assert t1 == [
        ("NV", "lead"),
        ("XA-A", "support"),
        ("XA-B", "support"),
        ("DOAN-THE", "support"),
    ]
    # XA-A leads T2 through its group and supports it directly: it counts once, as lead.
    t2 = {(e.unit.code, e.role) for e in progress.entries if e.task_code == "T2"}
    assert t2 == {("XA-A", "lead"), ("XA-B", "lead")}
    assert len([e for e in progress.entries if e.task_code == "T2"]) == 24  # 12 months, 2 xã


def test_counts_overdue_and_missing(engine, plan):
    with Session(engine) as session:
        _report(
            session,
            "T1",
            "NV",
            "Tháng 2/2024",
            "in_progress",
            60,
            datetime(2024, 2, 20, tzinfo=UTC),
        )
        _report(
            session,
            "T1",
            "NV",
            "Tháng 2/2024",
            "done",
            100,
            datetime(2024, 3, 2, tzinfo=UTC),
            late=True,
        )
        _report(
            session, "T1", "XA-A", "Tháng 2/2024", "done", 100, datetime(2024, 2, 25, tzinfo=UTC)
        )
        _report(
            session, "T2", "XA-A", "Tháng 1/2024", "done", 100, datetime(2024, 1, 30, tzinfo=UTC)
        )
        _report(
            session, "T2", "XA-B", "Tháng 3/2024", "blocked", 10, datetime(2024, 3, 9, tzinfo=UTC)
        )
        session.commit()
        progress = plan_progress(session, plan, NOW)
    # In scope: T1 x4 units, T2 months 1-3 x2 xã, T3 (no start: always in scope) = 11.
    counts = progress.counts
    assert (counts.total, counts.done, counts.blocked, counts.not_reported) == (11, 3, 1, 7)
    assert progress.done_on_time_share == pytest.approx(2 / 11)
    assert progress.done_late_share == pytest.approx(1 / 11)
    nv_t1 = next(e for e in progress.entries if e.task_code == "T1" and e.unit.code == "NV")
    assert (nv_t1.status, nv_t1.late, nv_t1.report_count, nv_t1.evidence_count) == (
        ReportStatus.DONE,
        True,
        2,
        1,
    )
    overdue = [(o.task_code, o.period, [e.unit.code for e in o.entries]) for o in progress.overdue]
    assert overdue == [
        ("T2", "Tháng 1/2024", ["XA-B"]),
        ("T1", "Tháng 2/2024", ["XA-B", "DOAN-THE"]),
        ("T2", "Tháng 2/2024", ["XA-A", "XA-B"]),
    ]
    missing = {m.unit.code: [(e.task_code, e.period) for e in m.entries] for m in progress.missing}
    assert missing == {
        "NV": [("T3", "Năm 2024")],
        "XA-A": [("T2", "Tháng 2/2024"), ("T2", "Tháng 3/2024")],
        "XA-B": [("T1", "Tháng 2/2024"), ("T2", "Tháng 1/2024"), ("T2", "Tháng 2/2024")],
        "DOAN-THE": [("T1", "Tháng 2/2024")],
    }
    rows = {r.unit.code: (r.total, r.done_on_time, r.done_late, r.overdue) for r in progress.units}
    assert rows == {
        "NV": (2, 0, 1, 0),
        "XA-A": (4, 2, 0, 1),
        "XA-B": (4, 0, 0, 3),
        "DOAN-THE": (1, 0, 0, 1),
    }


def test_the_open_occurrence_of_a_monthly_task(engine, plan):
    with Session(engine) as session:
        _report(
            session, "T2", "XA-A", "Tháng 1/2024", "done", 100, datetime(2024, 1, 30, tzinfo=UTC)
        )
        session.commit()
        progress = plan_progress(session, plan, NOW)
    by_unit = {
        e.unit.code: e.period for e in open_entries(progress.entries) if e.task_code == "T2"
    }
    # The earliest month not done whose period has begun.
    assert by_unit == {"XA-A": "Tháng 2/2024", "XA-B": "Tháng 1/2024"}
    before = datetime(2023, 12, 1, tzinfo=UTC)
    with Session(engine) as session:
        early = plan_progress(session, plan, before)
    first = {e.unit.code: e.period for e in open_entries(early.entries) if e.task_code == "T2"}
    assert first == {"XA-A": "Tháng 2/2024", "XA-B": "Tháng 1/2024"}  # the next one not done
