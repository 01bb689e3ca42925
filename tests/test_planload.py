"""Loading plans into the database: idempotent, updates in place, keeps the reports."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import Session, func, select

from scheduler.planfile import parse_plan
from scheduler.planload import load_plan
from storage.models import AuditLog, Occurrence, Plan, Report, Task, TaskAssignment, Unit
from tests.test_planfile import GOOD

NOW = datetime(2024, 2, 26, 1, 0, tzinfo=UTC)


def _load(engine, text: str):
    with Session(engine) as session:
        result = load_plan(session, parse_plan(text.encode(), "x"), NOW)
        session.commit()
        return result


def _count(session: Session, model) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


def _snapshot(engine) -> dict:
    with Session(engine) as session:
        return {
            model.__name__: _count(session, model)
            for model in (Plan, Unit, Task, TaskAssignment, Occurrence, AuditLog)
        }


def test_loading_creates_tasks_units_and_deadlines(engine):
    result = _load(engine, GOOD)
    assert (result.created, result.tasks, result.occurrences, result.units) == (True, 2, 5, 3)
    with Session(engine) as session:
        task = session.exec(select(Task).where(Task.code == "T1")).one()
        roles = sorted(
            (link.role, session.get(Unit, link.unit_id).code)
            for link in session.exec(
                select(TaskAssignment).where(TaskAssignment.task_id == task.id)
            )
        )
        assert roles == [("lead", "NV"), ("support", "UBND-PHUONG"), ("support", "VHTT")]


def test_loading_the_same_file_twice_changes_nothing(engine):
    _load(engine, GOOD)
    before = _snapshot(engine)
    result = _load(engine, GOOD)
    assert (result.created, result.updated) == (False, False)
    assert _snapshot(engine) == before


def test_a_changed_file_updates_the_plan_and_keeps_reports(engine):
    _load(engine, GOOD)
    with Session(engine) as session:
        occurrence = session.exec(
            select(Occurrence).where(Occurrence.period == "Tháng 2/2024")
        ).one()
        unit = session.exec(select(Unit).where(Unit.code == "NV")).one()
        session.add(
            Report(
                occurrence_id=occurrence.id,
                unit_id=unit.id,
                status="in_progress",
                percent=50,
                created_at=NOW,
                platform="console",
                source_chat_id="c",
                source_message_id="1",
            )
        )
        session.commit()
    changed = GOOD.replace(
        'title = "Thành lập Tổ truyền thông"', 'title = "Thành lập Tổ truyền thông cấp thị"'
    )
    result = _load(engine, changed)
    assert (result.created, result.updated) == (False, True)
    with Session(engine) as session:
        task = session.exec(select(Task).where(Task.code == "T1")).one()
        assert task.title == "Thành lập Tổ truyền thông cấp thị"
        report = session.exec(select(Report)).one()
        assert session.get(Occurrence, report.occurrence_id).task_id == task.id
        assert _count(session, Plan) == 1


def test_a_task_removed_from_the_file_is_deactivated_not_deleted(engine):
    _load(engine, GOOD)
    _load(engine, GOOD.split('[[tasks]]\ncode = "T2"')[0])
    with Session(engine) as session:
        tasks = {t.code: t.active for t in session.exec(select(Task))}
    assert tasks == {"T1": True, "T2": False}
