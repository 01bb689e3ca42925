"""How long a plan's page takes for 100 and 1,000 units (target: under 0.5 s at 1,000 units
and 200,000 reports, on SQLite and PostgreSQL).

The plan is ``bench/world.py``'s, as for ``bench/summary.py``: 10 divisions and the rest
communes grouped as "UBND các xã", 60 tasks of the usual time expressions, reports seeded
over the deadlines begun by 20 November 2024 (20,000 at 100 units, 200,000 at 1,000). A
leader then asks for the plan's page through the real routes (link check, scope, the
aggregate queries of ``storage.page_progress``, the template, the audit line), three
times; the best time is printed, with /tonghop's summary (``plan_summary``) for scale and
a check that the page shows /tonghop's figures.

    .venv/bin/python bench/page.py                  # 100 and 1,000 units, both databases
    .venv/bin/python bench/page.py --small          # 100 units only
    .venv/bin/python bench/page.py --no-postgres    # SQLite only
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

with warnings.catch_warnings():  # Starlette's test client warns of its next HTTP client
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient
from starlette.applications import Starlette
from summary import postgres_database, timed
from world import NOW, load, seed_reports

from bot.pages import tokens
from bot.pages.app import PageSite, page_routes
from scheduler.clock import SimulatedClock
from storage.engine import make_engine, session_scope, upgrade
from storage.models import Member, Role
from storage.summary_queries import plan_summary

SECRET = "bench-secret-of-the-page-0123456789"
TARGET = 0.5


def measure(url: str, label: str, units: int, tasks: int, reports: int) -> None:
    engine = make_engine(url)
    upgrade(engine)
    plan_id = load(engine, units, tasks)
    written = seed_reports(engine, plan_id, reports)
    with session_scope(engine) as session:
        session.add(
            Member(platform="telegram", user_id="1", display_name="Lãnh đạo", role=Role.LEADER,
                   created_at=NOW)
        )  # fmt: skip
    client = TestClient(
        Starlette(routes=page_routes(PageSite(engine, SimulatedClock(NOW), SECRET)))
    )
    link = f"/xem/p/bench-{units}?t={tokens.sign(SECRET, 'telegram', '1', NOW)}"
    best, page = timed(lambda: client.get(link))
    assert page.status_code == 200, page.text[:300]
    with session_scope(engine) as session:
        tonghop, summary = timed(lambda: plan_summary(session, plan_id, NOW))
    total = summary.counts.total
    same = (
        f"Đầu việc đã đến kỳ: {total}" in page.text and f">✓ {summary.done_on_time}<" in page.text
    )
    verdict = "met" if best < TARGET else f"NOT met (target < {TARGET} s)"
    print(
        f"{label:10} {units:5} units {tasks} tasks {written:7} reports, {total} entries in scope"
    )
    print(f"    plan page  {best:7.3f} s  {len(page.content) / 1024:5.0f} KB  {verdict}")
    print(f"    /tonghop   {tonghop:7.3f} s  (plan_summary); same figures on the page: {same}")
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="100 units only")
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    sizes = [(100, 60, 20_000)] if args.small else [(100, 60, 20_000), (1000, 60, 200_000)]
    print(f"bench/page.py, {time.strftime('%Y-%m-%d')}, {os.cpu_count()} CPUs")
    for units, tasks, reports in sizes:
        with tempfile.TemporaryDirectory() as folder:
            measure(f"sqlite:///{folder}/bench.db", "SQLite", units, tasks, reports)
        if args.no_postgres:
            continue
        url, drop = postgres_database(args.postgres)
        try:
            measure(url, "PostgreSQL", units, tasks, reports)
        finally:
            drop()


if __name__ == "__main__":
    main()
