"""``run_demo``: the demo's year from a fresh database to the closing figures.

The plan file is loaded into a fresh SQLite file (an earlier demo's is replaced, any other
file refused), the ``Demo`` world (``bot.demo.world``) runs day by day up to the last
day, and the leader's final summary and the figures close the transcript.
"""

from __future__ import annotations

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
from sqlalchemy.pool import ConnectionPoolEntry

from bot.cli.common import CommandError
from bot.config import Config
from bot.demo import DEFAULT_SEED, PLAN_CODE
from bot.demo.cast import DemoError
from bot.demo.chat import Counters
from bot.demo.progress import Progress, count_figures
from bot.demo.world import Demo
from messages import demo as texts
from messages.i18n import language
from scheduler.planfile import PlanFileInvalid, read_plan_file
from scheduler.planload import load_plan
from storage.engine import make_engine, session_scope, upgrade

PLAN_FILE = Path(__file__).resolve().parents[2] / "plans" / f"{PLAN_CODE}.toml"


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


def _no_sync(dbapi_connection: sqlite3.Connection, _record: ConnectionPoolEntry) -> None:
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
