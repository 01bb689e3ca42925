"""Seen updates and monthly message counts (``storage.updates``) on SQLite and PostgreSQL,
and under a race of bot processes on PostgreSQL."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session

from storage.engine import make_engine, upgrade
from storage.updates import (
    count_outbound,
    forget_update,
    outbound_count,
    prune_updates,
    remember_update,
)

NOW = datetime(2024, 3, 5, 2, 0, tzinfo=UTC)


def test_an_update_is_new_once_per_platform(engine):
    assert remember_update(engine, "zalo", "2d758cb5e222177a4e35", NOW) is True
    assert remember_update(engine, "zalo", "2d758cb5e222177a4e35", NOW) is False
    assert remember_update(engine, "telegram", "2d758cb5e222177a4e35", NOW) is True
    assert forget_update(engine, "zalo", "2d758cb5e222177a4e35") is True
    assert forget_update(engine, "zalo", "2d758cb5e222177a4e35") is False
    assert remember_update(engine, "zalo", "2d758cb5e222177a4e35", NOW) is True
    with pytest.raises(ValueError):
        remember_update(engine, "zalo", "", NOW)


def test_in_a_session_the_callers_transaction_decides(engine):
    with Session(engine) as session:
        assert remember_update(session, "zalo", "m1", NOW) is True
        assert remember_update(session, "zalo", "m1", NOW) is False
        session.rollback()
    assert remember_update(engine, "zalo", "m1", NOW) is True  # the rolled back one is gone


def test_old_updates_are_forgotten(engine):
    remember_update(engine, "zalo", "old", NOW - timedelta(days=40))
    remember_update(engine, "zalo", "new", NOW)
    remember_update(engine, "telegram", "old", NOW - timedelta(days=40))
    assert prune_updates(engine, "zalo", NOW - timedelta(days=30)) == 1
    assert remember_update(engine, "zalo", "old", NOW) is True
    assert remember_update(engine, "zalo", "new", NOW) is False
    assert remember_update(engine, "telegram", "old", NOW) is False


def test_messages_are_counted_per_platform_and_month(engine):
    assert count_outbound(engine, "zalo", "2024-03") == 1
    assert count_outbound(engine, "zalo", "2024-03", 4) == 5
    assert count_outbound(engine, "zalo", "2024-04") == 1
    assert count_outbound(engine, "telegram", "2024-03") == 1
    assert outbound_count(engine, "zalo", "2024-03") == 5
    assert outbound_count(engine, "zalo", "2024-02") == 0


@pytest.mark.postgres
def test_bot_processes_racing_on_postgres(postgres_url):
    """Eight processes (eight engines) take the same update and count messages at once:
    one takes the update, and no message goes uncounted."""
    engines = [make_engine(postgres_url) for _ in range(8)]
    upgrade(engines[0])
    barrier = threading.Barrier(len(engines))
    taken: list[bool] = []
    totals: list[int] = []

    def process(engine) -> None:
        barrier.wait()
        taken.append(remember_update(engine, "zalo", "same-update", NOW))
        for _ in range(25):
            totals.append(count_outbound(engine, "zalo", "2024-03"))

    threads = [threading.Thread(target=process, args=(engine,)) for engine in engines]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(taken) == [False] * 7 + [True]
    assert sorted(totals) == list(range(1, 201))  # each total seen by exactly one sender
    assert outbound_count(engines[0], "zalo", "2024-03") == 200
    for engine in engines:
        engine.dispose()
