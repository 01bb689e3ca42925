"""``nhacviec demo``, run in-process through the ``nhacviec`` command, up to mid-March 2024.

What the issue asks the demo to show: the units registering with invite codes, reminders
before and after a deadline (T2, due in "Tháng 2"), officers' reports (one line and
guided), an escalation to the leadership group, the weekly summaries with their chart,
the progress lines and the final summary; and the same output on a second run. The
figures printed are checked against the demo's database.
"""

from __future__ import annotations

import io
import re
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlmodel import Session, col, select

from bot.cli import main
from scheduler.planfile import read_plan_file
from scheduler.planload import load_plan
from storage.engine import make_engine, upgrade
from storage.models import InviteCode, Reminder, Report, Unit
from tests.conftest import PLANS

UNTIL = "2024-03-15"


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str
    database: Path


def demo(tmp: Path, *args: str, database: str = "demo.db") -> Run:
    config = tmp / "config.toml"
    config.write_text("", encoding="utf-8")
    path = tmp / database
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(["demo", "--db", str(path), "--config", str(config), *args])
    return Run(code, out.getvalue(), err.getvalue(), path)


def without_codes(run: Run) -> str:
    """The output with this run's invite codes (random on purpose) replaced by ``{MÃ}``, and
    its database's path by ``{TỆP}``."""
    engine = make_engine(f"sqlite:///{run.database}")
    with Session(engine) as session:
        codes = session.exec(select(InviteCode.code)).all()
    engine.dispose()
    assert len(codes) == 9  # seven officers, the coordinator, the leader
    text = run.out.replace(str(run.database), "{TỆP}")
    for code in codes:
        text = text.replace(code, "{MÃ}")
    return text


def block(out: str, head: str) -> str:
    """The message that starts with ``head`` and its indented lines."""
    start = out.index(head)
    lines = out[start:].split("\n")
    taken = [lines[0]]
    for line in lines[1:]:
        if line and not line.startswith(" "):
            break
        taken.append(line)
    return "\n".join(taken).rstrip()


@pytest.fixture(scope="module")
def march(tmp_path_factory) -> Run:
    return demo(tmp_path_factory.mktemp("demo"), "--until", UNTIL)


@pytest.mark.slow
def test_everyone_registers_with_an_invite_code(march):
    assert march.code == 0
    out = march.out
    assert out.startswith("Chạy thử Nhắc việc: Kế hoạch tuyên truyền cải cách hành chính thị")
    assert "\n── Thứ Ba, 2 tháng 1, 2024 ──\n" in out
    for chat, person in (
        ("nhóm Phòng Nội vụ", "Nguyễn Văn An"),
        ("chat riêng · Trần Thị Bình", "Trần Thị Bình"),
        ("nhóm UBND các phường", "Phạm Văn Dũng"),
        ("chat riêng · Đỗ Thị Mai", "Đỗ Thị Mai"),
        ("nhóm Lãnh đạo UBND thị xã", "Hồ Văn Nam"),
    ):
        assert re.search(rf"\n07:\d\d \[{chat}\] {person}: /dangky [A-Z0-9]{{8}}\n", out), person
    assert "Bot → Đã đăng ký nhóm này là nhóm của Phòng Nội vụ thị xã" in out
    assert "Bot → Đã đăng ký: anh/chị Đỗ Thị Mai là đầu mối theo dõi kế hoạch cua-lo-2024." in out
    assert "Bot → Đã đăng ký nhóm này là nhóm lãnh đạo" in out


@pytest.mark.slow
def test_the_t2_deadline_is_reminded_before_and_after(march):
    out = march.out
    day = out.index("── Thứ Ba, 20 tháng 2, 2024 ──")
    reminder = block(out[day:], "08:00 [nhóm Phòng Nội vụ] Bot → Nhắc việc — Phòng Nội vụ thị xã")
    assert "1. Nhiệm vụ T2 (đơn vị chủ trì): Thành lập Tổ truyền thông" in reminder
    assert "Còn 7 ngày làm việc đến hạn chót Thứ Năm, 29 tháng 2, 2024." in reminder
    assert "Báo cáo tiến độ: /baocao T2" in reminder
    vnpt = block(out[day:], "08:00 [chat riêng · Bùi Văn Long] Bot → Nhắc việc — Trung tâm VNPT")
    assert "Nhiệm vụ T2 (đơn vị phối hợp)" in vnpt  # a supporting unit, told its role
    assert "Hôm nay là hạn chót (Thứ Năm, 29 tháng 2, 2024)." in out
    assert "Đã quá hạn 4 ngày (hạn chót Thứ Năm, 29 tháng 2, 2024)" in out
    # Nothing on a day off: no day of Tết (Thứ Năm 8/2 to Thứ Tư 14/2) and no weekend.
    assert "── Thứ Sáu, 9 tháng 2, 2024 ──" not in out
    assert "── Thứ Bảy," not in out and "── Chủ Nhật," not in out


@pytest.mark.slow
def test_officers_report_in_one_line_and_step_by_step(march):
    out = march.out
    assert re.search(r"\[nhóm Phòng Nội vụ\] Nguyễn Văn An: (\[ảnh [\w.-]+\] )?/baocao T2 ", out)
    assert "Bot → Đã ghi báo cáo nhiệm vụ T2 (kỳ Tháng 2/2024) của Phòng Nội vụ thị xã:" in out
    guided = out.index("[chat riêng · Bùi Văn Long] Bùi Văn Long: /baocao\n")
    assert "Bot → Báo cáo nhiệm vụ nào?" in out[guided : guided + 400]
    assert "Bot → Đã ghi báo cáo nhiệm vụ T2 (kỳ Tháng 2/2024) của Trung tâm VNPT" in out
    assert "báo cáo đúng hạn." in out and "báo cáo sau hạn chót." in out
    # Some never report: UBND các phường is still overdue on T1 at the end.
    assert "hạn 31/01/2024 (quá 44 ngày): Ủy ban nhân dân thị xã Cửa Lò" in out


@pytest.mark.slow
def test_the_leadership_is_told_and_gets_the_weekly_summaries(march):
    out = march.out
    leaders = "[nhóm Lãnh đạo UBND thị xã]"
    escalation = block(out, f"08:00 {leaders} Bot → Báo cáo lãnh đạo: nhiệm vụ quá hạn chưa")
    assert "1. Nhiệm vụ T1: Ban hành kế hoạch tuyên truyền cải cách hành chính năm 2024" in (
        escalation
    )
    assert "Chưa báo cáo hoàn thành: Ủy ban nhân dân các phường (chủ trì)" in escalation
    assert f"{leaders} Hồ Văn Nam: /quahan\n" in out  # the leader looks at it
    assert f"{leaders} Bot → Báo cáo lãnh đạo: nhiệm vụ đã qua hạn chót" in out  # next morning
    weekly = block(out, f"08:00 {leaders} Bot → Báo cáo tổng hợp định kỳ hằng tuần")
    assert "TỔNG HỢP TIẾN ĐỘ: Kế hoạch tuyên truyền cải cách hành chính thị xã Cửa Lò" in weekly
    assert "Số liệu lúc 08:00 08/01/2024." in weekly  # the first Monday after registering
    assert f"08:00 {leaders} Bot → [ảnh: tien-do-cua-lo-2024-2024-01-08.png]" in out
    assert out.count(f"{leaders} Bot → Báo cáo tổng hợp định kỳ hằng tuần") == 10
    assert "Đỗ Thị Mai: /quahan" in out  # the coordinator chases after each deadline


@pytest.mark.slow
def test_progress_lines_and_the_final_summary(march):
    lines = march.err.splitlines()
    assert [line.split(":")[0] for line in lines] == [
        "Hết tháng 1/2024",
        "Hết tháng 2/2024",
        "Hết tháng 3/2024",
    ]
    pattern = re.compile(
        r"Hết tháng \d+/2024: (\d+) lượt nhắc hạn, (\d+) lượt báo lãnh đạo quá hạn, (\d+) bản "
        r"tổng hợp hằng tuần, (\d+) báo cáo\."
    )
    months = [tuple(int(n) for n in pattern.fullmatch(line).groups()) for line in lines]
    out = march.out
    closing = out[out.index("\nKẾT THÚC CHẠY THỬ.") :]
    assert closing.startswith(
        "\nKẾT THÚC CHẠY THỬ. Hồ Văn Nam gõ /tonghop trong nhóm Lãnh đạo UBND thị xã lúc 17:15 "
        "15/03/2024:\nTỔNG HỢP TIẾN ĐỘ: Kế hoạch tuyên truyền cải cách hành chính thị xã Cửa Lò "
        "năm 2024 (cua-lo-2024)\nSố liệu lúc 17:15 15/03/2024.\n"
    )
    figures = re.search(
        r"- Nhắc hạn chót: (\d+) lượt; báo lãnh đạo nhiệm vụ quá hạn: (\d+) lượt; tổng hợp hằng "
        r"tuần gửi lãnh đạo: (\d+) bản, kèm (\d+) biểu đồ\.",
        closing,
    )
    reminders, escalations, weekly, charts = (int(n) for n in figures.groups())
    assert (reminders, escalations, weekly) == tuple(sum(m[i] for m in months) for i in range(3))
    assert weekly == charts == 10 and escalations >= 2
    engine = make_engine(f"sqlite:///{march.database}")
    with Session(engine) as session:
        unit_reminders = col(Reminder.kind).in_(["lead", "support"])
        sent = session.exec(select(Reminder).where(Reminder.state == "sent", unit_reminders)).all()
        reports = session.exec(select(Report, Unit).join(Unit)).all()
    engine.dispose()
    assert len(sent) == reminders
    assert len(reports) == sum(m[3] for m in months)
    assert len(reports) == out.count("Bot → Đã ghi báo cáo nhiệm vụ")
    assert {unit.code for _r, unit in reports} <= {"NV", "VHTT", "VP", "UBND-PHUONG", "VNPT"}
    assert any(r.late for r, _u in reports) and any(not r.late for r, _u in reports)
    assert f"- Báo cáo đã ghi: {len(reports)} (" in closing
    # The leaders' /tonghop is one message that fits a phone screen.
    summary = closing[closing.index("TỔNG HỢP TIẾN ĐỘ") : closing.index("Chi tiết: /quahan")]
    assert len(summary.splitlines()) + 1 <= 25


@pytest.mark.slow
def test_a_second_run_prints_the_same(march, tmp_path):
    again = demo(tmp_path, "--until", UNTIL)
    assert again.code == 0 and again.err == march.err
    assert without_codes(again) == without_codes(march)


@pytest.mark.slow
def test_in_english_and_quietly(tmp_path):
    english = demo(tmp_path, "--until", "2024-01-22", "--lang", "en")
    assert english.code == 0
    out = english.out
    assert "\n── Monday, January 22, 2024 ──\n" in out
    assert "[group UBND các phường] Bot → Reminder — Ủy ban nhân dân các phường" in out
    assert "7 working days left until the deadline, Wednesday, January 31, 2024." in out
    assert "Report progress: /report T1" in out
    assert "[group Lãnh đạo UBND thị xã] Bot → Weekly summary for the leadership." in out
    assert re.search(r"\[private · Bùi Văn Long\] Bùi Văn Long: /register [A-Z0-9]{8}\n", out)
    assert "\nEND OF THE DEMO. Hồ Văn Nam types /summary in group Lãnh đạo UBND thị xã" in out
    assert "Nhắc việc —" not in out and "Tổng hợp" not in out
    assert english.err.splitlines() == [
        "End of 1/2024: deadline reminders 1, overdue warnings to the leadership 0, weekly "
        "summaries 3, reports 0."
    ]
    quiet = demo(tmp_path, "--until", "2024-01-03", "--quiet", database="quiet.db")
    assert quiet.code == 0 and quiet.err == ""
    assert quiet.out.startswith("\nKẾT THÚC CHẠY THỬ. Hồ Văn Nam gõ /tonghop")
    assert "Bot →" not in quiet.out and "Số liệu đến hết 03/01/2024:" in quiet.out


def test_a_file_that_is_not_a_demo_is_not_replaced(tmp_path):
    notes = tmp_path / "notes.db"
    notes.write_text("ghi chú", encoding="utf-8")
    run = demo(tmp_path, database="notes.db")
    assert run.code == 1 and "không phải dữ liệu của bản chạy thử" in run.err
    assert notes.read_text(encoding="utf-8") == "ghi chú"
    # A real database with another plan in it is kept too.
    engine = make_engine(f"sqlite:///{tmp_path / 'real.db'}")
    upgrade(engine)
    with Session(engine) as session:
        load_plan(session, read_plan_file(PLANS / "long-ho-2022.toml"), _now())
        session.commit()
    engine.dispose()
    run = demo(tmp_path, database="real.db")
    assert run.code == 1 and "Chọn tệp khác với --db" in run.err


def test_until_is_checked(tmp_path, capsys):
    config = tmp_path / "config.toml"
    config.write_text("", encoding="utf-8")
    with pytest.raises(SystemExit) as stop:
        main(["demo", "--until", "2025-01-01", "--config", str(config)])
    assert stop.value.code == 2
    assert "--until: cần một ngày từ 2024-01-02 đến 2024-12-31" in capsys.readouterr().err


def _now():
    from datetime import UTC, datetime

    return datetime(2024, 1, 1, tzinfo=UTC)
