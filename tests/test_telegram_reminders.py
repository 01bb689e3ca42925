"""Reminders and scheduled summaries through Telegram: the outbox's runner on a simulated
clock, its messages sent by the real python-telegram-bot to the fake server, under flood
control (429), server errors (500), a restart, a chat that threw the bot out (403), a
message refused (400), and a group that became a supergroup.

The reference is the same plan, chats and ticks with a recording sender that never
fails: whatever Telegram does, each chat must end up with exactly the reference's
messages, none lost and none twice.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import date, time

import pytest
from sqlmodel import Session, col, select

from scheduler.summaries import summary_schedule
from storage.engine import make_engine, upgrade
from storage.models import AuditLog, Chat, Reminder
from tests.reminder_world import CALENDAR, World, daily, local, new_world
from tests.telegram_world import BotHarness

FIRST, LAST = (
    date(2024, 2, 16),
    date(2024, 3, 8),
)  # T1 late, T2 due, escalations  # T1's month end: before, due, late
# A retry waits for the next tick: a message failing twice still goes out the same day,
# so its text (which counts the days left) is the reference's.
TICKS = (time(8, 0, 30), time(9, 0), time(11, 0))


def cua_lo(engine, fake=None) -> World:
    """Cửa Lò's plan with two unit groups, two officers in private and the leadership group;
    with ``fake``, those chats exist on the fake Telegram with the bot in them."""
    world = new_world(engine, "cua-lo-2024", f"{FIRST} 07:00")
    groups = {"nhóm UBND thị xã": "-1", "nhóm Nội vụ": "-2", "lãnh đạo": "-3"}
    if fake is not None:
        for name, user_id in (("Lan", 41), ("Vân", 42)):
            user = fake.user(user_id, name)
            fake.user_sends_text(user, user, "/start")  # a person must start a bot first
        for name in groups:
            group = fake.group(name)
            fake.bot_added_to_group(group, 41)
            groups[name] = str(group.id)
    world.unit_group("nhóm UBND thị xã", "UBND-TX", "telegram", groups["nhóm UBND thị xã"])
    world.unit_group("nhóm Nội vụ", "NV", "telegram", groups["nhóm Nội vụ"])
    world.member("Lan", "TO-TRUYENTHONG", "telegram", "41")
    world.member("Vân", "VNPT", "telegram", "42")
    world.leadership("lãnh đạo", "telegram", groups["lãnh đạo"])
    return world


def moments():
    for day in daily(FIRST, LAST):
        for at in TICKS:
            yield day.replace(hour=at.hour, minute=at.minute, second=at.second)


@pytest.fixture
def reference(tmp_path) -> dict[str, list[str]]:
    """What each chat receives when nothing fails: chat name -> texts in order."""
    engine = make_engine(f"sqlite:///{tmp_path / 'reference.db'}")
    upgrade(engine)
    world = cua_lo(engine)
    runner = world.runner()

    async def run() -> None:
        for moment in moments():
            world.clock.set(moment)
            await runner.tick()

    asyncio.run(run())
    names = {chat.chat_id: world.names[chat.id] for chat in chats(engine)}
    texts: dict[str, list[str]] = {}
    for delivered in world.sender.delivered:
        texts.setdefault(names[delivered.chat_id], []).append(delivered.text)
    engine.dispose()
    assert sum(map(len, texts.values())) > 15
    return texts


def chats(engine) -> list[Chat]:
    with Session(engine) as session:
        return list(session.exec(select(Chat)))


def ids_of(engine) -> dict[str, int]:
    """The groups' Telegram ids by title."""
    return {chat.title: int(chat.chat_id) for chat in chats(engine) if chat.title}


def received(world: World, engine, fake) -> dict[str, list[str]]:
    return {
        world.names[chat.id]: fake.sent_texts(int(chat.chat_id))
        for chat in chats(engine)
        if fake.sent_texts(int(chat.chat_id))
    }


def start_bot(world: World, fake) -> tuple[BotHarness, object]:
    from bot.core.bot import ChatCore
    from storage.store import SqlStore

    core = ChatCore(SqlStore(world.engine), world.clock)
    harness = BotHarness(core, world.engine, fake, receive=False).start()
    assert harness.adapter is not None
    return harness, world.runner(sender=harness.adapter.sender)


@pytest.mark.slow
def test_every_reminder_arrives_once_through_429s_500s_and_a_restart(
    sqlite_url, fake_telegram, reference
):
    fake = fake_telegram
    engine = make_engine(sqlite_url)
    upgrade(engine)
    world = cua_lo(engine, fake)
    fake.clock = world.clock
    ids = ids_of(engine)
    harness, runner = start_bot(world, fake)
    schedule = list(moments())
    restart_at = len(schedule) // 2
    for number, moment in enumerate(schedule):
        world.clock.set(moment)
        if number == 0:  # each chat's first reminder meets flood control or a server error
            fake.rate_limit("sendMessage", retry_after=7, times=2, chat_id=ids["nhóm UBND thị xã"])
            fake.server_error("sendMessage", status=500, chat_id=ids["nhóm Nội vụ"])
            fake.server_error("sendMessage", status=502, chat_id=42)
        if number == restart_at:
            harness.stop()
            harness, runner = start_bot(world, fake)
        harness.call(runner.tick())
    harness.stop()

    assert received(world, engine, fake) == reference
    faults = Counter(call.status for call in fake.calls_to("sendMessage"))
    assert faults[429] == 2 and faults[500] == 1 and faults[502] == 1
    with Session(engine) as session:
        states = Counter(r.state for r in session.exec(select(Reminder)))
        retried = session.exec(select(Reminder).where(col(Reminder.attempts) > 1)).all()
    assert states["claimed"] == 0 and states["failed"] == 0 and states["pending"] == 0
    assert retried  # the failed sends were tried again, and only those
    engine.dispose()


def test_a_group_that_removed_the_bot_gets_nothing_more_and_the_operator_is_told(
    sqlite_url, fake_telegram
):
    fake = fake_telegram
    engine = make_engine(sqlite_url)
    upgrade(engine)
    world = cua_lo(engine, fake)
    harness, runner = start_bot(world, fake)
    group = next(c for c in fake.world.chats.values() if c.title == "nhóm Nội vụ")
    fake.bot_removed_from_group(group, 41)  # the bot is not listening: it learns by a 403
    world.clock.set(local("2024-02-29 08:00:30"))
    harness.call(runner.tick())
    harness.stop()
    with Session(engine) as session:
        chat = session.exec(select(Chat).where(Chat.chat_id == str(group.id))).one()
        told = session.exec(select(AuditLog).where(AuditLog.action == "chat.deactivated")).all()
        failed = session.exec(
            select(Reminder).where(Reminder.chat_id == chat.id, Reminder.state == "failed")
        ).all()
    assert not chat.active
    assert [row.chat for row in told] == [str(group.id)] and "kicked" in told[0].detail
    assert failed and "permanent" in failed[0].last_error
    assert fake.sent_texts(group) == []
    assert fake.sent_texts(42)  # the others still got theirs
    engine.dispose()


def test_a_refused_message_is_recorded_and_not_retried(sqlite_url, fake_telegram):
    fake = fake_telegram
    engine = make_engine(sqlite_url)
    upgrade(engine)
    world = cua_lo(engine, fake)
    harness, runner = start_bot(world, fake)
    fake.inject(
        "sendMessage", status=400, chat_id=42, description="Bad Request: message is too long"
    )
    world.clock.set(local("2024-02-29 08:00:30"))
    harness.call(runner.tick())
    world.clock.set(local("2024-02-29 09:00"))
    harness.call(runner.tick())
    harness.stop()
    with Session(engine) as session:
        van = session.exec(select(Chat).where(Chat.chat_id == "42")).one()
        rows = session.exec(select(Reminder).where(Reminder.chat_id == van.id)).all()
        given_up = session.exec(select(AuditLog).where(AuditLog.action == "reminder.failed")).all()
    failed = [row for row in rows if row.state == "failed"]
    assert failed and all(row.attempts == 1 for row in failed)
    assert "message is too long" in failed[0].last_error.lower()
    assert given_up and van.active  # the chat itself is fine
    assert fake.sent_texts(42) == [] and fake.sent_texts(ids_of(engine)["nhóm Nội vụ"])
    engine.dispose()


def test_a_group_upgraded_unnoticed_gets_its_reminders_at_the_new_id(sqlite_url, fake_telegram):
    fake = fake_telegram
    engine = make_engine(sqlite_url)
    upgrade(engine)
    world = cua_lo(engine, fake)
    harness, runner = start_bot(world, fake)
    group = next(c for c in fake.world.chats.values() if c.title == "nhóm UBND thị xã")
    _old_side, new_side = fake.group_migrates_to_supergroup(group, by_user=41)
    new_id = new_side["message"]["chat"]["id"]
    world.clock.set(local("2024-02-29 08:00:30"))
    harness.call(runner.tick())
    harness.stop()
    assert fake.sent_texts(new_id) and fake.sent_texts(group) == []
    with Session(engine) as session:
        chat = session.exec(select(Chat).where(Chat.title == "nhóm UBND thị xã")).one()
        sent = session.exec(
            select(Reminder).where(Reminder.chat_id == chat.id, Reminder.state == "sent")
        ).all()
    assert chat.chat_id == str(new_id) and chat.active and sent
    engine.dispose()


def test_scheduled_summaries_reach_the_leadership_group_with_their_chart(
    sqlite_url, fake_telegram
):
    fake = fake_telegram
    engine = make_engine(sqlite_url)
    upgrade(engine)
    world = cua_lo(engine, fake)
    harness, _ = start_bot(world, fake)
    runner = world.runner(sender=harness.adapter.sender, summaries=summary_schedule(CALENDAR))
    for day in daily(date(2024, 2, 29), date(2024, 3, 4)):  # T2 due Thursday; then a Monday
        world.clock.set(day)
        harness.call(runner.tick())
    harness.stop()
    ids = ids_of(engine)
    leaders = fake.sent(ids["lãnh đạo"])
    missed = [m for m in leaders if m.text.startswith("Báo cáo lãnh đạo: nhiệm vụ đã qua hạn")]
    weekly = [m for m in leaders if m.text.startswith("Báo cáo tổng hợp định kỳ hằng tuần")]
    assert len(missed) == 1 and "T2" in missed[0].text
    # Monday 26/02's summary (the group was registered before it) goes out late, once,
    # and Monday 04/03's on time; each followed by its chart.
    assert len(weekly) == 2 and all("(cua-lo-2024)" in m.text for m in weekly)
    charts = [m for m in leaders if m.method == "sendPhoto"]
    assert [leaders.index(m) for m in charts] == [leaders.index(m) + 1 for m in weekly]
    assert all(m.photo is not None and m.photo.content.startswith(b"\x89PNG") for m in charts)
    for unit_group in ("nhóm UBND thị xã", "nhóm Nội vụ"):
        texts = fake.sent_texts(ids[unit_group])
        assert texts and not any(t.startswith("Báo cáo") for t in texts)  # reminders only
    engine.dispose()


def test_a_units_reminder_carries_its_answers_as_buttons_the_spec_accepts(
    sqlite_url, fake_telegram
):
    """The fake checks every sendMessage against the Bot API spec: the keyboard must pass."""
    engine = make_engine(sqlite_url)
    upgrade(engine)
    world = cua_lo(engine, fake_telegram)
    fake_telegram.clock = world.clock
    harness, runner = start_bot(world, fake_telegram)
    world.clock.set(local("2024-02-26 08:00:30"))  # T2 (Tháng 2) falls due on the 29th
    harness.call(runner.tick())
    harness.stop()
    (reminder,) = fake_telegram.sent(ids_of(engine)["nhóm Nội vụ"])
    assert "Còn 3 ngày làm việc đến hạn chót Thứ Năm, 29 tháng 2, 2024." in reminder.text
    assert "Báo cáo gần nhất: chưa báo cáo." in reminder.text
    labels = [label for row in reminder.buttons for label, _data in row]
    assert labels == ["Hoàn thành", "Đang thực hiện ..%", "Xin gia hạn"]
    data = reminder.callback_data
    commands = [d.split(" ~")[0] for d in data]
    assert commands == ["c:/baocao T2 xong", "c:/baocao T2", "c:/giahan T2"]
    assert all(len(d.encode()) <= 64 for d in data)
    engine.dispose()
