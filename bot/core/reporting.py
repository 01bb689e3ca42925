"""What the one-line report and the guided flow share: whose units, which plans, storing.

A report is stored once per source message (the platform's message id): the Store
returns the first report for a message delivered twice, and the answer repeats its
confirmation. "Late" means the occurrence's due instant had passed, by the core's clock.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.core.commands import Place
from bot.core.context import Turn
from bot.core.evidence import keep_evidence
from messages import reports as texts
from storage.models import Plan
from storage.progress import Entry
from storage.records import Membership, ReportDraft


def candidate_units(turn: Turn) -> dict[int, Membership | None] | None:
    """The units the sender may report for here, with their membership; None: any unit
    (an operator who belongs to none). An empty dict: refused (the answer is said)."""
    if turn.place == Place.UNIT_GROUP:
        unit = turn.group_unit()
        assert unit is not None and unit.id is not None
        membership = turn.member_of(unit.id)
        if membership is None and not turn.is_operator:
            turn.say(texts.not_member_of_group_unit(unit.name))
            turn.record("refused", "/baocao not a member of the group's unit")
            return {}
        return {unit.id: membership}
    mine: dict[int, Membership | None] = {
        m.unit.id: m for m in turn.unit_memberships if m.unit and m.unit.id is not None
    }
    if not mine and turn.is_operator:
        return None
    return mine


def plans_of(turn: Turn, candidates: dict[int, Membership | None] | None) -> list[Plan]:
    plans = turn.store.plans()
    if candidates is None:
        return plans
    ids = set()
    for unit_id, membership in candidates.items():
        if membership and membership.plan:
            ids.add(membership.plan.id)
        else:
            unit = turn.store.unit(unit_id)
            ids.add(unit.plan_id if unit else None)
    return [p for p in plans if p.id in ids]


def save_report(
    turn: Turn,
    entry_ids: dict[str, Any],
    status: str,
    percent: int | None,
    note: str | None,
    evidence: list[dict[str, Any]],
) -> None:
    """Store the report (once per source message) with its evidence downloaded and kept,
    and confirm what was recorded."""
    message = turn.message
    due = entry_ids.get("due")
    evidence = keep_evidence(turn, evidence)
    draft = ReportDraft(
        occurrence_id=entry_ids["occurrence"],
        unit_id=entry_ids["unit"],
        member_id=entry_ids.get("member"),
        status=str(status),
        percent=percent,
        note=note,
        evidence=evidence,
        late=due is not None and turn.now > datetime.fromisoformat(due),
        created_at=turn.now,
        platform=message.platform,
        source_chat_id=message.chat_id,
        source_message_id=message.message_id,
    )
    view, created = turn.store.record_report(draft)
    turn.record(
        "report" if created else "report.duplicate",
        f"{view.plan_code} {view.task_code} {view.period} {status} {percent} #{view.report_id}",
    )
    turn.say(texts.confirmation(view))


def entry_ids(entry: Entry, membership: Membership | None) -> dict[str, Any]:
    """What a report needs to know of its target, as JSON-able data."""
    return {
        "plan": entry.plan_id,
        "occurrence": entry.occurrence_id,
        "unit": entry.unit.id,
        "member": membership.member.id if membership else None,
        "code": entry.task_code,
        "due": entry.due_at.isoformat() if entry.due_at else None,
    }
