"""A made-up province-sized plan for the benchmarks: units, tasks, a year of reports.

``plan_text(units, tasks)`` writes a plan file the way ``plans/`` does: a few divisions
(*phòng*) and the rest communes grouped as "UBND các xã", tasks of the usual time
expressions, half of them owed by every commune. ``seed_reports`` then writes a seeded
number of reports spread over the deadlines that had begun by ``NOW``, with a single
bulk insert per thousand rows (the benchmarks time the bot, not the seeding).
"""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta

from sqlalchemy import Engine, insert, select

from scheduler.planfile import parse_plan
from scheduler.planload import load_plan
from storage.engine import session_scope
from storage.entry_queries import entry_query
from storage.models import Plan, Report
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
    None,
]
DIVISIONS = 10


def plan_text(units: int, tasks: int, code: str | None = None) -> str:
    code = code or f"bench-{units}"
    lines = [
        "[plan]",
        f'code = "{code}"',
        'title = "Kế hoạch tuyên truyền cải cách hành chính tỉnh Thử Nghiệm năm 2024"',
        'issuer = "Ủy ban nhân dân tỉnh Thử Nghiệm"',
        "year = 2024",
    ]
    names = [(f"PHONG-{i}", f"Sở chuyên môn số {i}", "sở") for i in range(1, DIVISIONS + 1)]
    names += [
        (f"XA-{i}", f"Ủy ban nhân dân xã số {i}", "xã") for i in range(1, units - DIVISIONS + 1)
    ]
    for unit_code, name, kind in names:
        lines += ["[[units]]", f'code = "{unit_code}"', f'name = "{name}"', f'kind = "{kind}"']
    members = ", ".join(f'"{c}"' for c, _, kind in names if kind == "xã")
    lines += ["[[groups]]", 'code = "UBND-XA"', 'name = "UBND các xã"', f"members = [{members}]"]
    for i in range(tasks):
        lead = '"UBND-XA"' if i % 2 else f'"PHONG-{i % DIVISIONS + 1}"'
        lines += [
            "[[tasks]]",
            f'code = "T{i + 1}"',
            f'title = "Nhiệm vụ tuyên truyền số {i + 1} về cải cách hành chính"',
            f"lead = [{lead}]",
            f'support = ["PHONG-{(i + 3) % DIVISIONS + 1}"]',
            f'when = "{WHEN[i % len(WHEN)]}"',
        ]
    return "\n".join(lines) + "\n"


def load(engine: Engine, units: int, tasks: int) -> int:
    """Load the plan; its id."""
    with session_scope(engine) as session:
        load_plan(session, parse_plan(plan_text(units, tasks).encode(), "bench"), NOW)
    with session_scope(engine) as session:
        plan_id = session.execute(
            select(Plan.id).where(Plan.code == f"bench-{units}")
        ).scalar_one()  # type: ignore[arg-type]
    return int(plan_id)


def seed_reports(engine: Engine, plan_id: int, count: int, seed: int = 2024) -> int:
    """About ``count`` reports over the begun deadlines of the plan; the number written."""
    rng = random.Random(seed)
    with engine.connect() as connection:
        pairs = [
            (row.occurrence_id, row.unit_id, row.due_at)
            for row in connection.execute(entry_query(plan_id).order_by(None))
            if row.start_at is None or row.start_at <= NOW
        ]
    per_pair = max(1, round(count / max(len(pairs), 1)))
    rows = []
    written = 0
    with engine.begin() as connection:
        for occurrence_id, unit_id, due in pairs:
            for _ in range(rng.randint(0, 2 * per_pair)):
                due_at = due or NOW
                at = min(due_at + timedelta(days=rng.randint(-30, 10)), NOW - timedelta(hours=1))
                status = rng.choice(["done", "done", "in_progress", "blocked", "not_started"])
                written += 1
                rows.append(
                    {
                        "occurrence_id": occurrence_id,
                        "unit_id": unit_id,
                        "status": status,
                        "percent": 100 if status == "done" else rng.randint(0, 90),
                        "note": rng.choice(NOTES),
                        "evidence": json.dumps([f"f{written}"] if rng.random() < 0.3 else []),
                        "late": at > due_at,
                        "created_at": at,
                        "platform": "telegram",
                        "source_chat_id": str(unit_id),
                        "source_message_id": str(written),
                    }
                )
                if len(rows) >= 5000:
                    connection.execute(insert(Report), rows)
                    rows = []
                if written >= count:
                    break
            if written >= count:
                break
        if rows:
            connection.execute(insert(Report), rows)
    return written
