"""Scheduled summaries to the leadership group, on the simulated clock with Cửa Lò 2024:
the weekly summary on Mondays 08:00 (moved off a holiday) with its chart, the message the
morning after a missed deadline, and nothing lost or sent twice across a stop, a crash,
a long downtime or two bot processes."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from sqlmodel import Session, col, select

from messages.scheduled_summary import weekly_summary
from scheduler.outbox import SUMMARY_KINDS, SendFailure
from scheduler.summaries import (
    latest_fire,
    summary_schedule,
    weekly_due,
    weekly_trigger,
)
from storage.engine import make_engine, upgrade
from storage.models import Plan, Reminder, Unit
from storage.summary_queries import plan_summary
from tests.fakes.chat_channel import ProcessKilled, RecordingSender
from tests.reminder_world import CALENDAR, World, daily, load, local, new_world, plan_text

SCHEDULE = summary_schedule(CALENDAR)  # the defaults: Mondays 08:00, missed at 08:00, chart
NO_CHART = replace(SCHEDULE, chart=False)  # drawing takes half a second: most tests skip it
WEEKLY = "Báo cáo tổng hợp định kỳ hằng tuần gửi lãnh đạo."
MISSED = "Báo cáo lãnh đạo: nhiệm vụ đã qua hạn chót mà đơn vị chưa hoàn thành — "
PLAN = "Kế hoạch tuyên truyền cải cách hành chính thị xã Cửa Lò năm 2024 (cua-lo-2024)"
T2 = (
    "Thành lập Tổ truyền thông về tiện ích dịch vụ công trực tuyến cấp thị, cấp phường; "
    "thành lập tổ hỗ trợ nộp hồ sơ trực tuyến"
)


@pytest.fixture
def sqlite_engine(sqlite_url):
    engine = make_engine(sqlite_url)
    upgrade(engine)
    yield engine
    engine.dispose()


def cua_lo(engine, start: str, platform: str = "telegram", chat: str = "-9") -> World:
    world = new_world(engine, "cua-lo-2024", start)
    world.leadership("lãnh đạo", platform, chat)
    return world


def at(moment: datetime) -> str:
    return moment.astimezone(CALENDAR.tz).strftime("%d/%m %H:%M")


def leadership(world: World, prefix: str, chat: str = "-9") -> list[tuple[str, str]]:
    """(local time, text) of the messages to the leadership chat starting with ``prefix``."""
    return [
        (at(d.at), d.text)
        for d in world.sender.delivered
        if d.chat_id == chat and d.photo is None and d.text.startswith(prefix)
    ]


def summary_rows(world: World) -> list[tuple[str, str, str | None]]:
    """(dedupe key, state, last_error) of every summary row."""
    with Session(world.engine) as session:
        rows = session.exec(
            select(Reminder)
            .where(col(Reminder.kind).in_(SUMMARY_KINDS))
            .order_by(col(Reminder.due_at), col(Reminder.id))
        ).all()
    return [(r.dedupe_key, r.state, r.last_error) for r in rows]


async def tick_at(world: World, runner, *moments: datetime | str) -> None:
    for moment in moments:
        world.clock.set(local(moment) if isinstance(moment, str) else moment)
        await runner.tick()


def mornings(first: str, last: str, *times: time):
    for day in daily(date.fromisoformat(first), date.fromisoformat(last)):
        for moment in times or (time(8, 0, 30),):
            yield datetime.combine(day.date(), moment, tzinfo=CALENDAR.tz)


# --- the weekly summary ------------------------------------------------------------------


@pytest.mark.slow
async def test_weekly_on_mondays_at_eight_moved_off_the_may_holidays_with_its_chart(
    sqlite_engine,
):
    world = cua_lo(sqlite_engine, "2024-04-20 07:00")
    runner = world.runner(summaries=SCHEDULE)
    for moment in mornings("2024-04-22", "2024-05-07", time(7), time(8, 0, 30), time(12)):
        await tick_at(world, runner, moment)

    # Monday 29/04 is a day off (swapped for Saturday 04/05), 30/04 and 01/05 holidays.
    weekly = leadership(world, WEEKLY)
    assert [when for when, _ in weekly] == ["22/04 08:00", "02/05 08:00", "06/05 08:00"]
    photos = world.sender.photos("telegram", "-9")
    assert [(at(p.at), p.filename, p.text) for p in photos] == [
        (
            "22/04 08:00",
            "tien-do-cua-lo-2024-2024-04-22.png",
            "Biểu đồ tiến độ từng đơn vị — cua-lo-2024, 22/04/2024",
        ),
        (
            "02/05 08:00",
            "tien-do-cua-lo-2024-2024-05-02.png",
            "Biểu đồ tiến độ từng đơn vị — cua-lo-2024, 02/05/2024",
        ),
        (
            "06/05 08:00",
            "tien-do-cua-lo-2024-2024-05-06.png",
            "Biểu đồ tiến độ từng đơn vị — cua-lo-2024, 06/05/2024",
        ),
    ]
    assert all(p.photo and p.photo.startswith(b"\x89PNG\r\n\x1a\n") for p in photos)
    # Each chart comes right after its text, and the text is /tonghop's of that moment.
    delivered = [d for d in world.sender.delivered if d.chat_id == "-9"]
    for photo in photos:
        before = delivered[delivered.index(photo) - 1]
        assert before.text.startswith(WEEKLY)
        with Session(world.engine) as session:
            plan = session.exec(select(Plan)).one()
            summary = plan_summary(session, plan.id, before.at)
        assert before.text == weekly_summary(summary)
        assert "TỔNG HỢP TIẾN ĐỘ: " + PLAN in before.text
    # T4's deadline (Tuesday 30/04, a holiday) missed: told on the first working morning.
    assert [when for when, _ in leadership(world, MISSED)] == ["02/05 08:00"]
    assert [state for _, state, _ in summary_rows(world)] == ["sent"] * 4


def test_the_instants_of_the_schedule():
    monday = weekly_trigger("summaries.weekly", "0 8 * * mon", CALENDAR)
    assert latest_fire(monday, local("2024-03-04 08:00")) == local("2024-03-04 08:00")
    assert latest_fire(monday, local("2024-03-04 07:59")) == local("2024-02-26 08:00")
    monthly = weekly_trigger("summaries.weekly", "30 16 1 * *", CALENDAR)
    assert latest_fire(monthly, local("2024-03-20 09:00")) == local("2024-03-01 16:30")
    # Tết 2024: Monday 12/02 is off until Wednesday 14/02.
    assert weekly_due(local("2024-02-12 08:00"), CALENDAR) == local("2024-02-15 08:00")
    # Before the sending window (07:30): at its opening.
    assert weekly_due(local("2024-03-04 06:00"), CALENDAR) == local("2024-03-04 07:30")
    assert weekly_trigger("summaries.weekly", "", CALENDAR) is None


# --- the morning after a missed deadline -----------------------------------------------


async def test_the_morning_after_t2_names_the_unit_that_missed_it(sqlite_engine):
    world = cua_lo(sqlite_engine, "2024-02-20 07:00")
    runner = world.runner(summaries=NO_CHART)
    await tick_at(world, runner, *mornings("2024-02-26", "2024-02-28"))
    for unit in ("NV", "VNPT", "PB-CQ-DV"):  # Ủy ban nhân dân các phường does not report
        world.report(unit, "T2", "done")
    await tick_at(world, runner, *mornings("2024-02-29", "2024-03-05", time(7), time(8, 0, 30)))

    assert leadership(world, MISSED) == [
        (
            "01/03 08:00",
            MISSED + PLAN + "\n\n"
            f"1. Nhiệm vụ T2, kỳ Tháng 2/2024: {T2}\n"
            "Hạn chót Thứ Năm, 29 tháng 2, 2024, đã quá hạn 1 ngày.\n"
            "Chưa báo cáo hoàn thành: Ủy ban nhân dân các phường (chủ trì, chưa báo cáo).\n\n"
            "Xem mọi nhiệm vụ quá hạn: /quahan; đơn vị chưa báo cáo: /chuabaocao",
        )
    ]
    # T1 (31/01) was missed before the group was registered: never named.
    assert [key for key, _, _ in summary_rows(world) if key.startswith("m:")] == ["m:1:2024-03-01"]


async def test_a_deadline_reported_done_before_the_morning_is_not_sent(sqlite_engine):
    world = cua_lo(sqlite_engine, "2024-02-20 07:00")
    runner = world.runner(summaries=NO_CHART)
    await tick_at(world, runner, "2024-02-29 08:00:30", "2024-03-01 07:00")
    assert summary_rows(world)[-1] == ("m:1:2024-03-01", "pending", None)
    world.clock.set(local("2024-03-01 07:20"))  # before the bot sends (at 08:00)
    for unit in ("NV", "UBND-PHUONG", "VNPT", "PB-CQ-DV"):
        world.report(unit, "T2", "done")
    await tick_at(world, runner, "2024-03-01 08:00:30", "2024-03-04 08:00:30")
    assert leadership(world, MISSED) == []
    assert summary_rows(world)[-2] == ("m:1:2024-03-01", "skipped", "nothing-missed")


async def test_deadlines_missed_while_stopped_come_in_one_message(sqlite_engine):
    world = cua_lo(sqlite_engine, "2024-01-25 07:00")
    runner = world.runner(summaries=NO_CHART)
    await tick_at(world, runner, "2024-02-01 08:00:30")
    assert [(when, text.count("Nhiệm vụ T")) for when, text in leadership(world, MISSED)] == [
        ("01/02 08:00", 1)
    ]
    # Stopped from 2 February to 2 April: T2 (29/02) and T3 (31/03) missed meanwhile.
    restarted = world.runner(summaries=NO_CHART)
    await tick_at(world, restarted, "2024-04-02 10:00", "2024-04-02 10:01", "2024-04-03 08:00:30")
    missed = leadership(world, MISSED)
    assert [when for when, _ in missed] == ["01/02 08:00", "02/04 10:00"]
    text = missed[1][1]
    assert "1. Nhiệm vụ T2, kỳ Tháng 2/2024" in text and "2. Nhiệm vụ T3, kỳ Tháng 3/2024" in text
    assert "Nhiệm vụ T1" not in text  # told on 1 February already
    assert "Hạn chót Thứ Năm, 29 tháng 2, 2024, đã quá hạn 33 ngày." in text
    # The weekly summary: of Monday 29/01 when first started, of Monday 01/04 when back.
    assert [when for when, _ in leadership(world, WEEKLY)] == ["01/02 08:00", "02/04 10:00"]


# --- stops, crashes and a long downtime ------------------------------------------------


@pytest.mark.parametrize(
    ("ticks", "weekly", "rows"),
    [
        # Back on a Wednesday: the summary of Monday 25/03 goes at once, with today's data.
        (
            ["2024-03-27 10:00", "2024-03-27 10:31", "2024-03-28 08:00:30"],
            [("04/03 08:00", "08:00 04/03"), ("27/03 10:00", "10:00 27/03")],
            [("20240304T0800", "sent", None), ("20240325T0800", "sent", None)],
        ),
        # Back on Monday at 07:00: last week's is dropped for today's, due within the hour.
        (
            ["2024-03-25 07:00", "2024-03-25 07:31", "2024-03-25 08:00:30", "2024-03-26 08:00:30"],
            [("04/03 08:00", "08:00 04/03"), ("25/03 08:00", "08:00 25/03")],
            [
                ("20240304T0800", "sent", None),
                ("20240318T0800", "skipped", "missed"),
                ("20240325T0800", "sent", None),
            ],
        ),
    ],
)
async def test_after_three_weeks_down_only_the_latest_weekly_summary(
    sqlite_engine, ticks, weekly, rows
):
    world = cua_lo(sqlite_engine, "2024-02-27 07:00")
    await tick_at(
        world, world.runner(summaries=NO_CHART), "2024-03-02 08:00", "2024-03-04 08:00:30"
    )
    await tick_at(world, world.runner(summaries=NO_CHART), *ticks)  # started again

    sent = leadership(world, WEEKLY)
    assert [(when, text.split("Số liệu lúc ")[1][:11]) for when, text in sent] == weekly
    assert [
        (key.rsplit(":", 1)[1], state, error)
        for key, state, error in summary_rows(world)
        if key.startswith("s:")
    ] == rows  # the Mondays in between were never written


async def test_a_crash_during_the_send_and_a_restart_send_the_summary_once(sqlite_engine):
    world = cua_lo(sqlite_engine, "2024-02-26 07:00")
    first = world.runner(summaries=NO_CHART)
    await tick_at(world, first, "2024-02-26 08:00:30", "2024-03-01 08:00:30")
    world.sender.fail_next("telegram", "-9", ProcessKilled())
    world.clock.set(local("2024-03-04 08:00:30"))
    with pytest.raises(ProcessKilled):
        await first.tick()  # the process dies while sending the weekly summary

    second = world.runner(summaries=NO_CHART)  # started again with a new worker name
    await tick_at(world, second, "2024-03-04 08:05")  # the claim is still the dead one's
    assert [when for when, _ in leadership(world, WEEKLY)] == ["26/02 08:00"]
    await tick_at(world, second, "2024-03-04 08:11", "2024-03-04 08:30")
    third = world.runner(summaries=NO_CHART)
    await tick_at(world, third, "2024-03-04 09:00", "2024-03-05 08:00:30")
    assert [when for when, _ in leadership(world, WEEKLY)] == ["26/02 08:00", "04/03 08:11"]


@pytest.mark.slow
async def test_two_processes_send_each_summary_once(db_url, tmp_path):
    async def run(world: World, runners) -> None:
        for moment in mornings("2024-02-26", "2024-03-12"):
            for offset in (0, 15, 60):
                world.clock.set(moment + timedelta(seconds=offset))
                await asyncio.gather(*(runner.tick() for runner in runners))

    def two_groups(engine) -> World:
        world = cua_lo(engine, "2024-02-20 07:00")
        world.leadership("lãnh đạo (Zalo)", "zalo", "z9")
        return world

    reference_engine = make_engine(f"sqlite:///{tmp_path / 'reference.db'}")
    upgrade(reference_engine)
    reference = two_groups(reference_engine)
    await run(reference, [reference.runner(summaries=NO_CHART)])

    first_engine, second_engine = make_engine(db_url), make_engine(db_url)
    upgrade(first_engine)
    world = two_groups(first_engine)
    world.sender._yield = True  # let the two ticks interleave at every send
    runners = [world.runner(e, summaries=NO_CHART) for e in (first_engine, second_engine)]
    await run(world, runners)

    for chat in ("-9", "z9"):
        expected = [when for when, _ in leadership(reference, WEEKLY, chat)]
        assert expected == ["26/02 08:00", "04/03 08:00", "11/03 08:00"]
        assert [when for when, _ in leadership(world, WEEKLY, chat)] == expected
        assert [when for when, _ in leadership(world, MISSED, chat)] == ["01/03 08:00"]
    assert sorted(d.text for d in world.sender.delivered) == sorted(
        d.text for d in reference.sender.delivered
    )
    assert summary_rows(world) == summary_rows(reference)
    for engine in (reference_engine, first_engine, second_engine):
        engine.dispose()


# --- platforms and failures ------------------------------------------------------------


async def test_a_failed_first_part_is_retried_and_a_failed_chart_never_repeats_the_text(
    sqlite_engine,
):
    # Registered on Saturday 02/03: the first thing the group gets is Monday's summary.
    world = cua_lo(sqlite_engine, "2024-03-02 07:00", "zalo", "z9")
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    runner = world.runner(summaries=SCHEDULE, sleep=sleep)
    # T1's escalation goes first (reminders before summaries), then the summary fails.
    world.sender.fail_next("zalo", "z9", None, SendFailure("temporary", "502 Bad Gateway"))
    await tick_at(world, runner, "2024-03-04 08:00:30")
    assert [d.text.split(" — ")[0] for d in world.sender.delivered] == [
        "Báo cáo lãnh đạo: nhiệm vụ quá hạn chưa hoàn thành"
    ]
    assert summary_rows(world)[0][1] == "pending"

    late_part = SendFailure("retry_after", "429", retry_after=3)
    world.sender.fail_next("zalo", "z9", late_part, None, *[SendFailure("temporary", "500")] * 3)
    await tick_at(world, runner, "2024-03-04 08:01:31", "2024-03-04 09:00", "2024-03-05 08:00:30")
    parts = world.sender.texts("zalo", "z9")[1:]
    # The summary fits one message (Zalo's limit is 2,000 characters).
    assert len(parts) == 1 and len(parts[0]) <= 2000
    assert parts[0].startswith(WEEKLY) and parts[0].endswith("/xuat (tệp Excel).")
    assert world.sender.photos("zalo", "z9") == []
    assert waits == [1.0, 2.0]  # the part's 429 put the row back; the chart's two retries
    assert summary_rows(world)[0] == (
        "s:1:1:20240304T0800",
        "sent",
        "chart-failed: temporary: 500",
    )


async def test_zalo_without_photos_gets_the_text_and_the_operator_sees_why(
    tmp_path, sqlite_url, capsys
):
    from bot.cli import main

    engine = make_engine(sqlite_url)
    upgrade(engine)
    world = cua_lo(engine, "2024-02-27 07:00", "zalo", "z9")
    world.sender = RecordingSender(world.clock, photos=False)
    runner = world.runner(summaries=SCHEDULE)
    await tick_at(world, runner, "2024-03-04 08:00:30")
    engine.dispose()
    assert [when for when, _ in leadership(world, WEEKLY, "z9")] == ["04/03 08:00"]
    # T1's escalation, T2's missed deadline (due on Thursday), the summary in one message.
    texts = world.sender.texts("zalo", "z9")
    assert len(texts) == 3 and not world.sender.photos("zalo", "z9")
    assert texts[0].startswith("Báo cáo lãnh đạo: nhiệm vụ quá hạn chưa hoàn thành — ")
    assert texts[1].startswith(MISSED) and texts[2].startswith(WEEKLY)

    config = tmp_path / "config.toml"
    config.write_text(f'[database]\nurl = "{sqlite_url}"\n', encoding="utf-8")
    world.clock.set(local("2024-03-04 09:00"))
    assert main(["reminders", "list", "--config", str(config)], clock=world.clock) == 0
    out = capsys.readouterr().out.splitlines()
    chat = "→ lãnh đạo · zalo:z9 (lãnh đạo)"
    sent = f"08:00 Thứ Hai, 4 tháng 3, 2024  đã gửi  cua-lo-2024  tổng hợp hằng tuần  {chat}"
    assert out[out.index(sent) + 1] == (
        "    lý do: nền tảng không gửi được ảnh: gửi tổng hợp không kèm biểu đồ"
    )
    assert (
        f"08:00 Thứ Hai, 11 tháng 3, 2024  dự kiến  cua-lo-2024  tổng hợp hằng tuần  {chat}"
    ) in out
    missed = "08:00 Thứ Sáu, 1 tháng 3, 2024  đã gửi  mọi kế hoạch  tổng hợp sau hạn chót"
    assert f"{missed}  {chat}" in out

    # The next Monday: the text again, and no chart drawn for a platform known to refuse it.
    await tick_at(world, runner, "2024-03-11 08:00:30")
    assert [when for when, _ in leadership(world, WEEKLY, "z9")] == ["04/03 08:00", "11/03 08:00"]
    assert world.sender.photo_tries == 1


async def test_only_current_plans_and_only_those_a_group_follows(sqlite_engine):
    world = cua_lo(sqlite_engine, "2024-02-27 07:00")
    load(sqlite_engine, plan_text("long-ho-2022"), "long-ho-2022", world.clock.now())
    with Session(sqlite_engine) as session:
        long_ho = session.exec(select(Plan).where(Plan.code == "long-ho-2022")).one()
        unit = session.exec(select(Unit).where(Unit.plan_id == long_ho.id)).first()
    group = world._chat(  # the leaders of Long Hồ: their group is bound to one of its units
        "lãnh đạo Long Hồ",
        platform="telegram",
        chat_id="-8",
        kind="group",
        purpose="leadership",
        title="lãnh đạo Long Hồ",
        unit_id=unit.id,
    )
    await tick_at(world, world.runner(summaries=NO_CHART), "2024-03-04 08:00:30")
    # Long Hồ 2022 is not current in 2024: the group of every plan hears of Cửa Lò only.
    weekly = leadership(world, WEEKLY)
    assert len(weekly) == 1 and "(cua-lo-2024)" in weekly[0][1]
    assert len(leadership(world, MISSED)) == 1
    # The Long Hồ group hears nothing of Cửa Lò, and nothing of 2022 any more.
    assert world.sender.texts("telegram", "-8") == []
    assert not any(key.split(":")[1] == str(group.id) for key, _, _ in summary_rows(world))


# --- the configuration -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            'weekly = "mon 08:00"',
            'summaries.weekly: cần biểu thức cron 5 trường "phút giờ ngày tháng thứ" (ví dụ '
            "\"0 8 * * mon\"), không phải 'mon 08:00'",
        ),
        ('weekly = "0 8 * * 1"', "summaries.weekly: viết thứ bằng tên: mon, tue, wed, thu"),
        ('weekly = "0 25 * * mon"', "summaries.weekly: biểu thức cron không dùng được"),
        ('weekly = "*/30 8-17 * * mon"', "summaries.weekly: tổng hợp gửi lãnh đạo nhiều nhất"),
        ('missed_at = "8 giờ"', 'summaries.missed_at: cần giờ dạng "HH:MM"'),
        ('missed = "có"', "summaries.missed: cần true hoặc false"),
        ("daily = true", "summaries.daily: khóa không có trong cấu hình"),
    ],
)
def test_bad_summary_settings_are_refused_with_their_key(tmp_path, text, message):
    from bot.config import ConfigError
    from bot.config_load import load_config

    path = tmp_path / "config.toml"
    path.write_text(f"[summaries]\n{text}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_config(path, environ={})
    assert str(error.value).startswith(message)


def test_the_runner_of_the_configuration_sends_what_it_says(tmp_path, sqlite_url):
    from bot.config_load import load_config
    from bot.timing import reminder_runner
    from scheduler.clock import RealClock

    path = tmp_path / "config.toml"
    path.write_text(
        '[summaries]\nweekly = "30 16 * * fri"\nmissed = false\nchart = false\n', "utf-8"
    )
    engine = make_engine(sqlite_url)
    sender = RecordingSender(RealClock())
    runner = reminder_runner(load_config(path, environ={}), engine, RealClock(), sender)
    schedule = runner.summaries
    assert schedule is not None and schedule.kinds == ("summary",) and not schedule.chart
    assert schedule.weekly is not None
    assert latest_fire(schedule.weekly, local("2024-03-04 08:00")) == local("2024-03-01 16:30")
    example = Path(__file__).resolve().parent.parent / "config.example.toml"
    defaults = reminder_runner(load_config(example, environ={}), engine, RealClock(), sender)
    # Mondays 08:00, missed deadlines at 08:00, with the chart (a trigger has no equality).
    assert defaults.summaries is not None
    assert str(defaults.summaries.weekly) == str(SCHEDULE.weekly)
    assert replace(defaults.summaries, weekly=None) == replace(SCHEDULE, weekly=None)
    engine.dispose()
