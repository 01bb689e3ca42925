"""``nhacviec reminders preview`` and ``nhacviec reminders list`` as the operator types them."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import Session, func, select

from bot.cli import main
from scheduler.outbox import SendFailure
from storage.engine import make_engine, upgrade
from storage.models import Reminder
from tests.conftest import PLANS
from tests.reminder_world import local, new_world


@pytest.fixture
def config(tmp_path: Path, sqlite_url: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(
        f'[database]\nurl = "{sqlite_url}"\n\n'
        '[clock]\nmode = "simulated"\nstart = "2024-02-26T07:55:00+07:00"\nspeed = 0.0\n',
        encoding="utf-8",
    )
    return path


def run(capsys, *argv: str, clock=None) -> tuple[int, str, str]:
    code = main(list(argv), clock=clock)
    out, err = capsys.readouterr()
    return code, out, err


def reminders_count(url: str) -> int:
    engine = make_engine(url)
    with Session(engine) as session:
        count = session.exec(select(func.count()).select_from(Reminder)).one()
    engine.dispose()
    return count


def test_preview_prints_the_years_schedule_and_writes_nothing(config, sqlite_url, capsys):
    run(capsys, "plan", "load", str(PLANS / "cua-lo-2024.toml"), "--config", str(config))
    code, out, _ = run(capsys, "reminders", "preview", "cua-lo-2024", "--config", str(config))
    assert code == 0
    lines = out.splitlines()
    assert lines[:2] == [
        "Lịch nhắc việc — Kế hoạch tuyên truyền cải cách hành chính thị xã Cửa Lò năm 2024 "
        "(cua-lo-2024)",
        "Chính sách: trước hạn 7, 3, 1 ngày làm việc, lúc 08:00; ngày hạn chót; sau hạn 2 ngày "
        "làm việc một lần, tối đa 10 lần; báo lãnh đạo khi quá hạn 5 ngày làm việc.",
    ]
    t1 = lines.index("T1. Ban hành kế hoạch tuyên truyền cải cách hành chính năm 2024")
    assert lines[t1 + 1 : t1 + 12] == [
        "   Thời gian: Tháng 1",
        "   Kỳ Tháng 1/2024, hạn chót Thứ Tư, 31 tháng 1, 2024",
        "   Đơn vị: Ủy ban nhân dân các phường (chủ trì); Ủy ban nhân dân thị xã Cửa Lò (chủ trì)",
        "     08:00 Thứ Hai, 22 tháng 1, 2024  trước hạn 7 ngày làm việc",
        "     08:00 Thứ Sáu, 26 tháng 1, 2024  trước hạn 3 ngày làm việc",
        "     08:00 Thứ Ba, 30 tháng 1, 2024  trước hạn 1 ngày làm việc",
        "     08:00 Thứ Tư, 31 tháng 1, 2024  ngày hạn chót",
        "     08:00 Thứ Sáu, 2 tháng 2, 2024  quá hạn, nhắc lần 1",
        "     08:00 Thứ Ba, 6 tháng 2, 2024  quá hạn, nhắc lần 2",
        "     08:00 Thứ Tư, 7 tháng 2, 2024  báo lãnh đạo",
        "     08:00 Thứ Năm, 15 tháng 2, 2024  quá hạn, nhắc lần 3",  # after Tết
    ]
    assert (
        "   Kỳ Tháng 3/2024, hạn chót Chủ Nhật, 31 tháng 3, 2024 (ngày nghỉ: nhắc ngày hạn chót "
        "vào Thứ Sáu, 29 tháng 3, 2024)" in lines
    )
    assert (
        "   Kỳ Tháng 3–4/2024, hạn chót Thứ Ba, 30 tháng 4, 2024 (Ngày Chiến thắng: nhắc ngày "
        "hạn chót vào Thứ Sáu, 26 tháng 4, 2024)" in lines
    )
    assert reminders_count(sqlite_url) == 0


def test_preview_follows_the_plans_own_policy_and_skips_unscheduled_tasks(
    config, capsys, tmp_path
):
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text + "\n[reminders.plans.kong-chro-2021]\nbefore = [2]\nafter_max = 1\n",
        encoding="utf-8",
    )
    run(capsys, "plan", "load", str(PLANS / "kong-chro-2021.toml"), "--config", str(config))
    code, out, _ = run(capsys, "reminders", "preview", "kong-chro-2021", "--config", str(config))
    assert code == 0
    assert "Chính sách: trước hạn 2 ngày làm việc, lúc 08:00; ngày hạn chót; sau hạn 2 ngày" in out
    t3 = out.split("\nT3. ")[1].split("\nT4. ")[0]
    assert t3.splitlines()[-1] == "   Không nhắc: nhiệm vụ không có hạn chót."


def test_preview_of_an_unknown_plan(config, capsys):
    code, out, err = run(capsys, "reminders", "preview", "khong-co", "--config", str(config))
    assert (code, out) == (1, "")
    assert err == "Lỗi: Không có kế hoạch mã khong-co. Xem danh sách: nhacviec plan list\n"


async def test_list_shows_states_planned_reminders_and_a_failed_chat(config, sqlite_url, capsys):
    engine = make_engine(sqlite_url)
    upgrade(engine)
    world = new_world(engine, "cua-lo-2024", "2024-02-26 07:00")
    world.unit_group("nhóm Nội vụ", "NV", "telegram", "-100")
    world.unit_group("nhóm UBND thị xã", "UBND-TX", "zalo", "g7")
    world.sender.fail_next("zalo", "g7", SendFailure("permanent", "403 the bot was blocked"))
    world.clock.set(local("2024-02-26 08:00:30"))
    await world.runner().tick()
    engine.dispose()
    stored = reminders_count(sqlite_url)

    code, out, _ = run(
        capsys,
        "reminders",
        "list",
        "--due-within",
        "3d",
        "--config",
        str(config),
        clock=world.clock,
    )
    assert code == 0
    # The last 7 days and the next 3: sent, failed, held for the blocked chat, skipped when
    # the chats were first seen (older follow-ups than the latest), pending and planned.
    nv = "→ Phòng Nội vụ thị xã · telegram:-100 (nhóm Nội vụ)"
    tx = "→ Ủy ban nhân dân thị xã Cửa Lò · zalo:g7 (nhóm UBND thị xã) [chat ngừng hoạt động]"
    assert out.splitlines() == [
        "Nhắc việc đến 08:00 Thứ Năm, 29 tháng 2, 2024: 7 mục",
        "08:00 Thứ Ba, 20 tháng 2, 2024  bỏ qua  cua-lo-2024 T2 Tháng 2/2024  "
        f"trước hạn 7 ngày làm việc  {nv}",
        "    lý do: đã có lần nhắc mới hơn (lỡ khi bot dừng)",
        "08:00 Thứ Tư, 21 tháng 2, 2024  bỏ qua  cua-lo-2024 T1 Tháng 1/2024  "
        f"quá hạn, nhắc lần 5  {tx}",
        "    lý do: đã có lần nhắc mới hơn (lỡ khi bot dừng)",
        "08:00 Thứ Sáu, 23 tháng 2, 2024  lỗi, không gửi lại  cua-lo-2024 T1 Tháng 1/2024  "
        f"quá hạn, nhắc lần 6  {tx}",
        "    đã thử 1 lần",
        "    lý do: permanent: 403 the bot was blocked",
        "08:00 Thứ Hai, 26 tháng 2, 2024  đã gửi  cua-lo-2024 T2 Tháng 2/2024  "
        f"trước hạn 3 ngày làm việc  {nv}",
        "08:00 Thứ Ba, 27 tháng 2, 2024  tạm giữ  cua-lo-2024 T1 Tháng 1/2024  "
        f"quá hạn, nhắc lần 7  {tx}",
        "    lý do: chat ngừng hoạt động",
        "08:00 Thứ Tư, 28 tháng 2, 2024  chờ gửi  cua-lo-2024 T2 Tháng 2/2024  "
        f"trước hạn 1 ngày làm việc  {nv}",
        "08:00 Thứ Năm, 29 tháng 2, 2024  dự kiến  cua-lo-2024 T2 Tháng 2/2024  "
        f"ngày hạn chót  {nv}",
        "",
        "Chat không gửi được (đã ngừng, cần kiểm tra lại hoặc đăng ký lại):",
        "  zalo:g7 (nhóm UBND thị xã) — permanent: 403 the bot was blocked",
    ]
    assert reminders_count(sqlite_url) == stored  # listing writes nothing


def test_list_reads_the_configured_clock_and_checks_its_option(config, capsys):
    code, out, _ = run(capsys, "reminders", "list", "--config", str(config))
    assert code == 0
    assert out.splitlines() == [
        "Nhắc việc đến 07:55 Thứ Hai, 4 tháng 3, 2024: 0 mục",  # [clock] start + 7 days
        "Không có nhắc việc nào trong khoảng này.",
    ]
    with pytest.raises(SystemExit) as exit_:
        run(capsys, "reminders", "list", "--due-within", "tuần", "--config", str(config))
    assert exit_.value.code == 2
    assert (
        "cần một khoảng thời gian như 7d (ngày), 12h (giờ) hoặc 2w (tuần), không phải 'tuần'"
        in (capsys.readouterr().err)
    )
