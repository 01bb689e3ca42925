"""The chat commands as their handlers declare them: once each, in the menu's order, with a
docstring for developers and, in ``messages/``, help texts in both languages for users."""

from __future__ import annotations

import inspect
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from bot.core.commands import COMMANDS, EVERYWHERE, Audience, Command, Registry
from messages.help import COMMAND_TEXTS
from messages.i18n import LOCALE_DIR
from messages.vocabulary import COMMAND_WORDS

ROOT = Path(__file__).resolve().parent.parent

# The order of /giup and of Telegram's command menu (setMyCommands).
MENU = [
    "start",
    "giup",
    "dangky",
    "nhiemvu",
    "hanchot",
    "baocao",
    "giahan",
    "tonghop",
    "quahan",
    "chuabaocao",
    "xuat",
    "baocaoky",
    "xem",
    "minhchung",
    "sukien",
    "huy",
    "ngonngu",
    "mamoi",
    "canbo",
    "xoacanbo",
    "dsmamoi",
    "huymamoi",
    "duyet",
    "xacnhan",
]


def test_the_commands_keep_the_menus_order():
    assert [c.name for c in COMMANDS] == MENU


def test_the_registry_is_complete_whatever_is_imported_first():
    # A fresh interpreter that imports only the registry, as the Telegram adapter does.
    script = "from bot.core.commands import COMMANDS; print(*(c.name for c in COMMANDS))"
    run = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert run.stdout.split() == MENU


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c.name)
def test_every_handler_says_in_one_line_what_its_command_does(command):
    doc = inspect.getdoc(command.handler)
    assert doc, f"the handler of /{command.name} has no docstring"
    assert "\n" not in doc, f"the docstring of /{command.name}'s handler is not one line"


def test_every_declared_command_has_help_texts_with_english():
    with (LOCALE_DIR / "en" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        english = read_po(handle)
    for command in COMMANDS:
        assert command.name in COMMAND_TEXTS, f"messages/help.py has no texts for /{command.name}"
        for msgid in (command.usage, command.description, command.help):
            entry = english.get(msgid)
            assert entry is not None and entry.string, f"no English for {msgid!r}"


def test_the_catalogs_name_only_declared_commands():
    declared = {c.name for c in COMMANDS}
    assert not set(COMMAND_TEXTS) - declared, "messages/help.py has texts for no command"
    assert not set(COMMAND_WORDS) - declared, "messages/vocabulary.py has words for no command"


def greet(turn, args, picks):
    """Greet."""


def make(name, aliases=(), order=10):
    return Command(name, aliases, Audience.ANYONE, EVERYWHERE, order, greet)


def test_a_name_an_alias_or_a_place_in_the_menu_is_declared_once():
    registry = Registry()
    registry.declare(make("chao", ("hello",), order=10))
    registry.declare(make("xinchao", order=5))
    for clash in (make("hello", order=20), make("moi", ("chao",), order=20), make("moi")):
        with pytest.raises(ValueError):
            registry.declare(clash)
    assert [c.name for c in registry] == ["xinchao", "chao"]
    assert registry.get("hello").handler is greet
    assert registry.get("moi") is None
