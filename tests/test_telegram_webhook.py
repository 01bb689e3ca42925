"""Webhook mode: a forged call changes nothing, an update is acknowledged only once it is
stored, and an update delivered again is handled once, also after a restart.

The web server is the real one (Starlette under uvicorn on 127.0.0.1); the fake Bot API
server posts to it over HTTP exactly as Telegram would, and the forged calls are posted
by the test itself with httpx.
"""

from __future__ import annotations

import time

import httpx
import pytest
from sqlmodel import Session, func, select

from storage.engine import make_engine, upgrade
from storage.models import AuditLog, Chat, Member, Report, Role, SeenUpdate
from tests.telegram_world import SECRET, WEBHOOK_URL, BotHarness, make_telegram_world


@pytest.fixture
def world(sqlite_url, fake_telegram):
    engine = make_engine(sqlite_url)
    upgrade(engine)
    world = make_telegram_world(engine, fake_telegram, mode="webhook")
    world.invite("NV", Role.MEMBER, "NV", "cua-lo-2024")
    world.send("An", "private", "/dangky {NV}")
    yield world
    world.harness.stop()
    engine.dispose()


def counts(world) -> dict[str, int]:
    with Session(world.engine) as session:
        return {
            model.__name__: session.exec(select(func.count()).select_from(model)).one()
            for model in (Report, SeenUpdate, AuditLog, Member, Chat)
        }


def report_update(world, update_id: int = 900_000_001) -> dict:
    """An update as Telegram would post it: An reports T3 done."""
    an = world.person("An")
    return {
        "update_id": update_id,
        "message": {
            "message_id": 4_242,
            "from": an.to_json(),
            "chat": {"id": an.id, "first_name": an.first_name, "type": "private"},
            "date": int(world.clock.now().timestamp()),
            "text": "/baocao T3 hoàn thành",
            "entities": [{"offset": 0, "length": 7, "type": "bot_command"}],
        },
    }


def post(world, body, secret: str | None) -> httpx.Response:
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
    url = f"http://127.0.0.1:{world.harness.server.port}/telegram/updates"
    return httpx.post(url, json=body, headers=headers, trust_env=False, timeout=10)


def test_a_forged_call_is_refused_and_changes_nothing(world):
    before, sent = counts(world), len(world.fake.calls)
    an = world.person("An")
    for secret in (None, "", "doan-sai", SECRET + "x", SECRET[:-1]):
        assert post(world, report_update(world), secret).status_code == 403
    # A path Telegram was not given is not served at all.
    url = f"http://127.0.0.1:{world.harness.server.port}/telegram"
    assert httpx.post(url, json={}, trust_env=False).status_code == 404
    assert counts(world) == before
    assert len(world.fake.calls) == sent  # not a message, not an API call
    # The same call with the right secret is taken: the refusals above were the secret's.
    assert post(world, report_update(world), SECRET).status_code == 200
    assert counts(world)["Report"] == before["Report"] + 1
    assert world.fake.sent_texts(an)[-1].startswith("Đã ghi báo cáo nhiệm vụ T3")


def test_what_is_not_an_update_is_refused(world):
    before = counts(world)
    assert post(world, ["not", "an", "update"], SECRET).status_code == 400
    assert post(world, {"message": "no update id"}, SECRET).status_code == 400
    url = f"http://127.0.0.1:{world.harness.server.port}/telegram/updates"
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET, "Content-Type": "application/json"}
    assert httpx.post(url, content=b"{oops", headers=headers, trust_env=False).status_code == 400
    huge = b'{"update_id": 1, "x": "' + b"a" * 1_100_000 + b'"}'
    assert httpx.post(url, content=huge, headers=headers, trust_env=False).status_code == 413
    assert counts(world) == before


def test_the_webhook_is_registered_with_its_secret_and_the_updates_it_takes(world):
    (registered,) = world.fake.calls_to("setWebhook")
    assert registered.params["url"] == WEBHOOK_URL
    assert registered.params["secret_token"] == SECRET
    assert registered.params["allowed_updates"] == ["message", "callback_query", "my_chat_member"]
    assert world.fake.calls_to("getUpdates") == []


def test_an_update_is_acknowledged_once_stored_and_its_answer_sent_when_telegram_can(world):
    fake, an = world.fake, world.person("An")
    fake.server_error("sendMessage", status=500, times=3)  # the answer cannot go out now
    update = fake.user_sends_text(an, an, "/baocao T3 50% đã mời giảng viên")
    assert world.harness.wait_handled(update).ok

    def statuses() -> list[int | None]:
        return [d.status for d in fake.updates.deliveries if d.update_id == update["update_id"]]

    deadline = time.monotonic() + 5  # the fake notes the answer once it has read it
    while not statuses() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert statuses() == [200]  # stored: Telegram need not deliver it again
    assert counts(world)["Report"] == 1

    # The answer waited in the replies' outbox and went out at the next sweep, once.
    def confirmations() -> list[str]:
        return [t for t in fake.sent_texts(an) if t.startswith("Đã ghi báo cáo")]

    deadline = time.monotonic() + 8
    while not confirmations() and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)  # and no second one
    assert len(confirmations()) == 1


@pytest.mark.parametrize("mode", ["webhook", "polling"])
def test_an_update_delivered_again_is_handled_once_also_after_a_restart(
    mode, sqlite_url, fake_telegram
):
    engine = make_engine(sqlite_url)
    upgrade(engine)
    world = make_telegram_world(engine, fake_telegram, mode=mode)
    world.invite("NV", Role.MEMBER, "NV", "cua-lo-2024")
    world.send("An", "private", "/dangky {NV}")
    fake, an = world.fake, world.person("An")
    update = fake.user_sends_text(an, an, "/baocao T3 hoàn thành")
    assert world.harness.wait_handled(update).what == "/baocao"
    answered = len(fake.sent(an))
    fake.repeat_update(update["update_id"])
    assert world.harness.wait_handled(update, times=2).what == "repeated"

    world.harness.stop()  # a new process: nothing of the old one is kept but the database
    polls = fake.updates.poll_count()
    world.harness = BotHarness(world.core, engine, fake, mode).start()
    if mode == "polling":
        # The old process's long poll, cut off on our side, still waits in the fake until
        # the new process polls; an update handed to it would go to no one.
        deadline = time.monotonic() + 10
        while fake.updates.poll_count() == polls and time.monotonic() < deadline:
            time.sleep(0.02)
    fake.repeat_update(update["update_id"])
    assert world.harness.wait_handled(update).what == "repeated"
    assert len(fake.sent(an)) == answered
    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(Report)).one() == 1
    world.harness.stop()
    engine.dispose()
