"""Picking a task at the guided report's numbered list by what people type instead of
the number: its code (``t3``, ``nhiệm vụ T3``) or words of its title ("tập huấn",
"tap huan"), compared folded and as whole words.

What the list offers is kept in the flow as ``[value, code, title, unit]`` rows (the
buttons show a shortened title, the words are matched against the whole one). A code or
words that fit one row pick it; several rows are offered again, alone.
"""

from __future__ import annotations

import re
from typing import Any

from bot.core import flows
from bot.core.context import Turn
from bot.core.types import Choice
from messages import replies
from messages import reports as texts
from messages.vocabulary import fold
from storage.progress import Entry

# Words that name no task in particular: "nhiệm vụ T3", "cái tập huấn", "task T3".
_FILLER = {
    fold(word)
    for word in (
        "nhiệm", "vụ", "nv", "mã", "task", "việc", "cái", "về", "của", "cho", "và", "các",
        "the", "about", "on", "of", "and", "báo", "cáo", "report",
    )
}  # fmt: skip


def keys(entry: Entry, value: str) -> list[str]:
    """What a row of the list is matched on."""
    return [value, entry.task_code, entry.task_title, entry.unit.name]


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", fold(text))


def matching(text: str, rows: list[list[str]]) -> list[str]:
    """The values of the rows that ``text`` names, in the list's order; none if it names
    nothing (a word of one letter alone, or only filler words)."""
    typed = [word for word in _words(text) if word not in _FILLER]
    if not typed:
        return []
    if len(typed) == 1:
        by_code = [value for value, code, *_rest in rows if fold(code) == typed[0]]
        if by_code:
            return by_code
    if all(len(word) < 2 for word in typed):
        return []
    found = []
    for value, code, title, unit in rows:
        words = set(_words(f"{code} {title} {unit}"))
        if all(word in words for word in typed):
            found.append(value)
    return found


def answer(turn: Turn, step: str, data: dict[str, Any]) -> str | None:
    """The value of the row the answer picks; None when asked again (several rows fit,
    or none)."""
    value = flows.chosen(turn, data)
    if value is None and turn.message.choice is None:
        found = matching(turn.text, data.get("keys", []))
        if len(found) > 1:
            options = [Choice(label, v) for label, v in data.get("choices", []) if v in found]
            flows.ask(turn, step, texts.several_tasks_match(turn.text), options, data)
            return None
        value = found[0] if found else None
    if value is None or not value.startswith("e"):
        flows.save(turn, step, data)
        turn.say(replies.pick_again() if turn.message.choice else texts.pick_task_again())
        return None
    return value
