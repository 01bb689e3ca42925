"""The outbox: reminders are rows of the ``reminder`` table, not scheduler jobs.

Each tick first *materializes* what the policy calls for up to ``now + horizon``: one row
per chat, occurrence, unit and step, made unique by its ``dedupe_key``, so running it
twice, or in two processes at once, creates nothing twice. Then ``scheduler.dispatch``
claims the rows that are due, sends them through a ``Sender`` and records the outcome.

After a stop (or when a chat is registered late) the steps whose time has passed are
not replayed one by one: for each chat, occurrence and unit only the latest one is kept
pending, and the older ones are written as ``skipped``, so the operator sees them.

Dedupe keys read ``u:<chat>:<occurrence>:<unit>:<step>`` for a unit's reminder and
``l:<chat>:<occurrence>:<step>`` for an escalation to a leadership chat; a unit whose
deadline was moved by an accepted extension (``DueOverride``) gets its steps again for
the new date, keyed ``u:...:<step>:x<override>``, and the rows of the old date are
skipped when they come due (``scheduler.delivery``). The row's
``kind`` says which, and for a unit its role: "lead", "support" or "leadership".
The scheduled summaries to the leadership chats are rows of the same table (see
``scheduler.summaries``): ``s:<chat>:<plan>:<instant>`` of kind "summary" (weekly) and
``m:<chat>:<day>`` of kind "missed" (the morning after missed deadlines).
"""

from __future__ import annotations

import logging
from collections.abc import Hashable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal, NamedTuple, Protocol

from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from scheduler.policy import ESCALATE, PlannedReminder, PolicyBook, planned_for
from scheduler.routing import (
    done_pairs,
    leadership_chats,
    moved_between,
    moved_deadlines,
    owing_units,
    unit_recipients,
)
from scheduler.workdays import WorkCalendar
from storage.models import Occurrence, Plan, Reminder, ReminderState, Task
from storage.progress import ONGOING
from storage.queries import occurrences_with_task_and_plan

logger = logging.getLogger(__name__)

LEADERSHIP = "leadership"
# The kinds of row this engine writes and sends; other kinds in the table are not its own.
REMINDER_KINDS = ("lead", "support", LEADERSHIP)
SUMMARY = "summary"  # the weekly summary of one plan to one leadership chat
MISSED = "missed"  # deadlines missed since the last such message, to one leadership chat
SUMMARY_KINDS = (SUMMARY, MISSED)
SKIP_MISSED = "missed"  # the reason kept in last_error of a row skipped after a stop


class SendFailure(Exception):
    """A message the platform did not take. ``kind`` says what to do about it:

    - "retry_after": rate limited (HTTP 429); try again in ``retry_after`` seconds;
    - "temporary": the platform or the network failed (5xx, timeout); retry with backoff;
    - "permanent": the chat is gone or the bot was blocked (403); stop using the chat;
    - "bad_request": the message itself was refused (400); retrying would not help;
    - "held": not sent on purpose (the platform's monthly message budget is spent); the
      reminder is kept as held for ``retry_after`` seconds, then sent as usual.
      ``description`` is the reason shown to the operator (e.g. "budget-spent");
    - "unsupported": the platform cannot send this kind of message at all (a photo on Zalo
      without a public file address); the summary's text goes without it.
    """

    def __init__(
        self,
        kind: Literal[
            "retry_after", "temporary", "permanent", "bad_request", "held", "unsupported"
        ],
        description: str,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(kind, description, retry_after)
        self.kind = kind
        self.description = description
        self.retry_after = retry_after

    def __str__(self) -> str:
        return f"{self.kind}: {self.description}"


class Sender(Protocol):
    """The chat channel as the outbox sees it; each platform adapter implements it.

    ``send`` delivers plain ``text`` to the chat and returns the platform's message id,
    or raises ``SendFailure``. It must not retry by itself: the outbox does that.
    ``choices`` are one-tap answers as (label, value): a value is what the chat core
    receives as ``IncomingMessage.choice`` when pressed (Telegram: inline buttons), and
    a platform without buttons shows them numbered (the core keeps them for the number).

    ``send_photo`` delivers a PNG image (the progress chart of a scheduled summary) named
    ``filename``, with a short plain ``caption`` (at most 200 characters) or none, and
    returns the message id. A platform that cannot send a photo to that chat (Zalo with no
    ``public_files_url``) raises ``SendFailure("unsupported", ...)``; other failures are
    raised as for ``send``. The summary's text is sent before the photo and is never held
    back by it; a sender without ``send_photo`` is taken as one that cannot send photos.
    """

    async def send(
        self,
        platform: str,
        chat_id: str,
        text: str,
        choices: Sequence[tuple[str, str]] = (),
    ) -> str: ...

    async def send_photo(
        self, platform: str, chat_id: str, content: bytes, filename: str, caption: str | None
    ) -> str: ...


@dataclass(frozen=True)
class OutboxSettings:
    horizon: timedelta = timedelta(days=2)  # how far ahead rows are written
    # A reminder not delivered this long after it was due is given up as failed: flood
    # control, 5xx and network errors only delay it until then, whatever the tries.
    give_up_after: timedelta = timedelta(hours=24)
    backoff: timedelta = timedelta(seconds=60)  # first retry after a temporary failure
    backoff_max: timedelta = timedelta(hours=1)
    claim_lease: timedelta = timedelta(minutes=10)  # a claim older than this was interrupted
    chats_per_claim: int = 50
    message_limit: int = 3500  # characters per message; longer ones are split


DEFAULT_SETTINGS = OutboxSettings()


class Target(NamedTuple):
    """One recipient of one occurrence's reminders: a chat, for a unit or for leadership."""

    chat_id: int
    occurrence_id: int
    unit_id: int | None

    def key(self, step: str, moved: int | None = None) -> str:
        if self.unit_id is None:
            return f"l:{self.chat_id}:{self.occurrence_id}:{step}"
        key = f"u:{self.chat_id}:{self.occurrence_id}:{self.unit_id}:{step}"
        return f"{key}:x{moved}" if moved else key


def moved_of(dedupe_key: str) -> int | None:
    """The deadline override a unit's row was written for (None: the plan's date)."""
    parts = dedupe_key.split(":")
    if parts[0] == "u" and len(parts) > 5 and parts[5].startswith("x"):
        return int(parts[5][1:])
    return None


def target_of(dedupe_key: str) -> Target:
    """The target a row's dedupe key names."""
    parts = dedupe_key.split(":")
    if parts[0] == "l":
        return Target(int(parts[1]), int(parts[2]), None)
    return Target(int(parts[1]), int(parts[2]), int(parts[3]))


def series_of(dedupe_key: str) -> Hashable:
    """The series a row belongs to: of its rows that are due, only the latest is worth
    sending. A reminder's target; a summary's chat (and plan), without its period."""
    if dedupe_key.startswith(("u:", "l:")):
        return target_of(dedupe_key)
    return tuple(dedupe_key.split(":")[:-1])


@dataclass
class TargetPlan:
    target: Target
    kind: str  # "lead", "support" or "leadership"
    plan_code: str
    planned: list[PlannedReminder] = field(default_factory=list)
    moved: int | None = None  # the override of the unit's deadline the steps follow


def active_occurrences(
    session: Session, since: datetime, until: datetime
) -> list[tuple[Occurrence, Task, Plan]]:
    """Dated, active occurrences of active tasks due between ``since`` and ``until``."""
    return list(
        session.exec(
            select(Occurrence, Task, Plan)
            .join(Task, col(Task.id) == Occurrence.task_id)
            .join(Plan, col(Plan.id) == Task.plan_id)
            .where(
                col(Occurrence.active).is_(True),
                col(Task.active).is_(True),
                col(Plan.archived).is_(False),  # an archived plan sends nothing
                col(Occurrence.due_at).is_not(None),
                col(Occurrence.due_at) >= since,
                col(Occurrence.due_at) <= until,
            )
            .order_by(col(Occurrence.due_at), col(Occurrence.id))
        ).all()
    )


def reminder_targets(
    session: Session, calendar: WorkCalendar, policies: PolicyBook, now: datetime, until: datetime
) -> Iterator[TargetPlan]:
    """Every target whose occurrence may have reminders around ``now``..``until``, with its
    planned steps (all of them, past ones too). Units that reported "hoàn thành" are left
    out; unscheduled occurrences never appear, having no due date."""
    reach_after = max(p.reach_after_days() for p in policies.all())
    reach_before = max(p.reach_before_days() for p in policies.all())
    since, last = now - timedelta(days=reach_after), until + timedelta(days=reach_before)
    rows = active_occurrences(session, since, last)
    # Occurrences some unit is now due on at another date than the plan's.
    listed = {o.id for o, _, _ in rows}
    extra = moved_between(session, since, last) - listed
    if extra:
        rows += [
            (o, t, p)
            for o, t, p in occurrences_with_task_and_plan(session, extra)
            if o.active and t.active and not p.archived and o.due_at is not None
        ]
    moved = moved_deadlines(session, [o.id for o, _, _ in rows if o.id is not None])
    owed = owing_units(session, {task.id for _, task, _ in rows if task.id is not None})
    done = done_pairs(session, [o.id for o, _, _ in rows if o.id is not None])
    recipients = unit_recipients(session, {u for roles in owed.values() for u in roles})
    leaders = leadership_chats(session)
    cache: dict[tuple[datetime, str, bool], list[PlannedReminder]] = {}
    for occurrence, task, plan in rows:
        assert occurrence.id is not None and occurrence.due_at is not None
        ongoing = task.kind == ONGOING
        key = (occurrence.due_at, plan.code, ongoing)
        if key not in cache:
            cache[key] = planned_for(
                occurrence.due_at,
                calendar,
                policies.for_plan(plan.code),
                ongoing=ongoing,
                not_before=plan.issued_at,
            )
        steps = [p for p in cache[key] if p.step != ESCALATE]
        escalation = [p for p in cache[key] if p.step == ESCALATE]
        late = [u for u in owed.get(task.id or 0, {}) if (occurrence.id, u) not in done]
        for unit_id in late:
            role = owed[task.id or 0][unit_id]
            own, version = moved.get((occurrence.id, unit_id), (None, None))
            mine = steps
            if own is not None:
                mine = planned_for(
                    own,
                    calendar,
                    policies.for_plan(plan.code),
                    ongoing=ongoing,
                    not_before=plan.issued_at,
                )
                mine = [p for p in mine if p.step != ESCALATE]
            for chat in recipients.get(unit_id, []):
                assert chat.id is not None
                target = Target(chat.id, occurrence.id, unit_id)
                yield TargetPlan(target, role, plan.code, mine, version)
        if late and escalation:
            for chat, plan_id in leaders:
                if plan_id is None or plan_id == plan.id:
                    assert chat.id is not None
                    target = Target(chat.id, occurrence.id, None)
                    yield TargetPlan(target, LEADERSHIP, plan.code, escalation)


def materialize(
    session: Session,
    now: datetime,
    calendar: WorkCalendar,
    policies: PolicyBook,
    horizon: timedelta = OutboxSettings.horizon,
) -> int:
    """Write the rows the policy calls for up to ``now + horizon``; returns how many were new.

    The caller commits. Safe to run concurrently: a row another process wrote first is
    left as it is.
    """
    until = now + horizon
    targets = list(reminder_targets(session, calendar, policies, now, until))
    occurrence_ids = {t.target.occurrence_id for t in targets}
    existing = set(
        session.exec(
            select(Reminder.dedupe_key).where(col(Reminder.occurrence_id).in_(occurrence_ids))
        ).all()
    )
    new: list[dict] = []
    for plan in targets:
        steps = [p for p in plan.planned if p.at <= until]
        past = [p for p in steps if p.at <= now]
        for planned in steps:
            key = plan.target.key(planned.step, plan.moved)
            if key in existing:
                continue
            # Of the steps already due, only the latest is still worth sending.
            missed = planned.at <= now and planned is not past[-1]
            new.append(
                {
                    "dedupe_key": key,
                    "chat_id": plan.target.chat_id,
                    "occurrence_id": plan.target.occurrence_id,
                    "unit_id": plan.target.unit_id,
                    "kind": plan.kind,
                    "step": planned.step,
                    "due_at": planned.at,
                    "state": ReminderState.SKIPPED if missed else ReminderState.PENDING,
                    "attempts": 0,
                    "last_error": SKIP_MISSED if missed else None,
                }
            )
    created = insert_rows(session, new)
    if created:
        logger.info("outbox: %s new reminder rows up to %s", created, until.isoformat())
    return created


def insert_rows(session: Session, rows: list[dict]) -> int:
    """Insert outbox rows, leaving alone any whose dedupe key exists (written by another
    process in the meantime); returns how many were new."""
    created = 0
    postgresql = session.get_bind().dialect.name == "postgresql"
    insert = postgresql_insert if postgresql else sqlite_insert
    for start in range(0, len(rows), 500):
        statement = (
            insert(Reminder.__table__)  # type: ignore[attr-defined]
            .values(rows[start : start + 500])
            .on_conflict_do_nothing(index_elements=["dedupe_key"])
            .returning(Reminder.__table__.c.id)  # type: ignore[attr-defined]
        )
        created += len(session.connection().execute(statement).all())
    return created
