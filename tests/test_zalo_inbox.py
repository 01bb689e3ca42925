"""A Zalo update is handled at least once and stored once, on the fake Zalo server.

The core here fails once, after its writes, while handling the report it is armed for:
nothing of that update may stay (no report, no seen mark, no reply), and Zalo's next
delivery of it is handled and answered once. A repeated update is answered once, in
polling and in webhook mode alike.
"""

from __future__ import annotations

import time

import pytest
from sqlmodel import Session, func, select

from bot.core.bot import ChatCore
from bot.core.settings import CoreSettings
from bot.core.types import IncomingMessage, Reply
from bot.zalo.outbound import PACE_KEY
from scheduler.clock import SimulatedClock
from scheduler.planfile import read_plan_file
from scheduler.planload import load_plan
from storage.engine import make_engine, session_scope, upgrade
from storage.models import OutgoingReply, Report, Role, SeenUpdate
from storage.store import SqlStore
from tests.chat_world import START
from tests.conftest import PLANS
from tests.fakes.zalo_server import new_id
from tests.test_zalo_adapter import Setup, _update
from tests.zalo_world import RunningBot

AN = new_id()


class FailsOnce(ChatCore):
    """The chat core, failing once after its writes on the first message with ``armed``."""

    armed: str | None = None

    def handle(self, message: IncomingMessage) -> list[Reply]:
        replies = super().handle(message)
        if FailsOnce.armed is not None and FailsOnce.armed in message.text:
            FailsOnce.armed = None
            raise RuntimeError("the process died here")
        return replies


def _setup(url: str, fake, mode: str) -> Setup:
    engine = make_engine(url)
    upgrade(engine)
    clock = SimulatedClock(START)
    with session_scope(engine) as session:
        load_plan(session, read_plan_file(PLANS / "cua-lo-2024.toml"), clock.now())
    core = FailsOnce(SqlStore(engine), clock, CoreSettings())
    return Setup(engine, clock, core, fake, RunningBot(fake, core, engine, clock, mode))


@pytest.fixture(params=["polling", "webhook"])
def zalo(request, sqlite_url, fake_zalo):
    setup = _setup(sqlite_url, fake_zalo, request.param)
    yield setup
    FailsOnce.armed = None
    setup.bot.stop()
    setup.engine.dispose()


def _count(setup: Setup, model) -> int:
    with Session(setup.engine) as session:
        return session.exec(select(func.count()).select_from(model)).one()


def _register(zalo: Setup) -> None:
    code = zalo.invite(Role.MEMBER, "NV")
    assert zalo.say(AN, "An", f"/dangky {code}")


def test_an_update_failing_midway_leaves_nothing_and_is_answered_once_when_it_comes_again(zalo):
    _register(zalo)
    seen, queued = _count(zalo, SeenUpdate), _count(zalo, OutgoingReply)
    update = _update("/baocao T3 50% đã lắp 2 pano", AN)
    FailsOnce.armed = "/baocao"
    assert zalo.through(AN, lambda: zalo.fake.push_update(update)) == []
    assert FailsOnce.armed is None  # the core did fail
    assert _count(zalo, Report) == 0
    assert (_count(zalo, SeenUpdate), _count(zalo, OutgoingReply)) == (seen, queued)
    if zalo.bot.mode == "webhook":
        assert zalo.fake.webhook_deliveries[-1].status == 503

    answered = [m.text or "" for m in zalo.through(AN, lambda: zalo.fake.push_update(update))]
    assert len(answered) == 1 and answered[0].startswith("Đã ghi báo cáo nhiệm vụ T3")
    assert _count(zalo, Report) == 1
    assert _count(zalo, SeenUpdate) == seen + 1


def test_a_repeated_update_is_answered_once(zalo):
    _register(zalo)
    update = _update("/baocao T3 60%", AN)
    first = zalo.through(AN, lambda: zalo.fake.push_update(update))
    assert len(first) == 1 and (first[0].text or "").startswith("Đã ghi báo cáo")
    sent = len(zalo.fake.texts(AN))
    assert zalo.through(AN, lambda: zalo.fake.push_update(update)) == []
    assert zalo.through(AN, lambda: zalo.fake.push_update(update)) == []
    assert len(zalo.fake.texts(AN)) == sent and _count(zalo, Report) == 1


def test_a_zalo_reply_waits_for_its_slot_in_the_shared_pace(zalo):
    outbound = zalo.bot.service.outbound
    held = time.time() + 0.4
    outbound.pace.hold(PACE_KEY, held)  # another process took the next slots
    assert zalo.say(AN, "An", "/start")[0].startswith("Chào anh/chị An.")
    assert time.time() >= held  # the answer went only once the held slots were past
