"""/giahan: a unit asks to move its deadline (*xin gia hạn*), a coordinator answers.

``/giahan T3 30/4 chờ kinh phí`` asks for task T3's open occurrence (or the one a
reminder's "Xin gia hạn" names) to be due on 30/4 for the sender's unit; a missing date
or reason is asked for, step by step. The request goes to the private chats of the
plan's coordinators on this platform, or of the operators when the plan has none, with
"Chấp nhận" and "Từ chối" (buttons on Telegram, numbers on Zalo), which stand for
``/giahan #7 dong y`` and ``/giahan #7 tu choi``. Accepted, the unit's deadline of that
occurrence moves (``DueOverride``: its reminders, the summaries and the overdue lists
follow it) and the officer is told; refused, the coordinator gives a reason, which the
officer is told. Each step is in the audit log.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from bot.core import answers, flows
from bot.core.commands import UNIT_PLACES, Audience, command
from bot.core.context import Turn
from bot.core.parsing import BadInput, check_note
from bot.core.reporting import entry_ids
from bot.core.reports import resolve
from bot.core.types import Choice
from messages import extensions as texts
from messages.vocabulary import fold
from storage.models import ReportStatus
from storage.records import ExtensionAsk, ExtensionView, FlowState
from storage.timezone import VN_TZ

DATE, REASON, REFUSAL = "extend.date", "extend.reason", "extend.refusal"
STEPS = ("extend.",)
_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{4}))?(?:\s+(.*))?$", re.DOTALL)
_DECISION = re.compile(r"^#(\d+)(?:\s+(.*))?$", re.DOTALL)
ACCEPT_WORDS = ("dong y", "chap nhan", "accept", "yes")
REFUSE_WORDS = ("tu choi", "refuse", "no")


def read_date(text: str, due: datetime, now: datetime) -> tuple[datetime, str]:
    """The new due instant (the old one's time of day) and what follows the date."""
    match = _DATE.match(text.strip())
    if match is None:
        raise BadInput(texts.bad_date())
    day, month = int(match[1]), int(match[2])
    local = due.astimezone(VN_TZ)
    year = int(match[3]) if match[3] else local.year
    try:
        wanted = local.replace(year=year, month=month, day=day)
    except ValueError:
        raise BadInput(texts.bad_date()) from None
    today = now.astimezone(VN_TZ).date()
    if not match[3] and wanted.date() < today and wanted.replace(year=year + 1).date() > today:
        wanted = wanted.replace(year=year + 1)  # "15/1" asked in December
    if wanted.date() <= local.date() or wanted.date() <= today:
        raise BadInput(texts.date_not_later(due))
    return wanted, (match[4] or "").strip()


@command("giahan", aliases=("extend",), audience=Audience.ANYONE, places=UNIT_PLACES, order=65)
def giahan(turn: Turn, args: str, picks: dict[str, Any]) -> None:
    """Ask to move the unit's deadline of a task, or answer such a request (#number)."""
    decision = _DECISION.match(args.strip())
    if decision:
        _decide(turn, int(decision[1]), decision[2] or "")
        return
    code, _sep, rest = args.strip().partition(" ")
    if not code or (not turn.unit_memberships and not turn.is_operator):
        turn.say(texts.usage())
        turn.record("refused", "/giahan")
        return
    target = resolve(turn, code.upper(), args, picks, command="giahan")
    if target is None:
        return
    entry, membership = target
    if entry.due_at is None:
        turn.say(texts.no_deadline(entry.task_code))
        return
    if entry.status == ReportStatus.DONE:
        turn.say(texts.already_done(entry.task_code))
        return
    data = {"target": entry_ids(entry, membership)}
    _take_date(turn, data, rest.strip())


def _take_date(turn: Turn, data: dict[str, Any], text: str) -> None:
    due = datetime.fromisoformat(data["target"]["due"])
    if not text:
        flows.save(turn, DATE, data)
        turn.say(texts.ask_date(data["target"]["code"], due))
        return
    try:
        wanted, reason = read_date(text, due, turn.now)
    except BadInput as error:
        flows.save(turn, DATE, data)
        turn.say(str(error))
        return
    _take_reason(turn, {**data, "wanted": wanted.isoformat()}, reason)


def _take_reason(turn: Turn, data: dict[str, Any], text: str) -> None:
    try:
        reason = check_note(text, turn.settings.note_limit) if text else None
    except BadInput as error:
        flows.save(turn, REASON, data)
        turn.say(str(error))
        return
    if not reason:
        flows.save(turn, REASON, data)
        turn.say(texts.ask_reason())
        return
    flows.drop(turn)
    _submit(turn, data, reason)


def _submit(turn: Turn, data: dict[str, Any], reason: str) -> None:
    message, target = turn.message, data["target"]
    view = turn.store.ask_extension(
        ExtensionAsk(
            occurrence_id=target["occurrence"],
            unit_id=target["unit"],
            wanted_due_at=datetime.fromisoformat(data["wanted"]),
            reason=reason,
            platform=message.platform,
            chat_id=message.chat_id,
            user_id=message.sender_id,
            display_name=message.sender_name,
            created_at=turn.now,
        )
    )
    deciders = turn.store.plan_coordinators(view.plan_id, message.platform)
    if not deciders:
        deciders = sorted(turn.settings.operators.get(message.platform, ()))
    turn.say(texts.sent(view))
    if not deciders:
        turn.say(texts.nobody_to_ask())
    options = (
        Choice(texts.accept_label(), f"/giahan #{view.id} dong y"),
        Choice(texts.refuse_label(), f"/giahan #{view.id} tu choi"),
    )
    for user_id in deciders:
        turn.tell(user_id, texts.request(view), options)
        answers.offer(turn, user_id, options)
    turn.record("extension.ask", f"#{view.id} {view.plan_code} {view.task_code} {data['wanted']}")


def _may_decide(turn: Turn, view: ExtensionView) -> bool:
    scopes = turn.coordinator_plans
    return turn.is_operator or None in scopes or view.plan_id in scopes


def _decide(turn: Turn, number: int, words: str) -> None:
    view = turn.store.extension(number)
    if view is None:
        turn.say(texts.unknown_request())
        turn.record("refused", "/giahan unknown request")
        return
    if not _may_decide(turn, view):
        turn.say(texts.not_allowed())
        turn.record("refused", "/giahan not a coordinator")
        return
    if view.status != "pending":
        turn.say(texts.already_decided(view))
        return
    folded = fold(words)
    if any(folded.startswith(w) for w in ACCEPT_WORDS):
        _finish(turn, view, True, None)
        return
    refusal = next((w for w in REFUSE_WORDS if folded.startswith(w)), None)
    if refusal is None:
        turn.say(texts.decision_usage(view.id))
        return
    reason = words.strip()[len(refusal) :].strip(" :,.-")
    if not reason:
        flows.save(turn, REFUSAL, {"extension": view.id})
        turn.say(texts.ask_refusal_reason(view))
        return
    _finish(turn, view, False, reason)


def _finish(turn: Turn, view: ExtensionView, accepted: bool, reason: str | None) -> None:
    decided = turn.store.decide_extension(
        view.id, accepted, turn.message.sender_id, turn.now, reason
    )
    if decided is None:
        turn.say(texts.already_decided(view))
        return
    turn.say(
        texts.accepted_for_coordinator(decided)
        if accepted
        else texts.refused_for_coordinator(decided)
    )
    if decided.platform == turn.message.platform:
        turn.tell(
            decided.chat_id,
            texts.accepted_for_officer(decided)
            if accepted
            else texts.refused_for_officer(decided),
        )
    action = "extension.accept" if accepted else "extension.refuse"
    turn.record(action, f"#{decided.id} {decided.task_code} {reason or ''}".strip())


def resume(turn: Turn, flow: FlowState) -> None:
    """The answer to the step waiting: the date, the reason, or the refusal's reason."""
    data = dict(flow.data)
    if flow.step == DATE:
        _take_date(turn, data, turn.text)
    elif flow.step == REASON:
        _take_reason(turn, data, turn.text)
    elif flow.step == REFUSAL:
        view = turn.store.extension(int(data["extension"]))
        reason = turn.text.strip()
        if view is None or not reason:
            flows.save(turn, REFUSAL, data)
            turn.say(texts.ask_refusal_reason(view) if view else texts.unknown_request())
            return
        flows.drop(turn)
        _finish(turn, view, False, reason)
