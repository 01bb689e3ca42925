"""The chat commands: names, aliases, who may use them and where.

Telegram commands are ASCII, so the Vietnamese names are written without marks
(``/baocao``); English aliases work everywhere (``/report``). The texts shown for each
command (usage, one-line description, details) are in ``messages.help``; the Telegram
adapter publishes ``COMMANDS`` with setMyCommands, each ``description`` translated with
``messages.i18n._`` in the menu's language.

Places: a private chat with the bot, a unit's group, the leadership group, and a group
that has not registered yet. Audiences: anyone, members of a unit, overseers (leaders,
coordinators and operators), operators only. Operators may use every command.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from messages.help import COMMAND_TEXTS
from messages.vocabulary import COMMAND_WORDS, fold, phrase_prefix


class Audience(StrEnum):
    ANYONE = "anyone"
    MEMBER = "member"
    OVERSEER = "overseer"
    OPERATOR = "operator"


class Place(StrEnum):
    PRIVATE = "private"
    UNIT_GROUP = "unit_group"
    LEADERSHIP_GROUP = "leadership_group"
    NEW_GROUP = "new_group"


EVERYWHERE = frozenset(Place)
UNIT_PLACES = frozenset({Place.PRIVATE, Place.UNIT_GROUP})
OVERSIGHT_PLACES = frozenset({Place.PRIVATE, Place.LEADERSHIP_GROUP})


@dataclass(frozen=True)
class Command:
    name: str
    aliases: tuple[str, ...]
    audience: Audience
    places: frozenset[Place]

    @property
    def description(self) -> str:
        """The one-line description's msgid (translate it with ``_``)."""
        return COMMAND_TEXTS[self.name].summary

    @property
    def usage(self) -> str:
        return COMMAND_TEXTS[self.name].usage

    @property
    def help(self) -> str:
        """The details' msgid, shown by ``/giup NAME``."""
        return COMMAND_TEXTS[self.name].details

    @property
    def words(self) -> tuple[str, ...]:
        """Plain words that start the command without a slash."""
        return COMMAND_WORDS.get(self.name, ())


COMMANDS: tuple[Command, ...] = (
    Command("start", (), Audience.ANYONE, EVERYWHERE),
    Command("giup", ("help",), Audience.ANYONE, EVERYWHERE),
    Command("dangky", ("register",), Audience.ANYONE, EVERYWHERE),
    Command("nhiemvu", ("tasks",), Audience.MEMBER, UNIT_PLACES),
    Command("hanchot", ("deadlines",), Audience.MEMBER, UNIT_PLACES),
    Command("baocao", ("report",), Audience.MEMBER, UNIT_PLACES),
    Command("tonghop", ("summary",), Audience.OVERSEER, OVERSIGHT_PLACES),
    Command("quahan", ("overdue",), Audience.OVERSEER, OVERSIGHT_PLACES),
    Command("chuabaocao", ("missing",), Audience.OVERSEER, OVERSIGHT_PLACES),
    Command("xuat", ("export",), Audience.OVERSEER, OVERSIGHT_PLACES),
    Command("baocaoky", ("periodreport",), Audience.OVERSEER, OVERSIGHT_PLACES),
    Command("minhchung", ("evidence",), Audience.OVERSEER, OVERSIGHT_PLACES),
    Command("huy", ("cancel",), Audience.ANYONE, EVERYWHERE),
    Command("ngonngu", ("language",), Audience.ANYONE, EVERYWHERE),
    Command("mamoi", ("invite",), Audience.OPERATOR, frozenset({Place.PRIVATE})),
)

_BY_TOKEN = {token: c for c in COMMANDS for token in (c.name, *c.aliases)}


def find_command(token: str) -> Command | None:
    """The command named ``token`` (``baocao``, ``report``, ``Báo_cáo``...), or None."""
    return _BY_TOKEN.get(fold(token).replace(" ", "").replace("_", ""))


@dataclass(frozen=True)
class CommandCall:
    """A message read as a command: ``token`` as typed (without the slash), its command
    (None: no such command; ``token`` empty: a lone slash), and the rest of the text."""

    token: str
    command: Command | None
    args: str
    slash: bool


_SLASH = re.compile(r"^/(?P<token>[^\s@]*)(?:@\S*)?(?:\s+(?P<args>.*))?$", re.DOTALL)


def read_command(text: str, *, plain_words: bool) -> CommandCall | None:
    """Read ``text`` as a command: ``/name@Bot args``, or, when ``plain_words``, a plain
    word (``báo cáo T3 50%``) or a name without its slash (``baocao T3``)."""
    match = _SLASH.match(text)
    if match:
        token = match.group("token")
        args = (match.group("args") or "").strip()
        return CommandCall(token, find_command(token) if token else None, args, True)
    if not plain_words or not text:
        return None
    best: tuple[int, Command, str] | None = None
    for command in COMMANDS:
        for phrase in (*command.words, command.name, *command.aliases):
            rest = phrase_prefix(text, phrase)
            size = len(phrase.split())
            if rest is not None and (best is None or size > best[0]):
                best = (size, command, rest)
    if best is None:
        return None
    _size, command, args = best
    return CommandCall(" ".join(text.split()[:_size]), command, args, False)
