"""A unit's tasks (/nhiemvu) and coming deadlines (/hanchot).

In a private chat they cover every unit the sender belongs to; in a unit's group, that
unit (anyone in the group may ask: the reminders are posted there anyway).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.core.commands import UNIT_PLACES, Audience, Place, command
from bot.core.context import Turn
from bot.core.parsing import BadInput, parse_days
from messages import replies
from messages import tasks as texts
from storage.models import Plan, Unit
from storage.progress import Entry, open_entries


def units_in_view(turn: Turn) -> list[tuple[Unit, Plan]]:
    """The units whose tasks this message is about."""
    if turn.place == Place.UNIT_GROUP:
        unit = turn.group_unit()
        if unit is None:
            return []
        plan = next((p for p in turn.store.plans() if p.id == unit.plan_id), None)
        return [(unit, plan)] if plan else []
    return [(m.unit, m.plan) for m in turn.unit_memberships if m.unit and m.plan]


def unit_open_entries(turn: Turn, unit: Unit, plan: Plan) -> list[Entry]:
    """The unit's entries in the plan, each task at its open occurrence."""
    assert plan.id is not None and unit.id is not None
    return open_entries(turn.store.entries(plan.id, [unit.id], turn.now))


@command("nhiemvu", aliases=("tasks",), audience=Audience.MEMBER, places=UNIT_PLACES, order=40)
def nhiemvu(turn: Turn, args: str, picks: dict[str, Any]) -> None:
    """List the tasks of the sender's units with their next deadline and last report."""
    units = units_in_view(turn)
    if not units:
        turn.say(replies.no_unit("nhiemvu"))
        return
    parts = []
    for unit, plan in units:
        entries = unit_open_entries(turn, unit, plan)
        if entries:
            assert plan.id is not None
            found = turn.store.task_details(plan.id, {e.task_id for e in entries})
            details = {d.task.id: d for d in found if d.task.id is not None}
            parts.append(texts.task_list(unit.name, plan.code, entries, details))
        else:
            parts.append(texts.no_tasks(unit.name, plan.code))
    parts.append(texts.report_hint())
    turn.say("\n\n".join(parts))


@command("hanchot", aliases=("deadlines",), audience=Audience.MEMBER, places=UNIT_PLACES, order=50)
def hanchot(turn: Turn, args: str, picks: dict[str, Any]) -> None:
    """List the units' deadlines in the coming days (14 unless ``args`` says)."""
    try:
        days = parse_days(args)
    except BadInput as error:
        turn.say(str(error))
        turn.record("refused", "/hanchot bad days")
        return
    units = units_in_view(turn)
    if not units:
        turn.say(replies.no_unit("hanchot"))
        return
    until = turn.now + timedelta(days=days)
    coming: list[Entry] = []
    overdue: list[str] = []
    for unit, plan in units:
        assert plan.id is not None and unit.id is not None
        entries = turn.store.entries(plan.id, [unit.id], turn.now)
        coming.extend(
            e for e in entries if e.due_at and turn.now <= e.due_at <= until and not e.done
        )
        overdue.extend(e.task_code for e in entries if e.overdue)
    coming.sort(key=lambda e: (e.due_at, e.task_code))
    parts = [texts.deadlines(days, until, coming, with_unit=len(units) > 1)]
    if overdue:
        parts.append(texts.overdue_reminder(list(dict.fromkeys(overdue))))
    turn.say("\n\n".join(parts))
