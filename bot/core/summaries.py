"""Summaries for leaders, coordinators and operators: /tonghop, /quahan, /chuabaocao.

Shown in a private chat or in the leadership group only (the core checks the place and
the role before these run). A coordinator of one plan sees that plan only. With several
plans, /tonghop asks which one; /quahan and /chuabaocao list every plan in turn. The
summary of /tonghop comes with the chart of the units' progress (``bot.core.files``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from bot.core import flows
from bot.core.commands import OVERSIGHT_PLACES, Audience, command
from bot.core.context import Turn
from bot.core.types import Choice
from messages import registration as registration_texts
from messages import summary as texts
from messages.exports import in_chat as file_texts
from storage.models import Plan
from storage.summary import PlanSummary

logger = logging.getLogger(__name__)


def choose_plans(
    turn: Turn,
    command: str,
    args: str,
    picks: dict[str, Any],
    *,
    code: str | None,
    question: str | None,
) -> list[Plan] | None:
    """The plans ``command`` is about: the one picked before or named by ``code``, else
    every plan the sender oversees here. With a ``question``, the command wants one plan
    and asks it when there are several (``args`` are kept for the command's second run).
    None: the answer is given already (a refusal, or the question)."""
    plans = turn.overseen_plans(turn.store.plans())
    if not plans:
        turn.say(texts.no_plans())
        return None
    if "plan" in picks:
        chosen = [p for p in plans if p.id == picks["plan"]]
        if chosen:
            return chosen
    if code:
        chosen = [p for p in plans if p.code.lower() == code.lower()]
        if not chosen:
            turn.say(registration_texts.unknown_plan(code, [p.code for p in plans]))
            turn.record("refused", f"/{command} unknown plan")
            return None
        return chosen
    if len(plans) == 1 or question is None:
        return plans
    options = [Choice(texts.plan_choice_label(p.code, p.issuer), f"p{p.id}") for p in plans]
    flows.offer_pick(turn, command, args, "plan", question, options, picks)
    return None


def _plans(turn: Turn, command: str, args: str, picks: dict[str, Any]) -> list[Plan] | None:
    question = texts.ask_plan() if command == "tonghop" else None
    code = args.split()[0] if args else None
    return choose_plans(turn, command, args, picks, code=code, question=question)


def _chart(turn: Turn, progress: PlanSummary) -> None:
    """The chart after the summary's text; without it, the text still goes."""
    if turn.files is None:
        return
    try:
        chart = turn.files.chart(progress)
    except Exception:  # the summary matters more than its picture
        logger.exception("the chart of plan %s could not be drawn", progress.code)
        return
    turn.send_file(chart, file_texts.chart_caption(progress.code))


def _show(
    turn: Turn,
    command: str,
    args: str,
    picks: dict[str, Any],
    render: Callable[[PlanSummary], str],
    chart: bool = False,
) -> None:
    plans = _plans(turn, command, args, picks)
    if plans is None:
        return
    for plan in plans:
        assert plan.id is not None
        progress = turn.store.summary(plan.id, turn.now)
        turn.say(render(progress))
        if chart:
            _chart(turn, progress)
    turn.record("summary", f"/{command} " + " ".join(p.code for p in plans))


@command(
    "tonghop", aliases=("summary",), audience=Audience.OVERSEER, places=OVERSIGHT_PLACES, order=70
)
def tonghop(turn: Turn, args: str, picks: dict[str, Any]) -> None:
    """Show one plan's progress summary (asking which plan) and a chart of its units."""
    _show(turn, "tonghop", args, picks, texts.summary, chart=True)


@command(
    "quahan", aliases=("overdue",), audience=Audience.OVERSEER, places=OVERSIGHT_PLACES, order=80
)
def quahan(turn: Turn, args: str, picks: dict[str, Any]) -> None:
    """List the overdue tasks and their units, in the plans overseen or the one named."""
    _show(turn, "quahan", args, picks, texts.overdue)


@command(
    "chuabaocao",
    aliases=("missing",),
    audience=Audience.OVERSEER,
    places=OVERSIGHT_PLACES,
    order=90,
)
def chuabaocao(turn: Turn, args: str, picks: dict[str, Any]) -> None:
    """List the units that have not reported on due periods, in the plans overseen or named."""
    _show(turn, "chuabaocao", args, picks, texts.missing)
