"""The ``nhacviec`` command: what the operator types on the server.

One module per group of sub-commands, each with its ``add_..._commands``: ``plans``
(``db upgrade``, ``plan``, ``when``), ``reminders``, ``exports`` (``export``, ``report``,
``chart``), ``chat`` (``invite``, ``chat``), ``admin`` (``officer``, ``invites``),
``run``, ``demo`` and ``backup`` (``backup``, ``restore``); ``plan_year`` adds ``plan
copy|archive``; ``common`` holds what they
share. A sub-command imports what only it needs when it runs, so that ``--help`` or
``db upgrade`` loads neither the chat platforms' SDKs nor the libraries of the files.

Every sub-command takes ``--config PATH``; errors are printed as one short line in the
operator's words (or one per problem for a refused plan file) and exit with status 1 or
2, never as a traceback.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from bot.cli.admin import add_admin_commands
from bot.cli.backup import add_backup_commands
from bot.cli.chat import add_chat_commands
from bot.cli.common import CommandError, Commands, Context, Handler
from bot.cli.demo import add_demo_command
from bot.cli.exports import add_export_commands
from bot.cli.plans import add_plan_commands
from bot.cli.reminder_commands import add_reminder_commands
from bot.cli.run import add_run_command
from bot.config import ConfigError
from messages.i18n import _

if TYPE_CHECKING:
    from scheduler.clock import Clock


def build_parser() -> argparse.ArgumentParser:
    """The parser of ``nhacviec`` and every sub-command, in the order ``--help`` lists them."""
    config_help = _("tệp cấu hình (mặc định ./config.toml)")
    # --config may stand before or after the sub-command; the sub-commands' copy must not
    # reset a value given before them, hence SUPPRESS there.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", type=Path, default=argparse.SUPPRESS, help=config_help)
    parser = argparse.ArgumentParser(
        prog="nhacviec",
        description=_("Nhắc việc: theo dõi, nhắc hạn và tổng hợp nhiệm vụ của kế hoạch."),
    )
    parser.add_argument("--config", type=Path, default=None, help=config_help)
    commands = parser.add_subparsers(dest="command", metavar=_("LỆNH"))

    def add(parent: Commands, name: str, handler: Handler, text: str) -> argparse.ArgumentParser:
        sub: argparse.ArgumentParser = parent.add_parser(
            name, parents=[common], help=text, description=text
        )
        sub.set_defaults(handler=handler)
        return sub

    add_plan_commands(commands, add)
    add_reminder_commands(commands, add)
    add_export_commands(commands, add)
    add_chat_commands(commands, add)
    add_admin_commands(commands, add)
    add_run_command(commands, add)
    add_demo_command(commands, add)
    add_backup_commands(commands, add)
    return parser


def main(argv: Sequence[str] | None = None, clock: Clock | None = None) -> int:
    """Run ``nhacviec`` with ``argv`` (the command line when None); the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    # Loaded once the arguments are read: the settings' checks load the scheduler's modules.
    from bot.config_load import load_config
    from bot.timing import make_clock

    logging.basicConfig(
        level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    try:
        config = load_config(args.config)
        return args.handler(Context(config, clock or make_clock(config)), args)
    except (ConfigError, CommandError) as error:
        print(_("Lỗi: {message}").format(message=error), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
