"""The replies' claims outlive no process: a stopped or killed one's are taken back by the
next process that looks, at once, rather than after the two-minute lease.

On PostgreSQL a process is alive while it holds its presence lock; a second process sees
the first go the moment its connection closes. On SQLite (one process) a process takes
back every claim made before it started."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session

from scheduler.clock import RealClock
from storage import replies
from storage.liveness import Presence

REPLY = [("5000001", {"text": "Đã ghi báo cáo", "choices": [], "quote": None}, None)]


def claimed_then_crashed(engine, worker: str) -> list[int]:
    """A reply queued and claimed by ``worker``, whose outcome is never written."""
    now = RealClock().now()
    with Session(engine) as session:
        ids = replies.queue(session, "telegram", "17", REPLY, now)
        assert [row.id for row in replies.claim_ids(session, ids, worker, now)] == ids
        session.commit()
    return ids


def sweep(engine, presence: Presence) -> list[int]:
    """What ``bot.telegram.inbox.ReplyPost``'s sweep claims."""
    with Session(engine) as session:
        gone = presence.departed(replies.claimants(session, "telegram"))
        replies.release_claims(session, "telegram", gone, presence.claimed_before)
        found = replies.claim_due(session, "telegram", presence.worker, RealClock().now())
        session.commit()
    return [row.id for row in found]


def test_a_live_process_keeps_its_claims_and_a_gone_one_loses_them_at_once(engine):
    started = RealClock().now() - timedelta(seconds=1)
    first = Presence(engine, "may-1:101:aaaa", started)
    first.announce()
    ids = claimed_then_crashed(engine, first.worker)
    second = Presence(engine, "may-2:202:bbbb", RealClock().now())
    second.announce()
    try:
        if second.shared:  # on PostgreSQL the first is seen alive until it goes
            assert sweep(engine, second) == []
            first.withdraw()  # as kill -9 does: the server closes its connection
        assert sweep(engine, second) == ids
    finally:
        first.withdraw()
        second.withdraw()


def test_a_stopping_process_gives_back_only_its_own_claims(engine):
    mine = claimed_then_crashed(engine, "may-1:101:aaaa")
    theirs = claimed_then_crashed(engine, "may-2:202:bbbb")
    with Session(engine) as session:
        assert replies.release_claims(session, "telegram", {"may-1:101:aaaa"}) == 1
        assert replies.claimants(session, "telegram") == {"may-2:202:bbbb"}
        found = replies.claim_due(session, "telegram", "may-3:303:cccc", RealClock().now())
        session.commit()
    assert [row.id for row in found] == mine and mine != theirs
