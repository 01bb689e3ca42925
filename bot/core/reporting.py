"""What the one-line report and the guided flow share: whose units, which plans, storing.

A report is stored once per source message (the platform's message id): the Store
returns the first report for a message delivered twice, and the answer repeats its
confirmation. "Late" means the occurrence's due instant had passed, by the core's clock.

A report that would move a task back from "hoàn thành" (the unit's latest report on the
occurrence) is not stored at once: the sender is asked to confirm (``CONFIRM``, answered
in ``report_flow``), so that a slip of the finger does not undo finished work.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.core import flows
from bot.core.commands import Place
from bot.core.context import Turn
from bot.core.evidence import keep_evidence
from bot.core.types import Choice
from messages import reports as texts
from messages.vocabulary import NO_WORDS, YES_WORDS, is_one_of
from storage.models import Plan, ReportStatus
from storage.progress import Entry
from storage.records import Membership, ReportDraft

CONFIRM = "report.confirm"  # a guided-flow step: see ``report_flow``


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
    """The plans the candidate units belong to; every plan when there are no candidates."""
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
    *,
    confirmed: bool = False,
) -> None:
    """Store the report (once per source message) with its evidence downloaded and kept,
    and confirm what was recorded; or, for a move back from "hoàn thành" not yet
    ``confirmed``, ask first."""
    if not confirmed and entry_ids.get("was") == ReportStatus.DONE and status != ReportStatus.DONE:
        _ask_to_move_back(turn, entry_ids, status, percent, note, evidence)
        return
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
        "period": entry.period,
        "was": str(entry.status) if entry.status else None,
    }


def _ask_to_move_back(
    turn: Turn,
    target: dict[str, Any],
    status: str,
    percent: int | None,
    note: str | None,
    evidence: list[dict[str, Any]],
) -> None:
    question = texts.confirm_move_back(
        target["code"], target.get("period", ""), texts.status_with_percent(status, percent)
    )
    options = [Choice(texts.yes_move_back(), "y"), Choice(texts.no_keep_done(), "n")]
    data = {
        "target": target,
        "status": str(status),
        "percent": percent,
        "note": note,
        "evidence": evidence,
    }
    flows.ask(turn, CONFIRM, question, options, data)
    turn.record("report.confirm", f"{target['code']} {status} {percent}")


def answer_move_back(turn: Turn, data: dict[str, Any]) -> None:
    """The answer to "move this task back from hoàn thành?"."""
    answer = flows.chosen(turn, data)
    if answer is None and turn.message.choice is None:
        answer = "y" if is_one_of(turn.text, YES_WORDS) else None
        answer = "n" if is_one_of(turn.text, NO_WORDS) else answer
    if answer not in ("y", "n"):
        flows.save(turn, CONFIRM, data)
        turn.say(texts.confirm_move_back_again())
        return
    flows.drop(turn)
    if answer == "n":
        turn.say(texts.kept_done(data["target"]["code"]))
        turn.record("report.kept", data["target"]["code"])
        return
    save_report(
        turn,
        data["target"],
        data["status"],
        data.get("percent"),
        data.get("note"),
        data.get("evidence", []),
        confirmed=True,
    )
