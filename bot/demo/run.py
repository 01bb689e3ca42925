"""``nhacviec demo``: a whole year of the Cửa Lò 2024 plan, in the terminal, in under a minute.

The demo is the real bot on the console platform: the plan file is loaded into a fresh
SQLite file, everyone registers through the chat core with invite codes the operator
makes, and the real reminders runner (``scheduler.runner``) sends what the policy calls
for. Only time is simulated: a ``SimulatedClock`` jumps from one moment that matters to
the next (``bot.demo_world``) rather than ticking every 30 s, so the year takes seconds.
The people are simulated by ``bot.demo_cast``, with a seeded random generator: the same
seed gives the same transcript (invite codes aside: they come from ``secrets`` on
purpose). What is printed: ``bot.demo_chat`` (the chats), ``bot.demo_progress`` (the
progress and the figures).
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import sys
from contextlib import closing
from datetime import date, timedelta
from pathlib import Path
from typing import TextIO

from sqlalchemy import Engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from bot.commandline import CommandError
from bot.config import Config
from bot.demo_cast import DemoError
from bot.demo_chat import Counters
from bot.demo_progress import Progress, count_figures
from bot.demo_world import Demo
from messages import demo as texts
from messages.i18n import LANGUAGES, _, language
from scheduler.planfile import PlanFileInvalid, read_plan_file
from scheduler.planload import load_plan
from storage.engine import make_engine, session_scope, upgrade

PLAN_CODE = "cua-lo-2024"
PLAN_FILE = Path(__file__).resolve().parent.parent / "plans" / f"{PLAN_CODE}.toml"
DEFAULT_DATABASE = "nhacviec-demo.db"
DEFAULT_SEED = 2024


def _configured_file(config: Config) -> Path | None:
    url = make_url(config.database.url)
    if url.drivername.startswith("sqlite") and url.database:
        return Path(url.database).resolve()
    return None


def fresh_database(path: Path, config: Config) -> Engine:
    """A new, empty demo database at ``path``; an existing file is replaced only if it is
    an earlier demo's (the console chats of this plan and nothing else)."""
    if path.resolve() == _configured_file(config):
        raise CommandError(texts.is_configured_database(str(path)))
    if path.exists() and path.stat().st_size > 0:
        try:
            with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as connection:
                plans = {r[0] for r in connection.execute("SELECT code FROM plan")}
                platforms = {r[0] for r in connection.execute("SELECT platform FROM chat")}
        except sqlite3.Error as error:
            raise CommandError(texts.not_a_demo_database(str(path))) from error
        if not plans <= {PLAN_CODE} or not platforms <= {"console"}:
            raise CommandError(texts.not_a_demo_database(str(path)))
    try:
        for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            leftover.unlink(missing_ok=True)
        engine = make_engine(f"sqlite:///{path}")
        # A throwaway file: no need to wait for the disk at every commit (a crash loses the
        # demo, which the next run replaces anyway). This is most of the demo's speed.
        event.listen(engine, "connect", _no_sync)
        upgrade(engine)
    except (OSError, OperationalError) as error:
        reason = getattr(error, "orig", None) or getattr(error, "strerror", None) or error
        raise CommandError(texts.cannot_open(str(path), str(reason).strip())) from error
    return engine


def _no_sync(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA synchronous=OFF")
    cursor.close()


def run_demo(
    config: Config,
    database: Path,
    until: date | None = None,
    lang: str = "vi",
    seed: int = DEFAULT_SEED,
    quiet: bool = False,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> Counters:
    """The whole demo: a fresh database, the year (or up to ``until``), the closing; printed
    to ``out`` (standard output), the progress to ``err`` (standard error). Returns what
    the chats carried."""
    out, err = out or sys.stdout, err or sys.stderr

    if not PLAN_FILE.exists():
        raise CommandError(texts.plan_missing(str(PLAN_FILE)))
    try:
        spec = read_plan_file(PLAN_FILE)
    except PlanFileInvalid as error:
        raise CommandError("\n".join(str(p) for p in error.problems)) from error
    engine = fresh_database(database, config)
    try:
        demo = Demo(config, engine, PLAN_CODE, lang, seed, None if quiet else out)
        first = demo.calendar.working_day_on_or_after(date(spec.year, 1, 1))
        last = until or date(spec.year, 12, 31)
        with session_scope(engine) as session:
            load_plan(session, spec, demo.clock.now())
        with language(lang):
            if not quiet:
                intro = texts.intro(spec.title, PLAN_CODE, first, last, str(database), seed)
                print(intro, file=out)
            asyncio.run(_year(demo, first, last, quiet, err))
            _closing(demo, last, database, out)
        return demo.counters
    except DemoError as error:
        raise CommandError(str(error)) from error
    finally:
        engine.dispose()


def _closing(demo: Demo, last: date, database: Path, out: TextIO) -> None:
    """The leader's final /tonghop, then the figures of the run."""
    when, summary = demo.final_summary(last)
    figures = count_figures(demo.engine)
    counters, leader = demo.counters, demo.leader
    print(file=out)
    print(texts.closing_header(when, leader.chat.label(), leader.person), file=out)
    print(summary, file=out)
    print(file=out)
    print(
        texts.figures(
            last,
            counters.bot_messages,
            counters.outbox,
            counters.replies,
            figures.reminders,
            figures.escalations,
            figures.summaries,
            counters.photos,
        ),
        file=out,
    )
    on_time = figures.reports - figures.late
    print(texts.report_figures(figures.reports, on_time, figures.late, figures.done), file=out)
    print(texts.explore(str(database)), file=out)


async def _year(demo: Demo, first: date, last: date, quiet: bool, err: TextIO) -> None:
    progress = Progress(err, date(first.year, 1, 1), last, monthly=not quiet)
    out = demo.transcript.out
    if progress.tty and out is not None and out.isatty():
        demo.transcript.progress = progress
    demo.setup(first, last)
    day = first
    try:
        while day <= last:
            await demo.day(day)
            progress.day_done(day, last, demo.counters.bot_messages, demo.engine)
            day += timedelta(days=1)
    finally:
        progress.close()


def cmd_demo(ctx, args: argparse.Namespace) -> int:
    """Run the demo year and print it."""
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


def add_demo_command(commands, add) -> None:
    """Register ``demo`` under ``commands``."""
    demo = add(commands, "demo", cmd_demo, texts.help_command())
    demo.add_argument("--db", default=DEFAULT_DATABASE, metavar=_("TỆP"), help=texts.help_db())
    demo.add_argument("--until", type=_until, metavar=_("NGÀY"), help=texts.help_until())
    demo.add_argument("--quiet", action="store_true", help=texts.help_quiet())
    demo.add_argument("--lang", choices=LANGUAGES, help=texts.help_lang())
    demo.add_argument("--seed", type=int, default=DEFAULT_SEED, help=texts.help_seed())
