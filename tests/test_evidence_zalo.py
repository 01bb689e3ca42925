"""Evidence kept, on Zalo: a photo sent with a report is fetched from its URL (on the fake
Zalo server, standing in for Zalo's CDN) into the file store, named by its hash."""

from __future__ import annotations

import hashlib

import pytest
from sqlmodel import Session, select

from bot.core.bot import ChatCore
from bot.core.settings import CoreSettings
from bot.evidence import EvidenceShelf
from scheduler.clock import SimulatedClock
from scheduler.planfile import read_plan_file
from scheduler.planload import load_plan
from storage.engine import make_engine, session_scope, upgrade
from storage.filestore import FileStore
from storage.models import Evidence, Role
from storage.store import SqlStore
from tests.chat_world import START
from tests.conftest import PLANS
from tests.zalo_world import ZaloWorld, user_update

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 8 + b"\xff\xd9"


@pytest.fixture
def world(tmp_path, sqlite_url, fake_zalo):
    engine = make_engine(sqlite_url)
    upgrade(engine)
    clock = SimulatedClock(START)
    with session_scope(engine) as session:
        load_plan(session, read_plan_file(PLANS / "cua-lo-2024.toml"), clock.now())
    store = SqlStore(engine)
    shelf = EvidenceShelf(FileStore(tmp_path / "evidence"))
    world = ZaloWorld(engine, clock, store, ChatCore(store, clock, CoreSettings(), evidence=shelf))
    world.connect(fake_zalo, "polling")
    world.invite("NV", Role.MEMBER, "NV", "cua-lo-2024")
    world.send("An", "private", "/dangky {NV}")
    yield world
    world.close()
    engine.dispose()


def test_a_zalo_photo_sent_with_a_report_is_kept_by_its_hash(world, tmp_path):
    url = world.fake.host_photo(JPEG)
    update = user_update("An", "private", "/baocao T3 50% đã lắp 2 pano")
    update["event_name"] = "message.image.received"
    update["message"]["photo_url"] = url
    update["message"]["caption"] = update["message"].pop("text")
    world.fake.add_chat("An", "PRIVATE")
    mark, sent = world.bot.mark(), len(world.fake.outbox)
    world.fake.push_update(update)
    world.bot.wait_handled(mark)
    (answer,) = [message.text for message in world.fake.outbox[sent:]]
    assert "Đã ghi báo cáo nhiệm vụ T3" in answer and "Minh chứng: 1 tệp" in answer

    with Session(world.engine) as session:
        (row,) = session.exec(select(Evidence)).all()
    digest = hashlib.sha256(JPEG).hexdigest()
    assert (row.platform, row.file_id, row.sha256) == ("zalo", url, digest)
    assert (row.path, row.mime_type) == (f"{digest[:2]}/{digest}.jpg", "image/jpeg")
    assert (tmp_path / "evidence" / row.path).read_bytes() == JPEG
