"""From claimed reminders to the messages that go out, one per chat.

Between materializing a reminder and sending it, things change: the unit reports
"hoàn thành", the plan is reloaded without the task, the unit registers a group chat.
So each claimed reminder is checked again against the database just before sending;
one that no longer applies is skipped with the reason kept in ``last_error``
("done", "not-owed", "occurrence-inactive", "chat-changed").
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, col, select

from messages.i18n import language
from messages.reminders import (
    Deadline,
    Section,
    compose,
    escalation_footer,
    escalation_header,
    escalation_item,
    unit_header,
    unit_item,
)
from messages.split import limit_for
from scheduler.dispatch import Claimed, skip
from scheduler.outbox import DEFAULT_SETTINGS, OutboxSettings, target_of
from scheduler.routing import done_pairs, leadership_chats, owing_units, unit_recipients
from scheduler.workdays import WorkCalendar
from storage.models import Chat, Occurrence, Task, Unit
from storage.queries import occurrences_with_task_and_plan


@dataclass
class Outgoing:
    """The message(s) for one chat, each part with the reminders it carries."""

    chat_id: int
    platform: str
    platform_chat_id: str
    parts: list[tuple[str, list[Claimed]]] = field(default_factory=list)


def _deadline(occurrence: Occurrence, task: Task, now: datetime, cal: WorkCalendar) -> Deadline:
    assert occurrence.due_at is not None
    today = cal.local(now).date()
    due_day = cal.local(occurrence.due_at).date()
    left = cal.working_days_between(today, due_day) if today < due_day else 0
    period = occurrence.period if task.recurrence else None
    return Deadline(task.code, task.title, period, occurrence.due_at, today, left, due_day)


def prepare(
    session: Session,
    claimed: list[Claimed],
    worker: str,
    now: datetime,
    calendar: WorkCalendar,
    settings: OutboxSettings = DEFAULT_SETTINGS,
) -> list[Outgoing]:
    """Check each claimed reminder again, skip those that no longer apply, and write the
    rest as one message per chat (in the chat's language)."""
    occurrence_ids = {c.occurrence_id for c in claimed if c.occurrence_id is not None}
    found = occurrences_with_task_and_plan(session, occurrence_ids)
    context = {o.id: (o, t, p) for o, t, p in found}
    owed = owing_units(session, {t.id for _, t, _ in found if t.id is not None})
    done = done_pairs(session, occurrence_ids)
    unit_ids = {u for roles in owed.values() for u in roles}
    units = {u.id: u for u in session.exec(select(Unit).where(col(Unit.id).in_(unit_ids)))}
    recipients = {
        unit: {chat.id for chat in chats}
        for unit, chats in unit_recipients(session, unit_ids).items()
    }
    leaders = dict((chat.id, plan_id) for chat, plan_id in leadership_chats(session))
    chats = {
        c.id: c
        for c in session.exec(select(Chat).where(col(Chat.id).in_({c.chat_id for c in claimed})))
    }

    skipped: dict[str, list[int]] = defaultdict(list)
    unit_items: dict[int, dict[int, list]] = defaultdict(lambda: defaultdict(list))
    escalations: dict[int, dict[int, list]] = defaultdict(lambda: defaultdict(list))
    for reminder in claimed:
        target = target_of(reminder.dedupe_key)
        row = context.get(reminder.occurrence_id)
        if row is None or not (row[0].active and row[1].active and row[0].due_at):
            skipped["occurrence-inactive"].append(reminder.id)
            continue
        occurrence, task, plan = row
        roles = owed.get(task.id or 0, {})
        deadline = _deadline(occurrence, task, now, calendar)
        if target.unit_id is not None:
            if target.unit_id not in roles:
                skipped["not-owed"].append(reminder.id)
            elif (occurrence.id, target.unit_id) in done:
                skipped["done"].append(reminder.id)
            elif reminder.chat_id not in recipients.get(target.unit_id, set()):
                skipped["chat-changed"].append(reminder.id)
            else:
                item = (deadline, roles[target.unit_id], task.position, reminder)
                unit_items[reminder.chat_id][target.unit_id].append(item)
            continue
        late = [(u, r) for u, r in roles.items() if (occurrence.id, u) not in done]
        if reminder.chat_id not in leaders or leaders[reminder.chat_id] not in (None, plan.id):
            skipped["chat-changed"].append(reminder.id)
        elif not late:
            skipped["done"].append(reminder.id)
        else:
            late.sort(key=lambda pair: (pair[1] != "lead", units[pair[0]].name))
            names = tuple((units[u].name, role) for u, role in late)
            escalations[reminder.chat_id][plan.id or 0].append(
                ((deadline, names, task.position, reminder), plan.title)
            )

    for reason, ids in skipped.items():
        skip(session, ids, worker, reason)

    outgoing: list[Outgoing] = []
    for chat_id in sorted(set(unit_items) | set(escalations)):
        chat = chats[chat_id]
        sections: list[Section] = []
        with language(chat.language):
            for unit_id, items in sorted(
                unit_items.get(chat_id, {}).items(), key=lambda kv: units[kv[0]].name
            ):
                items.sort(key=lambda i: (i[0].due_at, i[2], i[0].task_code))
                sections.append(
                    Section(
                        unit_header(units[unit_id].name),
                        [(unit_item(n, d, role), r) for n, (d, role, _, r) in enumerate(items, 1)],
                    )
                )
            for _plan_id, entries in sorted(escalations.get(chat_id, {}).items()):
                entries.sort(key=lambda e: (e[0][0].due_at, e[0][2], e[0][0].task_code))
                sections.append(
                    Section(
                        escalation_header(entries[0][1]),
                        [
                            (escalation_item(n, d, names), r)
                            for n, ((d, names, _, r), _title) in enumerate(entries, 1)
                        ],
                    )
                )
            footer = escalation_footer() if chat_id in escalations else None
            # A platform with a smaller limit (Zalo: 2000) gets smaller parts, each one message.
            limit = min(settings.message_limit, limit_for(chat.platform))
            parts = compose(sections, footer, limit)
        outgoing.append(
            Outgoing(
                chat_id,
                chat.platform,
                chat.chat_id,
                [
                    (text, [ref for ref in refs if isinstance(ref, Claimed)])
                    for text, refs in parts
                ],
            )
        )
    return outgoing
