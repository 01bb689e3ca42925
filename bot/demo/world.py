"""The world of ``nhacviec demo`` and its year: the chat core, the reminders runner and
the simulated people on one simulated clock, driven from one moment that matters to the
next.

A day starts with one tick of the real reminders runner when sending opens (07:30): it
writes the outbox rows of the next two days and sends what is due. After that a tick is
needed only when a row falls due (08:00 for the policy's reminders and the weekly
summary), and people type at the times they planned (an officer answers a reminder some
minutes or hours later; the coordinator and the leader look at the figures on set days).
Days off need no tick at all: nothing is sent on them. So the year takes a few hundred
ticks instead of the million a 30-second tick would make.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from typing import TextIO

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from bot.config import Config
from bot.core.bot import ChatCore
from bot.demo.cast import CAST, OPERATOR, Officer, Seat, register, slash
from bot.demo.chat import Channel, Counters, DemoSender, Transcript, reply_text
from bot.exports import SqlFileBuilder
from bot.runtime import core_settings
from bot.stores import chat_store
from bot.timing import reminder_runner, work_calendar
from messages import demo as texts
from messages.i18n import language
from scheduler.clock import SimulatedClock
from scheduler.outbox import LEADERSHIP
from storage.models import (
    Reminder,
    ReminderState,
    ReportStatus,
    Role,
    Task,
    TaskAssignment,
    Unit,
)

QUARTER_STARTS = (4, 7, 10)  # officers say where their year-long tasks stand


class Agenda:
    """What the people will type, in time order (ties in the order planned)."""

    def __init__(self) -> None:
        self._heap: list = []
        self._order = itertools.count()

    def add(self, when: datetime, action: Callable[[Channel], object]) -> None:
        heapq.heappush(self._heap, (when, next(self._order), action))

    def next_before(self, limit: datetime) -> datetime | None:
        return self._heap[0][0] if self._heap and self._heap[0][0] < limit else None

    def pop(self) -> Callable[[Channel], object]:
        return heapq.heappop(self._heap)[2]


class Demo:
    """The world of the demo and its year, driven day by day."""

    def __init__(
        self,
        config: Config,
        engine: Engine,
        plan_code: str,
        lang: str,
        seed: int,
        out: TextIO | None,
    ) -> None:
        self.engine = engine
        self.plan_code = plan_code
        self.lang = lang
        self.calendar = work_calendar(config)
        self.clock = SimulatedClock(datetime(2024, 1, 1, tzinfo=UTC))
        self.counters = Counters()
        self.transcript = Transcript(out)
        # The demo's own operator, who makes the invite codes; the configured ones are not
        # on the console.
        settings = replace(
            core_settings(config),
            operators={"console": frozenset({OPERATOR})},
            default_language=lang,
        )
        core = ChatCore(chat_store(engine), self.clock, settings, SqlFileBuilder(engine))
        self.channel = Channel(core, self.clock, self.transcript, self.counters)
        self.sender = DemoSender(self.clock, self.transcript, self.counters)
        self.runner = reminder_runner(config, engine, self.clock, self.sender)
        self.agenda = Agenda()
        self.officers = {
            seat.chat.key: Officer(seat, seed, lang) for seat in CAST if seat.role == Role.MEMBER
        }
        self.leader = next(seat for seat in CAST if seat.role == Role.LEADER)
        self.coordinator = next(seat for seat in CAST if seat.role == Role.COORDINATOR)
        self._leader_looked = False
        for seat in CAST:
            self.sender.chats[seat.chat.key] = seat.chat

    def at(self, day: date, moment: time) -> datetime:
        return self.calendar.at(day, moment)

    def _slash(self, command: str) -> str:
        return slash(command, self.lang)

    # -- the year ----------------------------------------------------------------------

    def setup(self, first_day: date, last_day: date) -> None:
        """Everyone registers on the first working morning; the overseers' days are set."""
        moment = self.at(first_day, time(7, 35))

        def step() -> None:
            nonlocal moment
            moment += timedelta(minutes=1)
            self.clock.set(moment)

        self.clock.set(moment)
        with language(self.lang):
            register(self.channel, self.plan_code, self.lang, step)
        self._plan_overseers(first_day, last_day)

    def _plan_overseers(self, first_day: date, last_day: date) -> None:
        coordinator, leader = self.coordinator, self.leader
        # The coordinator looks at the overdue list three working days after each deadline.
        for due in self._due_days():
            day = self.calendar.add_working_days(due, 3)
            if first_day < day <= last_day:
                self._plan_typing(self.at(day, time(9, 0)), coordinator, self._slash("quahan"))
        # The leader asks for the summary once, mid-year.
        midyear = self.calendar.working_day_on_or_after(date(first_day.year, 7, 1))
        if midyear <= last_day:
            self._plan_typing(self.at(midyear, time(9, 30)), leader, self._slash("tonghop"))
        for month in QUARTER_STARTS:
            day = self.calendar.working_day_on_or_after(date(first_day.year, month, 1))
            if first_day < day <= last_day:
                for number, officer in enumerate(self.officers.values()):
                    self._plan_progress(day, number, officer)

    def _plan_typing(self, when: datetime, seat: Seat, text: str) -> None:
        self.agenda.add(when, lambda channel: channel.type(seat.person, seat.chat, text))

    def _plan_progress(self, day: date, number: int, officer: Officer) -> None:
        codes = self._year_long_tasks(officer.seat.unit or "", self.at(day, time(0)))
        if not codes:
            return
        rng = officer.rng("quarter", day.isoformat())
        code = rng.choice(codes)
        percent = min(90, 10 * (day.month // 3) * 2 + rng.randint(0, 2) * 10)
        with language(self.lang):
            note = rng.choice(texts.notes("progress"))
        when = self.at(day, time(10, 0)) + timedelta(minutes=7 * number)
        self.agenda.add(
            when,
            lambda channel: officer.report(channel, code, ReportStatus.IN_PROGRESS, percent, note),
        )

    def _due_days(self) -> list[date]:
        with Session(self.engine) as session:
            dues = session.exec(select(Task.due_at).where(col(Task.due_at).is_not(None))).all()
        return sorted({self.calendar.local(due).date() for due in dues if due})

    def _year_long_tasks(self, unit_code: str, after: datetime) -> list[str]:
        """The unit's tasks still due more than two months ahead."""
        with Session(self.engine) as session:
            rows = session.exec(
                select(Task.code, Task.due_at)
                .join(TaskAssignment, col(TaskAssignment.task_id) == Task.id)
                .join(Unit, col(Unit.id) == TaskAssignment.unit_id)
                .where(Unit.code == unit_code, col(Task.due_at).is_not(None))
                .order_by(col(Task.position))
            ).all()
        return [code for code, due in rows if due and due > after + timedelta(days=60)]

    async def day(self, day: date) -> None:
        """Tick at the moments that matter and let people type, in time order."""
        # The first tick, when sending opens, writes the outbox rows of the next two days;
        # after it, a tick is needed only when a row falls due. Days off need none.
        working = self.calendar.is_working_day(day)
        opening = self.at(day, self.calendar.window_start) if working else None
        midnight = self.at(day + timedelta(days=1), time(0))
        last: datetime | None = None
        while True:
            due = self._next_due(day, last) if last else None
            tick = opening if last is None else due
            typed = self.agenda.next_before(midnight)
            if typed is not None and (tick is None or typed < tick):
                self.clock.set(typed)
                self.agenda.pop()(self.channel)
                continue
            if tick is None:
                return
            self.clock.set(tick)
            await self.runner.tick()
            last = tick
            self._read_inbox()

    def _next_due(self, day: date, last: datetime) -> datetime | None:
        """The next moment after ``last`` an outbox row falls due, before sending closes."""
        end = self.at(day, self.calendar.window_end)
        with Session(self.engine) as session:
            rows = session.exec(
                select(Reminder.due_at, Reminder.next_attempt_at).where(
                    col(Reminder.state).in_((ReminderState.PENDING, ReminderState.HELD)),
                    col(Reminder.due_at) < end,
                )
            ).all()
        moments = [max(due, retry) if retry else due for due, retry in rows]
        return min((m for m in moments if last < m < end), default=None)

    def _read_inbox(self) -> None:
        now = self.clock.now()
        for chat_id, text in self.sender.read_inbox():
            officer = self.officers.get(chat_id)
            if officer is not None:
                for when, action in officer.read(text, now):
                    self.agenda.add(when, action)
        if not self._leader_looked and self._escalated():
            self._leader_looked = True  # the first escalation: the leader looks into it
            self._plan_typing(now + timedelta(minutes=45), self.leader, self._slash("quahan"))

    def _escalated(self) -> bool:
        with Session(self.engine) as session:
            return (
                session.exec(
                    select(Reminder.id).where(
                        Reminder.kind == LEADERSHIP, Reminder.state == ReminderState.SENT
                    )
                ).first()
                is not None
            )

    def final_summary(self, day: date) -> tuple[datetime, str]:
        """The leader's /tonghop at the end of the last day, as the bot answers it."""
        when = self.at(day, self.calendar.window_end) - timedelta(minutes=15)
        self.clock.set(when)
        seat = self.leader
        replies = self.channel.type(seat.person, seat.chat, self._slash("tonghop"), shown=False)
        return when, "\n\n".join(reply_text(reply) for reply in replies)
