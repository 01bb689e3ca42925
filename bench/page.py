"""How long a plan's page takes for 1,000 units and 200,000 reports (target: under 0.5 s).

Builds a district plan the way ``bench/exports.py`` does, ten times larger: ten divisions
and 990 communes grouped as "UBND các xã, thị trấn", the twenty tasks of the usual time
expressions, and 200,000 seeded random reports (several per unit and deadline, with
notes and evidence) on the deadlines begun by 20 November. Then asks the page for the
plan as a leader would, through the real routes (link check, scope, the progress query,
the template, the audit line), three times, and prints the best time, on SQLite and, when
it is reachable on 127.0.0.1:5432, on PostgreSQL.

    .venv/bin/python bench/page.py            # about two minutes
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, insert, text
from starlette.applications import Starlette
from starlette.testclient import TestClient

from bench.exports import NOTES, NOW, plan_file
from bot.pages import tokens
from bot.pages.app import PageSite, page_routes
from scheduler.clock import SimulatedClock
from scheduler.planfile import read_plan_file
from scheduler.planload import load_plan
from storage.engine import make_engine, session_scope, upgrade
from storage.models import Member, Report, Role
from storage.progress_queries import plan_progress

REPORTS = 200_000
SECRET = "bench-secret-of-the-page-0123456789"
POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def thousand_units(folder: Path) -> Path:
    """``bench/exports.py``'s plan file with 990 communes instead of 90."""
    path = plan_file(folder)
    lines = path.read_text(encoding="utf-8").splitlines()
    out, communes = [], [f"XA-{i:03d}" for i in range(990)]
    for line in lines:
        if line.startswith("members = ["):
            line = "members = [" + ", ".join(f'"{c}"' for c in communes) + "]"
        out.append(line.replace('code = "bench-100"', 'code = "bench-1000"'))
    # The communes' [[units]] blocks, replaced.
    text_ = "\n".join(out)
    head, _, rest = text_.partition('[[units]]\ncode = "XA-00"')
    rest = rest[rest.index("[[groups]]") :]
    units = "".join(
        f'[[units]]\ncode = "{c}"\nname = "Ủy ban nhân dân xã số {c[3:]}"\nkind = "xã"\n'
        for c in communes
    )
    path.write_text(head + units + rest + "\n", encoding="utf-8")
    return path


def fill(engine, plan_id: int) -> tuple[int, int]:
    rng = random.Random(2024)
    with session_scope(engine) as session:
        entries = [e for e in plan_progress(session, plan_id, NOW).entries if e.started]
        rows = []
        for number in range(REPORTS):
            entry = rng.choice(entries)
            due = entry.due_at or NOW
            at = min(due + timedelta(days=rng.randint(-30, 10)), NOW - timedelta(hours=1))
            status = rng.choice(["done", "in_progress", "in_progress", "blocked", "not_started"])
            rows.append(
                dict(
                    occurrence_id=entry.occurrence_id,
                    unit_id=entry.unit.id,
                    status=status,
                    percent=100 if status == "done" else rng.randint(0, 90),
                    note=rng.choice(NOTES),
                    evidence='["photo-1"]' if number % 7 == 0 else "[]",
                    late=at > due,
                    created_at=at,
                    platform="telegram",
                    source_chat_id=str(entry.unit.id),
                    source_message_id=str(number),
                )
            )
        for start in range(0, len(rows), 20_000):
            session.execute(insert(Report), rows[start : start + 20_000])
        session.add(
            Member(platform="telegram", user_id="1", display_name="Lãnh đạo", role=Role.LEADER,
                   created_at=NOW)
        )  # fmt: skip
        return len(entries), len(rows)


def measure(url: str) -> None:
    engine = make_engine(url)
    upgrade(engine)
    with tempfile.TemporaryDirectory() as folder, session_scope(engine) as session:
        result = load_plan(session, read_plan_file(thousand_units(Path(folder))), NOW)
    entries, reports = fill(engine, result.plan_id)
    site = PageSite(engine, SimulatedClock(NOW), SECRET)
    client = TestClient(Starlette(routes=page_routes(site)))
    link = f"/xem/p/bench-1000?t={tokens.sign(SECRET, 'telegram', '1', NOW)}"
    times = []
    for _ in range(3):
        start = time.perf_counter()
        page = client.get(link)
        times.append(time.perf_counter() - start)
        assert page.status_code == 200, page.text[:300]
    best = min(times)
    with session_scope(engine) as session:  # the share of the summaries' progress query
        start = time.perf_counter()
        plan_progress(session, result.plan_id, NOW)
        progress = time.perf_counter() - start
    verdict = "ok" if best < 0.5 else "SLOW (target < 0.5 s)"
    kind = url.split(":", 1)[0]
    print(f"{kind:22} {result.units} units, {entries} entries begun, {reports} reports")
    print(f"{'':22} plan page {best:6.3f} s  {len(page.content) / 1024:6.0f} KB  {verdict}")
    print(f"{'':22} of which storage.progress_queries.plan_progress: {progress:6.3f} s")
    engine.dispose()


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        measure(f"sqlite:///{Path(folder) / 'bench.db'}")
    name = f"nhacviec_bench_{uuid.uuid4().hex[:8]}"
    try:
        admin = create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # no server: the SQLite figure stands alone
        print(f"postgresql: not reachable ({type(error).__name__}), skipped")
        return
    try:
        measure(POSTGRES.rsplit("/", 1)[0] + f"/{name}")
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main()
