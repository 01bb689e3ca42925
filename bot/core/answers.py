"""The one-tap answers of a reminder (and of an extension request) as the core reads them.

A reminder offers "hoàn thành", "đang thực hiện ..%" and "xin gia hạn" for each of its
deadlines (``messages.reminders.answer_choices``). Each answer is a command the officer
could have typed, followed by a reference to the reminded deadline: ``/baocao T3 xong
~512.7`` reports on occurrence 512 for unit 7, whichever occurrence is open; ``.p`` at
the end asks the percent at once. Telegram carries the value in the button; Zalo and the
console show the answers numbered, and the chat keeps them (``REMINDER_OFFER``) so that
a number typed in the chat (private, or the unit's group) with no question waiting picks
one.
"""

from __future__ import annotations

import re

from bot.core.commands import Place
from bot.core.context import Turn
from bot.core.types import Choice
from storage.records import OFFER_USER, REMINDER_OFFER, FlowState

_REF = re.compile(r"^(?P<command>.*?)\s+~(?P<occurrence>\d+)\.(?P<unit>\d+)(?P<percent>\.p)?$")


def read_ref(value: str) -> tuple[str, dict[str, int]]:
    """The command of an answer and the picks its reference names (none: a plain one)."""
    match = _REF.match(value)
    if match is None:
        return value, {}
    picks = {"occurrence": int(match["occurrence"]), "unit": int(match["unit"])}
    if match["percent"]:
        picks["percent"] = 1
    return match["command"], picks


def offered(turn: Turn) -> str | None:
    """The answer a number typed in a chat picks among those last offered there
    by a reminder or a request; None when the message is not such a number."""
    text = turn.text.strip().rstrip(".")
    if turn.place not in (Place.PRIVATE, Place.UNIT_GROUP) or not text.isdigit():
        return None
    message = turn.message
    offer = turn.store.load_flow(message.platform, message.chat_id, OFFER_USER)
    if offer is None or offer.step != REMINDER_OFFER:
        return None
    choices = offer.data.get("choices", [])
    number = int(text)
    return choices[number - 1][1] if 1 <= number <= len(choices) else None


def offer(turn: Turn, chat_id: str, choices: tuple[Choice, ...]) -> None:
    """Keep the answers sent to another private chat, for a number typed there."""
    data = {"choices": [[c.label, c.value] for c in choices]}
    state = FlowState(REMINDER_OFFER, data)
    turn.store.save_flow(turn.message.platform, chat_id, OFFER_USER, state, turn.now)
