"""``nhacviec demo``: the simulated year of ``bot.demo``, printed in the terminal."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from bot.cli.common import AddCommand, Commands, Context
from bot.demo import DEFAULT_DATABASE, DEFAULT_SEED
from messages import demo as texts
from messages.i18n import LANGUAGES, _


def cmd_demo(ctx: Context, args: argparse.Namespace) -> int:
    """Run the demo year and print it."""
    from bot.demo.run import run_demo

    run_demo(
        ctx.config,
        Path(args.db),
        until=args.until,
        lang=args.lang or ctx.config.general.language,
        seed=args.seed,
        quiet=args.quiet,
    )
    return 0


def _until(text: str) -> date:
    first, last = date(2024, 1, 2), date(2024, 12, 31)
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        day = None
    if day is None or not first <= day <= last:
        raise argparse.ArgumentTypeError(texts.bad_until(text, first, last))
    return day


def add_demo_command(commands: Commands, add: AddCommand) -> None:
    """Register ``demo`` under ``commands``."""
    demo = add(commands, "demo", cmd_demo, texts.help_command())
    demo.add_argument("--db", default=DEFAULT_DATABASE, metavar=_("TỆP"), help=texts.help_db())
    demo.add_argument("--until", type=_until, metavar=_("NGÀY"), help=texts.help_until())
    demo.add_argument("--quiet", action="store_true", help=texts.help_quiet())
    demo.add_argument("--lang", choices=LANGUAGES, help=texts.help_lang())
    demo.add_argument("--seed", type=int, default=DEFAULT_SEED, help=texts.help_seed())
