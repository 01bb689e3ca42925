"""Reminders on Zalo: the outbox's runner on the simulated clock, sending through the real
Zalo client to the fake server; one message per chat and tick; the monthly budget's
warning, the hold when it is spent, and what each Zalo failure makes of a reminder."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlmodel import Session, col, select

from bot.cli import main
from bot.core.bot import ChatCore
from bot.core.settings import CoreSettings
from bot.zalo.budget import month_of, next_month_start
from messages.choices import numbered
from scheduler.outbox import SendFailure
from storage.engine import make_engine, upgrade
from storage.models import Reminder
from storage.store import SqlStore
from storage.updates import count_outbound, outbound_count
from tests.fakes.zalo_server import FakeZaloServer, new_id
from tests.reminder_world import daily, local, new_world
from tests.zalo_world import RunningBot

NOI_VU, PHUONG, LEADERS = new_id(), new_id(), new_id()  # the units' groups, the leadership's
LAN, OPERATOR = new_id(), new_id()


def zalo_world(url: str, fake: FakeZaloServer, start: str, **settings):
    """The Cửa Lò plan with its chats on Zalo, and the bot (polling) on the fake."""
    engine = make_engine(url)
    upgrade(engine)
    world = new_world(engine, "cua-lo-2024", start)
    world.unit_group("nhóm Nội vụ", "NV", "zalo", NOI_VU)
    world.unit_group("nhóm các phường", "UBND-PHUONG", "zalo", PHUONG)
    world.member("Lan", "VHTT", "zalo", LAN)
    world.leadership("lãnh đạo", "zalo", LEADERS)
    for chat in (NOI_VU, PHUONG, LAN, LEADERS, OPERATOR):
        fake.add_chat(chat)
    settings_ = CoreSettings(operators={"zalo": frozenset({OPERATOR})})
    core = ChatCore(SqlStore(engine), world.clock, settings_)
    bot = RunningBot(fake, core, engine, world.clock, "polling", (OPERATOR,), **settings)
    return world, bot


def reference_texts(url: str, first: date, last: date) -> dict[tuple[date, str], list[str]]:
    """What the outbox sends to the same chats with a recording sender (no Zalo at all)."""
    engine = make_engine(url)
    upgrade(engine)
    world = new_world(engine, "cua-lo-2024", f"{first} 07:00")
    world.unit_group("nhóm Nội vụ", "NV", "zalo", NOI_VU)
    world.unit_group("nhóm các phường", "UBND-PHUONG", "zalo", PHUONG)
    world.member("Lan", "VHTT", "zalo", LAN)
    world.leadership("lãnh đạo", "zalo", LEADERS)
    runner = world.runner()
    sent: dict[tuple[date, str], list[str]] = {}
    import asyncio

    async def run() -> None:
        for moment in daily(first, last):
            world.clock.set(moment)
            before = len(world.sender.delivered)
            await runner.tick()
            for delivered in world.sender.delivered[before:]:
                # Zalo shows the answers numbered under the text.
                text = numbered(delivered.text, [label for label, _v in delivered.choices])
                sent.setdefault((moment.date(), delivered.chat_id), []).append(text)

    asyncio.run(run())
    engine.dispose()
    return sent


def test_reminders_reach_zalo_chats_one_message_per_chat_and_tick(sqlite_url, fake_zalo, tmp_path):
    first, last = date(2024, 2, 19), date(2024, 3, 8)
    world, bot = zalo_world(sqlite_url, fake_zalo, f"{first} 07:00")
    runner = world.runner(sender=bot.service.sender)
    got: dict[tuple[date, str], list[str]] = {}
    for moment in daily(first, last):
        world.clock.set(moment)
        before = len(fake_zalo.outbox)
        bot.do(runner.tick())
        for message in fake_zalo.outbox[before:]:
            got.setdefault((moment.date(), message.chat_id), []).append(message.text or "")
    bot.stop()
    world.engine.dispose()

    assert got == reference_texts(f"sqlite:///{tmp_path / 'reference.db'}", first, last)
    assert all(len(texts) == 1 for texts in got.values())  # one message per chat and tick
    (both,) = got[(date(2024, 2, 29), PHUONG)]  # T1 overdue and T2 due: combined
    assert both.startswith("Nhắc việc — Ủy ban nhân dân các phường\n\n1. Nhiệm vụ T1")
    assert "\n\n2. Nhiệm vụ T2 (đơn vị chủ trì)" in both
    # Each deadline's answers, numbered: the officer types the number.
    assert both.endswith(
        "1. T1: Hoàn thành\n2. T1: Đang thực hiện ..%\n3. T1: Xin gia hạn\n"
        "4. T2: Hoàn thành\n5. T2: Đang thực hiện ..%\n6. T2: Xin gia hạn"
    )
    assert {chat for _day, chat in got} == {NOI_VU, PHUONG, LEADERS}
    assert outbound_count(world.engine, "zalo", "2024-02") + outbound_count(
        world.engine, "zalo", "2024-03"
    ) == len(fake_zalo.outbox)


@pytest.fixture
def config(tmp_path: Path, sqlite_url: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(
        f'[database]\nurl = "{sqlite_url}"\n\n'
        '[clock]\nmode = "simulated"\nstart = "2024-02-26T07:55:00+07:00"\nspeed = 0.0\n',
        encoding="utf-8",
    )
    return path


def test_the_budget_warns_at_80_percent_then_holds_reminders_until_next_month(
    sqlite_url, fake_zalo, config, capsys, caplog
):
    world, bot = zalo_world(sqlite_url, fake_zalo, "2024-02-27 07:00", monthly_budget=10)
    runner = world.runner(sender=bot.service.sender)
    count_outbound(world.engine, "zalo", "2024-02", 5)  # the month so far

    def tick(moment: str) -> None:
        world.clock.set(local(moment))
        bot.do(runner.tick())

    def say(text: str) -> list[str]:
        before = len(fake_zalo.outbox)
        mark = bot.mark()
        fake_zalo.user_sends_text(LAN, LAN, "Lan", text)
        bot.wait_handled(mark)
        return [m.text or "" for m in fake_zalo.outbox[before:] if m.chat_id == LAN]

    # T2 to both groups and T1's escalation to the leaders: 6, 7, 8 = 80%; the warning: 9.
    tick("2024-02-28 08:00:30")
    assert [len(fake_zalo.sent(chat)) for chat in (NOI_VU, PHUONG, LEADERS)] == [1, 1, 1]
    assert fake_zalo.texts(OPERATOR) == [
        "Bot Nhắc việc đã gửi 8/10 tin nhắn Zalo của tháng 2/2024. Khi hết hạn mức, nhắc việc "
        "qua Zalo được tạm giữ đến đầu tháng sau; trả lời người dùng vẫn gửi. Xem hàng đợi "
        "bằng lệnh nhacviec reminders list."
    ]
    assert say("/start")[0].startswith("Chào anh/chị Lan.")  # 10: spent, and the operator told
    assert fake_zalo.texts(OPERATOR)[1] == (
        "Bot Nhắc việc đã dùng hết hạn mức 10 tin nhắn Zalo của tháng 2/2024. Nhắc việc qua "
        "Zalo được tạm giữ, gửi lại từ 01/03/2024; trả lời người dùng vẫn gửi. Xem bằng lệnh "
        "nhacviec reminders list."
    )
    assert any("budget of 10 messages is spent for 2024-02" in r.message for r in caplog.records)

    tick("2024-02-29 08:00:30")  # due day: held, not sent
    assert len(fake_zalo.sent(NOI_VU)) == len(fake_zalo.sent(PHUONG)) == 1
    assert say("/giup")[0].startswith("Các lệnh")  # replies still go out
    with Session(world.engine) as session:
        held = session.exec(select(Reminder).where(col(Reminder.state) == "held")).all()
    assert len(held) == 3  # T2 due to both groups, T1 overdue to the wards'
    assert {r.last_error for r in held} == {"budget-spent"} and {r.attempts for r in held} == {0}
    assert {r.next_attempt_at for r in held} == {local("2024-03-01 00:00")}

    code = main(["reminders", "list", "--config", str(config)], clock=world.clock)
    out = capsys.readouterr().out
    assert code == 0
    nv = "Phòng Nội vụ thị xã · zalo:" + NOI_VU + " (nhóm Nội vụ)"
    assert (
        f"08:00 Thứ Năm, 29 tháng 2, 2024  tạm giữ  cua-lo-2024 T2 Tháng 2/2024  "
        f"ngày hạn chót  → {nv}\n"
        "    giữ đến 00:00 Thứ Sáu, 1 tháng 3, 2024\n"
        "    lý do: đã hết hạn mức tin nhắn Zalo của tháng\n"
    ) in out

    tick("2024-03-01 08:00:30")  # a new month: the held reminders go out
    assert len(fake_zalo.sent(NOI_VU)) == len(fake_zalo.sent(PHUONG)) == 2
    assert "Hôm nay là hạn chót" not in fake_zalo.texts(NOI_VU)[-1]  # a day late, and it says
    assert "Nhiệm vụ T2" in fake_zalo.texts(NOI_VU)[-1]
    with Session(world.engine) as session:
        states = session.exec(
            select(Reminder.state).where(col(Reminder.id).in_([r.id for r in held]))
        )
        assert set(states) == {"sent"}
    assert outbound_count(world.engine, "zalo", "2024-03") == 2
    assert len(fake_zalo.texts(OPERATOR)) == 2  # each notice once
    bot.stop()
    world.engine.dispose()


ERRORS = [
    ({"error_code": 429, "description": "Too Many Requests", "retry_after": 7}, "retry_after", 7),
    ({"error_code": 500}, "temporary", None),
    ({"error_code": 502, "raw_body": "<html>Bad Gateway</html>"}, "temporary", None),
    ({"error_code": 401, "description": "Unauthorized"}, "temporary", None),
    ({"error_code": 400, "description": "Bad Request: Chat not found"}, "permanent", None),
    ({"error_code": 403, "description": "Forbidden"}, "temporary", None),
    ({"error_code": 403, "description": "Forbidden: bot was blocked"}, "permanent", None),
    ({"error_code": 400, "description": "Bad Request: text is invalid"}, "bad_request", None),
]


def test_zalo_failures_become_the_outboxs_kinds(sqlite_url, fake_zalo):
    world, bot = zalo_world(sqlite_url, fake_zalo, "2024-02-27 07:00")
    sender = bot.service.sender
    for failure, kind, retry_after in ERRORS:
        fake_zalo.fail_next("sendMessage", **failure)
        with pytest.raises(SendFailure) as raised:
            bot.do(sender.send("zalo", NOI_VU, "Nhắc việc"))
        assert (raised.value.kind, raised.value.retry_after) == (kind, retry_after), failure
        assert fake_zalo.token not in str(raised.value)
    with pytest.raises(SendFailure) as raised:
        bot.do(sender.send("telegram", "-100", "Nhắc việc"))
    assert raised.value.kind == "bad_request"
    with pytest.raises(SendFailure) as raised:  # no public address for files: no chart
        bot.do(sender.send_photo("zalo", LEADERS, b"\x89PNG", "bieu-do.png", "Biểu đồ"))
    assert raised.value.kind == "unsupported"
    assert bot.do(sender.send("zalo", NOI_VU, "Nhắc việc")) == fake_zalo.sent(NOI_VU)[0].message_id
    bot.stop()
    world.engine.dispose()


def test_the_month_is_vietnams():
    assert month_of(local("2024-03-01 00:30")) == "2024-03"  # still February in UTC
    assert next_month_start(local("2024-12-15 09:00")) == local("2025-01-01 00:00")
    assert next_month_start(local("2024-02-29 23:59")) - local("2024-02-29 23:59") == timedelta(
        minutes=1
    )
