"""The core's choices as Telegram inline keyboards, and a pressed button read back.

A button carries ``c:<value>`` as callback_data: the prefix tells our buttons from any
other, and the core keeps values short ASCII (at most 48 bytes) so the whole stays
within Telegram's 64 bytes. Short labels (statuses) sit two to a row, longer ones
(tasks with their deadline) one to a row, so none is cut on a phone screen.
After a press the keyboard is replaced by a line saying what was chosen, so the
conversation reads as it happened and an old button cannot be pressed twice.
"""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, WebAppInfo

from bot.core.types import Choice, WebApp
from messages.split import limit_for, units
from messages.telegram import chosen

logger = logging.getLogger(__name__)

PREFIX = "c:"
CALLBACK_DATA_LIMIT = 64  # bytes, Telegram's limit
SHORT_LABEL = 18  # characters: two such buttons fit side by side


def callback_data(value: str) -> str | None:
    """The button's data for a choice value, or None if Telegram could not carry it."""
    data = PREFIX + value
    if not value.isascii() or len(data.encode()) > CALLBACK_DATA_LIMIT:
        return None
    return data


def choice_of(data: str | None) -> str | None:
    """The choice value a pressed button carries; None for data that is not ours."""
    if not data or not data.startswith(PREFIX):
        return None
    return data[len(PREFIX) :]


def keyboard(
    choices: tuple[Choice, ...], web_app: WebApp | None = None
) -> InlineKeyboardMarkup | None:
    """The inline keyboard offering ``choices`` (or the button opening ``web_app`` as a
    Mini App); None when there are none, or when a value would not fit (the text still
    tells the user to type the option's number)."""
    if web_app is not None:
        return InlineKeyboardMarkup(
            [[InlineKeyboardButton(web_app.label, web_app=WebAppInfo(web_app.url))]]
        )
    if not choices:
        return None
    buttons = []
    for choice in choices:
        data = callback_data(choice.value)
        if data is None:
            logger.error("choice value %r does not fit Telegram's callback_data", choice.value)
            return None
        buttons.append(InlineKeyboardButton(choice.label, callback_data=data))
    per_row = 2 if all(len(choice.label) <= SHORT_LABEL for choice in choices) else 1
    rows = [buttons[i : i + per_row] for i in range(0, len(buttons), per_row)]
    return InlineKeyboardMarkup(rows)


def label_of(markup: InlineKeyboardMarkup | None, data: str) -> str | None:
    """The label of the button carrying ``data`` in ``markup``."""
    if markup is None:
        return None
    for row in markup.inline_keyboard:
        for button in row:
            if button.callback_data == data:
                return button.text
    return None


def marked_text(text: str, label: str) -> str | None:
    """The message's text with the chosen option added below it; None when that would
    pass Telegram's length limit (then only the keyboard is taken away)."""
    marked = f"{text}\n\n{chosen(label)}"
    return marked if units(marked) <= limit_for("telegram") else None
