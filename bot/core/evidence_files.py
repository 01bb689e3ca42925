"""/minhchung T3 (/evidence): a task's evidence files, sent back to its overseers."""

from __future__ import annotations

import logging
import mimetypes
from typing import Any

from bot.core.commands import OVERSIGHT_PLACES, Audience, command
from bot.core.context import Turn
from bot.core.summaries import choose_plans
from bot.core.types import FileKind, OutgoingFile
from messages import evidence as texts
from storage.history import EvidenceRecord

logger = logging.getLogger(__name__)

MAX_SENT = 10  # the newest; the workbook lists them all
PHOTO_TYPES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"})


@command(
    "minhchung",
    aliases=("evidence",),
    audience=Audience.OVERSEER,
    places=OVERSIGHT_PLACES,
    order=115,
)
def minhchung(turn: Turn, args: str, picks: dict[str, Any]) -> None:
    """Send the files kept for a task (the newest ten), each captioned with its report."""
    if turn.evidence is None:
        turn.say(texts.unavailable())
        turn.record("refused", "/minhchung: no file store")
        return
    words = args.split()
    codes = {plan.code.lower() for plan in turn.store.plans()}
    plan_code = next((word for word in words if word.lower() in codes), None)
    task_code = next((word for word in words if word.lower() not in codes), None)
    if task_code is None:
        turn.say(texts.ask_task())
        turn.record("refused", "/minhchung: no task")
        return
    plans = choose_plans(turn, "minhchung", args, picks, code=plan_code, question=texts.ask_plan())
    if plans is None:
        return
    plan = plans[0]
    assert plan.id is not None
    records = turn.store.task_evidence(plan.id, task_code)
    if not records:
        turn.say(texts.no_evidence(task_code, plan.code))
        turn.record("evidence", f"/minhchung {plan.code} {task_code}: none")
        return
    chosen = records[-MAX_SENT:]
    turn.say(texts.sending(records[0].task_code, len(chosen), len(records)))
    missing = 0
    for number, record in enumerate(chosen, 1):
        try:
            content = turn.evidence.read(record.path)
        except (OSError, ValueError) as error:
            logger.warning("evidence %s not in the file store: %s", record.path, error)
            missing += 1
            continue
        turn.send_file(_outgoing(record, number, content), _caption(record))
    if missing:
        turn.say(texts.missing_files(missing))
    turn.record("evidence", f"/minhchung {plan.code} {task_code}: {len(chosen) - missing}")


def _caption(record: EvidenceRecord) -> str:
    return texts.caption(record.unit_name, record.period, record.reported_at)


def _outgoing(record: EvidenceRecord, number: int, content: bytes) -> OutgoingFile:
    extension = record.path.rsplit(".", 1)[-1] if "." in record.path else ""
    name = record.name or f"{record.task_code}-minh-chung-{number}.{extension}".rstrip(".")
    kind = FileKind.PHOTO if record.mime_type in PHOTO_TYPES else FileKind.DOCUMENT
    mime = record.mime_type or mimetypes.guess_type(name)[0] or "application/octet-stream"
    return OutgoingFile(name, content, mime, kind)
