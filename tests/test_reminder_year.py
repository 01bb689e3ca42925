"""A whole plan year of reminders, compared with a hand-checked list.

The real plan files are loaded into SQLite; a few units have registered chats (a group,
or officers privately on Telegram and Zalo) and there is a leadership group. The bot
ticks once a day at 08:00:30 on a simulated clock, from 1 January to the end of February
of the next year (the follow-ups of 31 December run into it); on some days a unit
reports at 10:00. Every reminder sent is listed as (instant, chat, "task period", step).

Each expected instant was counted on the calendar by hand: Tết 2022 31/01–04/02,
2023 20–26/01, 2024 08–14/02, 2025 27/01–01/02; 02/01/2023 (Tết Dương lịch observed);
2024: Giỗ Tổ 18/04, 29/04 off for Saturday 04/05 worked, 30/04, 01/05.
"""

from __future__ import annotations

from datetime import date, time

import pytest

from tests.reminder_world import World, daily, local, new_world, plan_text

# The bot ticks every morning; on these days a unit reports at 10:00.
LONG_HO_REPORTS = {
    "2022-01-20": [("CQ-BN-DT-HUYEN", "D1", "done", None)],
    "2022-03-14": [("CQ-BN-DT-HUYEN", "R1", "done", "Quý I/2022")],
    "2022-06-10": [("CQ-BN-DT-HUYEN", "R1", "in_progress", "6 tháng đầu năm 2022")],
    "2022-09-05": [("CQ-BN-DT-HUYEN", "R1", "done", "Quý III/2022")],
    "2022-12-15": [("CQ-BN-DT-HUYEN", "R1", "done", "Năm 2022")],
    "2022-12-26": [("NV", "D2", "done", None)],
}

R1_HALF = "R1 6 tháng đầu năm 2022"
TTBDCT = ("Hà (Telegram)", "Hà (Zalo)")  # one officer of TTBDCT, on both platforms

LONG_HO_EXPECTED = sorted(
    [
        # D1 "trước ngày 15/01/2022": due Friday 14/01; reported done on 20/01 at 10:00.
        ("2022-01-05 08:00", "nhóm CQ-BN-ĐT", "D1 Hạn 14/01/2022", "before-7"),
        ("2022-01-11 08:00", "nhóm CQ-BN-ĐT", "D1 Hạn 14/01/2022", "before-3"),
        ("2022-01-13 08:00", "nhóm CQ-BN-ĐT", "D1 Hạn 14/01/2022", "before-1"),
        ("2022-01-14 08:00", "nhóm CQ-BN-ĐT", "D1 Hạn 14/01/2022", "due"),
        ("2022-01-18 08:00", "nhóm CQ-BN-ĐT", "D1 Hạn 14/01/2022", "after-1"),
        ("2022-01-20 08:00", "nhóm CQ-BN-ĐT", "D1 Hạn 14/01/2022", "after-2"),
        # R1, a recurring report (ND 09/2019 periods), due on the 15th.
        ("2022-03-04 08:00", "nhóm CQ-BN-ĐT", "R1 Quý I/2022", "before-7"),
        ("2022-03-10 08:00", "nhóm CQ-BN-ĐT", "R1 Quý I/2022", "before-3"),
        ("2022-03-14 08:00", "nhóm CQ-BN-ĐT", "R1 Quý I/2022", "before-1"),
        ("2022-06-06 08:00", "nhóm CQ-BN-ĐT", R1_HALF, "before-7"),
        ("2022-06-10 08:00", "nhóm CQ-BN-ĐT", R1_HALF, "before-3"),
        ("2022-06-14 08:00", "nhóm CQ-BN-ĐT", R1_HALF, "before-1"),
        ("2022-06-15 08:00", "nhóm CQ-BN-ĐT", R1_HALF, "due"),
        ("2022-06-17 08:00", "nhóm CQ-BN-ĐT", R1_HALF, "after-1"),  # "đang thực hiện" only
        ("2022-06-21 08:00", "nhóm CQ-BN-ĐT", R1_HALF, "after-2"),
        ("2022-06-23 08:00", "nhóm CQ-BN-ĐT", R1_HALF, "after-3"),
        ("2022-06-27 08:00", "nhóm CQ-BN-ĐT", R1_HALF, "after-4"),
        ("2022-06-29 08:00", "nhóm CQ-BN-ĐT", R1_HALF, "after-5"),
        ("2022-07-01 08:00", "nhóm CQ-BN-ĐT", R1_HALF, "after-6"),
        ("2022-07-05 08:00", "nhóm CQ-BN-ĐT", R1_HALF, "after-7"),
        ("2022-07-07 08:00", "nhóm CQ-BN-ĐT", R1_HALF, "after-8"),
        ("2022-07-11 08:00", "nhóm CQ-BN-ĐT", R1_HALF, "after-9"),
        ("2022-07-13 08:00", "nhóm CQ-BN-ĐT", R1_HALF, "after-10"),
        # Quý III was reported done on 05/09, before its first reminder: nothing sent.
        ("2022-12-06 08:00", "nhóm CQ-BN-ĐT", "R1 Năm 2022", "before-7"),
        ("2022-12-12 08:00", "nhóm CQ-BN-ĐT", "R1 Năm 2022", "before-3"),
        ("2022-12-14 08:00", "nhóm CQ-BN-ĐT", "R1 Năm 2022", "before-1"),
        ("2022-12-15 08:00", "nhóm CQ-BN-ĐT", "R1 Năm 2022", "due"),
        # D2 "Thường xuyên trong năm" is an ongoing duty, no deadline: its unit is asked
        # for the year's account once, on the last working day of the year (Friday 30/12;
        # 31/12/2022 is a Saturday), and never nagged or escalated in January. NV
        # (support) reported done on 26/12.
        *[("2022-12-30 08:00", chat, "D2 Năm 2022", "due") for chat in TTBDCT],
        # The leaders hear of every deadline some unit is 5 working days late on; the
        # units without a chat (UBND các xã, thị trấn...) count too.
        ("2022-01-21 08:00", "lãnh đạo", "D1 Hạn 14/01/2022", "escalate"),
        ("2022-03-22 08:00", "lãnh đạo", "R1 Quý I/2022", "escalate"),
        ("2022-04-07 08:00", "lãnh đạo", "T4 Quý I/2022", "escalate"),
        ("2022-06-22 08:00", "lãnh đạo", R1_HALF, "escalate"),
        ("2022-07-07 08:00", "lãnh đạo", "T1 Quý I–II/2022", "escalate"),
        ("2022-09-22 08:00", "lãnh đạo", "R1 Quý III/2022", "escalate"),
        ("2022-12-22 08:00", "lãnh đạo", "R1 Năm 2022", "escalate"),
        *[
            ("2023-01-09 08:00", "lãnh đạo", occurrence, "escalate")
            for occurrence in (
                # T2, T6, T7 and D2 are ongoing duties ("Thường xuyên"): not escalated.
                "T3 Quý IV/2022",
                "T5 Năm 2022",
                "R2 Năm 2022",
            )
        ],
    ]
)


async def run_year(world: World, first: str, last: str, reports: dict) -> None:
    runner = world.runner()
    for moment in daily(date.fromisoformat(first), date.fromisoformat(last)):
        world.clock.set(moment)
        await runner.tick()
        for unit, task, status, period in reports.get(moment.date().isoformat(), []):
            world.clock.set(local(f"{moment.date()} 10:00"))
            world.report(unit, task, status, period)


def assert_sent_when_due(world: World) -> None:
    """Each message went out on its reminders' day, at the first tick after 08:00."""
    for delivered in world.sender.delivered:
        assert delivered.at.astimezone(local("2024-01-01 00:00").tzinfo).time() == time(8, 0, 30)


@pytest.mark.slow
async def test_long_ho_2022_whole_year(engine):
    world = new_world(engine, "long-ho-2022", "2022-01-01 00:00")
    world.unit_group("nhóm CQ-BN-ĐT", "CQ-BN-DT-HUYEN", "telegram", "-1001")
    world.member("Hà (Telegram)", "TTBDCT", "telegram", "7001")
    world.member("Hà (Zalo)", "TTBDCT", "zalo", "a7001")
    world.member("Bình (Zalo)", "NV", "zalo", "b7002")
    world.leadership("lãnh đạo", "telegram", "-1009")

    await run_year(world, "2022-01-01", "2023-02-28", LONG_HO_REPORTS)

    assert world.sent() == LONG_HO_EXPECTED
    assert_sent_when_due(world)


# The real Cửa Lò plan has no deadline on Tết, so the test adds one task to the file.
TET_TASK = """
[[tasks]]
code = "X1"
title = "Báo cáo nhanh công tác tuyên truyền cải cách hành chính dịp Tết Nguyên đán Giáp Thìn"
lead = ["VHTT"]
when = "trước ngày 15/02/2024"
"""

YEARLY = ("D1", "D3", "T6")  # VHTT's yearly duties it reports done on 19/12 (D2 it never does)
CUA_LO_REPORTS = {
    "2024-02-16": [("VHTT", "X1", "done", None)],
    "2024-02-28": [("NV", "T2", "done", None)],
    "2024-05-08": [("TO-TRUYENTHONG", "T4", "done", None)],
    "2024-12-19": [("NV", code, "done", None) for code in ("D5", "D6", "D7", "D8", "D9", "T6")]
    + [("VHTT", code, "done", None) for code in YEARLY],
}
TO_TRUYENTHONG = ("Lan (Telegram)", "Lan (Zalo)", "Minh (Telegram)")
LATE_STEPS = ["after-1", "after-2", "after-3", "after-4", "after-5", "after-6", "after-7"]

CUA_LO_EXPECTED = sorted(
    [
        # T1 "Tháng 1": due Wednesday 31/01; the follow-ups jump over Tết (08–14/02).
        *[
            (instant, "nhóm UBND thị xã", "T1 Tháng 1/2024", step)
            for instant, step in [
                ("2024-01-22 08:00", "before-7"),
                ("2024-01-26 08:00", "before-3"),
                ("2024-01-30 08:00", "before-1"),
                ("2024-01-31 08:00", "due"),
                ("2024-02-02 08:00", "after-1"),
                ("2024-02-06 08:00", "after-2"),
                ("2024-02-15 08:00", "after-3"),
                ("2024-02-19 08:00", "after-4"),
                ("2024-02-21 08:00", "after-5"),
                ("2024-02-23 08:00", "after-6"),
                ("2024-02-27 08:00", "after-7"),
                ("2024-02-29 08:00", "after-8"),
                ("2024-03-04 08:00", "after-9"),
                ("2024-03-06 08:00", "after-10"),
            ]
        ],
        # X1 "trước ngày 15/02/2024": due Wednesday 14/02, mùng 5 Tết. The due-day
        # reminder goes on Wednesday 07/02, the last working day before Tết.
        ("2024-01-29 08:00", "nhóm VH&TT", "X1 Hạn 14/02/2024", "before-7"),
        ("2024-02-02 08:00", "nhóm VH&TT", "X1 Hạn 14/02/2024", "before-3"),
        ("2024-02-06 08:00", "nhóm VH&TT", "X1 Hạn 14/02/2024", "before-1"),
        ("2024-02-07 08:00", "nhóm VH&TT", "X1 Hạn 14/02/2024", "due"),
        ("2024-02-16 08:00", "nhóm VH&TT", "X1 Hạn 14/02/2024", "after-1"),
        # T2: reported done on 28/02 at 10:00, after the morning's reminder.
        ("2024-02-20 08:00", "nhóm Nội vụ", "T2 Tháng 2/2024", "before-7"),
        ("2024-02-26 08:00", "nhóm Nội vụ", "T2 Tháng 2/2024", "before-3"),
        ("2024-02-28 08:00", "nhóm Nội vụ", "T2 Tháng 2/2024", "before-1"),
        # T3 "Tháng 3": due Sunday 31/03, reminded on Friday 29/03; never reported.
        *[
            (instant, "nhóm Nội vụ", "T3 Tháng 3/2024", step)
            for instant, step in [
                ("2024-03-20 08:00", "before-7"),
                ("2024-03-26 08:00", "before-3"),
                ("2024-03-28 08:00", "before-1"),
                ("2024-03-29 08:00", "due"),
                ("2024-04-02 08:00", "after-1"),
                ("2024-04-04 08:00", "after-2"),
                ("2024-04-08 08:00", "after-3"),
                ("2024-04-10 08:00", "after-4"),
                ("2024-04-12 08:00", "after-5"),
                ("2024-04-16 08:00", "after-6"),
                ("2024-04-19 08:00", "after-7"),
                ("2024-04-23 08:00", "after-8"),
                ("2024-04-25 08:00", "after-9"),
                ("2024-05-02 08:00", "after-10"),
            ]
        ],
        # T4 "Tháng 3 đến tháng 4": due Tuesday 30/04, a holiday (29/04 off too): reminded
        # on Friday 26/04; Saturday 04/05 is a working day. The unit has no group, so each
        # officer is reminded privately, once per platform; done on 08/05 at 10:00.
        *[
            (instant, chat, "T4 Tháng 3–4/2024", step)
            for chat in TO_TRUYENTHONG
            for instant, step in [
                ("2024-04-16 08:00", "before-7"),
                ("2024-04-23 08:00", "before-3"),
                ("2024-04-25 08:00", "before-1"),
                ("2024-04-26 08:00", "due"),
                ("2024-05-03 08:00", "after-1"),
                ("2024-05-06 08:00", "after-2"),
                ("2024-05-08 08:00", "after-3"),
            ]
        ],
        # D2 "Thường xuyên trong năm", never reported: an ongoing duty is asked for its
        # account of the year on Tuesday 31/12/2024, then left alone (no nag in January).
        ("2024-12-31 08:00", "nhóm VH&TT", "D2 Năm 2024", "due"),
        # The leaders: X1 has no escalation (its only unit reported done), nor have the
        # duties whose units all reported on 19/12 (D1, D3, D5–D9).
        ("2024-02-07 08:00", "lãnh đạo", "T1 Tháng 1/2024", "escalate"),
        ("2024-03-07 08:00", "lãnh đạo", "T2 Tháng 2/2024", "escalate"),
        ("2024-04-05 08:00", "lãnh đạo", "T3 Tháng 3/2024", "escalate"),
        ("2024-05-07 08:00", "lãnh đạo", "T4 Tháng 3–4/2024", "escalate"),
        *[
            ("2025-01-08 08:00", "lãnh đạo", occurrence, "escalate")
            for occurrence in (
                # D2, D4, D11–D13 and D16 are ongoing duties: not escalated.
                "T5 Tháng 1–12/2024",
                "T6 Tháng 6–12/2024",
                "D10 Năm 2024",
                "D14 Năm 2024",
                "D15 Năm 2024",
            )
        ],
    ]
)


@pytest.mark.slow
async def test_cua_lo_2024_whole_year(engine):
    text = plan_text("cua-lo-2024") + TET_TASK
    world = new_world(engine, "cua-lo-2024", "2024-01-01 00:00", text)
    world.unit_group("nhóm UBND thị xã", "UBND-TX", "telegram", "-2001")
    world.unit_group("nhóm VH&TT", "VHTT", "zalo", "g2002")
    world.unit_group("nhóm Nội vụ", "NV", "telegram", "-2003")
    world.member("Lan (Telegram)", "TO-TRUYENTHONG", "telegram", "8001")
    world.member("Lan (Zalo)", "TO-TRUYENTHONG", "zalo", "c8001")
    world.member("Minh (Telegram)", "TO-TRUYENTHONG", "telegram", "8002")
    world.member("Nội vụ, Hoa", "NV", "telegram", "8003")  # in the unit's group: not privately
    world.leadership("lãnh đạo", "telegram", "-2009")

    await run_year(world, "2024-01-01", "2025-02-28", CUA_LO_REPORTS)

    assert world.sent() == CUA_LO_EXPECTED
    assert_sent_when_due(world)
    # The reminders of one chat that fall due together go out as one message: the 5
    # escalations of 08/01/2025 are one message, in the plan's order.
    leaders = world.sender.texts("telegram", "-2009")
    assert len(leaders) == 5
    codes = [line.split(":")[0] for line in leaders[-1].splitlines() if ". Nhiệm vụ " in line]
    assert codes == [
        f"{n}. Nhiệm vụ {code}" for n, code in enumerate(["T5", "T6", "D10", "D14", "D15"], 1)
    ]
