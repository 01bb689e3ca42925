"""The guided report: /baocao alone asks step by step, then records and confirms.

Steps: the task (only the sender's unit's, open occurrences first), the status, the
percent (for "đang thực hiện" and "vướng mắc"; "hoàn thành" is 100%, "chưa bắt đầu"
0%), a short note (required for "vướng mắc"), then photos or files as evidence until
"xong" or "bỏ qua". Photos sent at any step are kept for the report. Nothing is stored
before the last step; /huy, or 30 minutes without an answer, drops it all.

Answers are read as people write them: the task by its number, its code or words of its
title (``task_pick``); the status with what follows it ("đang thực hiện 40", "vướng,
thiếu kinh phí" skip the steps they answer; "xong rồi" is "hoàn thành"); "xong" or
"done" at the note step stores the report without a note. A report that moves the task
back from "hoàn thành" waits for a yes or no first (``reporting.CONFIRM``).
"""

from __future__ import annotations

from typing import Any

from bot.core import flows, task_pick
from bot.core.context import Turn
from bot.core.parsing import BadInput, agree, check_note, parse_percent, read_progress
from bot.core.reporting import (
    CONFIRM,
    answer_move_back,
    candidate_units,
    entry_ids,
    plans_of,
    save_report,
)
from bot.core.types import Choice
from messages import reports as texts
from messages.vocabulary import FINISH_WORDS, SKIP_WORDS, is_one_of, without_particles
from storage.models import ReportStatus
from storage.progress import Entry, open_entries
from storage.records import FlowState

TASK, STATUS, PERCENT, NOTE, EVIDENCE = (
    "report.task",
    "report.status",
    "report.percent",
    "report.note",
    "report.evidence",
)
STATUSES = (
    ReportStatus.NOT_STARTED,
    ReportStatus.IN_PROGRESS,
    ReportStatus.DONE,
    ReportStatus.BLOCKED,
)


def _order(entry: Entry) -> tuple:
    # Started and not done first, then the coming ones, the finished ones last.
    rank = 0 if entry.started and not entry.done else 1 if not entry.done else 2
    due = entry.due_at.timestamp() if entry.due_at else float("inf")
    return (rank, due, entry.task_position)


def start(turn: Turn, evidence: list[dict[str, Any]]) -> None:
    """The first question: which task."""
    candidates = candidate_units(turn)
    if candidates == {}:
        return
    if candidates is None:  # an operator of no unit: every task of every plan is too many
        turn.say(texts.code_needed_without_unit())
        return
    rows: list[Entry] = []
    for plan in plans_of(turn, candidates):
        assert plan.id is not None
        rows.extend(open_entries(turn.store.entries(plan.id, list(candidates), turn.now)))
    if not rows:
        turn.say(texts.no_tasks())
        return
    rows.sort(key=_order)
    several = len({e.unit.id for e in rows}) > 1
    options = [
        Choice(texts.task_choice_label(e, several), f"e{e.plan_id}.{e.occurrence_id}.{e.unit.id}")
        for e in rows
    ]
    members = {uid: m.member.id if m else None for uid, m in candidates.items()}
    rows_keys = [task_pick.keys(e, option.value) for e, option in zip(rows, options, strict=True)]
    data = {"evidence": evidence, "members": members, "keys": rows_keys}
    flows.ask(turn, TASK, texts.ask_task(), options, data)


def ask_status(
    turn: Turn, entry: Entry, target: dict[str, Any], evidence: list[dict[str, Any]]
) -> None:
    """Ask where the entry stands: not started, in progress, done or blocked."""
    options = [Choice(texts.status_label(s), f"s.{s}") for s in STATUSES]
    data = {"target": target, "evidence": evidence}
    flows.ask(turn, STATUS, texts.ask_status(entry), options, data)


def ask_percent(turn: Turn, target: dict[str, Any], evidence: list[dict[str, Any]]) -> None:
    """Straight to the percent of "đang thực hiện" (a reminder's answer asked for it)."""
    data = {"target": target, "evidence": evidence}
    _after_status(turn, data, ReportStatus.IN_PROGRESS, None)


def _picked_task(turn: Turn, data: dict[str, Any], value: str) -> None:
    plan_id, occurrence_id, unit_id = (int(part) for part in value[1:].split("."))
    entries = turn.store.entries(plan_id, [unit_id], turn.now)
    entry = next((e for e in entries if e.occurrence_id == occurrence_id), None)
    if entry is None:  # the plan changed under the flow
        flows.drop(turn)
        turn.say(texts.no_tasks())
        return
    target = entry_ids(entry, None)
    target["member"] = data.get("members", {}).get(str(unit_id))
    ask_status(turn, entry, target, data.get("evidence", []))


def _status_step(turn: Turn, data: dict[str, Any]) -> None:
    """A status picked, or typed with what follows it: "đang thực hiện 40", "xong rồi"."""
    value = flows.chosen(turn, data)
    if value and value.startswith("s."):
        _after_status(turn, data, ReportStatus(value[2:]), None)
        return
    code = data["target"]["code"]
    try:
        status, percent, note = read_progress(turn.text)
        if status is None and percent is None:
            raise BadInput(texts.ask_status_again())
        status, percent = agree(code, status, percent)
        note = check_note(note, turn.settings.note_limit)
    except BadInput as error:
        flows.save(turn, STATUS, data)
        turn.say(str(error))
        return
    _after_status(turn, {**data, "percent": percent}, status, note)


def _after_status(
    turn: Turn, data: dict[str, Any], status: ReportStatus, note: str | None
) -> None:
    data = {**data, "status": str(status), "choices": []}
    if status == ReportStatus.DONE:
        data["percent"] = 100
    elif status == ReportStatus.NOT_STARTED:
        data["percent"] = 0
    elif data.get("percent") is None:
        flows.save(turn, PERCENT, {**data, "note": note})
        turn.say(texts.ask_percent())
        return
    if note:
        _ask_evidence(turn, {**data, "note": note})
        return
    _ask_note(turn, data)


def _ask_note(turn: Turn, data: dict[str, Any]) -> None:
    flows.save(turn, NOTE, data)
    blocked = data["status"] == ReportStatus.BLOCKED
    turn.say(texts.ask_blocker() if blocked else texts.ask_note())


def _ask_evidence(turn: Turn, data: dict[str, Any]) -> None:
    options = [Choice(texts.finish_choice(), "done")]
    flows.ask(turn, EVIDENCE, texts.ask_evidence(), options, data)


def _finish(turn: Turn, data: dict[str, Any]) -> None:
    flows.drop(turn)
    save_report(
        turn,
        data["target"],
        data["status"],
        data.get("percent"),
        data.get("note"),
        data.get("evidence", []),
    )


def resume(turn: Turn, flow: FlowState) -> None:
    """The answer to the flow's waiting question."""
    data = dict(flow.data)
    new_files = flows.attachments_of(turn)
    limit = turn.settings.evidence_limit
    if new_files:
        if len(data.get("evidence", [])) + len(new_files) > limit:
            turn.say(texts.too_many_files(limit))
            flows.save(turn, flow.step, data)
            return
        data["evidence"] = [*data.get("evidence", []), *new_files]
        if not turn.text or (flow.step == EVIDENCE and not is_one_of(turn.text, FINISH_WORDS)):
            flows.save(turn, flow.step, data)
            count = len(data["evidence"])
            turn.say(
                texts.evidence_received(count)
                if flow.step == EVIDENCE
                else texts.evidence_kept(count)
            )
            return
    step = flow.step
    if step == TASK:
        value = task_pick.answer(turn, TASK, data)
        if value is not None:
            _picked_task(turn, data, value)
    elif step == STATUS:
        _status_step(turn, data)
    elif step == CONFIRM:
        answer_move_back(turn, data)
    elif step == PERCENT:
        _percent_step(turn, data)
    elif step == NOTE:
        _note_step(turn, data)
    elif step == EVIDENCE:
        if flows.chosen(turn, data) == "done" or is_one_of(turn.text, FINISH_WORDS + SKIP_WORDS):
            _finish(turn, data)
        else:
            flows.save(turn, step, data)
            turn.say(texts.evidence_only())


def _percent_step(turn: Turn, data: dict[str, Any]) -> None:
    percent = None
    if not is_one_of(turn.text, SKIP_WORDS):
        try:
            percent = parse_percent(turn.text)
        except BadInput:
            percent = None
        if percent is None or percent == 100:
            flows.save(turn, PERCENT, data)
            turn.say(texts.ask_percent_again())
            return
    if data.get("note"):  # given with the status: "vướng mắc, thiếu kinh phí"
        _ask_evidence(turn, {**data, "percent": percent})
        return
    _ask_note(turn, {**data, "percent": percent})


def _note_step(turn: Turn, data: dict[str, Any]) -> None:
    blocked = data["status"] == ReportStatus.BLOCKED
    # "xong", "done" here mean "nothing to add": no note, and the report is stored.
    finished = is_one_of(turn.text, FINISH_WORDS) or not without_particles(turn.text)
    skip = finished or is_one_of(turn.text, SKIP_WORDS)
    if skip and blocked:
        flows.save(turn, NOTE, data)
        turn.say(texts.ask_blocker())
        return
    try:
        note = None if skip else check_note(turn.text, turn.settings.note_limit)
    except BadInput as error:
        flows.save(turn, NOTE, data)
        turn.say(str(error))
        return
    if finished and turn.text:
        _finish(turn, {**data, "note": None})
        return
    _ask_evidence(turn, {**data, "note": note})
