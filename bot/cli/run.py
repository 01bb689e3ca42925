"""``nhacviec run``: the bot itself, as ``bot.runtime`` runs it, until SIGTERM or Ctrl-C."""

from __future__ import annotations

import argparse
import logging

from bot.cli.common import AddCommand, CommandError, Commands, Context
from messages.i18n import _

NOISY = ("httpx", "httpcore", "apscheduler")  # a line per request or per tick


def cmd_run(ctx: Context, args: argparse.Namespace) -> int:
    """Run the bot: the enabled platforms, the reminders and the webhooks."""
    import asyncio

    from bot.runtime import StartError, run_until_signalled

    # A running bot logs at INFO (one line per update), without the per-request noise;
    # the levels are put back after, for a caller that runs the command in-process.
    loggers = [logging.getLogger(), *(logging.getLogger(name) for name in NOISY)]
    levels = [each.level for each in loggers]
    loggers[0].setLevel(logging.INFO)
    for noisy in loggers[1:]:
        noisy.setLevel(logging.WARNING)
    try:
        asyncio.run(run_until_signalled(ctx.config, ctx.clock))
    except StartError as error:
        raise CommandError(str(error)) from error
    finally:
        for each, level in zip(loggers, levels, strict=True):
            each.setLevel(level)
    return 0


def add_run_command(commands: Commands, add: AddCommand) -> None:
    """Register ``run`` under ``commands``."""
    add(commands, "run", cmd_run, _("chạy bot: các nền tảng đã bật, nhắc việc và webhook"))
