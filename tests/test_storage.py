"""The storage layer on SQLite and PostgreSQL: the schema, its constraints, aware instants."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError, StatementError
from sqlmodel import Session, select

from storage.engine import make_engine, normalize_url, session_scope, upgrade
from storage.models import (
    Chat,
    Occurrence,
    Plan,
    Reminder,
    Report,
    Task,
    Unit,
)

NOW = datetime(2024, 2, 26, 1, 0, tzinfo=UTC)


def _plan(session: Session, code: str = "p") -> Plan:
    plan = Plan(
        code=code, title="Kế hoạch", issuer="UBND", year=2024, source_hash="x", loaded_at=NOW
    )
    session.add(plan)
    session.flush()
    return plan


def _task(session: Session, plan: Plan, code: str = "T1") -> Task:
    task = Task(plan_id=plan.id, code=code, title="Nhiệm vụ", when_text="Tháng 2", kind="window")
    session.add(task)
    session.flush()
    return task


def test_every_table_exists(empty_db_url):
    engine = make_engine(empty_db_url)
    upgrade(engine)  # from nothing: the migrations make the whole schema
    tables = set(inspect(engine).get_table_names())
    engine.dispose()
    assert {
        "plan",
        "unit",
        "unitgroupmember",
        "task",
        "taskassignment",
        "occurrence",
        "member",
        "chat",
        "invitecode",
        "report",
        "reminder",
        "auditlog",
        "alembic_version",
    } <= tables


def test_upgrade_twice_changes_nothing(engine):
    from alembic.script import ScriptDirectory

    from storage.engine import alembic_config

    head = ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
    upgrade(engine)
    with engine.connect() as connection:
        assert connection.execute(text("select version_num from alembic_version")).scalar() == head


def test_task_code_is_unique_inside_its_plan(engine):
    with Session(engine) as session:
        first, second = _plan(session, "a"), _plan(session, "b")
        _task(session, first)
        _task(session, second)  # the same code in another plan is fine
        session.commit()
        with pytest.raises(IntegrityError):
            _task(session, first)


def test_unit_code_is_unique_inside_its_plan(engine):
    with Session(engine) as session:
        plan = _plan(session)
        session.add(Unit(plan_id=plan.id, code="VHTT", name="Phòng Văn hóa", kind="phòng"))
        session.flush()
        session.add(Unit(plan_id=plan.id, code="VHTT", name="Khác", kind="phòng"))
        with pytest.raises(IntegrityError):
            session.flush()


def test_foreign_keys_are_enforced(engine):
    with Session(engine) as session:
        session.add(Task(plan_id=999, code="T1", title="x", when_text="x", kind="window"))
        with pytest.raises(IntegrityError):
            session.flush()


def test_deleting_a_plan_removes_its_tasks(engine):
    with session_scope(engine) as session:
        plan = _plan(session)
        _task(session, plan)
    with session_scope(engine) as session:
        session.delete(session.get(Plan, plan.id))
    with Session(engine) as session:
        assert session.exec(select(Task)).all() == []


def _chat_and_occurrence(session: Session) -> tuple[Chat, Occurrence, Unit]:
    plan = _plan(session)
    task = _task(session, plan)
    unit = Unit(plan_id=plan.id, code="VHTT", name="Phòng Văn hóa", kind="phòng")
    occurrence = Occurrence(task_id=task.id, period="Tháng 2/2024", due_at=NOW)
    chat = Chat(
        platform="telegram", chat_id="-100123", kind="group", purpose="unit", created_at=NOW
    )
    session.add_all([unit, occurrence, chat])
    session.flush()
    return chat, occurrence, unit


def test_reminder_dedupe_key_is_unique(engine):
    with Session(engine) as session:
        chat, occurrence, _ = _chat_and_occurrence(session)
        for _attempt in range(2):
            session.add(
                Reminder(
                    dedupe_key=f"{chat.id}:{occurrence.id}:before-3",
                    chat_id=chat.id,
                    occurrence_id=occurrence.id,
                    kind="reminder",
                    step="before-3",
                    due_at=NOW,
                )
            )
        with pytest.raises(IntegrityError):
            session.flush()


def test_a_message_makes_at_most_one_report(engine):
    with Session(engine) as session:
        chat, occurrence, unit = _chat_and_occurrence(session)
        for _attempt in range(2):
            session.add(
                Report(
                    occurrence_id=occurrence.id,
                    unit_id=unit.id,
                    status="done",
                    percent=100,
                    created_at=NOW,
                    platform="telegram",
                    source_chat_id=chat.chat_id,
                    source_message_id="42",
                )
            )
        with pytest.raises(IntegrityError):
            session.flush()


def test_chat_ids_are_text_per_platform(engine):
    with session_scope(engine) as session:
        session.add(
            Chat(
                platform="telegram",
                chat_id="123",
                kind="private",
                purpose="private",
                created_at=NOW,
            )
        )
        session.add(
            Chat(
                platform="zalo",
                chat_id="6ede9afa66b88fe6d6a9",
                kind="private",
                purpose="private",
                created_at=NOW,
            )
        )
        session.add(
            Chat(platform="zalo", chat_id="123", kind="private", purpose="private", created_at=NOW)
        )
    with Session(engine) as session:
        assert {c.chat_id for c in session.exec(select(Chat))} == {"123", "6ede9afa66b88fe6d6a9"}


def test_instants_come_back_aware_in_utc(engine):
    hanoi = timezone(timedelta(hours=7))
    due = datetime(2024, 2, 29, 23, 59, 59, tzinfo=hanoi)
    with session_scope(engine) as session:
        plan = _plan(session)
        task = _task(session, plan)
        session.add(Occurrence(task_id=task.id, period="Tháng 2/2024", due_at=due))
    with Session(engine) as session:
        stored = session.exec(select(Occurrence)).one().due_at
    assert stored == due
    assert stored.utcoffset() == timedelta(0)


def test_naive_instants_are_refused(engine):
    with Session(engine) as session:
        plan = _plan(session)
        task = _task(session, plan)
        session.add(Occurrence(task_id=task.id, period="x", due_at=datetime(2024, 1, 1)))  # noqa: DTZ001
        with pytest.raises(StatementError):
            session.flush()


def test_sqlite_runs_in_wal_mode_with_foreign_keys(sqlite_url):
    engine = make_engine(sqlite_url)
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_postgres_urls_use_psycopg():
    assert normalize_url("postgresql://u@h/db").startswith("postgresql+psycopg://")
    assert normalize_url("sqlite:///x.db") == "sqlite:///x.db"


def test_reminders_written_before_0004_get_their_unit_from_their_key(empty_db_url):
    engine = make_engine(empty_db_url)
    upgrade(engine, "0003")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO plan (id, code, title, issuer, year, report_day, source_hash,"
                " loaded_at) VALUES (1, 'p', 't', 'i', 2024, 15, 'h', '2024-01-01 00:00:00+00:00')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO unit (id, plan_id, code, name, kind, is_group)"
                " VALUES (7, 1, 'NV', 'Phòng Nội vụ', 'phòng', false)"
            )
        )
        connection.execute(
            text(
                "INSERT INTO chat (id, platform, chat_id, kind, purpose, language, active,"
                " created_at) VALUES (3, 'zalo', 'c', 'group', 'unit', 'vi', true,"
                " '2024-01-01 00:00:00+00:00')"
            )
        )
        for row_id, key in ((1, "u:3:9:7:before-3"), (2, "l:3:9:escalate"), (3, "u:3:9:8:due")):
            connection.execute(
                text(
                    "INSERT INTO reminder (id, dedupe_key, chat_id, kind, step, due_at, state,"
                    " attempts) VALUES (:id, :key, 3, 'lead', 's',"
                    " '2024-01-01 00:00:00+00:00', 'sent', 0)"
                ),
                {"id": row_id, "key": key},
            )
    upgrade(engine)
    with Session(engine) as session:
        units = {r.id: r.unit_id for r in session.exec(select(Reminder))}
    engine.dispose()
    assert units == {1: 7, 2: None, 3: None}  # unit 8 does not exist: left empty
