"""The progress sheet of the workbook ends with the columns of the document beside the time
(issue 11, point 7): the task a sub-task belongs to, its product, its funding, and the event
it waits for. The plan is the 2025 document of ``tests.test_plan_documents``.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime

from openpyxl import load_workbook
from sqlmodel import Session, select

from bot.exports import workbook_bytes
from scheduler.planfile import parse_plan
from scheduler.planload import load_plan
from storage.engine import make_engine, session_scope, upgrade
from storage.models import Plan
from tests.test_plan_documents import PLAN

NOW = datetime(2025, 11, 20, 2, 0, tzinfo=UTC)


def progress_sheet(sqlite_url: str, lang: str) -> list[tuple]:
    engine = make_engine(sqlite_url)
    upgrade(engine)
    with session_scope(engine) as session:
        load_plan(session, parse_plan(PLAN.encode("utf-8"), "cds.toml"), NOW)
    with Session(engine) as session:
        plan = session.exec(select(Plan)).one()
        content = workbook_bytes(session, plan, NOW, lang)
    engine.dispose()
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    return [tuple(row) for row in sheet.iter_rows(min_row=4, values_only=True)]


def test_the_last_columns_of_the_progress_sheet(sqlite_url):
    header, *rows = progress_sheet(sqlite_url, "vi")
    assert header[-4:] == ("Thuộc nhiệm vụ", "Sản phẩm", "Kinh phí", "Chờ sự kiện")
    first = {row[0]: row[-4:] for row in rows}  # one row per task here: one unit each
    assert first["1"] == (None, "Cơ sở dữ liệu được đưa vào sử dụng", "Ngân sách xã", None)
    assert first["1.1"] == ("1", "Kho hồ sơ số", None, None)
    assert first["4"] == (None, None, None, "kể từ khi có sự cố")
    assert first["R1"] == (None, None, None, "đột xuất khi có yêu cầu")
    assert first["2"] == (None, None, None, None)


def test_in_english(sqlite_url):
    header, *_rows = progress_sheet(sqlite_url, "en")
    assert header[-4:] == ("Part of task", "Product", "Funding", "Waits for")
