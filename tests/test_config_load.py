"""How the configuration is built: ``bot.config`` is a leaf of types, the loader and the
checks import one way at the top, and every refusal reads whole in the operator's language.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import ConfigError
from bot.config_load import load_config
from messages.i18n import language

ROOT = Path(__file__).resolve().parent.parent
CHECKS = ("bot/config.py", "bot/config_load.py", "bot/timing.py")
CHECKS += ("bot/telegram/settings.py", "bot/zalo/settings.py")


def loaded_after(statement: str) -> set[str]:
    """The modules of the bot's four packages that ``statement`` loads, in a fresh Python."""
    probe = (
        f"{statement}; import sys; print('\\n'.join(m for m in sys.modules "
        "if m.split('.')[0] in ('bot', 'scheduler', 'storage', 'messages')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return set(result.stdout.split())


def test_the_configuration_types_import_nothing_of_the_bot():
    assert loaded_after("import bot.config") == {
        "bot",
        "bot.config",
        "storage",
        "storage.timezone",
    }


CONFIGURATION = {path.removesuffix(".py").replace("/", ".") for path in CHECKS}


def _imported(node: ast.Import | ast.ImportFrom) -> list[str]:
    if isinstance(node, ast.ImportFrom):
        return [node.module or ""]
    return [alias.name for alias in node.names]


@pytest.mark.parametrize("path", CHECKS)
def test_the_configuration_modules_import_each_other_at_the_top_only(path):
    """No import of a configuration module hides in a function (a cycle held apart); the
    runner and the outbox, which only ``nhacviec run`` needs, may load when used."""
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    inside = [
        f"{path}:{node.lineno} {name}"
        for function in ast.walk(tree)
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef)
        for node in ast.walk(function)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for name in _imported(node)
        if name in CONFIGURATION
    ]
    assert inside == []


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "english"),
    [
        ("[database]\nurl = 5\n", "database.url: needs a string, not 5"),
        ("[databse]\n", "databse: no such key in the configuration (see config.example.toml)"),
        ("[general]\nlanguage = 'fr'\n", "general.language: accepts only vi, en, not 'fr'"),
        ("[clock]\nmode = 'fast'\n", "clock.mode: accepts only real or simulated, not 'fast'"),
        (
            "[calendar]\nextra_days_off = ['2024-05-02']\nextra_working_days = ['2024-05-02']\n",
            "calendar: days both off and working: 2024-05-02",
        ),
        (
            "[reminders]\nat = '8h'\n",
            'reminders.at: needs a time as "HH:MM" (such as "08:00"), not \'8h\'',
        ),
        (
            "[reminders.plans.cua-lo-2024]\nevery = 2\n",
            "reminders.plans.cua-lo-2024.every: no such key in the reminder policy",
        ),
        (
            "[summaries]\nweekly = '0 8 * * *'\nmissed_at = '8:0'\n",
            'summaries.missed_at: needs a time as "HH:MM" (such as "08:00"), not \'8:0\'',
        ),
        (
            "[telegram]\nmode = 'push'\n",
            "telegram.mode: accepts only polling or webhook, not 'push'",
        ),
        ("[zalo]\npoll_timeout = 0\n", "zalo.poll_timeout: needs 1 to 120 seconds, not 0"),
        ("[web]\nlisten_port = 0\n", "web.listen_port: needs 1 to 65535, not 0"),
    ],
)
def test_a_refusal_reads_whole_in_english(tmp_path, text, english):
    path = write(tmp_path, text)
    with language("en"), pytest.raises(ConfigError) as refused:
        load_config(path, environ={})
    assert str(refused.value) == english
    with pytest.raises(ConfigError) as in_vietnamese:
        load_config(path, environ={})
    assert in_vietnamese.value.key == refused.value.key
    assert in_vietnamese.value.reason != refused.value.reason
