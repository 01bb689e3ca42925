"""``nhacviec``'s parser loads no sub-command's weight: the chat platforms' SDKs, the file
libraries, the web server, the chat core, the runtime and the demo load when their
sub-command runs; so do the database (SQLAlchemy, SQLModel, the migrations), the scheduler
(APScheduler, the outbox) and asyncio, so that ``nhacviec --help`` starts at once."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LATER = (
    "telegram",
    "matplotlib",
    "openpyxl",
    "docx",
    "uvicorn",
    "starlette",
    "bot.core.bot",
    "bot.runtime",
    "bot.demo.run",
    "scheduler.planfile",
    "sqlalchemy",
    "sqlmodel",
    "alembic",
    "apscheduler",
    "asyncio",
    "storage.models",
    "storage.engine",
    "scheduler.outbox",
    "scheduler.runner",
    "bot.timing",
    "bot.zalo",
)


def loaded(statement: str) -> set[str]:
    probe = f"{statement}; import sys; print('\\n'.join(sys.modules))"
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return set(result.stdout.split())


def test_the_parser_and_its_help_load_none_of_the_sub_commands_weight():
    modules = loaded("from bot.cli import build_parser; build_parser().format_help()")
    assert "bot.cli.demo" in modules  # the probe does see the sub-command modules
    assert sorted(name for name in LATER if name in modules) == []


def test_a_sub_command_still_finds_its_handler_when_it_runs():
    modules = loaded(
        "from bot.cli import build_parser; build_parser().parse_args(['reminders', 'list'])"
    )
    assert "sqlalchemy" not in modules  # parsing the arguments loads no database either
