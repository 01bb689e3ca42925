"""The runner: two bot processes on one database send each reminder once; the claim
itself (SKIP LOCKED on PostgreSQL, a guarded update everywhere); the APScheduler job."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import date, timedelta

import pytest
from sqlalchemy import event, text
from sqlmodel import Session, col, select

from scheduler.dispatch import claim
from scheduler.outbox import materialize
from scheduler.policy import PolicyBook
from scheduler.runner import JOB_ID
from storage.engine import make_engine, upgrade
from storage.models import Reminder
from tests.reminder_world import CALENDAR, World, daily, local, new_world

FIRST, LAST = "2024-01-15", "2024-03-15"


def cua_lo(engine) -> World:
    world = new_world(engine, "cua-lo-2024", f"{FIRST} 07:00")
    world.unit_group("nhóm UBND thị xã", "UBND-TX", "telegram", "-1")
    world.unit_group("nhóm Nội vụ", "NV", "telegram", "-2")
    world.unit_group("nhóm các phường", "UBND-PHUONG", "zalo", "g3")
    world.member("Lan", "TO-TRUYENTHONG", "telegram", "41")
    world.member("Lan (Zalo)", "TO-TRUYENTHONG", "zalo", "z41")
    world.member("Vân", "VNPT", "telegram", "42")
    world.leadership("lãnh đạo", "telegram", "-9")
    return world


async def run(world: World, runners) -> None:
    for moment in daily(date.fromisoformat(FIRST), date.fromisoformat(LAST)):
        for offset in (0, 15, 60):  # a few ticks each morning
            world.clock.set(moment + timedelta(seconds=offset))
            await asyncio.gather(*(runner.tick() for runner in runners))


@pytest.mark.slow
async def test_two_processes_on_one_database_send_each_reminder_once(db_url, tmp_path):
    # The reference: one process, its own SQLite file.
    reference_engine = make_engine(f"sqlite:///{tmp_path / 'reference.db'}")
    upgrade(reference_engine)
    reference = cua_lo(reference_engine)
    await run(reference, [reference.runner()])

    # Two processes: two engines (two connection pools) on the same database, one chat
    # channel, ticking at the same moments; their database work runs in threads.
    first_engine, second_engine = make_engine(db_url), make_engine(db_url)
    upgrade(first_engine)
    world = cua_lo(first_engine)
    world.sender._yield = True  # let the two ticks interleave at every send
    runners = [world.runner(first_engine), world.runner(second_engine)]
    await run(world, runners)

    assert world.sent() == reference.sent()
    assert len(reference.sent()) > 40
    with Session(first_engine) as session:
        workers = session.exec(select(Reminder.claimed_by).where(Reminder.state == "sent")).all()
    assert set(workers) == {runner.worker for runner in runners}  # both took their share
    delivered = Counter((d.platform, d.chat_id, d.at) for d in world.sender.delivered)
    assert max(delivered.values()) == 1  # never two messages to a chat at one tick
    assert len(world.sender.delivered) == len(reference.sender.delivered)
    assert sorted(d.text for d in world.sender.delivered) == sorted(
        d.text for d in reference.sender.delivered
    )
    for engine in (reference_engine, first_engine, second_engine):
        engine.dispose()


@pytest.mark.postgres
def test_a_claim_in_progress_is_skipped_by_another_process(postgres_url):
    engine = make_engine(postgres_url)
    upgrade(engine)
    world = cua_lo(engine)
    world.clock.set(local("2024-01-31 08:00:30"))
    now = world.clock.now()
    with Session(engine) as session:
        materialize(session, now, CALENDAR, PolicyBook())
        session.commit()
    with Session(engine) as first, Session(engine) as second:
        mine = claim(first, now, "first")  # not committed yet: its rows stay locked
        theirs = claim(second, now, "second")
        first.commit()
        second.commit()
    assert mine and not theirs
    with Session(engine) as session:
        claimed = session.exec(
            select(Reminder.claimed_by).where(col(Reminder.state) == "claimed")
        ).all()
    assert set(claimed) == {"first"} and len(claimed) == len(mine)
    engine.dispose()


async def test_a_busy_sqlite_database_only_delays_the_reminders(sqlite_url):
    engine = make_engine(sqlite_url)
    event.listen(engine, "connect", lambda conn, _: conn.execute("PRAGMA busy_timeout=100"))
    upgrade(engine)
    world = cua_lo(engine)
    runner = world.runner()
    other = make_engine(sqlite_url)  # another process, in the middle of a long write
    with other.connect() as connection:
        connection.execute(text("BEGIN IMMEDIATE"))
        world.clock.set(local("2024-01-31 08:00:30"))
        report = await runner.tick()
        connection.rollback()
    assert world.sender.delivered == [] and report.sent == 0
    world.clock.set(local("2024-01-31 08:01:00"))
    report = await runner.tick()
    assert report.sent > 0 and {d.chat_id for d in world.sender.delivered} >= {"-1", "g3"}
    other.dispose()
    engine.dispose()


async def test_the_tick_job_runs_in_the_event_loop(sqlite_url):
    engine = make_engine(sqlite_url)
    upgrade(engine)
    world = cua_lo(engine)
    world.clock.set(local("2024-01-31 08:00:30"))
    runner = world.runner(tick_seconds=0.05)
    scheduler = runner.start()
    job = scheduler.get_job(JOB_ID)
    assert (job.max_instances, job.coalesce) == (1, True)
    try:
        for _ in range(200):  # the first tick runs at once; give it up to 10 s
            if world.sender.delivered:
                break
            await asyncio.sleep(0.05)
    finally:
        await runner.shutdown()
    assert not scheduler.running and scheduler.get_job(JOB_ID) is None
    assert {d.chat_id for d in world.sender.delivered} >= {"-1", "g3"}  # T1's due day
    engine.dispose()
