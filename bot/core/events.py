"""/sukien: a coordinator or operator records that the event a task waits for happened.

Some tasks have no date until something happens: "khi có vụ việc", "trong vòng 10 ngày kể
từ khi có sự cố", or run until it does ("đến khi hoàn thành việc sắp xếp"). ``/sukien 4
18/11/2025`` records that task 4's event happened on 18/11/2025 (today when no day is
given); the deadline counted from it then applies, with the usual reminders
(``scheduler.events``). ``hạn 25/11/2025`` sets the deadline when the document counts
none. Without a task, /sukien lists what the plan's tasks wait for; any overseer may read
the list, only coordinators of the plan and operators record.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.core import flows
from bot.core.commands import OVERSIGHT_PLACES, Audience, command
from bot.core.context import Turn
from bot.core.parsing import TASK_CODE, BadInput
from bot.core.types import Choice
from messages import events as texts
from messages import summary as summary_texts
from messages.vocabulary import fold
from storage.models import Plan
from storage.records import EventRequest
from storage.timezone import VN_TZ

_DAY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{4}))?$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DUE_WORDS = {"han", "han chot", "due"}
_FILLERS = {"ngay", "on"}  # "/sukien 4 ngày 18/11" reads as "/sukien 4 18/11"


@dataclass
class EventArgs:
    task: str | None = None
    day: date | None = None
    due: date | None = None
    plan: str | None = None


def read_day(text: str, today: date) -> date | None:
    """``18/11/2025``, ``18/11`` (this year), ``18-11-2025`` or ``2025-11-18``; None if
    ``text`` is not a day. A day that does not exist (31/02) is a ``BadInput``."""
    iso, local = _ISO.match(text), _DAY.match(text)
    if iso:
        year, month, day = (int(part) for part in iso.groups())
    elif local:
        day, month = int(local.group(1)), int(local.group(2))
        year = int(local.group(3)) if local.group(3) else today.year
    else:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        raise BadInput(texts.no_such_day(text)) from None


def read_args(args: str, plan_codes: list[str], today: date) -> EventArgs:
    """The task code, the day, ``hạn`` and its day, and the plan, in any order."""
    found = EventArgs()
    words = args.split()
    index = 0
    while index < len(words):
        word = words[index].strip(",;")
        index += 1
        if fold(word) in _FILLERS:
            continue
        if fold(word) in _DUE_WORDS:
            due = read_day(words[index].strip(",;"), today) if index < len(words) else None
            if due is None:
                raise BadInput(texts.event_usage())
            found.due, index = due, index + 1
            continue
        day = read_day(word, today)
        if day is not None and found.day is None:
            found.day = day
        elif word.lower() in plan_codes and found.plan is None:
            found.plan = word.lower()
        elif TASK_CODE.match(word) and found.task is None and day is None:
            found.task = word
        else:
            raise BadInput(texts.event_usage())
    return found


def _recording_plans(turn: Turn, plans: list[Plan]) -> list[Plan]:
    """The plans whose events this sender may record: an operator's or a coordinator's."""
    scopes = turn.coordinator_plans
    if turn.is_operator or None in scopes:
        return plans
    return [plan for plan in plans if plan.id in scopes]


def _plan(turn: Turn, args: str, picks: dict[str, Any], wanted: EventArgs) -> Plan | None:
    plans = turn.overseen_plans(turn.store.plans())
    if wanted.task is not None:
        plans = _recording_plans(turn, plans)
        if not plans:
            turn.say(texts.coordinators_only())
            turn.record("refused", "/sukien not a coordinator")
            return None
    if wanted.plan is not None:
        chosen = [p for p in plans if p.code == wanted.plan]
    else:
        chosen = [p for p in plans if p.id == picks.get("plan")] or plans
    if not chosen:
        turn.say(texts.not_your_plan(wanted.plan or ""))
        turn.record("refused", "/sukien plan not overseen")
        return None
    if len(chosen) == 1:
        return chosen[0]
    options = [
        Choice(summary_texts.plan_choice_label(p.code, p.issuer), f"p{p.id}") for p in chosen
    ]
    flows.offer_pick(turn, "sukien", args, "plan", texts.ask_plan(), options, picks)
    return None


@command(
    "sukien", aliases=("event",), audience=Audience.OVERSEER, places=OVERSIGHT_PLACES, order=117
)
def sukien(turn: Turn, args: str, picks: dict[str, Any]) -> None:
    """Record that a task's awaited event happened on a day, or list what the tasks wait for."""
    today = turn.now.astimezone(VN_TZ).date()
    try:
        wanted = read_args(args, [p.code for p in turn.store.plans()], today)
    except BadInput as error:
        turn.say(str(error))
        turn.record("refused", "/sukien bad arguments")
        return
    plan = _plan(turn, args, picks, wanted)
    if plan is None:
        return
    assert plan.id is not None
    if wanted.task is None:
        waiting = turn.store.task_details(plan.id, waiting=True)
        turn.say(texts.waiting_list(plan.code, waiting, texts.chat_hint(plan.code)))
        turn.record("command", f"/sukien {plan.code}")
        return
    outcome = turn.store.record_event(
        EventRequest(
            plan_id=plan.id,
            task_code=wanted.task,
            day=wanted.day or today,
            now=turn.now,
            actor=f"{turn.message.platform}:{turn.message.sender_id}",
            platform=turn.message.platform,
            due=wanted.due,
        )
    )
    if outcome.refusal is not None or outcome.task is None or outcome.occurrence is None:
        turn.say(outcome.refusal or texts.event_usage())
        turn.record("refused", f"/sukien {plan.code} {wanted.task}")
        return
    turn.say(texts.event_recorded(outcome.task, outcome.occurrence))
    turn.record("task.event", f"{plan.code} {wanted.task}")
