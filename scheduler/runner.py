"""The reminder engine's heartbeat: one APScheduler job, ``tick``, every ``tick_seconds``.

A tick reads the time from the injected clock, materializes the outbox, and, when that
time is inside the sending window of a working day, claims the due reminders, sends
them one message per chat through the ``Sender`` and records each outcome; then, given
a ``SummarySchedule``, the same for the scheduled summaries to the leadership chats
(``scheduler.summaries``): each its own message(s), then its chart. Database
work runs in a worker thread so the event loop shared with the chat adapters stays
responsive. Tests (and the demo) call ``await runner.tick()`` directly and move a
``SimulatedClock`` between calls: nothing waits for real time.

Chats are served concurrently (``IN_FLIGHT`` at a time; a chat's parts in order), and
the next batch is claimed while one is being sent, so the sender's rate limiter, not the
round trips, sets the pace. A process claims only the chats of ``platforms``, the ones it
has a sender for. A reminder that waits for a retry sooner than the next tick (Telegram
asked for 30 s of quiet) brings that tick forward.

``start()`` adds the job to an ``AsyncIOScheduler`` (its own, or one the caller owns)
inside the running event loop; ``nhacviec run`` owns that loop. ``shutdown()`` stops
claiming, lets each message already handed to the platform finish and be recorded, and
gives every other claimed reminder back at once (no lease to wait out).
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import uuid
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from scheduler.clock import Clock, RealClock
from scheduler.delivery import Outgoing, prepare
from scheduler.dispatch import (
    Claimed,
    claim,
    next_retry,
    record_failure,
    record_note,
    record_sent,
    release,
)
from scheduler.outbox import (
    DEFAULT_SETTINGS,
    REMINDER_KINDS,
    OutboxSettings,
    Sender,
    SendFailure,
    materialize,
)
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
IN_FLIGHT = 32  # chats being sent to at once: enough to keep 30 messages a second going
STOP_WAIT = 8.0  # seconds a stop waits for the messages in flight


@dataclass
class TickReport:
    """What one tick did: rows written, messages sent, reminders and summaries sent, rows
    failed."""

    created: int = 0
    messages: int = 0
    sent: int = 0
    summaries: int = 0
    failed: int = 0
    released: int = 0  # given back untried because the process is stopping
    next_retry: datetime | None = None  # the earliest retry still waiting


def worker_name() -> str:
    """A name for this process's claims on the outbox: host, process id and a random part."""
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
        platforms: Collection[str] | None = None,
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
        self.platforms = None if platforms is None else tuple(platforms)  # None: all
        self._lock = asyncio.Lock()
        self._stopping = asyncio.Event()
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
            claimed = claim(session, now, self.worker, self.settings, platforms=self.platforms)
        if not claimed:
            return []
        with session_scope(self.engine) as session:
            return prepare(session, claimed, self.worker, now, self.calendar, self.settings)

    def _claim_summaries(self) -> tuple[int, list[SummaryMessage]]:
        assert self.summaries is not None
        now = self.clock.now()
        with session_scope(self.engine) as session:
            claimed = claim(
                session,
                now,
                self.worker,
                self.settings,
                kinds=self.summaries.kinds,
                platforms=self.platforms,
            )
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

    def _release(self, claimed: list[Claimed]) -> int:
        with session_scope(self.engine) as session:
            return release(session, [c.id for c in claimed], self.worker)

    def _next_retry(self) -> datetime | None:
        kinds = list(REMINDER_KINDS) + list(self.summaries.kinds if self.summaries else ())
        with session_scope(self.engine) as session:
            return next_retry(session, self.clock.now(), kinds, self.platforms)

    def _note(self, reminder_id: int, note: str) -> None:
        with session_scope(self.engine) as session:
            record_note(session, reminder_id, note)

    async def _deliver(self, outgoing: Outgoing, report: TickReport) -> None:
        failure: SendFailure | None = None
        for number, (text, claimed) in enumerate(outgoing.parts):
            if self._stopping.is_set() and failure is None:
                # Not handed to the platform yet: back to pending for whoever runs next.
                rest = [c for _text, part in outgoing.parts[number:] for c in part]
                report.released += await asyncio.to_thread(self._release, rest)
                return
            if failure is None:
                try:
                    answers = outgoing.choices[number] if number < len(outgoing.choices) else ()
                    # Only a message with answers passes them: a sender may not take them.
                    extra = {"choices": answers} if answers else {}
                    message_id = await self.sender.send(
                        outgoing.platform, outgoing.platform_chat_id, text, **extra
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
                if self._stopping.is_set() and failure.kind == "temporary":
                    # Interrupted while waiting for its slot: untried, so not a failure.
                    rest = [c for _text, part in outgoing.parts[number:] for c in part]
                    report.released += await asyncio.to_thread(self._release, rest)
                    return
            # The chat's later parts share the first failure: they go out together later.
            await asyncio.to_thread(self._record, claimed, failure)
            report.failed += len(claimed)

    async def _deliver_batch(self, batch: list[Outgoing], report: TickReport) -> None:
        """Send to the batch's chats, ``IN_FLIGHT`` at a time."""
        slots = asyncio.Semaphore(IN_FLIGHT)

        async def one(outgoing: Outgoing) -> None:
            async with slots:
                await self._deliver(outgoing, report)

        await asyncio.gather(*(one(outgoing) for outgoing in batch))

    async def _send_reminders(self, report: TickReport) -> None:
        """Claim and send until nothing is due, the next batch claimed during a send."""
        claiming = asyncio.ensure_future(asyncio.to_thread(self._claim))
        try:
            for _round in range(MAX_ROUNDS):
                batch = await claiming
                if not batch:
                    return
                if self._stopping.is_set():
                    claimed = [c for out in batch for _text, part in out.parts for c in part]
                    report.released += await asyncio.to_thread(self._release, claimed)
                    return
                claiming = asyncio.ensure_future(asyncio.to_thread(self._claim))
                await self._deliver_batch(batch, report)
        finally:
            if not claiming.done():
                batch = await claiming
                claimed = [c for out in batch for _text, part in out.parts for c in part]
                await asyncio.to_thread(self._release, claimed)

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
                await self._send_reminders(report)
                summary_rounds = MAX_ROUNDS if self.summaries else 0
                for _round in range(0 if self._stopping.is_set() else summary_rounds):
                    count, messages = await asyncio.to_thread(self._claim_summaries)
                    if not count:
                        break
                    for message in messages:
                        await self._deliver_summary(message, report)
                report.next_retry = await asyncio.to_thread(self._next_retry)
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
            report = await self.tick()
        except Exception:  # logged; the next tick tries again
            logger.exception("outbox: tick failed")
            return
        if report.next_retry is not None and self._scheduler is not None:
            # A retry due before the next tick (flood control is over in 30 s) is not left
            # waiting for it: the next tick comes then instead.
            wait = (report.next_retry - self.clock.now()).total_seconds()
            if 0 <= wait < self.tick_seconds and self._scheduler.get_job(JOB_ID):
                moment = RealClock().now() + timedelta(seconds=wait + 0.05)
                self._scheduler.modify_job(JOB_ID, next_run_time=moment)

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

    def stop_claiming(self) -> None:
        """Claim nothing more; what is claimed and not yet handed to a platform is given
        back. Call ``shutdown`` after."""
        self._stopping.set()

    async def shutdown(self) -> None:
        """Remove the job, let a tick under way give back what it has not sent (the
        messages in flight finish), and stop our own scheduler."""
        self.stop_claiming()
        if self._scheduler is None:
            return
        if self._scheduler.get_job(JOB_ID):
            self._scheduler.remove_job(JOB_ID)
        try:
            await asyncio.wait_for(self._lock.acquire(), STOP_WAIT)
        except TimeoutError:
            logger.warning("outbox: a send did not finish in %s s; its claim stays", STOP_WAIT)
        else:
            self._lock.release()
        if self._owns_scheduler:
            self._scheduler.shutdown(wait=False)
            await asyncio.sleep(0)  # AsyncIOScheduler stops in the loop's next turn
        self._scheduler = None
