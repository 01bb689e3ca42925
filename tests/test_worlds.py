"""The ``world`` fixture's promise, checked on test modules written for the purpose: a
dialog runs on the console and the four platforms unless it says why not, and a dialog
module of the chat core cannot quietly keep a world of its own."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

DIALOG = """
import pytest

def test_a_dialog(world):
    pass

@pytest.mark.console_only({reason})
def test_on_the_console(world):
    pass

@pytest.mark.parametrize("platform", ["zalo-polling"], indirect=True)
def test_on_zalo(world):
    pass
"""


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makeconftest("from tests.conftest import *  # noqa: F403\n")
    pytester.makeini("[pytest]\nasyncio_default_fixture_loop_scope = function\n")
    return pytester


def collected(pytester: pytest.Pytester, name: str, source: str) -> pytest.RunResult:
    pytester.makepyfile(**{name: source})
    return pytester.runpytest_inprocess("--collect-only", "-q", "-p", "no:cacheprovider")


def test_a_dialog_runs_on_every_platform_unless_it_says_otherwise(project):
    result = collected(project, "test_chat_new", DIALOG.format(reason='"a reason"'))
    assert result.ret == 0
    assert sorted(line for line in result.outlines if "::" in line) == [
        "test_chat_new.py::test_a_dialog[console]",
        "test_chat_new.py::test_a_dialog[telegram-polling]",
        "test_chat_new.py::test_a_dialog[telegram-webhook]",
        "test_chat_new.py::test_a_dialog[zalo-polling]",
        "test_chat_new.py::test_a_dialog[zalo-webhook]",
        "test_chat_new.py::test_on_the_console",
        "test_chat_new.py::test_on_zalo[zalo-polling]",
    ]


def test_console_only_needs_a_reason(project):
    result = collected(project, "test_chat_new", DIALOG.format(reason=""))
    assert result.ret != 0
    result.stdout.fnmatch_lines(["*test_on_the_console: console_only needs the reason why*"])


def test_a_dialog_module_with_a_world_of_its_own_is_refused(project):
    source = "import pytest\n\n@pytest.fixture\ndef world():\n    return None\n\n"
    source += "def test_a_dialog(world):\n    pass\n"
    result = collected(project, "test_chat_own", source)
    assert result.ret != 0
    result.stdout.fnmatch_lines(["*override the cast fixture, not world*"])
