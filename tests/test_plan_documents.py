"""A plan as a 2025 document writes it, through ``nhacviec``: it spans years, was signed on
14/11/2025, has ongoing duties, duties set off by an event, a compiled report, sub-tasks,
products and funding (issue 11).

The plan below is written the way such a document reads (a table with its columns, then
"Tổ chức thực hiện"); it is a test fixture, not one of the real plans of ``plans/``.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import Session, select

from bot.cli import main
from scheduler.clock import SimulatedClock
from storage.engine import make_engine
from storage.models import Occurrence, Plan, Report, Task, Unit
from storage.progress_queries import plan_progress

PLAN = """\
# Kế hoạch chuyển đổi số giai đoạn 2025-2027 (fixture written like a document)
[plan]
code = "cds-2025-2027"
title = "Kế hoạch chuyển đổi số giai đoạn 2025-2027"
issuer = "Ủy ban nhân dân xã Thử Nghiệm"
period = "giai đoạn 2025-2027"
issued = 2025-11-14
document = "Kế hoạch số 99/KH-UBND ngày 14/11/2025"

[[units]]
code = "VP"
name = "Văn phòng HĐND và UBND xã"
kind = "văn phòng"

[[units]]
code = "KT"
name = "Phòng Kinh tế xã"
kind = "phòng"

# Phụ lục, dòng 1
[[tasks]]
code = "1"
title = "Xây dựng cơ sở dữ liệu dùng chung của xã"
lead = ["VP"]
when = "2025 - 2027"
product = "Cơ sở dữ liệu được đưa vào sử dụng"
funding = "Ngân sách xã"

# Phụ lục, dòng 1.1
[[tasks]]
code = "1.1"
title = "Số hóa hồ sơ hộ tịch"
lead = ["VP"]
when = "Quý II-2026"
parent = "1"
product = "Kho hồ sơ số"

# Phụ lục, dòng 2
[[tasks]]
code = "2"
title = "Tuyên truyền về chuyển đổi số trên hệ thống truyền thanh"
lead = ["KT"]
when = "Thường xuyên"

# Phụ lục, dòng 3
[[tasks]]
code = "3"
title = "Rà soát, cập nhật danh mục dữ liệu mở"
lead = ["KT"]
when = "Tháng 12 hằng năm"

# Phụ lục, dòng 4
[[tasks]]
code = "4"
title = "Khắc phục sự cố mất an toàn thông tin"
lead = ["VP"]
when = "trong vòng 10 ngày kể từ khi có sự cố"

# Phụ lục, dòng 5
[[tasks]]
code = "5"
title = "Tổng kết giai đoạn trước"
lead = ["VP"]
when = "Quý I/2025"

# IV. Báo cáo
[[tasks]]
code = "R1"
title = "Báo cáo kết quả thực hiện"
lead = ["KT"]
when = "định kỳ 6 tháng hoặc đột xuất khi có yêu cầu"
reports_to = "VP"
"""

START = datetime(2025, 11, 20, 1, 0, tzinfo=UTC)


@pytest.fixture
def loaded(tmp_path: Path, sqlite_url: str, capsys):
    config = tmp_path / "config.toml"
    config.write_text(f'[database]\nurl = "{sqlite_url}"\n', encoding="utf-8")
    plan = tmp_path / "cds-2025-2027.toml"
    plan.write_text(PLAN, encoding="utf-8")

    def run(*argv: str, at: datetime = START) -> tuple[int, str, str]:
        code = main([*argv, "--config", str(config)], clock=SimulatedClock(at))
        out, err = capsys.readouterr()
        return code, out, err

    code, out, err = run("plan", "load", str(plan))
    assert code == 0, err
    return run, out, sqlite_url, plan


def test_the_plan_loads_with_a_warning_for_a_deadline_before_it_was_signed(loaded):
    _run, out, _url, _plan = loaded
    line = PLAN.splitlines().index('when = "Quý I/2025"') + 1
    assert (
        f"Lưu ý cds-2025-2027: dòng {line}, tasks[6].when: hạn Quý I/2025 (31/03/2025) trước "
        "ngày ban hành 14/11/2025; hãy kiểm tra lại"
    ) in out
    assert "Đã nạp kế hoạch cds-2025-2027: 7 nhiệm vụ" in out


def test_plan_show_has_the_columns_of_the_document(loaded):
    run, *_ = loaded
    code, out, _ = run("plan", "show", "cds-2025-2027")
    assert code == 0
    assert "Mã kế hoạch: cds-2025-2027 · giai đoạn 2025–2027 · 7 nhiệm vụ" in out
    assert "Ban hành ngày: Thứ Sáu, 14 tháng 11, 2025" in out
    sub = out[out.index("1.1. Số hóa hồ sơ hộ tịch") :]
    assert sub.splitlines()[1:5] == [
        "   Thời gian: Quý II-2026",
        "   Chủ trì: Văn phòng HĐND và UBND xã",
        "   Thuộc nhiệm vụ: 1",
        "   Sản phẩm: Kho hồ sơ số",
    ]
    assert "   Kinh phí: Ngân sách xã" in out
    assert "   Gửi báo cáo về: Văn phòng HĐND và UBND xã" in out
    assert "   Chờ sự kiện: kể từ khi có sự cố; hạn chót 10 ngày sau sự kiện" in out
    assert "   Hạn chót: tính từ khi sự kiện xảy ra" in out


def _preview(run) -> dict[str, list[tuple[str, str]]]:
    """Each task's (date, step) reminders of the preview, as dd/mm/yyyy."""
    code, out, _ = run("reminders", "preview", "cds-2025-2027")
    assert code == 0
    tasks: dict[str, list[tuple[str, str]]] = {}
    current = ""
    for line in out.splitlines():
        if head := re.match(r"^(\S+)\. ", line):
            current = head.group(1)
            tasks[current] = []
        elif found := re.match(r"^ {5}08:00 \S+ \S+, (\d+) tháng (\d+), (\d{4})  (.+)$", line):
            day, month, year, step = found.groups()
            tasks[current].append((f"{int(day):02d}/{int(month):02d}/{year}", step))
    return tasks


def test_the_preview_of_a_multi_year_plan(loaded):
    run, *_ = loaded
    tasks = _preview(run)
    every = [d[-4:] + d[3:5] + d[:2] for rows in tasks.values() for d, _step in rows]
    # Nothing before the plan was signed on 14/11/2025.
    assert min(every) >= "20251114"
    assert tasks["5"] == []
    # The ongoing duty is asked for its account once a year, never nagged or escalated.
    assert tasks["2"] == [
        ("31/12/2025", "ngày hạn chót"),
        ("31/12/2026", "ngày hạn chót"),
        ("31/12/2027", "ngày hạn chót"),
    ]
    # The yearly duty falls once a year, to the end of the period.
    assert [d for d, step in tasks["3"] if step == "ngày hạn chót"] == [
        "31/12/2025",
        "31/12/2026",
        "31/12/2027",
    ]
    assert [d for d, step in tasks["3"] if step == "báo lãnh đạo"] == [
        "08/01/2026",
        "08/01/2027",
        "10/01/2028",  # 01/01/2028 is a Saturday: the day off moves to Monday 03/01
    ]
    # The report every six months, from the second half of 2025 on.
    assert [d for d, step in tasks["R1"] if step == "ngày hạn chót"] == [
        "15/12/2025",
        "15/06/2026",
        "15/12/2026",
        "15/06/2027",
        "15/12/2027",
    ]
    assert tasks["4"] == []  # waits for its event


def test_an_event_sets_the_deadline_and_survives_a_reload(loaded):
    run, _out, _url, plan_file = loaded
    code, out, _ = run("plan", "event", "cds-2025-2027")
    assert code == 0
    assert "4. Khắc phục sự cố mất an toàn thông tin" in out
    assert "R1. Báo cáo kết quả thực hiện" in out
    code, _out, err = run("plan", "event", "cds-2025-2027", "3", "--on", "2025-11-18")
    assert code == 1 and "Nhiệm vụ 3 không chờ sự kiện nào" in err
    code, _out, err = run("plan", "event", "cds-2025-2027", "4", "--on", "2025-12-01")
    assert code == 1 and "chưa đến" in err
    code, out, _ = run("plan", "event", "cds-2025-2027", "4", "--on", "2025-11-18")
    assert code == 0
    assert out.strip() == (
        "Đã ghi nhận sự kiện của nhiệm vụ 4 (kỳ Sự kiện 18/11/2025): hạn chót Thứ Sáu, "
        "28 tháng 11, 2025."
    )
    # Editing the file reloads it; the recorded event stays applied.
    plan_file.write_text(PLAN.replace("Rà soát, cập nhật", "Rà soát và cập nhật"), "utf-8")
    assert run("plan", "load", str(plan_file))[0] == 0
    tasks = _preview(run)
    assert ("28/11/2025", "ngày hạn chót") in tasks["4"]
    assert ("05/12/2025", "báo lãnh đạo") in tasks["4"]


def test_an_ongoing_duty_is_never_overdue_and_stands_on_its_last_account(loaded):
    _run, _out, url, _plan = loaded
    engine = make_engine(url)
    with Session(engine) as session:
        plan = session.exec(select(Plan).where(Plan.code == "cds-2025-2027")).one()
        task = session.exec(select(Task).where(Task.code == "2")).one()
        unit = session.exec(select(Unit).where(Unit.code == "KT")).one()
        first = session.exec(
            select(Occurrence).where(
                Occurrence.task_id == task.id, Occurrence.period == "Năm 2025"
            )
        ).one()
        session.add(
            Report(
                occurrence_id=first.id,
                unit_id=unit.id,
                status="in_progress",
                note="đã phát 12 bản tin",
                created_at=datetime(2025, 12, 20, 3, 0, tzinfo=UTC),
                platform="telegram",
                source_chat_id="1",
                source_message_id="1",
            )
        )
        session.commit()
        progress = plan_progress(session, plan.id, datetime(2027, 1, 10, 3, 0, tzinfo=UTC))
    engine.dispose()
    ongoing = [e for e in progress.entries if e.task_code == "2"]
    assert [(e.period, e.overdue, e.status, e.carried) for e in ongoing] == [
        ("Năm 2025", False, "in_progress", False),
        ("Năm 2026", False, "in_progress", True),
        ("Năm 2027", False, "in_progress", True),
    ]
    assert {e.reported_at for e in ongoing} == {datetime(2025, 12, 20, 3, 0, tzinfo=UTC)}
    assert all(e.task_code != "2" for o in progress.overdue for e in o.entries)
    assert all(e.task_code != "2" for m in progress.missing for e in m.entries)
