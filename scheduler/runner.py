"""The reminder engine's heartbeat: one APScheduler job, ``tick``, every ``tick_seconds``.

A tick reads the time from the injected clock, materializes the outbox, and, when that
time is inside the sending window of a working day, claims the due reminders, sends
them one message per chat through the ``Sender`` and records each outcome; then, given
a ``SummarySchedule``, the same for the scheduled summaries to the leadership chats
(``scheduler.summaries``): each its own message(s), then its chart. Database
work runs in a worker thread so the event loop shared with the chat adapters stays
responsive. Tests (and the demo) call ``await runner.tick()`` directly and move a
``SimulatedClock`` between calls: nothing waits for real time.

``start()`` adds the job to an ``AsyncIOScheduler`` (its own, or one the caller owns)
inside the running event loop; ``nhacviec run`` owns that loop.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import uuid
from dataclasses import dataclass

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from scheduler.clock import Clock, RealClock
from scheduler.delivery import Outgoing, prepare
from scheduler.dispatch import Claimed, claim, record_failure, record_note, record_sent
from scheduler.outbox import DEFAULT_SETTINGS, OutboxSettings, Sender, SendFailure, materialize
from scheduler.policy import PolicyBook
from scheduler.summaries import SummarySchedule, materialize_summaries
from scheduler.summary_delivery import (
    Sleep,
    SummaryMessage,
    prepare_summaries,
    send_chart,
    send_text,
)
from scheduler.workdays import WorkCalendar
from storage.engine import session_scope

logger = logging.getLogger(__name__)

JOB_ID = "nhacviec-reminders-tick"
MAX_ROUNDS = 100  # claim rounds per tick: 50 chats each, the rest waits for the next tick
RECORD_TRIES = 3  # a sent message whose outcome cannot be written could be sent again


@dataclass
class TickReport:
    """What one tick did: rows written, messages sent, reminders and summaries sent, rows
    failed."""

    created: int = 0
    messages: int = 0
    sent: int = 0
    summaries: int = 0
    failed: int = 0


def worker_name() -> str:
    return f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class ReminderRunner:
    """Materialize, claim, send and record, on each tick."""

    def __init__(
        self,
        engine: Engine,
        clock: Clock,
        sender: Sender,
        calendar: WorkCalendar,
        policies: PolicyBook,
        settings: OutboxSettings = DEFAULT_SETTINGS,
        tick_seconds: float = 30.0,
        worker: str | None = None,
        summaries: SummarySchedule | None = None,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.engine = engine
        self.clock = clock
        self.sender = sender
        self.calendar = calendar
        self.policies = policies
        self.settings = settings
        self.tick_seconds = tick_seconds
        self.worker = worker or worker_name()
        self.summaries = summaries  # None: no scheduled summaries
        self._sleep = sleep  # between the in-place retries of a summary's later parts
        self._no_photos: set[str] = set()  # platforms that cannot send a summary's chart
        self._lock = asyncio.Lock()
        self._scheduler: AsyncIOScheduler | None = None
        self._owns_scheduler = False

    def _materialize(self) -> int:
        now, horizon = self.clock.now(), self.settings.horizon
        with session_scope(self.engine) as session:
            created = materialize(session, now, self.calendar, self.policies, horizon)
            if self.summaries is not None:
                created += materialize_summaries(
                    session, now, self.calendar, self.summaries, horizon
                )
            return created

    def _claim(self) -> list[Outgoing]:
        now = self.clock.now()
        with session_scope(self.engine) as session:
            claimed = claim(session, now, self.worker, self.settings)
        if not claimed:
            return []
        with session_scope(self.engine) as session:
            return prepare(session, claimed, self.worker, now, self.calendar, self.settings)

    def _claim_summaries(self) -> tuple[int, list[SummaryMessage]]:
        assert self.summaries is not None
        now = self.clock.now()
        with session_scope(self.engine) as session:
            claimed = claim(session, now, self.worker, self.settings, kinds=self.summaries.kinds)
        if not claimed:
            return 0, []
        with session_scope(self.engine) as session:
            prepared = prepare_summaries(
                session, claimed, self.worker, now, self.calendar, self.settings
            )
        return len(claimed), prepared

    def _record(
        self, claimed: list[Claimed], outcome: str | SendFailure, note: str | None = None
    ) -> None:
        for attempt in range(1, RECORD_TRIES + 1):
            try:
                return self._write_outcome(claimed, outcome, note)
            except OperationalError as error:
                if attempt == RECORD_TRIES:
                    logger.error(
                        "outbox: outcome of reminders %s not recorded (%s); they may go out "
                        "again after the claim lease",
                        [c.id for c in claimed],
                        error.orig,
                    )
                    raise

    def _write_outcome(
        self, claimed: list[Claimed], outcome: str | SendFailure, note: str | None
    ) -> None:
        with session_scope(self.engine) as session:
            ids = [c.id for c in claimed]
            if isinstance(outcome, SendFailure):
                record_failure(
                    session, claimed, self.worker, self.clock.now(), outcome, self.settings
                )
            else:
                record_sent(session, ids, self.worker, self.clock.now(), outcome, note)

    def _note(self, reminder_id: int, note: str) -> None:
        with session_scope(self.engine) as session:
            record_note(session, reminder_id, note)

    async def _deliver(self, outgoing: Outgoing, report: TickReport) -> None:
        failure: SendFailure | None = None
        for text, claimed in outgoing.parts:
            if failure is None:
                try:
                    message_id = await self.sender.send(
                        outgoing.platform, outgoing.platform_chat_id, text
                    )
                except SendFailure as error:
                    failure = error
                except Exception as error:  # an adapter bug must not stop the other chats
                    # Only the class: an HTTP error's text may carry a URL with the bot token.
                    name = error.__class__.__name__
                    logger.error("outbox: sender raised %s instead of SendFailure", name)
                    failure = SendFailure("temporary", name)
                else:
                    await asyncio.to_thread(self._record, claimed, message_id)
                    report.messages += 1
                    report.sent += len(claimed)
                    continue
            # The chat's later parts share the first failure: they go out together later.
            await asyncio.to_thread(self._record, claimed, failure)
            report.failed += len(claimed)

    async def _deliver_summary(self, message: SummaryMessage, report: TickReport) -> None:
        text = await send_text(self.sender, message, self._sleep)
        if text.message_id is None:
            assert text.failure is not None
            await asyncio.to_thread(self._record, [message.claimed], text.failure)
            report.failed += 1
            return
        # Recorded before the chart is drawn and sent: the text must not go out twice.
        await asyncio.to_thread(self._record, [message.claimed], text.message_id, text.note)
        report.summaries += 1
        report.messages += text.messages
        if text.note is None and self.summaries is not None and self.summaries.chart:
            note = await send_chart(self.sender, message, self._sleep, self._no_photos)
            if note is not None:
                await asyncio.to_thread(self._note, message.claimed.id, note)
            elif message.chart is not None:
                report.messages += 1

    async def tick(self) -> TickReport:
        """One pass of the engine at the clock's current time."""
        async with self._lock:
            report = TickReport()
            try:
                report.created = await asyncio.to_thread(self._materialize)
                if not self.calendar.is_sending_moment(self.clock.now()):
                    return report
                for _round in range(MAX_ROUNDS):
                    batch = await asyncio.to_thread(self._claim)
                    if not batch:
                        break
                    for outgoing in batch:
                        await self._deliver(outgoing, report)
                for _round in range(MAX_ROUNDS if self.summaries else 0):
                    count, messages = await asyncio.to_thread(self._claim_summaries)
                    if not count:
                        break
                    for message in messages:
                        await self._deliver_summary(message, report)
            except OperationalError as error:
                # SQLite busy with another process past its timeout, or the database is
                # unreachable: the next tick tries again (a claim whose outcome could not
                # be written is taken back after the claim lease).
                logger.warning(
                    "outbox: database unavailable, waiting for the next tick: %s", error.orig
                )
            return report

    async def _scheduled_tick(self) -> None:
        try:
            await self.tick()
        except Exception:  # logged; the next tick tries again
            logger.exception("outbox: tick failed")

    def start(self, scheduler: AsyncIOScheduler | None = None) -> AsyncIOScheduler:
        """Add the tick job (first run now) and start the scheduler if it is ours.

        Call from inside the running event loop.
        """
        if scheduler is None:
            scheduler, self._owns_scheduler = AsyncIOScheduler(), True
        scheduler.add_job(
            self._scheduled_tick,
            "interval",
            seconds=self.tick_seconds,
            id=JOB_ID,
            max_instances=1,
            coalesce=True,
            replace_existing=True,
            # APScheduler keeps real time; the tick itself reads the injected clock.
            next_run_time=RealClock().now(),
        )
        if not scheduler.running:
            scheduler.start()
        self._scheduler = scheduler
        return scheduler

    async def shutdown(self) -> None:
        """Remove the job, wait for a tick under way, and stop our own scheduler."""
        if self._scheduler is None:
            return
        if self._scheduler.get_job(JOB_ID):
            self._scheduler.remove_job(JOB_ID)
        async with self._lock:
            if self._owns_scheduler:
                self._scheduler.shutdown(wait=False)
                await asyncio.sleep(0)  # AsyncIOScheduler stops in the loop's next turn
        self._scheduler = None
