"""Importing a plan in chat: an operator sends the plan's document in a private chat.

The bot reads it (``scheduler.importer``), answers with the timetable it understood and
the doubtful lines, and waits (flow ``import.review``, the draft kept in the flow's data)
for corrections by task number ("3 chủ trì: Phòng Nội vụ", "3 thời gian: Quý II/2026").
/xacnhan (/confirm) loads the plan; /huy drops it. On Zalo files do not reach a bot, so
the bot says to import on the command line.
"""

from __future__ import annotations

import re
from pathlib import PurePath
from typing import Any

from bot.core import flows
from bot.core.commands import Audience, CommandCall, Place, command, read_command
from bot.core.context import Turn
from bot.core.types import AttachmentKind
from messages import plan_import as texts
from scheduler.importer import MAX_BYTES, Unreadable, import_document
from scheduler.importer.reading import SUFFIXES, check_size, check_suffix
from scheduler.importer.serial import from_data, to_data
from scheduler.importer.timewords import readable
from scheduler.importer.writer import draft_toml
from scheduler.planfile import PlanFileInvalid, parse_plan
from storage.records import FlowState

STEP = "import.review"
FILE_PLATFORMS = frozenset({"telegram", "console"})
# A bot cannot download a bigger file from the platform: getFile refuses it ("file is too
# big"), whatever the user does, so the file must reach the server another way.
DOWNLOAD_LIMITS = {"telegram": 20 * 1024 * 1024}
_CORRECTION = re.compile(
    r"^(?P<n>\d{1,3})\s*[.)]?\s*(?P<what>chủ trì|chu tri|lead|thời gian|thoi gian|time)\s*:\s*"
    r"(?P<value>.+)$",
    re.IGNORECASE | re.DOTALL,
)


def wants(turn: Turn) -> bool:
    """A file from an operator in a private chat: a plan to import (no flow is waiting)."""
    return (
        turn.place == Place.PRIVATE
        and turn.is_operator
        and any(a.kind == AttachmentKind.FILE for a in turn.message.attachments)
    )


def answers(flow: FlowState, call: CommandCall | None) -> bool:
    """/xacnhan answers a waiting import instead of dropping it as other commands do."""
    return (
        flow.step == STEP
        and call is not None
        and call.command is not None
        and call.command.name == "xacnhan"
    )


def receive(turn: Turn) -> None:
    """Read a plan document sent in chat, show the review and wait for corrections."""
    if turn.message.platform not in FILE_PLATFORMS:
        turn.say(texts.use_command_line())
        turn.record("import.zalo")
        return
    item = next(a for a in turn.message.attachments if a.kind == AttachmentKind.FILE)
    name = item.name or "kế-hoạch"
    try:
        check_suffix(name)
        if item.content is None:
            check_size(name, item.size or 0, MAX_BYTES)
            limit = DOWNLOAD_LIMITS.get(turn.message.platform)
            if limit is not None and (item.size or 0) > limit:
                raise Unreadable(texts.too_big_to_download(name, item.size or 0, limit))
            raise Unreadable(texts.document_not_received(name))
        draft = import_document(name, item.content)
    except Unreadable as error:
        turn.say(texts.document_refused(str(error)))
        turn.record("import.refused", PurePath(name).suffix[:10])
        return
    flows.save(turn, STEP, {"draft": to_data(draft), "source": name})
    turn.say(texts.chat_review(draft, name))
    turn.record("import.read", f"{len(draft.tasks)} tasks, {len(draft.doubts)} doubts")


def resume(turn: Turn, flow: FlowState) -> None:
    """Apply a correction to the draft under review, or load it on /xacnhan."""
    data: dict[str, Any] = dict(flow.data)
    call = read_command(turn.text, plain_words=True)
    if call is not None and call.command is not None and call.command.name == "xacnhan":
        _confirm(turn, data)
        return
    draft = from_data(data["draft"])
    match = _CORRECTION.match(turn.text)
    if match is None:
        flows.save(turn, STEP, data)
        turn.say(texts.correction_help())
        return
    number = int(match.group("n"))
    value = " ".join(match.group("value").split()).rstrip(" .")
    if not 1 <= number <= len(draft.tasks):
        turn.say(texts.no_such_task(number, len(draft.tasks)))
    elif match.group("what").lower() in ("thời gian", "thoi gian", "time"):
        if not readable(value, draft.year):
            turn.say(texts.time_not_read(value))
        else:
            task = draft.tasks[number - 1]
            task.when, task.written_when = value, None
            turn.say(texts.corrected(number, draft))
    else:
        units = draft.units.resolve_cell(value)
        if units:
            draft.tasks[number - 1].lead = units
            turn.say(texts.corrected(number, draft))
        else:
            turn.say(texts.correction_help())
    flows.save(turn, STEP, {**data, "draft": to_data(draft)})
    turn.record("import.correct", f"#{number}")


def _confirm(turn: Turn, data: dict[str, Any]) -> None:
    draft = from_data(data["draft"])
    text = draft_toml(draft, data.get("source", ""))
    try:
        spec = parse_plan(text.encode("utf-8"), f"{draft.code}.toml")
    except PlanFileInvalid as error:
        flows.save(turn, STEP, data)
        turn.say(texts.draft_not_loadable(str(error)))
        return
    actor = f"{turn.message.platform}:{turn.message.sender_id}"
    result = turn.store.load_plan(spec, turn.now, actor)
    flows.drop(turn)
    turn.say(texts.plan_loaded(result.code, result.tasks, result.units, result.created))
    turn.record("import.loaded", result.code)


@command(
    "xacnhan",
    aliases=("confirm",),
    audience=Audience.OPERATOR,
    places=frozenset({Place.PRIVATE}),
    order=200,
)
def xacnhan(turn: Turn, args: str, picks: dict[str, Any]) -> None:
    """Load the plan read from a document (only while one waits for confirmation)."""
    if turn.message.platform not in FILE_PLATFORMS:
        turn.say(texts.use_command_line())
        return
    turn.say(texts.nothing_to_confirm())


__all__ = ["SUFFIXES", "answers", "receive", "resume", "wants"]
