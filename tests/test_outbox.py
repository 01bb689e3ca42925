"""The outbox on its own: where reminders go, idempotent materializing, a stop in the
middle of a day, a long downtime, and what each kind of send failure does."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, col, func, select

from scheduler.outbox import OutboxSettings, SendFailure, materialize
from scheduler.policy import PolicyBook
from storage.engine import make_engine, upgrade
from storage.models import AuditLog, Chat, Reminder
from tests.fakes.chat_channel import ProcessKilled
from tests.reminder_world import CALENDAR, World, local, new_world, plan_text


@pytest.fixture
def sqlite_engine(sqlite_url):
    engine = make_engine(sqlite_url)
    upgrade(engine)
    yield engine
    engine.dispose()


def rows(world: World, **where) -> list[Reminder]:
    with Session(world.engine) as session:
        query = select(Reminder).order_by(col(Reminder.due_at), col(Reminder.id))
        for key, value in where.items():
            query = query.where(getattr(Reminder, key) == value)
        return list(session.exec(query).all())


def states(world: World) -> list[tuple[str, str, str, str]]:
    """(local instant, chat name, step, state) of every row."""
    return [
        (
            r.due_at.astimezone(local("2024-01-01 00:00").tzinfo).strftime("%d/%m %H:%M"),
            world.names[r.chat_id],
            r.step,
            r.state,
        )
        for r in rows(world)
    ]


async def tick_at(world: World, runner, *moments: str):
    for moment in moments:
        world.clock.set(local(moment))
        await runner.tick()


# --- where reminders go ---------------------------------------------------------------


async def test_a_group_per_platform_else_each_member_privately(sqlite_engine):
    world = new_world(sqlite_engine, "cua-lo-2024", "2024-03-20 07:00")
    world.unit_group("nhóm Nội vụ", "NV", "telegram", "-1")
    world.unit_group("nhóm Nội vụ 2", "NV", "telegram", "-2")  # a second group: not used
    world.member("Hoa (Telegram)", "NV", "telegram", "101")  # in the group: not privately
    world.member("Hoa (Zalo)", "NV", "zalo", "z101")  # no Zalo group: privately there
    world.member("Tuấn (Zalo)", "NV", "zalo", "z102")
    left = world.member("Cũ (Zalo)", "NV", "zalo", "z103")
    with Session(sqlite_engine) as session:  # a chat the bot can no longer reach
        chat = session.get(Chat, left.id)
        chat.active = False
        session.add(chat)
        session.commit()

    await tick_at(world, world.runner(), "2024-03-20 08:00:30")

    assert sorted((d.platform, d.chat_id) for d in world.sender.delivered) == [
        ("telegram", "-1"),
        ("zalo", "z101"),
        ("zalo", "z102"),
    ]
    assert "Nhắc việc — Phòng Nội vụ thị xã" in world.sender.delivered[0].text


LONG_HO_COMMUNES = """
[[units]]
code = "XA-LONG-PHUOC"
name = "Ủy ban nhân dân xã Long Phước"
kind = "xã"

[[units]]
code = "XA-PHUOC-HAU"
name = "Ủy ban nhân dân xã Phước Hậu"
kind = "xã"
"""


async def test_a_group_with_members_is_owed_by_each_member(sqlite_engine):
    # plans/README.md: list the communes as units and name them in the group.
    text = plan_text("long-ho-2022").replace(
        'name = "UBND các xã, thị trấn"\nmembers = []',
        'name = "UBND các xã, thị trấn"\nmembers = ["XA-LONG-PHUOC", "XA-PHUOC-HAU"]',
    )
    text = text.replace("# Groups:", LONG_HO_COMMUNES + "\n# Groups:", 1)
    assert "XA-PHUOC-HAU" in text
    world = new_world(sqlite_engine, "long-ho-2022", "2022-01-05 07:00", text)
    world.unit_group("xã Long Phước", "XA-LONG-PHUOC", "zalo", "g1")
    world.unit_group("xã Phước Hậu", "XA-PHUOC-HAU", "zalo", "g2")
    world.unit_group("nhóm UBND các xã", "UBND-XA", "zalo", "g3")  # the group itself owes nothing

    await tick_at(world, world.runner(), "2022-01-05 08:00:30")

    assert world.sent() == [
        ("2022-01-05 08:00", "xã Long Phước", "D1 Hạn 14/01/2022", "before-7"),
        ("2022-01-05 08:00", "xã Phước Hậu", "D1 Hạn 14/01/2022", "before-7"),
    ]


async def test_unscheduled_tasks_are_never_reminded(sqlite_engine):
    # Kông Chro T3 "Theo Kế hoạch của Sở, ngành liên quan" has no due date.
    world = new_world(sqlite_engine, "kong-chro-2021", "2021-01-01 07:00")
    with Session(sqlite_engine) as session:
        from storage.models import Task, TaskAssignment, Unit

        task = session.exec(select(Task).where(Task.code == "T3")).one()
        units = session.exec(
            select(Unit)
            .join(TaskAssignment, col(TaskAssignment.unit_id) == Unit.id)
            .where(TaskAssignment.task_id == task.id)
        ).all()
    for n, unit in enumerate(units):
        world.unit_group(f"nhóm {unit.code}", unit.code, "telegram", f"-{n + 1}")
    runner = world.runner()
    for month in range(1, 13):
        await tick_at(world, runner, f"2021-{month:02d}-15 08:00:30")
    occurrence = world.occurrence("T3")
    assert occurrence.due_at is None
    assert rows(world, occurrence_id=occurrence.id) == []
    assert rows(world)  # the other tasks of these units were reminded


async def test_a_leadership_chat_bound_to_another_plan_hears_nothing_of_this_one(sqlite_engine):
    world = new_world(sqlite_engine, "cua-lo-2024", "2024-02-07 07:00")
    from tests.reminder_world import load

    load(sqlite_engine, plan_text("long-ho-2022"), "long-ho-2022", world.clock.now())
    other = World(sqlite_engine, "long-ho-2022", world.clock)
    bound = other.leadership("lãnh đạo Long Hồ", "telegram", "-50")
    with Session(sqlite_engine) as session:
        chat = session.get(Chat, bound.id)
        chat.unit_id = other.unit("UBND-HUYEN").id
        session.add(chat)
        session.commit()
    world.leadership("lãnh đạo Cửa Lò", "telegram", "-60")

    await tick_at(world, world.runner(sender=world.sender), "2024-02-07 08:00:30")

    assert [d.chat_id for d in world.sender.delivered] == ["-60"]
    assert "Nhiệm vụ T1" in world.sender.delivered[0].text


# --- materializing --------------------------------------------------------------------


def test_materializing_twice_writes_nothing_twice(engine):
    world = new_world(engine, "cua-lo-2024", "2024-01-21 09:00")
    world.unit_group("nhóm UBND thị xã", "UBND-TX", "telegram", "-1")
    world.leadership("lãnh đạo", "telegram", "-9")
    horizon = timedelta(days=20)
    with Session(engine) as first, Session(engine) as second:
        created = materialize(first, world.clock.now(), CALENDAR, PolicyBook(), horizon)
        first.commit()
        again = materialize(second, world.clock.now(), CALENDAR, PolicyBook(), horizon)
        second.commit()
    assert (created, again) == (7, 0)  # T1 up to 10/02: before-7 ... after-2, escalate
    assert [(world.names[r.chat_id], r.step, r.state) for r in rows(world)] == [
        ("nhóm UBND thị xã", "before-7", "pending"),
        ("nhóm UBND thị xã", "before-3", "pending"),
        ("nhóm UBND thị xã", "before-1", "pending"),
        ("nhóm UBND thị xã", "due", "pending"),
        ("nhóm UBND thị xã", "after-1", "pending"),
        ("nhóm UBND thị xã", "after-2", "pending"),
        ("lãnh đạo", "escalate", "pending"),
    ]
    assert {r.unit_id for r in rows(world) if r.step != "escalate"} == {world.unit("UBND-TX").id}
    assert [r.unit_id for r in rows(world) if r.step == "escalate"] == [None]


# --- stops, restarts and downtime -----------------------------------------------------


def cua_lo_t4_world(engine) -> World:
    """Five chats reminded of T4 "Tháng 3 đến tháng 4" on Friday 26/04/2024."""
    world = new_world(engine, "cua-lo-2024", "2024-04-25 07:00")
    world.member("Lan", "TO-TRUYENTHONG", "telegram", "301")
    world.member("Minh", "TO-TRUYENTHONG", "telegram", "302")
    world.member("Lan (Zalo)", "TO-TRUYENTHONG", "zalo", "z301")
    world.unit_group("nhóm các phường", "UBND-PHUONG", "telegram", "-400")
    world.unit_group("nhóm Văn phòng", "VP", "zalo", "g500")
    return world


async def test_a_stop_in_the_middle_of_a_day_sends_every_reminder_once(sqlite_url):
    engine = make_engine(sqlite_url)
    upgrade(engine)
    world = cua_lo_t4_world(engine)
    first = world.runner()
    await tick_at(world, first, "2024-04-25 08:00:30")  # the day before: before-1
    before, tried = len(world.sender.delivered), len(world.sender.attempts)
    assert before == 5

    # 26/04 08:00:30: two chats get their message, a third is rate limited, and the
    # process dies while sending to the fourth.
    world.sender.fail_next("zalo", "z301", SendFailure("retry_after", "429", retry_after=90))
    world.sender.fail_next("telegram", "-400", ProcessKilled())
    with pytest.raises(ProcessKilled):
        await tick_at(world, first, "2024-04-26 08:00:30")
    del first
    engine.dispose()

    # A new process on the same database ticks every ten minutes for the rest of the day.
    engine = make_engine(sqlite_url)
    second = world.runner(engine=engine)
    day = [f"2024-04-26 {h:02d}:{m:02d}:30" for h in range(8, 18) for m in (5, 15, 25, 45)]
    await tick_at(world, second, *day, "2024-04-29 08:00:30", "2024-04-30 08:00:30")

    today = world.sender.delivered[before:]
    assert sorted((d.platform, d.chat_id) for d in today) == [
        ("telegram", "-400"),
        ("telegram", "301"),
        ("telegram", "302"),
        ("zalo", "g500"),
        ("zalo", "z301"),
    ]
    for delivered in today:
        assert delivered.at.astimezone(CALENDAR.tz).date().isoformat() == "2024-04-26"
        assert "Hạn chót Thứ Ba, 30 tháng 4, 2024 là ngày nghỉ" in delivered.text
    # The chat the process died on was taken back once its claim was 10 minutes old.
    # The others were being sent at the same moment: each either went out then, or got
    # its 429 recorded (out after 90 s), or was left claimed by the dead process.
    at = {d.chat_id: d.at.astimezone(CALENDAR.tz).strftime("%H:%M:%S") for d in today}
    assert at["-400"] == "08:15:30"
    assert at["z301"] in ("08:05:30", "08:15:30") and at["g500"] in ("08:00:30", "08:15:30")
    assert world.sender.attempts[tried:].count(("telegram", "-400")) == 2
    sent = [r for r in rows(world, step="due") if r.state == "sent"]
    assert len(sent) == 5 and len({r.dedupe_key for r in sent}) == 5
    engine.dispose()


async def test_after_downtime_only_the_latest_missed_reminder_goes_out(sqlite_engine):
    world = new_world(sqlite_engine, "cua-lo-2024", "2024-01-22 07:00")
    world.unit_group("nhóm UBND thị xã", "UBND-TX", "telegram", "-1")
    runner = world.runner()
    await tick_at(world, runner, "2024-01-22 08:00:30")  # before-7 goes out
    # Up again on 29/01 only after 17:30: nothing goes out, but the rows of the next two
    # days are written (before-3 of 26/01, missed, is kept as the one to send).
    await tick_at(world, runner, "2024-01-29 18:00")
    # Down again until Monday 05/02 in the evening: nothing goes out at night...
    await tick_at(world, runner, "2024-02-05 20:00")
    assert len(world.sender.delivered) == 1
    # ...and at 07:30 the next morning only after-1 (02/02), the latest missed, goes out.
    await tick_at(world, runner, "2024-02-06 07:30:10", "2024-02-06 07:45:00")
    assert len(world.sender.delivered) == 2
    assert "Đã quá hạn 6 ngày" in world.sender.delivered[-1].text
    await tick_at(world, runner, "2024-02-06 08:00:30", "2024-02-06 09:00")
    assert states(world) == [
        ("22/01 08:00", "nhóm UBND thị xã", "before-7", "sent"),
        ("26/01 08:00", "nhóm UBND thị xã", "before-3", "skipped"),
        ("30/01 08:00", "nhóm UBND thị xã", "before-1", "skipped"),
        ("31/01 08:00", "nhóm UBND thị xã", "due", "skipped"),
        ("02/02 08:00", "nhóm UBND thị xã", "after-1", "sent"),
        ("06/02 08:00", "nhóm UBND thị xã", "after-2", "sent"),
    ]
    assert [r.last_error for r in rows(world, state="skipped")] == ["missed"] * 3


async def test_a_chat_registered_late_gets_the_latest_reminder_only(sqlite_engine):
    world = new_world(sqlite_engine, "cua-lo-2024", "2024-02-05 09:00")
    world.unit_group("nhóm UBND thị xã", "UBND-TX", "telegram", "-1")
    runner = world.runner()
    await tick_at(world, runner, "2024-02-05 09:00:30", "2024-02-05 10:00")
    (message,) = world.sender.delivered
    assert "Đã quá hạn 5 ngày (hạn chót Thứ Tư, 31 tháng 1, 2024)" in message.text
    assert [s[2:] for s in states(world)] == [
        ("before-7", "skipped"),
        ("before-3", "skipped"),
        ("before-1", "skipped"),
        ("due", "skipped"),
        ("after-1", "sent"),
        ("after-2", "pending"),  # tomorrow's, written two days ahead
    ]


# --- send failures --------------------------------------------------------------------


async def test_rate_limited_then_sent_at_retry_after(sqlite_engine):
    world = new_world(sqlite_engine, "cua-lo-2024", "2024-01-22 07:00")
    world.unit_group("nhóm UBND thị xã", "UBND-TX", "telegram", "-1")
    world.sender.fail_next("telegram", "-1", SendFailure("retry_after", "Too Many Requests", 120))
    runner = world.runner()
    await tick_at(world, runner, "2024-01-22 08:00:30", "2024-01-22 08:02:00")
    assert world.sender.delivered == [] and len(world.sender.attempts) == 1
    (row,) = rows(world)
    assert (row.state, row.attempts, row.next_attempt_at) == (
        "pending",
        1,
        local("2024-01-22 08:02:30"),
    )
    await tick_at(world, runner, "2024-01-22 08:02:30")
    (row,) = rows(world)
    assert (row.state, row.attempts, row.platform_message_id) == ("sent", 2, "m1")


async def test_server_errors_back_off_without_end_until_the_reminder_is_a_day_old(
    sqlite_engine,
):
    world = new_world(sqlite_engine, "cua-lo-2024", "2024-01-22 07:00")
    world.unit_group("nhóm UBND thị xã", "UBND-TX", "telegram", "-1")
    world.sender.fail_next(
        "telegram", "-1", *[SendFailure("temporary", "500 Internal Server Error")] * 12
    )
    runner = world.runner(settings=OutboxSettings(give_up_after=timedelta(hours=3)))
    minutes = [f"2024-01-22 {h:02d}:{m:02d}:30" for h in (8, 9, 10) for m in range(60)]
    await tick_at(world, runner, *minutes)
    # Tried at 08:00:30, then +1, +2, +4, +8, +16, +32 min, then every hour (the backoff's
    # cap): 8 tries, and still pending.
    assert len(world.sender.attempts) == 8
    (row,) = rows(world)
    assert row.state == "pending" and row.attempts == 8
    # The ninth, at 11:03:30, fails more than 3 h after the reminder was due: given up.
    await tick_at(world, runner, "2024-01-22 11:03:30")
    (row,) = rows(world)
    assert (row.state, row.attempts) == ("failed", 9)
    assert row.last_error == "expired after 3 h: temporary: 500 Internal Server Error"
    with Session(sqlite_engine) as session:
        (audit,) = session.exec(select(AuditLog).where(AuditLog.action == "reminder.failed"))
        assert audit.chat == "-1" and "expired after 3 h" in audit.detail
        assert session.get(Chat, row.chat_id).active  # the chat itself is fine


async def test_a_minute_of_flood_control_delays_reminders_and_loses_none(sqlite_engine):
    world = new_world(sqlite_engine, "cua-lo-2024", "2024-01-22 07:00")
    world.unit_group("nhóm UBND thị xã", "UBND-TX", "telegram", "-1")
    flood = [SendFailure("retry_after", "Too Many Requests", 5)] * 12  # 60 s of 429s
    world.sender.fail_next("telegram", "-1", *flood)
    runner = world.runner()
    await tick_at(
        world, runner, *[f"2024-01-22 08:0{s // 60}:{s % 60:02d}" for s in range(30, 101, 5)]
    )
    (row,) = rows(world)
    assert (row.state, row.attempts) == ("sent", 13)
    assert len(world.sender.delivered) == 1


async def test_a_refused_message_is_recorded_and_not_retried(sqlite_engine):
    world = new_world(sqlite_engine, "cua-lo-2024", "2024-01-22 07:00")
    world.unit_group("nhóm UBND thị xã", "UBND-TX", "telegram", "-1")
    world.sender.fail_next("telegram", "-1", SendFailure("bad_request", "400 message is too long"))
    runner = world.runner()
    await tick_at(world, runner, "2024-01-22 08:00:30", "2024-01-22 09:00", "2024-01-23 09:00")
    assert len(world.sender.attempts) == 1
    (row,) = rows(world)
    assert (row.state, row.last_error) == ("failed", "bad_request: 400 message is too long")
    # The next reminder to the same chat goes out as usual.
    await tick_at(world, runner, "2024-01-26 08:00:30")
    assert len(world.sender.delivered) == 1


async def test_a_chat_that_blocked_the_bot_is_marked_inactive_and_the_operator_told(
    sqlite_engine, caplog
):
    world = new_world(sqlite_engine, "cua-lo-2024", "2024-03-20 07:00")
    group = world.unit_group("nhóm Nội vụ", "NV", "telegram", "-1")
    world.member("Hoa", "NV", "telegram", "101")
    world.sender.fail_next("telegram", "-1", SendFailure("permanent", "403 bot was kicked"))
    runner = world.runner()
    with caplog.at_level("WARNING"):
        await tick_at(world, runner, "2024-03-20 08:00:30")
    assert world.sender.delivered == [] and len(world.sender.attempts) == 1
    with Session(sqlite_engine) as session:
        assert not session.get(Chat, group.id).active
        (audit,) = session.exec(select(AuditLog).where(AuditLog.action == "chat.deactivated"))
        assert (audit.chat, audit.detail) == ("-1", "permanent: 403 bot was kicked")
    assert "marked inactive" in caplog.text
    # Today's two reminders (T2 after-7, T3 before-7) failed; the one written for 22/03 is
    # held; the older missed ones of T2 were skipped when the group was first seen.
    assert sorted(
        (r.state, r.step) for r in rows(world) if r.chat_id == group.id and r.state != "skipped"
    ) == [("failed", "after-7"), ("failed", "before-7"), ("held", "after-8")]
    # The group is never tried again; the unit's officer is reminded privately instead,
    # from the next tick on: today's reminder is not lost.
    await tick_at(world, runner, "2024-03-20 08:01:00", "2024-03-26 08:00:30")
    assert len(world.sender.attempts) == 3
    assert [(d.chat_id, d.at.day) for d in world.sender.delivered] == [("101", 20), ("101", 26)]
    assert "T3 (đơn vị chủ trì)" in world.sender.delivered[0].text
    assert "Còn 7 ngày làm việc" in world.sender.delivered[0].text
    assert "Còn 3 ngày làm việc" in world.sender.delivered[1].text
    with Session(sqlite_engine) as session:
        assert session.exec(select(func.count()).select_from(AuditLog)).one() == 2  # load+403


async def test_rows_of_other_kinds_are_not_this_engines_to_send(sqlite_engine):
    # e.g. scheduled summaries kept in the same table by their own sender.
    world = new_world(sqlite_engine, "cua-lo-2024", "2024-01-22 07:00")
    leaders = world.leadership("lãnh đạo", "telegram", "-9")
    with Session(sqlite_engine) as session:
        session.add(
            Reminder(
                dedupe_key="summary:weekly:2024-W04",
                chat_id=leaders.id,
                kind="summary",
                step="weekly",
                due_at=local("2024-01-22 08:00"),
            )
        )
        session.commit()
    await tick_at(world, world.runner(), "2024-01-22 08:00:30", "2024-01-22 09:00")
    assert world.sender.attempts == []
    assert [(r.kind, r.state) for r in rows(world)] == [("summary", "pending")]


async def test_an_adapter_error_is_retried_and_its_text_never_stored_or_logged(
    sqlite_engine, caplog
):
    world = new_world(sqlite_engine, "cua-lo-2024", "2024-01-22 07:00")
    world.unit_group("nhóm UBND thị xã", "UBND-TX", "telegram", "-1")
    leak = ConnectionError("https://api.telegram.org/bot123:SECRET/sendMessage refused")
    world.sender.fail_next("telegram", "-1", leak)
    runner = world.runner()
    with caplog.at_level("DEBUG"):
        await tick_at(world, runner, "2024-01-22 08:00:30", "2024-01-22 08:01:30")
    assert len(world.sender.delivered) == 1 and len(world.sender.attempts) == 2
    (row,) = rows(world)
    assert (row.state, row.attempts, row.last_error) == ("sent", 2, None)
    assert "ConnectionError" in caplog.text and "SECRET" not in caplog.text
