"""A task is done when its sub-tasks are (issue 11, point 7): "1. Xây dựng cơ sở dữ liệu"
with "1.1 Số hóa hồ sơ hộ tịch" and "1.2 ..." under it needs no report of its own once
1.1 and 1.2 are finished.

First the plain function on entries, then through the database with the 2025 document of
``tests.test_plan_documents`` (task 1 and its sub-task 1.1, both led by the office).
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import Session, select

from scheduler.planfile import parse_plan
from scheduler.planload import load_plan
from storage.engine import make_engine, session_scope, upgrade
from storage.models import Occurrence, Plan, Report, ReportStatus, Task, Unit
from storage.progress import Entry, UnitRef
from storage.progress_queries import plan_progress
from storage.subtasks import parents_done
from tests.test_plan_documents import PLAN

OFFICE = UnitRef(1, "VP", "Văn phòng")
ECONOMY = UnitRef(2, "KT", "Phòng Kinh tế")
DUE = datetime(2026, 12, 31, 16, 59, 59, tzinfo=UTC)


def entry(task_id: int, unit: UnitRef, status=None, at: datetime | None = None) -> Entry:
    return Entry(
        plan_id=1,
        occurrence_id=task_id * 10,
        task_id=task_id,
        task_code=str(task_id),
        task_title=f"Nhiệm vụ {task_id}",
        task_position=task_id,
        when_text="Năm 2026",
        period="Năm 2026",
        start_at=None,
        due_at=DUE,
        unit=unit,
        role="lead",
        status=status,
        percent=100 if status == ReportStatus.DONE else None,
        late=False,
        reported_at=at,
        note=None,
        evidence_count=0,
        report_count=1 if status else 0,
        started=True,
        overdue=False,
    )


def shown(entries) -> list[tuple[int, str, str | None, str | None]]:
    return [
        (e.task_id, e.unit.code, e.status, e.reported_at and f"{e.reported_at:%d/%m/%Y}")
        for e in entries
    ]


DONE = ReportStatus.DONE
MAY, JUNE = datetime(2026, 5, 4, tzinfo=UTC), datetime(2026, 6, 8, tzinfo=UTC)


def test_the_parent_is_done_on_the_day_its_last_sub_task_is():
    entries = (
        entry(1, OFFICE),
        entry(2, OFFICE, DONE, MAY),
        entry(3, ECONOMY, DONE, JUNE),
        entry(4, ECONOMY),  # not a sub-task of 1
    )
    assert shown(parents_done(entries, {2: 1, 3: 1})) == [
        (1, "VP", "done", "08/06/2026"),
        (2, "VP", "done", "04/05/2026"),
        (3, "KT", "done", "08/06/2026"),
        (4, "KT", None, None),
    ]


def test_a_sub_task_not_done_leaves_the_parent_as_reported():
    entries = (
        entry(1, OFFICE, ReportStatus.IN_PROGRESS, MAY),
        entry(2, OFFICE, DONE, MAY),
        entry(3, ECONOMY, ReportStatus.IN_PROGRESS, JUNE),
    )
    assert parents_done(entries, {2: 1, 3: 1}) == entries


def test_done_after_the_parents_deadline_is_done_late():
    late = datetime(2027, 1, 5, tzinfo=UTC)
    (parent, _child) = parents_done((entry(1, OFFICE), entry(2, OFFICE, DONE, late)), {2: 1})
    assert (parent.done_late, parent.overdue, parent.percent) == (True, False, 100)


def test_through_the_database(sqlite_url):
    engine = make_engine(sqlite_url)
    upgrade(engine)
    loaded = datetime(2025, 11, 20, 1, 0, tzinfo=UTC)
    with session_scope(engine) as session:
        load_plan(session, parse_plan(PLAN.encode("utf-8"), "cds.toml"), loaded)
    with Session(engine) as session:
        plan = session.exec(select(Plan)).one()
        office = session.exec(select(Unit).where(Unit.code == "VP")).one()
        child = session.exec(select(Task).where(Task.code == "1.1")).one()
        occurrence = session.exec(select(Occurrence).where(Occurrence.task_id == child.id)).one()
        before = plan_progress(session, plan.id, datetime(2026, 7, 1, tzinfo=UTC))
        session.add(
            Report(
                occurrence_id=occurrence.id,
                unit_id=office.id,
                status=ReportStatus.DONE,
                percent=100,
                created_at=datetime(2026, 6, 20, 2, 0, tzinfo=UTC),
                platform="telegram",
                source_chat_id="1",
                source_message_id="1",
            )
        )
        session.commit()
        after = plan_progress(session, plan.id, datetime(2026, 7, 1, tzinfo=UTC))
    engine.dispose()

    def parent(progress):
        (row,) = [e for e in progress.entries if e.task_code == "1"]
        return row.status, row.reported_at and f"{row.reported_at:%d/%m/%Y}"

    assert parent(before) == (None, None)
    assert parent(after) == ("done", "20/06/2026")
