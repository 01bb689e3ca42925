"""The chat commands: names, aliases, who may use them and where, and their handlers.

Each handler declares its command with ``@command`` (name, aliases, audience, places,
place in the menu) and says in a one-line docstring what it does; ``COMMANDS`` is filled
from those declarations. Importing ``bot.core`` imports every handler module, so the
registry is complete before anything reads it.

Telegram commands are ASCII, so the Vietnamese names are written without marks
(``/baocao``); English aliases work everywhere (``/report``). The texts shown for each
command (usage, one-line description, details) are in ``messages.help`` and its plain
words in ``messages.vocabulary``, both keyed by the name, so that the catalogs hold every
text; the Telegram adapter publishes ``COMMANDS`` with setMyCommands, each
``description`` translated with ``messages.i18n._`` in the menu's language.

Places: a private chat with the bot, a unit's group, the leadership group, and a group
that has not registered yet. Audiences: anyone, members of a unit, overseers (leaders,
coordinators and operators), operators only. Operators may use every command.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from messages.help import COMMAND_TEXTS
from messages.vocabulary import COMMAND_WORDS, fold, phrase_prefix

if TYPE_CHECKING:  # the Turn's module imports Place from here
    from bot.core.context import Turn

Handler = Callable[["Turn", str, dict[str, Any]], None]
"""``handler(turn, args, picks)``: ``args`` is the text after the command; ``picks`` the
values already chosen in a pick-from-a-list flow (empty when the command was typed)."""


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
    """A declared command; ``order`` is its place in /giup and in the command menus."""

    name: str
    aliases: tuple[str, ...]
    audience: Audience
    places: frozenset[Place]
    order: int
    handler: Handler = field(compare=False, repr=False)

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


class Registry(Collection[Command]):
    """The declared commands, in their ``order``, and each by its name and aliases."""

    def __init__(self) -> None:
        self._commands: list[Command] = []
        self._by_token: dict[str, Command] = {}

    def declare(self, command: Command) -> None:
        """Add ``command``; a name, an alias or an order already taken is a mistake."""
        for token in (command.name, *command.aliases):
            if token in self._by_token:
                taken = self._by_token[token].name
                raise ValueError(f"/{token} of /{command.name} is already /{taken}'s")
        for other in self._commands:
            if other.order == command.order:
                raise ValueError(f"/{command.name} and /{other.name} have order {command.order}")
        self._commands.append(command)
        self._commands.sort(key=lambda c: c.order)
        self._by_token.update(dict.fromkeys((command.name, *command.aliases), command))

    def get(self, token: str) -> Command | None:
        return self._by_token.get(token)

    def __iter__(self) -> Iterator[Command]:
        return iter(tuple(self._commands))

    def __len__(self) -> int:
        return len(self._commands)

    def __contains__(self, item: object) -> bool:
        return item in self._commands


COMMANDS = Registry()


def command(
    name: str,
    *,
    aliases: tuple[str, ...] = (),
    audience: Audience,
    places: frozenset[Place],
    order: int,
) -> Callable[[Handler], Handler]:
    """Declare the decorated function the handler of ``/name``. /giup and the command
    menus list the commands by ``order``, lowest first."""

    def declare(handler: Handler) -> Handler:
        COMMANDS.declare(Command(name, aliases, audience, places, order, handler))
        return handler

    return declare


def find_command(token: str) -> Command | None:
    """The command named ``token`` (``baocao``, ``report``, ``Báo_cáo``...), or None."""
    return COMMANDS.get(fold(token).replace(" ", "").replace("_", ""))


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
