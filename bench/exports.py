"""How long the three exports take for a plan of a hundred units (target: under 2 s each).

Builds, in a temporary SQLite database, a district plan the way ``plans/`` writes one:
ten divisions (*phòng*) and ninety communes (*xã*) grouped as "UBND các xã, thị trấn",
twenty tasks of the usual time expressions (monthly columns, quarters, periodic reports,
continuous duties) of which half are owed by every commune; then a seeded random year of
reports (with notes and evidence) up to 20 November, and a reminder sent for every
deadline a unit missed. Then times each file, its queries included, and prints the figures.

    .venv/bin/python bench/exports.py            # three runs of each, best time shown
"""

from __future__ import annotations

import json
import random
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlmodel import Session

from bot.exports import period_report_bytes, workbook_bytes
from messages.exports.chart import build_chart
from messages.exports.periods import report_period
from scheduler.planfile import read_plan_file
from scheduler.planload import load_plan
from scheduler.timeexpr import parse_when
from storage.engine import make_engine, session_scope, upgrade
from storage.models import Chat, Plan, Reminder, ReminderState, Report
from storage.progress_queries import plan_progress
from storage.timezone import VN_TZ as VN

NOW = datetime(2024, 11, 20, 9, 0, tzinfo=VN)
WHEN = [
    "01 chuyên mục/01 tháng",
    "Quý I/2024",
    "Quý I và II/2024",
    "Định kỳ quý, 06 tháng, năm",
    "Thường xuyên trong năm",
    "Tháng 3 đến tháng 4",
    "trước ngày 15/06/2024",
    "hằng quý",
    "6 tháng cuối năm",
    "Trong năm 2024",
]
NOTES = [
    "Đã đăng tin trên Trang thông tin điện tử",
    "Đã tổ chức hội nghị tuyên truyền tại nhà văn hóa",
    "Chưa bố trí được kinh phí, đề nghị hỗ trợ",
    "Thiếu cán bộ phụ trách do luân chuyển công tác",
    None,
]


def plan_file(folder: Path) -> Path:
    lines = [
        "# A made-up district plan of 100 units, for bench/exports.py.",
        "[plan]",
        'code = "bench-100"',
        'title = "Kế hoạch tuyên truyền cải cách hành chính huyện Thử Nghiệm năm 2024"',
        'issuer = "Ủy ban nhân dân huyện Thử Nghiệm"',
        "year = 2024",
    ]
    units = [(f"PHONG-{i:02d}", f"Phòng chuyên môn số {i} huyện", "phòng") for i in range(10)]
    units += [(f"XA-{i:02d}", f"Ủy ban nhân dân xã Thử Nghiệm số {i}", "xã") for i in range(90)]
    for code, name, kind in units:
        lines += ["[[units]]", f'code = "{code}"', f'name = "{name}"', f'kind = "{kind}"']
    members = ", ".join(f'"{code}"' for code, _, kind in units if kind == "xã")
    lines += ["[[groups]]", 'code = "UBND-XA"', 'name = "UBND các xã, thị trấn"']
    lines += [f"members = [{members}]"]
    for i in range(20):
        lead = '"UBND-XA"' if i % 2 else f'"PHONG-{i % 10:02d}"'
        lines += [
            "[[tasks]]",
            f'code = "T{i + 1}"',
            f'title = "Nhiệm vụ tuyên truyền số {i + 1} về cải cách hành chính trên địa bàn"',
            f"lead = [{lead}]",
            f'support = ["PHONG-{(i + 3) % 10:02d}"]',
            f'when = "{WHEN[i % len(WHEN)]}"',
        ]
    path = folder / "bench-100.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def fill(session: Session, plan_id: int) -> tuple[int, int]:
    """A seeded year of reports, and a sent reminder for each late unit; their numbers."""
    rng = random.Random(2024)
    progress = plan_progress(session, plan_id, NOW)
    chats = {}
    reports = reminders = 0
    for number, entry in enumerate(progress.entries):
        if entry.start_at and entry.start_at > NOW:
            continue
        due = entry.due_at or NOW
        if rng.random() < 0.75:
            status = rng.choice(["done", "done", "in_progress", "blocked", "not_started"])
            at = min(due + timedelta(days=rng.randint(-20, 10)), NOW - timedelta(hours=1))
            session.add(
                Report(
                    occurrence_id=entry.occurrence_id,
                    unit_id=entry.unit.id,
                    status=status,
                    percent=100 if status == "done" else rng.randint(0, 90),
                    note=rng.choice(NOTES),
                    evidence=json.dumps([f"file-{number}-{k}" for k in range(rng.randint(0, 3))]),
                    late=at > due,
                    created_at=at,
                    platform="telegram",
                    source_chat_id=str(entry.unit.id),
                    source_message_id=str(number),
                )
            )
            reports += 1
        elif entry.due_at and entry.due_at < NOW:
            if entry.unit.id not in chats:
                chats[entry.unit.id] = Chat(
                    platform="telegram",
                    chat_id=f"-100{entry.unit.id}",
                    kind="group",
                    purpose="unit",
                    title=entry.unit.name,
                    unit_id=entry.unit.id,
                    created_at=NOW - timedelta(days=300),
                )
                session.add(chats[entry.unit.id])
                session.flush()
            chat = chats[entry.unit.id]
            sent = entry.due_at + timedelta(days=2)
            session.add(
                Reminder(
                    dedupe_key=f"u:{chat.id}:{entry.occurrence_id}:{entry.unit.id}:after-1",
                    chat_id=chat.id,
                    occurrence_id=entry.occurrence_id,
                    kind=entry.role,
                    step="after-1",
                    due_at=sent,
                    state=ReminderState.SENT,
                    sent_at=sent,
                )
            )
            reminders += 1
    return reports, reminders


def best_of(runs: int, build) -> tuple[float, int]:
    times, size = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        size = len(build())
        times.append(time.perf_counter() - start)
    return min(times), size


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{Path(folder) / 'bench.db'}")
        upgrade(engine)
        with session_scope(engine) as session:
            result = load_plan(session, read_plan_file(plan_file(Path(folder))), NOW)
        with session_scope(engine) as session:
            reports, reminders = fill(session, result.plan_id)
        plan_id = result.plan_id
        print(
            f"plan: {result.units} units, {result.tasks} tasks, {result.occurrences} deadlines; "
            f"{reports} reports, {reminders} reminders sent"
        )
        period = report_period(parse_when("Năm 2024", 2024), "Năm 2024")
        with Session(engine) as session:
            plan = session.get(Plan, plan_id)
            assert plan is not None
            entries = len(plan_progress(session, plan_id, NOW).entries)
            print(f"entries (deadline x unit): {entries}")
            builders = {
                "chart (progress + PNG)": lambda: build_chart(
                    plan_progress(session, plan_id, NOW)
                ),
                "workbook (.xlsx)": lambda: workbook_bytes(session, plan, NOW),
                "period report, Năm 2024 (.docx)": lambda: period_report_bytes(
                    session, plan, period, NOW
                ),
            }
            for name, build in builders.items():
                seconds, size = best_of(3, build)
                verdict = "ok" if seconds < 2 else "SLOW (target < 2 s)"
                print(f"{name:34} {seconds:6.2f} s  {size / 1024:7.0f} KB  {verdict}")
        engine.dispose()


if __name__ == "__main__":
    main()
