"""An update handled once: its effects, its mark as done and its replies in one transaction.

``Inbox.handle`` runs the core's work for one update inside ``storage.updates.unit_of_work``:
the update_id is marked done first (a second delivery of it being handled at the same
moment in another process waits on that row, then finds it done), then the core runs on a
``SqlStore`` bound to the same transaction, then its replies are queued in the replies'
outbox (``storage.replies``). Either all of it commits or none does: a process killed in
the middle leaves nothing, and Telegram's next delivery of the update is handled afresh.

The replies are then sent by ``ReplyPost``: the ones just queued at once by the process
that handled the update, the ones it could not send (flood control, a crash between the
commit and the send) by a sweep every few seconds in any process serving Telegram. A
reply delivered just before a crash, whose outcome was not yet written, goes out a second
time: at most the one or two in flight at that moment. A process that stops gives back
the replies it claimed and did not send; one killed holds them only until another
process finds it gone (``storage.liveness``: at once on PostgreSQL, at the start of the
next process on SQLite), not for the claims' lease. The replies' retries and leases
run on the machine's time, not the bot's clock (which a demo may run fast or hold still):
they are about the network, not about deadlines.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import logging
from collections.abc import Callable
from typing import Any, Protocol

from sqlalchemy import Engine

from bot.core.bot import ChatCore
from bot.core.types import Choice, FileKind, OutgoingFile, Reply, WebApp
from bot.telegram.sender import PLATFORM, is_group
from scheduler.clock import Clock, RealClock
from storage import replies as outbox
from storage.engine import session_scope
from storage.liveness import Presence
from storage.store import SqlStore
from storage.updates import remember_update, unit_of_work

logger = logging.getLogger(__name__)

SWEEP_SECONDS = 2.0  # how often replies left behind are looked for

Work = Callable[[ChatCore], list[Reply]]


def payload_of(reply: Reply, quote: int | None) -> tuple[str, dict[str, Any], bytes | None]:
    """A reply as a row of the replies' outbox: (chat, JSON payload, file content)."""
    payload: dict[str, Any] = {
        "text": reply.text,
        "choices": [[choice.label, choice.value] for choice in reply.choices],
        "quote": quote,
    }
    if reply.web_app is not None:  # the /xem button: a Mini App, kept with its reply
        payload["web_app"] = [reply.web_app.label, reply.web_app.url]
    content = None
    if reply.file is not None:
        file = reply.file
        payload["file"] = {"name": file.filename, "mime": file.mime_type, "kind": file.kind}
        content = file.content
    return reply.chat_id, payload, content


def reply_of(queued: outbox.QueuedReply) -> tuple[Reply, int | None]:
    """The reply a row holds, and the message it quotes."""
    payload = queued.payload
    file = None
    if "file" in payload:
        described = payload["file"]
        file = OutgoingFile(
            described["name"],
            queued.content or b"",
            described["mime"],
            FileKind(described["kind"]),
        )
    choices = tuple(Choice(label, value) for label, value in payload["choices"])
    web_app = WebApp(*payload["web_app"]) if payload.get("web_app") else None
    reply = Reply(queued.platform, queued.chat_id, payload["text"], choices, file, web_app)
    return reply, payload.get("quote")


class Inbox:
    """Handles updates in one transaction each (synchronous: call it in a thread), of
    ``platform`` (Telegram's unless told: Zalo's adapter uses it too)."""

    def __init__(
        self, engine: Engine, clock: Clock, core: ChatCore, platform: str = PLATFORM
    ) -> None:
        self.engine = engine
        self.clock = clock
        self.core = core
        self.platform = platform

    def _quotes(self, chat_id: str) -> bool:
        # Only a Telegram group's first reply quotes the message it answers.
        return self.platform == PLATFORM and is_group(int(chat_id))

    def handle(
        self, update_id: int | str, work: Work, quote: int | None = None
    ) -> list[int] | None:
        """Do ``work`` for the update and queue its replies (the first quoting ``quote`` in
        a group); the queued replies' ids, or None when the update was handled before."""
        key, now = str(update_id), self.clock.now()
        with unit_of_work(self.engine) as connection:
            with session_scope(connection) as session:  # type: ignore[arg-type]
                if not remember_update(session, self.platform, key, now):
                    return None
            # The core as it is, but writing into this transaction.
            core = copy.copy(self.core)
            assert isinstance(self.core.store, SqlStore)
            core.store = self.core.store.bound_to(connection)
            replies = work(core)
            rows = [
                payload_of(reply, quote if n == 0 and self._quotes(reply.chat_id) else None)
                for n, reply in enumerate(replies)
            ]
            with session_scope(connection) as session:  # type: ignore[arg-type]
                # Replies are sent on the wall clock (leases, retries), as ReplyPost sends
                # them, even when the bot's own clock is simulated.
                return outbox.queue(session, self.platform, key, rows, RealClock().now())


class ReplySender(Protocol):
    """What sends one queued reply: its outcome as ``storage.replies.record`` takes it,
    or "gone" (the chat refuses for good: its other replies are dropped)."""

    async def send_reply(self, reply: Reply, quote: int | None) -> str: ...


class ReplyPost:
    """Sends the queued replies: at once after an update, and in a sweep for the rest."""

    def __init__(self, engine: Engine, sender: ReplySender, worker: str, platform: str = PLATFORM):
        self.platform = platform
        self.engine = engine
        self.clock = RealClock()
        self.sender = sender
        self.worker = worker
        self.presence = Presence(engine, worker, self.clock.now())
        self._task: asyncio.Task[None] | None = None
        self._stopping = False

    def _claim(self, ids: list[int] | None) -> list[outbox.QueuedReply]:
        with session_scope(self.engine) as session:
            now = self.clock.now()
            if ids is None:
                gone = self.presence.departed(outbox.claimants(session, self.platform))
                before = self.presence.claimed_before
                outbox.release_claims(session, self.platform, gone, before)
                return outbox.claim_due(session, self.platform, self.worker, now)
            return outbox.claim_ids(session, ids, self.worker, now)

    def _record(self, queued: outbox.QueuedReply, outcome: str) -> None:
        with session_scope(self.engine) as session:
            outbox.record(session, queued, self.worker, self.clock.now(), outcome)

    async def send(self, ids: list[int] | None) -> bool:
        """Send the replies ``ids`` (None: those left behind), in order; False when some
        wait for a later try."""
        queued = await asyncio.to_thread(self._claim, ids)
        delivered, gone = True, set()
        for row in queued:
            if self._stopping or row.chat_id in gone:
                outcome = "released" if self._stopping else "dropped"
            else:
                reply, quote = reply_of(row)
                outcome = await self.sender.send_reply(reply, quote)
                if outcome == "gone":
                    gone.add(row.chat_id)
            delivered = delivered and outcome in ("sent", "gone", "dropped")
            await asyncio.to_thread(self._record, row, outcome)
        return delivered

    async def _sweep(self) -> None:
        while True:
            try:
                await self.send(None)
            except Exception:  # the database away: the next sweep tries again
                logger.warning(
                    "%s: replies left behind not sent now", self.platform, exc_info=True
                )
            await asyncio.sleep(SWEEP_SECONDS)

    async def start(self) -> None:
        """Say this process runs (before it claims anything), then sweep."""
        await asyncio.to_thread(self.presence.announce)
        self._task = asyncio.create_task(self._sweep(), name=f"{self.platform}-replies")

    def _release_mine(self) -> None:
        with session_scope(self.engine) as session:
            outbox.release_claims(session, self.platform, {self.worker})
        self.presence.withdraw()

    async def stop(self) -> None:
        """Stop sweeping; what this process claimed and did not send is given back now."""
        self._stopping = True
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        try:
            await asyncio.to_thread(self._release_mine)
        except Exception:  # the database away: the claims' lease gives them back
            logger.warning("%s: claimed replies not given back", self.platform, exc_info=True)
