"""Guided flows: a question awaiting one person's answer in one chat, kept in the Store.

A flow has a ``step`` (``pick`` for a choice that completes a command, ``report.*`` for
the steps of a guided report) and JSON data. The choices last offered are kept in the
data, so an answer works whether it is a button press (``IncomingMessage.choice``), the
number of an option typed on Zalo or the console, or the option's label typed out.
The ids of the messages a flow has handled are kept too, so that a message delivered
twice does not answer the same question twice.
"""

from __future__ import annotations

from typing import Any

from bot.core.context import Turn
from bot.core.types import Attachment, Choice
from messages import replies
from messages.vocabulary import fold
from storage.records import FlowState

PICK = "pick"
SEEN_KEPT = 30


def save(turn: Turn, step: str, data: dict[str, Any]) -> None:
    """Keep the conversation's step and data, with the messages already handled."""
    seen = list(dict.fromkeys([*turn.seen, *data.get("seen", []), turn.message.message_id]))
    data = {**data, "seen": seen[-SEEN_KEPT:]}
    turn.store.save_flow(*turn.key, FlowState(step, data), turn.now)


def ask(turn: Turn, step: str, question: str, choices: list[Choice], data: dict[str, Any]) -> None:
    """Put a question with choices and wait for the answer."""
    save(turn, step, {**data, "choices": [[c.label, c.value] for c in choices]})
    turn.say(f"{question}\n{replies.pick_hint()}" if choices else question, tuple(choices))


def drop(turn: Turn) -> bool:
    """End the conversation's flow; False when there was none."""
    return turn.store.drop_flow(*turn.key)


def chosen(turn: Turn, data: dict[str, Any]) -> str | None:
    """The value of the option the message picks, or None if it picks none."""
    choices = data.get("choices", [])
    values = [value for _label, value in choices]
    if turn.message.choice is not None:
        return turn.message.choice if turn.message.choice in values else None
    text = turn.text.strip().rstrip(".")
    if text.isdigit() and 1 <= int(text) <= len(choices):
        return values[int(text) - 1]
    for label, value in choices:
        if fold(text) == fold(label):
            return value
    return None


def attachments_of(turn: Turn) -> list[dict[str, Any]]:
    """The message's photos and files as evidence records: ``{kind, file_id, name}``."""
    return [_evidence(item) for item in turn.message.attachments]


def _evidence(item: Attachment) -> dict[str, Any]:
    return {"kind": str(item.kind), "file_id": item.file_id, "name": item.name}


def offer_pick(
    turn: Turn,
    command: str,
    args: str,
    param: str,
    question: str,
    options: list[Choice],
    picks: dict[str, Any],
) -> None:
    """Ask which ``param`` (a plan, a unit) a command meant, then run it again with it."""
    ask(
        turn,
        PICK,
        question,
        options,
        {"command": command, "args": args, "param": param, "picks": picks},
    )
