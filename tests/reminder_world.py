"""A small world for the reminder tests: a real plan file loaded into a real database,
the chats and members that registration would have created, reports, and a runner
driven by a simulated clock, one tick a day (or as the test says)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from scheduler.clock import SimulatedClock
from scheduler.outbox import OutboxSettings
from scheduler.planfile import parse_plan
from scheduler.planload import load_plan
from scheduler.policy import PolicyBook
from scheduler.runner import ReminderRunner
from scheduler.workdays import WorkCalendar
from storage.models import (
    Chat,
    Member,
    Occurrence,
    Plan,
    Reminder,
    Report,
    Task,
    Unit,
)
from storage.timezone import VN_TZ
from tests.fakes.chat_channel import RecordingSender

PLANS = Path(__file__).resolve().parent.parent / "plans"
CALENDAR = WorkCalendar()


def local(text: str) -> datetime:
    """``"2024-02-29 08:00"`` in Asia/Ho_Chi_Minh."""
    return datetime.fromisoformat(text).replace(tzinfo=VN_TZ)


def load(engine: Engine, text: str, code: str, at: datetime) -> None:
    with Session(engine) as session:
        load_plan(session, parse_plan(text.encode(), code), at)
        session.commit()


def plan_text(code: str) -> str:
    return (PLANS / f"{code}.toml").read_text(encoding="utf-8")


@dataclass
class World:
    engine: Engine
    plan_code: str
    clock: SimulatedClock
    sender: RecordingSender = field(init=False)
    names: dict[int, str] = field(default_factory=dict)  # chat row id -> name in the test

    def __post_init__(self) -> None:
        self.sender = RecordingSender(self.clock)

    def unit(self, code: str) -> Unit:
        with Session(self.engine) as session:
            return session.exec(
                select(Unit)
                .join(Plan, col(Plan.id) == Unit.plan_id)
                .where(Plan.code == self.plan_code, Unit.code == code)
            ).one()

    def _chat(self, name: str, **values) -> Chat:
        with Session(self.engine, expire_on_commit=False) as session:
            chat = Chat(created_at=self.clock.now(), **values)
            session.add(chat)
            session.commit()
        assert chat.id is not None
        self.names[chat.id] = name
        return chat

    def unit_group(self, name: str, unit_code: str, platform: str, chat_id: str) -> Chat:
        """The unit's group chat, registered with the bot."""
        unit = self.unit(unit_code)
        return self._chat(
            name,
            platform=platform,
            chat_id=chat_id,
            kind="group",
            purpose="unit",
            title=name,
            unit_id=unit.id,
        )

    def leadership(self, name: str, platform: str, chat_id: str, language: str = "vi") -> Chat:
        return self._chat(
            name,
            platform=platform,
            chat_id=chat_id,
            kind="group",
            purpose="leadership",
            title=name,
            language=language,
        )

    def member(self, name: str, unit_code: str, platform: str, user_id: str) -> Chat | None:
        """A registered officer of the unit, with their private chat (one per platform)."""
        unit = self.unit(unit_code)
        with Session(self.engine, expire_on_commit=False) as session:
            session.add(
                Member(
                    platform=platform,
                    user_id=user_id,
                    display_name=name,
                    role="member",
                    unit_id=unit.id,
                    created_at=self.clock.now(),
                )
            )
            existing = session.exec(
                select(Chat).where(Chat.platform == platform, Chat.chat_id == user_id)
            ).first()
            session.commit()
        if existing is not None:
            return None
        return self._chat(
            name, platform=platform, chat_id=user_id, kind="private", purpose="private"
        )

    def occurrence(self, task_code: str, period: str | None = None) -> Occurrence:
        with Session(self.engine) as session:
            query = (
                select(Occurrence)
                .join(Task, col(Task.id) == Occurrence.task_id)
                .join(Plan, col(Plan.id) == Task.plan_id)
                .where(Plan.code == self.plan_code, Task.code == task_code)
            )
            if period is not None:
                query = query.where(Occurrence.period == period)
            return session.exec(query).one()

    def report(self, unit_code: str, task_code: str, status: str, period: str | None = None):
        """A report made now by the unit (as the chat core would store it)."""
        occurrence = self.occurrence(task_code, period)
        unit = self.unit(unit_code)
        with Session(self.engine) as session:
            count = len(session.exec(select(Report.id)).all())
            session.add(
                Report(
                    occurrence_id=occurrence.id,
                    unit_id=unit.id,
                    status=status,
                    created_at=self.clock.now(),
                    platform="telegram",
                    source_chat_id="r",
                    source_message_id=str(count + 1),
                )
            )
            session.commit()

    def runner(self, engine: Engine | None = None, **kwargs) -> ReminderRunner:
        return ReminderRunner(
            engine or self.engine,
            self.clock,
            kwargs.pop("sender", self.sender),
            kwargs.pop("calendar", CALENDAR),
            kwargs.pop("policies", PolicyBook()),
            kwargs.pop("settings", OutboxSettings()),
            **kwargs,
        )

    def sent(self) -> list[tuple[str, str, str, str]]:
        """Every sent reminder as (local instant, chat name, "task period", step), in order."""
        with Session(self.engine) as session:
            rows = session.exec(
                select(Reminder, Occurrence, Task)
                .join(Occurrence, col(Occurrence.id) == Reminder.occurrence_id)
                .join(Task, col(Task.id) == Occurrence.task_id)
                .where(Reminder.state == "sent")
            ).all()
        out = [
            (
                reminder.due_at.astimezone(VN_TZ).strftime("%Y-%m-%d %H:%M"),
                self.names[reminder.chat_id],
                f"{task.code} {occurrence.period}",
                reminder.step,
            )
            for reminder, occurrence, task in rows
        ]
        return sorted(out)


def daily(start: date, end: date, at: time = time(8, 0, 30)):
    """Each day from ``start`` to ``end`` at local time ``at``."""
    day = start
    while day <= end:
        yield datetime.combine(day, at, tzinfo=VN_TZ)
        day += timedelta(days=1)


def new_world(engine: Engine, plan_code: str, start: str, text: str | None = None) -> World:
    clock = SimulatedClock(local(start).astimezone(UTC))
    load(engine, text or plan_text(plan_code), plan_code, clock.now())
    return World(engine, plan_code, clock)
