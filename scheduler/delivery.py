"""From claimed reminders to the messages that go out, one per chat.

Between materializing a reminder and sending it, things change: the unit reports
"hoàn thành", the plan is reloaded without the task, the unit registers a group chat.
So each claimed reminder is checked again against the database just before sending;
one that no longer applies is skipped with the reason kept in ``last_error``
("done", "not-owed", "occurrence-inactive", "chat-changed", "moved": written for a
deadline the unit has since had moved by an extension).

A unit's item shows the unit's last report and offers one-tap answers; the chat keeps
the answers of its last message as an offer (``storage.records.REMINDER_OFFER``),
so that on Zalo and the console the officer answers by typing the option's number.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, col, select

from messages.i18n import language
from messages.reminders import (
    Deadline,
    LastReport,
    Section,
    answer_choices,
    compose,
    escalation_footer,
    escalation_header,
    escalation_item,
    unit_header,
    unit_item,
)
from messages.split import limit_for
from scheduler.dispatch import Claimed, skip
from scheduler.outbox import DEFAULT_SETTINGS, OutboxSettings, moved_of, target_of
from scheduler.routing import (
    done_pairs,
    leadership_chats,
    moved_deadlines,
    owing_units,
    unit_recipients,
)
from scheduler.workdays import WorkCalendar
from storage.models import Chat, Conversation, Occurrence, Report, Task, Unit
from storage.queries import occurrences_with_task_and_plan
from storage.records import OFFER_USER, REMINDER_OFFER

Answers = tuple[tuple[str, str], ...]


@dataclass
class Outgoing:
    """The message(s) for one chat, each part with the reminders it carries."""

    chat_id: int
    platform: str
    platform_chat_id: str
    parts: list[tuple[str, list[Claimed]]] = field(default_factory=list)
    choices: list[Answers] = field(default_factory=list)  # each part's one-tap answers


def _deadline(
    occurrence: Occurrence,
    task: Task,
    now: datetime,
    cal: WorkCalendar,
    due_at: datetime | None = None,
) -> Deadline:
    """The deadline as shown on ``now``; ``due_at``: the unit's own, moved by an extension."""
    due_at = due_at or occurrence.due_at
    assert due_at is not None
    today = cal.local(now).date()
    due_day = cal.local(due_at).date()
    left = cal.working_days_between(today, due_day) if today < due_day else 0
    period = occurrence.period if task.recurrence else None
    return Deadline(task.code, task.title, period, due_at, today, left, due_day)


def last_reports(session: Session, occurrence_ids: set[int]) -> dict[tuple[int, int], LastReport]:
    """Each unit's latest report on each occurrence."""
    latest: dict[tuple[int, int], LastReport] = {}
    if not occurrence_ids:
        return latest
    for report in session.exec(
        select(Report)
        .where(col(Report.occurrence_id).in_(occurrence_ids))
        .order_by(col(Report.created_at), col(Report.id))
    ):
        key = (report.occurrence_id, report.unit_id)
        latest[key] = LastReport(report.status, report.percent, report.created_at)
    return latest


def keep_offer(session: Session, chat: Chat, answers: Answers, now: datetime) -> None:
    """Keep a chat's last reminder answers, for an officer who types a number."""
    row = session.exec(
        select(Conversation).where(
            Conversation.platform == chat.platform,
            Conversation.chat_id == chat.chat_id,
            Conversation.user_id == OFFER_USER,
        )
    ).first() or Conversation(
        platform=chat.platform, chat_id=chat.chat_id, user_id=OFFER_USER, step="", updated_at=now
    )
    row.step, row.updated_at = REMINDER_OFFER, now
    row.data = json.dumps({"choices": [list(a) for a in answers]}, ensure_ascii=False)
    session.add(row)


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
    moved = moved_deadlines(session, occurrence_ids)
    reported = last_reports(session, occurrence_ids)
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
    codes: dict[int, str] = {}  # the task of each unit reminder kept
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
            own, version = moved.get((occurrence.id or 0, target.unit_id), (None, None))
            if target.unit_id not in roles:
                skipped["not-owed"].append(reminder.id)
            elif (occurrence.id, target.unit_id) in done:
                skipped["done"].append(reminder.id)
            elif reminder.chat_id not in recipients.get(target.unit_id, set()):
                skipped["chat-changed"].append(reminder.id)
            elif moved_of(reminder.dedupe_key) != version:
                skipped["moved"].append(reminder.id)
            else:
                deadline = _deadline(occurrence, task, now, calendar, own)
                last = reported.get((occurrence.id or 0, target.unit_id))
                item = (deadline, roles[target.unit_id], task.position, reminder, last)
                codes[reminder.id] = task.code
                unit_items[reminder.chat_id][target.unit_id].append(item)
            continue
        # A unit whose own deadline has not come yet (extended) is not late.
        late = [
            (u, r)
            for u, r in roles.items()
            if (occurrence.id, u) not in done
            and moved.get((occurrence.id or 0, u), (now,))[0] <= now
        ]
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
                        [
                            (unit_item(n, d, role, last), r)
                            for n, (d, role, _, r, last) in enumerate(items, 1)
                        ],
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
            answers = [
                _answers([r for r in refs if isinstance(r, Claimed)], codes) for _t, refs in parts
            ]
        outgoing.append(
            Outgoing(
                chat_id,
                chat.platform,
                chat.chat_id,
                [
                    (text, [ref for ref in refs if isinstance(ref, Claimed)])
                    for text, refs in parts
                ],
                answers,
            )
        )
        if answers and answers[-1]:
            keep_offer(session, chat, answers[-1], now)
    return outgoing


def _answers(claimed: list[Claimed], codes: dict[int, str]) -> Answers:
    """The one-tap answers to a part's unit reminders (none for an escalation)."""
    mine = [c for c in claimed if c.id in codes]
    answers: list[tuple[str, str]] = []
    for reminder in mine:
        target = target_of(reminder.dedupe_key)
        assert target.unit_id is not None
        answers += answer_choices(
            codes[reminder.id], target.occurrence_id, target.unit_id, len(mine) > 1
        )
    return tuple(answers)
