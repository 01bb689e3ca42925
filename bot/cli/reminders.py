"""``nhacviec reminders list`` and ``nhacviec reminders preview PLAN``: the operator's view
of the outbox (reminders and the leadership's scheduled summaries) and of a plan's reminder
schedule. Neither sends or writes anything. Their parser is ``bot.cli.reminder_commands``:
this module loads the scheduler and the database when one of them runs."""

from __future__ import annotations

import argparse
from datetime import datetime, timedelta

from sqlmodel import Session, col, or_, select

from bot.cli.common import Context, plan_or_error
from bot.timing import reminder_policies, summaries_schedule, work_calendar
from messages.i18n import _
from messages.reminder_views import (
    ListedReminder,
    PreviewOccurrence,
    PreviewTask,
    policy_line,
    reminder_list,
    reminder_preview,
)
from scheduler.outbox import (
    MISSED,
    REMINDER_KINDS,
    SUMMARY,
    SUMMARY_KINDS,
    reminder_targets,
    target_of,
)
from scheduler.policy import ReminderPolicy, planned_for
from scheduler.routing import done_pairs, leadership_chats, owing_units
from scheduler.summaries import WEEKLY_STEP, fires_between, plan_of_key, weekly_summaries
from scheduler.workdays import WorkCalendar
from storage.engine import session_scope
from storage.models import AuditLog, Chat, Plan, Reminder, Unit
from storage.progress import ONGOING
from storage.queries import occurrences_with_task_and_plan, plan_tasks
from storage.task_rows import TaskRow

UNSETTLED = ("pending", "claimed", "held")
RECENT = timedelta(days=7)


def _chat_label(chat: Chat) -> str:
    label = f"{chat.platform}:{chat.chat_id}"
    return f"{label} ({chat.title})" if chat.title else label


def _summary_subject(
    row: Reminder | _Planned, plans: dict[int | None, str], bound: dict[int | None, int | None]
) -> str:
    """What a summary row is about: the plan of a weekly summary, the plan(s) the chat
    follows for a message after missed deadlines."""
    if row.kind == MISSED:
        plan_id = bound.get(row.chat_id)
        return plans.get(plan_id, "?") if plan_id else _("mọi kế hoạch")
    return plans.get(plan_of_key(row.dedupe_key), "?")


def _listed(
    session: Session,
    rows: list[Reminder | _Planned],
    chats: dict[int | None, Chat],
    now: datetime,
    until: datetime,
) -> list[ListedReminder]:
    found = occurrences_with_task_and_plan(session, {r.occurrence_id for r in rows})
    names = {o.id: f"{p.code} {t.code} {o.period}" for o, t, p in found}
    reminders = [r for r in rows if r.kind not in SUMMARY_KINDS]
    unit_ids = {target_of(r.dedupe_key).unit_id for r in reminders}
    units = {u.id: u.name for u in session.exec(select(Unit).where(col(Unit.id).in_(unit_ids)))}
    plans = {p.id: p.code for p in session.exec(select(Plan))}
    bound = {chat.id: plan_id for chat, plan_id in leadership_chats(session)}
    listed = []
    for row in rows:
        chat = chats[row.chat_id]
        if row.kind in SUMMARY_KINDS:
            recipient, subject = _("lãnh đạo"), _summary_subject(row, plans, bound)
        else:
            unit_id = target_of(row.dedupe_key).unit_id
            recipient = units.get(unit_id, "") if unit_id else _("lãnh đạo")
            subject = names.get(row.occurrence_id, "?")
        listed.append(
            ListedReminder(
                row.due_at,
                row.state,
                _chat_label(chat),
                chat.active,
                recipient,
                subject,
                row.step,
                row.attempts,
                row.last_error,
                row.next_attempt_at,
            )
        )
    return listed


class _Planned:
    """A reminder (or a weekly summary) the policy calls for that the outbox has not
    written yet."""

    def __init__(
        self,
        key: str,
        chat_id: int,
        occurrence_id: int | None,
        step: str,
        at: datetime,
        kind: str = "",
    ) -> None:
        self.dedupe_key, self.chat_id, self.occurrence_id = key, chat_id, occurrence_id
        self.step, self.due_at, self.state, self.kind = step, at, "planned", kind
        self.attempts, self.last_error, self.next_attempt_at = 0, None, None


def _planned_summaries(
    session: Session, ctx: Context, calendar: WorkCalendar, now: datetime, until: datetime
) -> list[_Planned]:
    """The weekly summaries due by ``until`` that the outbox has not written yet (a
    message after missed deadlines cannot be foreseen: it depends on the reports)."""
    trigger = summaries_schedule(ctx.config, calendar).weekly
    if trigger is None:
        return []
    leaders = leadership_chats(session)
    # An instant up to a week back may still be due (moved off a holiday) or unwritten.
    fires = fires_between(trigger, now - timedelta(days=8), until)
    planned = weekly_summaries(session, calendar, trigger, fires, leaders)
    keys = set(
        session.exec(
            select(Reminder.dedupe_key).where(
                col(Reminder.dedupe_key).in_([p.dedupe_key for p in planned])
            )
        ).all()
    )
    return [
        _Planned(p.dedupe_key, p.chat_id, None, WEEKLY_STEP, p.due_at, SUMMARY)
        for p in planned
        if now < p.due_at <= until and p.dedupe_key not in keys
    ]


def cmd_reminders_list(ctx: Context, args: argparse.Namespace) -> int:
    """Show the planned and recent reminders with their state, and the chats that failed."""
    now = ctx.clock.now()
    until = now + args.due_within
    calendar, policies = work_calendar(ctx.config), reminder_policies(ctx.config)
    with session_scope(ctx.engine) as session:
        stored = session.exec(
            select(Reminder)
            .where(
                col(Reminder.kind).in_((*REMINDER_KINDS, *SUMMARY_KINDS)),
                or_(
                    (col(Reminder.due_at) >= now - RECENT) & (col(Reminder.due_at) <= until),
                    col(Reminder.state).in_(UNSETTLED),
                ),
            )
            .order_by(col(Reminder.due_at), col(Reminder.id))
        ).all()
        targets = list(reminder_targets(session, calendar, policies, now, until))
        keys = set(
            session.exec(
                select(Reminder.dedupe_key).where(
                    col(Reminder.occurrence_id).in_({t.target.occurrence_id for t in targets})
                )
            ).all()
        )
        planned = [
            _Planned(
                plan.target.key(p.step),
                plan.target.chat_id,
                plan.target.occurrence_id,
                p.step,
                p.at,
            )
            for plan in targets
            for p in plan.planned
            if now < p.at <= until and plan.target.key(p.step) not in keys
        ]
        planned += _planned_summaries(session, ctx, calendar, now, until)
        rows: list[Reminder | _Planned] = [*stored, *planned]
        rows.sort(key=lambda r: (r.due_at, r.dedupe_key))
        chats = {c.id: c for c in session.exec(select(Chat))}
        listed = _listed(session, rows, chats, now, until)
        inactive = []
        for chat in chats.values():
            if not chat.active:
                last = session.exec(
                    select(AuditLog)
                    .where(AuditLog.action == "chat.deactivated", AuditLog.chat == chat.chat_id)
                    .order_by(col(AuditLog.at).desc())
                ).first()
                inactive.append((_chat_label(chat), last.detail if last else None))
    print(reminder_list(listed, inactive, until))
    return 0


def _preview_task(
    row: TaskRow,
    plan: Plan,
    calendar: WorkCalendar,
    policy: ReminderPolicy,
    owed: dict[int, dict[int, str]],
    done: set[tuple[int, int]],
    units: dict[int | None, str],
) -> PreviewTask:
    occurrences = []
    for occurrence in row.occurrences:
        roles = owed.get(row.task.id or 0, {})  # ids start at 1: no task 0
        names = sorted(
            ((units[u], role, (occurrence.id, u) in done) for u, role in roles.items()),
            key=lambda item: (item[1] != "lead", item[0]),
        )
        if occurrence.due_at is None:
            occurrences.append(PreviewOccurrence(occurrence.period, None, None, None, names, ()))
            continue
        due_day = calendar.local(occurrence.due_at).date()
        moved = (
            None
            if calendar.is_working_day(due_day)
            else calendar.working_day_on_or_before(due_day)
        )
        planned = planned_for(
            occurrence.due_at,
            calendar,
            policy,
            ongoing=row.task.kind == ONGOING,
            not_before=plan.issued_at,
        )
        schedule = [(p.at, p.step) for p in planned]
        occurrences.append(
            PreviewOccurrence(
                occurrence.period,
                occurrence.due_at,
                calendar.day_off_name(due_day) if moved else None,
                moved,
                names,
                schedule,
            )
        )
    return PreviewTask(row.task.code, row.task.title, row.task.when_text, occurrences)


def cmd_reminders_preview(ctx: Context, args: argparse.Namespace) -> int:
    """Print a plan's whole reminder schedule, from the policy and the calendar."""
    calendar, policies = work_calendar(ctx.config), reminder_policies(ctx.config)
    with session_scope(ctx.engine) as session:
        plan = plan_or_error(session, args.code)
        rows = plan_tasks(session, plan)
        owed = owing_units(session, [r.task.id for r in rows if r.task.id is not None])
        done = done_pairs(session, [o.id for r in rows for o in r.occurrences if o.id])
        units = {u.id: u.name for u in session.exec(select(Unit).where(Unit.plan_id == plan.id))}
        policy = policies.for_plan(plan.code)
        tasks = [_preview_task(r, plan, calendar, policy, owed, done, units) for r in rows]
    header = policy_line(
        policy.before,
        policy.at,
        policy.on_due_day,
        policy.after_every,
        policy.after_max,
        policy.escalate_after,
    )
    print(reminder_preview(plan.title, plan.code, header, tasks))
    return 0
