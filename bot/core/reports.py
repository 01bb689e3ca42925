"""/baocao: a progress report in one line, or the start of the guided flow.

``/baocao T3 50% đã lắp 2 pano`` reports on task T3's *open* occurrence (the earliest one
not done whose period has started, else the next one; see ``storage.progress``). A
member reports only for a unit of theirs that leads or supports the task; in a unit's
group, for that unit. If the code names a task in several of the sender's plans, or a
task several of their units share, the core asks which one and then records the report.
Photos and files sent with the command (a caption) are its evidence.

The rest is read as officers write it (``parsing.read_progress``): ``T3 50``, ``T3 dang
thuc hien 40``, ``T3 năm mươi phần trăm``, ``T3 xong rồi ạ``. A report that would move the
task back from "hoàn thành" is asked about before it is stored (``reporting``).
"""

from __future__ import annotations

from typing import Any

from bot.core import flows, report_flow
from bot.core.commands import UNIT_PLACES, Audience, Place, command
from bot.core.context import Turn
from bot.core.parsing import BadInput, parse_report_args
from bot.core.reporting import candidate_units, entry_ids, plans_of, save_report
from bot.core.types import Choice
from messages import reports as texts
from storage.models import Plan
from storage.progress import Entry, open_entries
from storage.records import Membership

OWNERS_SHOWN = 8  # a task of every commune would name a hundred units


def resolve(
    turn: Turn, code: str, args: str, picks: dict[str, Any], command: str = "baocao"
) -> tuple[Entry, Membership | None] | None:
    """The open occurrence of task ``code`` for the sender's unit (the one ``picks`` names,
    from a reminder's answer), or None when refused or when a question was asked (plan,
    unit) that will run ``command`` again."""
    candidates = candidate_units(turn)
    if candidates == {}:
        return None
    units = None if candidates is None else list(candidates)
    assigned: list[tuple[Plan, list[Entry]]] = []
    unassigned: list[Plan] = []
    for plan in plans_of(turn, candidates):
        assert plan.id is not None
        entries = turn.store.entries(plan.id, units, turn.now, task_code=code)
        if entries:
            assigned.append((plan, entries))
        elif turn.store.task_owners(plan.id, code) is not None:
            unassigned.append(plan)
    if not assigned and not unassigned:
        turn.say(texts.unknown_task(code))
        turn.record("refused", "/baocao unknown task")
        return None
    if not assigned:
        _refuse_unassigned(turn, unassigned[0], code, candidates)
        return None
    # A code of several plans is ambiguous only among the plans that give it to the sender.
    if len(assigned) > 1:
        assigned = [m for m in assigned if m[0].id == picks.get("plan")] or assigned
    if len(assigned) > 1:
        options = [Choice(f"{plan.code} · {plan.year}", f"p{plan.id}") for plan, _e in assigned]
        flows.offer_pick(turn, command, args, "plan", texts.ask_plan(code), options, picks)
        return None
    plan, entries = assigned[0]
    owners = {e.unit.id: e.unit for e in entries}
    mine = list(owners)
    if len(mine) > 1:
        mine = [uid for uid in mine if uid == picks.get("unit")] or mine
    if len(mine) > 1:
        options = [Choice(owners[uid].name, f"u{uid}") for uid in mine]
        flows.offer_pick(turn, command, args, "unit", texts.ask_unit(code), options, picks)
        return None
    unit_id = mine[0]
    own = [e for e in entries if e.unit.id == unit_id]
    named = [e for e in own if e.occurrence_id == picks.get("occurrence")]
    entry = named[0] if named else open_entries(own)[0]
    membership = candidates.get(unit_id) if candidates else None
    return entry, membership


def _refuse_unassigned(
    turn: Turn, plan: Plan, code: str, candidates: dict[int, Membership | None] | None
) -> None:
    """The task exists but is none of the sender's units': say whose it is."""
    assert plan.id is not None
    owners = turn.store.task_owners(plan.id, code) or []
    names = [m.unit.name for m in (candidates or {}).values() if m and m.unit]
    if not names and turn.place == Place.UNIT_GROUP:
        unit = turn.group_unit()
        names = [unit.name] if unit else []
    shown = [u.name for u in owners[:OWNERS_SHOWN]]
    if len(owners) > OWNERS_SHOWN:
        shown.append(texts.more_units(len(owners) - OWNERS_SHOWN))
    turn.say(texts.not_assigned(code.upper(), ", ".join(names), "; ".join(shown)))
    turn.record("refused", "/baocao task not assigned to the unit")


@command("baocao", aliases=("report",), audience=Audience.MEMBER, places=UNIT_PLACES, order=60)
def baocao(turn: Turn, args: str, picks: dict[str, Any]) -> None:
    """Record a progress report in one line, or start the step-by-step report flow."""
    evidence = [*picks.get("evidence", []), *flows.attachments_of(turn)]
    if len(evidence) > turn.settings.evidence_limit:
        turn.say(texts.too_many_files(turn.settings.evidence_limit))
        turn.record("refused", "/baocao too many files")
        return
    if not args:
        report_flow.start(turn, evidence)
        return
    try:
        parsed = parse_report_args(args, turn.settings.note_limit)
    except BadInput as error:
        turn.say(str(error))
        turn.record("refused", "/baocao bad input")
        return
    target = resolve(turn, parsed.code, args, {**picks, "evidence": evidence})
    if target is None:
        return
    entry, membership = target
    if parsed.status is None and picks.get("percent"):  # "Đang thực hiện ..%" tapped
        report_flow.ask_percent(turn, entry_ids(entry, membership), evidence)
        return
    if parsed.status is None:
        report_flow.ask_status(turn, entry, entry_ids(entry, membership), evidence)
        return
    save_report(
        turn, entry_ids(entry, membership), parsed.status, parsed.percent, parsed.note, evidence
    )
