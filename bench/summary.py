"""How long the summaries and files take on a province-sized plan, SQLite and PostgreSQL.

A plan of 1,000 units (10 divisions, 990 communes grouped as "UBND các xã"), 60 tasks of
the usual time expressions (a year of monthly, quarterly and periodic deadlines) and
200,000 reports, then the same at 100 units; on each database it times /tonghop's
summary (``plan_summary``, its text's lines and characters), /quahan's, the chart, the
Excel workbook and the Word period report of the third quarter, and prints the figures
with the peak memory of the process. Targets (issue 14): /tonghop under 0.3 s and one
message; the workbook under 5 s.

    .venv/bin/python bench/summary.py                 # 100 and 1,000 units, both databases
    .venv/bin/python bench/summary.py --small         # 100 units, 20,000 reports, SQLite
    .venv/bin/python bench/summary.py --postgres postgresql://postgres@127.0.0.1:5432/postgres
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from sqlalchemy import create_engine, text
from world import NOW, load, seed_reports

from bot.exports import period_report_bytes, workbook_bytes
from messages.exports.chart import build_chart
from messages.exports.periods import report_period
from messages.summary import overdue, summary
from scheduler.timeexpr import parse_when
from storage.engine import make_engine, session_scope, upgrade
from storage.models import Plan
from storage.summary_queries import plan_summary


def timed(work: Callable[[], Any], runs: int = 3) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(runs):
        started = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - started)
    return best, result


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def postgres_database(server: str) -> tuple[str, Callable[[], None]]:
    name = f"bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = server.rsplit("/", 1)[0] + f"/{name}"

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()

    return url, drop


def measure(url: str, label: str, units: int, tasks: int, reports: int) -> None:
    engine = make_engine(url)
    upgrade(engine)
    started = time.perf_counter()
    plan_id = load(engine, units, tasks)
    written = seed_reports(engine, plan_id, reports)
    seeding = time.perf_counter() - started
    quarter = report_period(parse_when("Quý III/2024", 2024), "Quý III/2024")
    with session_scope(engine) as session:
        plan = session.get(Plan, plan_id)
        assert plan is not None
        figures = {}
        figures["/tonghop"], found = timed(lambda: plan_summary(session, plan_id, NOW))
        words = summary(found)
        figures["/quahan"], _ = timed(lambda: overdue(plan_summary(session, plan_id, NOW)))
        figures["chart"], _ = timed(lambda: build_chart(plan_summary(session, plan_id, NOW)), 1)
        figures["workbook"], book = timed(lambda: workbook_bytes(session, plan, NOW), 1)
        figures["period report"], _ = timed(
            lambda: period_report_bytes(session, plan, quarter, NOW), 1
        )
    print(
        f"{label:10} {units:5} units {tasks} tasks {written:7} reports (seeded in {seeding:.0f} s)"
    )
    for name, seconds in figures.items():
        print(f"    {name:14} {seconds:8.3f} s")
    lines = words.splitlines()
    print(
        f"    /tonghop text  {len(lines)} lines, {len(words)} characters (one message); "
        f"workbook {len(book) / 1e6:.1f} MB; peak memory so far {peak_mb():.0f} MB"
    )
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="100 units on SQLite only")
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--units", type=int, choices=[100, 1000], help="only this size")
    args = parser.parse_args()
    sizes = [(100, 60, 20_000)] if args.small else [(100, 60, 20_000), (1000, 60, 200_000)]
    sizes = [size for size in sizes if args.units in (None, size[0])]
    print(f"bench/summary.py, {time.strftime('%Y-%m-%d')}")
    for units, tasks, reports in sizes:
        with tempfile.TemporaryDirectory() as folder:
            measure(f"sqlite:///{folder}/bench.db", "SQLite", units, tasks, reports)
        if args.small or args.no_postgres:
            continue
        url, drop = postgres_database(args.postgres)
        try:
            measure(url, "PostgreSQL", units, tasks, reports)
        finally:
            drop()


if __name__ == "__main__":
    main()
