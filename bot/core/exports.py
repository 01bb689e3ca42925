"""The files overseers ask for in chat: /xuat, the plan's Excel workbook, and /baocaoky,
the Word draft of its periodic report (*báo cáo định kỳ*: quarter, half-year, year).

Both are for leaders, coordinators (their plans) and operators, in a private chat or the
leadership group; the core has checked that before these run. Each file is one plan's:
with several plans and none named, the sender picks one, as /tonghop asks. /baocaoky
takes its period and plan in either order ("Quý I/2024 cua-lo-2024"); with no period,
it offers the recent ones (``bot.core.periods``). The files are built by the core's
``FileBuilder`` and sent as documents, the caption saying what is in them.
"""

from __future__ import annotations

from typing import Any

from bot.core import flows
from bot.core.commands import OVERSIGHT_PLACES, Audience, command
from bot.core.context import Turn
from bot.core.periods import RecentPeriod, read_period, recent_periods
from bot.core.summaries import choose_plans
from bot.core.types import Choice
from messages.dates import VN_TZ
from messages.exports import in_chat as texts
from messages.exports.periods import ReportPeriod, period_phrase
from storage.models import Plan


@command(
    "xuat", aliases=("export",), audience=Audience.OVERSEER, places=OVERSIGHT_PLACES, order=100
)
def xuat(turn: Turn, args: str, picks: dict[str, Any]) -> None:
    """Send a plan's progress, reports and sent reminders as an Excel workbook."""
    if turn.files is None:
        turn.say(texts.files_unavailable())
        turn.record("refused", "/xuat: no file builder")
        return
    code = args.split()[0] if args else None
    plans = choose_plans(turn, "xuat", args, picks, code=code, question=texts.ask_plan_to_export())
    if plans is None:
        return
    plan = plans[0]
    assert plan.id is not None
    workbook = turn.files.workbook(plan.id, turn.now)
    turn.send_file(workbook, texts.workbook_caption(plan.code, turn.now))
    turn.record("export", f"/xuat {plan.code}")


@command(
    "baocaoky",
    aliases=("periodreport",),
    audience=Audience.OVERSEER,
    places=OVERSIGHT_PLACES,
    order=110,
)
def baocaoky(turn: Turn, args: str, picks: dict[str, Any]) -> None:
    """Send a Word draft of a plan's periodic report (quarter, half year or year)."""
    if turn.files is None:
        turn.say(texts.files_unavailable())
        turn.record("refused", "/baocaoky: no file builder")
        return
    code, period_text = _plan_and_period(args, turn.store.plans())
    plans = choose_plans(
        turn, "baocaoky", args, picks, code=code, question=texts.ask_plan_to_report()
    )
    if plans is None:
        return
    plan = plans[0]
    assert plan.id is not None
    period = _period(turn, plan, period_text, args, picks)
    if period is None:
        return
    # A period not over yet is reported as it stands now (the builder stops there too).
    as_of = turn.now if turn.now < period.end else None
    draft = turn.files.period_report(plan.id, period, turn.now)
    turn.send_file(draft, texts.period_report_caption(plan.code, period_phrase(period), as_of))
    turn.record("period_report", f"/baocaoky {plan.code} {period.label}")


def _plan_and_period(args: str, plans: list[Plan]) -> tuple[str | None, str]:
    """(the plan code among ``args``' first or last word, the rest: the period). A word is
    a plan code when some plan has it, even one the sender may not see, so that the
    refusal names it rather than calling it a bad period."""
    words = args.split()
    codes = {plan.code.lower() for plan in plans}
    if words and words[-1].lower() in codes:
        return words[-1], " ".join(words[:-1])
    if words and words[0].lower() in codes:
        return words[0], " ".join(words[1:])
    return None, " ".join(words)


def _period(
    turn: Turn, plan: Plan, text: str, args: str, picks: dict[str, Any]
) -> ReportPeriod | None:
    """The period typed or picked; None when the answer is given (a refusal, a question)."""
    if "period" in picks:
        recent = RecentPeriod.from_number(picks["period"])
        period = read_period(recent.text, plan.year) if recent else None
        if period is not None:
            return period
    if text:
        period = read_period(text, plan.year)
        if period is None:
            turn.say(texts.bad_period(text, plan.year))
            turn.record("refused", "/baocaoky: bad period")
            return None
        if period.start > turn.now:
            turn.say(texts.period_not_begun(period.label, period.start, plan.year))
            turn.record("refused", "/baocaoky: period not begun")
            return None
        return period
    offered = recent_periods(turn.now.astimezone(VN_TZ).date(), plan.year)
    if not offered:
        turn.say(texts.no_period_begun(plan.code, plan.year))
        turn.record("refused", "/baocaoky: no period begun")
        return None
    options = [Choice(texts.period_label(p.year, p.part), f"k{p.number}") for p in offered]
    question = texts.ask_period(plan.code, plan.year)
    flows.offer_pick(turn, "baocaoky", args, "period", question, options, picks)
    return None
