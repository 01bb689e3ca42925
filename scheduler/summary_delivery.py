"""Claimed summary rows made into messages at send time, and sent: text first, chart after.

``prepare_summaries`` (in a worker thread) checks each claimed row again and renders it
from the data of that moment, in the chat's language:

- the chat must still be an active leadership chat that follows the plan, else the row
  is skipped as "not-leadership"; a weekly summary of a plan since deleted, "plan-gone";
- a weekly summary is /tonghop's text of the plan's progress now
  (``storage.progress_queries.plan_progress``), and the chart of that same progress;
- a missed-deadlines message names the deadlines due from the morning of the chat's
  last such message sent (or, for its first, from the working day before the chat or
  the plan became known) up to the day before its own morning, that some unit has still
  not reported "hoàn thành" (``PlanProgress.overdue``). None left: skipped, "nothing-missed".

``send_text`` sends the parts in order. The first part failing is an ordinary failure
(nothing went out; the outbox retries it like a reminder). A later part is tried again
here a little (a short 429, a temporary failure), then given up with a note
("incomplete: 1/2 ..."): sending the row again would repeat what was delivered.
``send_chart`` then builds the chart, only when the sender can send photos, and sends
it; whatever goes wrong with it is a note on the sent row, never a reason to hold back
or repeat the text.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time

from sqlmodel import Session, col, select

from messages.i18n import language
from messages.scheduled_summary import MissedPlan, chart_caption, missed_message, weekly_parts
from messages.split import limit_for
from scheduler.dispatch import Claimed, skip
from scheduler.outbox import (
    DEFAULT_SETTINGS,
    MISSED,
    OutboxSettings,
    Sender,
    SendFailure,
    active_occurrences,
)
from scheduler.routing import leadership_chats
from scheduler.summaries import morning_of_key, plan_of_key
from scheduler.workdays import WorkCalendar
from storage.models import Chat, Plan, Reminder, ReminderState
from storage.progress import PlanProgress
from storage.progress_queries import plan_progress
from storage.summary import PlanSummary
from storage.summary_queries import plan_summary

logger = logging.getLogger(__name__)

PART_RETRIES = 2  # a later part of a summary is tried this many more times, in place
LONGEST_WAIT = 30.0  # seconds a later part may wait out a 429; longer, and it is given up

Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True)
class ChartRequest:
    """The chart to send after the text: drawn only then, as drawing takes a while."""

    progress: PlanProgress | PlanSummary
    language: str
    caption: str


@dataclass
class SummaryMessage:
    """One claimed summary row as it goes out to one chat."""

    claimed: Claimed
    platform: str
    platform_chat_id: str
    parts: list[str] = field(default_factory=list)
    chart: ChartRequest | None = None


def _first_day(session: Session, chat: Chat, row: Claimed, calendar: WorkCalendar) -> date:
    """The first due day a missed-deadlines message covers (see the module's docstring)."""
    previous = session.exec(
        select(Reminder.dedupe_key)
        .where(
            col(Reminder.chat_id) == chat.id,
            col(Reminder.kind) == MISSED,
            col(Reminder.state) == ReminderState.SENT,
            col(Reminder.due_at) < row.due_at,
        )
        .order_by(col(Reminder.due_at).desc())
    ).first()
    if previous is not None:
        return morning_of_key(previous)
    return calendar.add_working_days(calendar.local(chat.created_at).date(), -1)


def _missed_plans(
    session: Session,
    chat: Chat,
    bound: int | None,
    row: Claimed,
    now: datetime,
    calendar: WorkCalendar,
) -> list[MissedPlan]:
    first = _first_day(session, chat, row, calendar)
    morning = morning_of_key(row.dedupe_key)
    found = active_occurrences(session, calendar.at(first, time()), now)
    plans = {plan.id: plan for _, _, plan in found if bound in (None, plan.id)}
    missed = []
    for plan_id, plan in sorted(plans.items()):
        assert plan_id is not None
        since = max(first, calendar.add_working_days(calendar.local(plan.loaded_at).date(), -1))
        progress = plan_progress(session, plan_id, now)
        deadlines = [
            item
            for item in progress.overdue
            if since <= calendar.local(item.due_at).date() < morning
        ]
        if deadlines:
            missed.append(MissedPlan(plan.title, plan.code, deadlines))
    return missed


def prepare_summaries(
    session: Session,
    claimed: list[Claimed],
    worker: str,
    now: datetime,
    calendar: WorkCalendar,
    settings: OutboxSettings = DEFAULT_SETTINGS,
) -> list[SummaryMessage]:
    """Check each claimed summary row again; skip those that no longer apply and render
    the rest."""
    leaders = {chat.id: (chat, bound) for chat, bound in leadership_chats(session)}
    skipped: dict[str, list[int]] = defaultdict(list)
    messages: list[SummaryMessage] = []
    for row in claimed:
        chat, bound = leaders.get(row.chat_id, (None, None))
        if chat is None:  # no longer a leadership chat, or no longer active
            skipped["not-leadership"].append(row.id)
            continue
        message = SummaryMessage(row, chat.platform, chat.chat_id)
        limit = min(settings.message_limit, limit_for(chat.platform))
        with language(chat.language):
            if row.kind == MISSED:
                plans = _missed_plans(session, chat, bound, row, now, calendar)
                message.parts = missed_message(plans, now, limit) if plans else []
                if not message.parts:
                    skipped["nothing-missed"].append(row.id)
                    continue
            else:
                plan_id = plan_of_key(row.dedupe_key)
                plan = session.get(Plan, plan_id)
                if plan is None or plan.archived:
                    skipped["plan-gone"].append(row.id)
                    continue
                if bound not in (None, plan_id):
                    skipped["not-leadership"].append(row.id)
                    continue
                progress = plan_summary(session, plan_id, now)
                message.parts = weekly_parts(progress, limit)
                message.chart = ChartRequest(progress, chat.language, chart_caption(progress))
        messages.append(message)
    for reason, ids in skipped.items():
        skip(session, ids, worker, reason)
    return messages


async def _attempt(call: Callable[[], Awaitable[str]]) -> str:
    try:
        return await call()
    except SendFailure:
        raise
    except Exception as error:  # an adapter bug must not stop the other chats
        # Only the class: an HTTP error's text may carry a URL with the bot token.
        name = error.__class__.__name__
        logger.error("outbox: sender raised %s instead of SendFailure", name)
        raise SendFailure("temporary", name) from None


async def _with_retries(call: Callable[[], Awaitable[str]], sleep: Sleep) -> str:
    """``call``, tried again in place after a short 429 or a temporary failure."""
    for attempt in range(PART_RETRIES + 1):
        try:
            return await _attempt(call)
        except SendFailure as failure:
            wait = {"retry_after": failure.retry_after or 1.0, "temporary": 2.0**attempt}.get(
                failure.kind
            )
            if wait is None or wait > LONGEST_WAIT or attempt == PART_RETRIES:
                raise
            await sleep(wait)
    raise AssertionError("unreachable")


@dataclass
class TextOutcome:
    """What became of a summary's text: ``message_id`` of its first part when it went
    out (``note`` then says what did not), else the ``failure`` that stopped it."""

    message_id: str | None = None
    failure: SendFailure | None = None
    note: str | None = None
    messages: int = 0


async def send_text(sender: Sender, message: SummaryMessage, sleep: Sleep) -> TextOutcome:
    """Send the summary's parts in order; stop at the first part that fails."""
    outcome = TextOutcome()
    for number, text in enumerate(message.parts):

        def call(text: str = text) -> Awaitable[str]:
            return sender.send(message.platform, message.platform_chat_id, text)

        try:
            message_id = await (_attempt(call) if number == 0 else _with_retries(call, sleep))
        except SendFailure as failure:
            if number == 0:
                outcome.failure = failure
                return outcome
            outcome.note = f"incomplete: {number}/{len(message.parts)}: {failure}"
            logger.error(
                "outbox: summary %s to %s:%s cut after part %s of %s: %s",
                message.claimed.id,
                message.platform,
                message.platform_chat_id,
                number,
                len(message.parts),
                failure,
            )
            return outcome
        outcome.message_id = outcome.message_id or message_id
        outcome.messages += 1
    return outcome


async def send_chart(
    sender: Sender, message: SummaryMessage, sleep: Sleep, no_photos: set[str]
) -> str | None:
    """Draw and send the chart of ``message``; a note when it did not go out, else None.

    ``no_photos`` holds the platforms that answered "unsupported" before: it is their
    configuration (Zalo with no public file address), so no chart is drawn for them again.
    """
    request = message.chart
    send_photo = getattr(sender, "send_photo", None)
    if request is None:
        return None
    if send_photo is None or message.platform in no_photos:
        return "chart-unsupported"
    # Imported here: matplotlib takes a while to load, and only the chart needs it.
    from messages.exports.chart import build_chart, chart_filename

    try:
        content = await asyncio.to_thread(build_chart, request.progress, request.language)
    except Exception:
        logger.exception("outbox: the chart of summary %s could not be drawn", message.claimed.id)
        return "chart-error"
    filename = chart_filename(request.progress)

    def call() -> Awaitable[str]:
        return send_photo(
            message.platform, message.platform_chat_id, content, filename, request.caption
        )

    try:
        await _with_retries(call, sleep)
    except SendFailure as failure:
        if failure.kind == "unsupported":
            no_photos.add(message.platform)
            return "chart-unsupported"
        logger.warning(
            "outbox: the chart of summary %s to %s:%s not sent: %s",
            message.claimed.id,
            message.platform,
            message.platform_chat_id,
            failure,
        )
        return f"chart-failed: {failure}"
    return None
