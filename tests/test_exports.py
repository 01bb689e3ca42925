"""The chart, the workbook and the period report, opened with the library that wrote them.

The plan is the real ``plans/cua-lo-2024.toml`` in SQLite, with reports written as the
chat would store them: on time with evidence, late, blocked with a note, in progress,
one made after the first quarter ended, and units with none. "Now" is 10 April 2024.
"""

from __future__ import annotations

import io
import json
import warnings
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from docx import Document
from docx.shared import Cm, Pt
from openpyxl import load_workbook
from sqlmodel import Session, select

from bot.cli import main
from bot.exports import period_report_bytes, workbook_bytes
from messages.exports.chart import MAX_ROWS, build_chart, chart_filename
from messages.exports.issuer import describe_issuer, plan_subject
from messages.exports.labels import Standing, standing
from messages.exports.period_report import report_filename
from messages.exports.periods import PeriodError, ReportPeriod, period_phrase, report_period
from scheduler.clock import SimulatedClock
from scheduler.planfile import read_plan_file
from scheduler.planload import load_plan
from scheduler.timeexpr import parse_when
from storage.engine import make_engine, session_scope, upgrade
from storage.models import Chat, Member, Occurrence, Plan, Reminder, Report, Task, Unit
from storage.progress import Entry, UnitRef, summarize
from storage.progress_queries import plan_progress
from storage.timezone import VN_TZ as VN
from tests.conftest import PLANS

NOW = datetime(2024, 4, 10, 10, 0, tzinfo=VN)
PLAN_FILE = PLANS / "cua-lo-2024.toml"

# (task, unit, status, percent, made at, note, evidence files)
REPORTS = [
    ("T1", "UBND-TX", "done", 100, datetime(2024, 1, 25, 9, tzinfo=VN), "Đã ban hành KH số 35", 2),
    ("T1", "UBND-PHUONG", "done", 100, datetime(2024, 2, 5, 9, tzinfo=VN), None, 0),
    ("T2", "NV", "blocked", 40, datetime(2024, 2, 20, 9, tzinfo=VN), "Chưa đủ nhân sự", 0),
    ("T2", "VNPT", "in_progress", 50, datetime(2024, 2, 15, 9, tzinfo=VN), None, 1),
    ("T3", "NV", "done", 100, datetime(2024, 4, 3, 9, tzinfo=VN), "Đã tập huấn ngày 02/4", 3),
    # Typed in chat: a formula-looking note and a stray control character.
    ("D1", "VHTT", "in_progress", 30, datetime(2024, 3, 10, 9, tzinfo=VN), "=5+1 tin\x0b bài", 1),
]


def excel(*fields: int) -> datetime:
    """A Vietnam wall-clock time as Excel holds it: without a zone."""
    return datetime(*fields, tzinfo=VN).replace(tzinfo=None)


def _occurrence(session: Session, plan_id: int, task_code: str) -> Occurrence:
    task = session.exec(select(Task).where(Task.plan_id == plan_id, Task.code == task_code)).one()
    return session.exec(select(Occurrence).where(Occurrence.task_id == task.id)).one()


def _unit(session: Session, plan_id: int, code: str) -> Unit:
    return session.exec(select(Unit).where(Unit.plan_id == plan_id, Unit.code == code)).one()


@pytest.fixture(scope="module")
def database(tmp_path_factory) -> tuple[str, int]:
    """The SQLite URL of a database holding Cửa Lò's plan and the reports above."""
    url = f"sqlite:///{tmp_path_factory.mktemp('exports') / 'nhacviec.db'}"
    engine = make_engine(url)
    upgrade(engine)
    with session_scope(engine) as session:
        loaded = load_plan(session, read_plan_file(PLAN_FILE), datetime(2024, 2, 1, tzinfo=VN))
        plan_id = loaded.plan_id
        nv = _unit(session, plan_id, "NV")
        member = Member(
            platform="telegram",
            user_id="111",
            display_name="Nguyễn Thị Lan",
            role="member",
            unit_id=nv.id,
            created_at=datetime(2024, 2, 1, tzinfo=VN),
        )
        chat = Chat(
            platform="telegram",
            chat_id="-1001",
            kind="group",
            purpose="unit",
            title="Nhóm Phòng Nội vụ",
            unit_id=nv.id,
            created_at=datetime(2024, 2, 1, tzinfo=VN),
        )
        session.add_all([member, chat])
        session.flush()
        for number, (task, unit, status, percent, at, note, files) in enumerate(REPORTS):
            occurrence = _occurrence(session, plan_id, task)
            session.add(
                Report(
                    occurrence_id=occurrence.id,
                    unit_id=_unit(session, plan_id, unit).id,
                    member_id=member.id if unit == "NV" else None,
                    status=status,
                    percent=percent,
                    note=note,
                    evidence=json.dumps([f"file-{number}-{k}" for k in range(files)]),
                    late=at > occurrence.due_at,
                    created_at=at,
                    platform="telegram",
                    source_chat_id="-1001",
                    source_message_id=str(number),
                )
            )
        t3 = _occurrence(session, plan_id, "T3")
        for step, state, sent in (("due", "sent", True), ("after-1", "pending", False)):
            session.add(
                Reminder(
                    dedupe_key=f"u:{chat.id}:{t3.id}:{nv.id}:{step}",
                    chat_id=chat.id,
                    occurrence_id=t3.id,
                    unit_id=nv.id,
                    kind="lead",
                    step=step,
                    due_at=datetime(2024, 3, 29, 8, tzinfo=VN),
                    state=state,
                    sent_at=datetime(2024, 3, 29, 8, 0, 5, tzinfo=VN) if sent else None,
                )
            )
    engine.dispose()
    return url, plan_id


@pytest.fixture
def session(database):
    engine = make_engine(database[0])
    with Session(engine) as session:
        yield session
    engine.dispose()


def _workbook(session: Session, plan_id: int, lang: str | None = None) -> bytes:
    """The workbook at ``NOW`` as the chat and the command line build it (``bot.exports``)."""
    plan = session.get(Plan, plan_id)
    assert plan is not None
    return workbook_bytes(session, plan, NOW, lang)


def _report(
    session: Session, plan_id: int, period: ReportPeriod, lang: str | None = None
) -> bytes:
    """The period report at ``NOW`` as the chat and the command line build it."""
    plan = session.get(Plan, plan_id)
    assert plan is not None
    return period_report_bytes(session, plan, period, NOW, lang)


def _period(text: str = "Quý I/2024") -> ReportPeriod:
    """The reporting period ``text`` names, read the way the command line reads it."""
    return report_period(parse_when(text, 2024), text)


# --- the workbook ---------------------------------------------------------------------------


def test_workbook_has_three_sheets_with_frozen_bold_headers_and_filters(session, database):
    book = load_workbook(io.BytesIO(_workbook(session, database[1])))
    assert book.sheetnames == ["Tiến độ", "Báo cáo", "Nhắc việc đã gửi", "Minh chứng"]
    for sheet in book.worksheets:
        assert (
            sheet["A1"].value == "Kế hoạch tuyên truyền cải cách hành chính thị xã Cửa Lò năm 2024"
        )
        assert sheet["A2"].value == "Số liệu tính đến 10:00 10/04/2024"
        assert sheet.freeze_panes == "A5"
        assert all(cell.font.bold for cell in sheet[4] if cell.value)
        assert sheet.auto_filter.ref.startswith("A4:")
        assert sheet.column_dimensions["B"].width >= 9


def test_progress_sheet_has_a_row_per_task_and_unit_with_real_dates(session, database):
    book = load_workbook(io.BytesIO(_workbook(session, database[1])))
    sheet = book["Tiến độ"]
    header = [cell.value for cell in sheet[4]]
    rows = {
        (r[0], r[5]): dict(zip(header, r, strict=True))
        for r in sheet.iter_rows(5, values_only=True)
    }
    entries = plan_progress(session, database[1], NOW).entries
    assert set(rows) == {(e.task_code, e.unit.code) for e in entries}
    # Every task of the file and every unit (or group) that owes one has its rows.
    spec = read_plan_file(PLAN_FILE)
    assert {task for task, _ in rows} == {task.code for task in spec.tasks}
    assert {unit for _, unit in rows} == {u.code for u in spec.units}

    on_time = rows[("T1", "UBND-TX")]
    assert on_time["Hạn chót"] == excel(2024, 1, 31, 23, 59, 59)  # local, naive, real date
    assert on_time["Báo cáo lần cuối"] == excel(2024, 1, 25, 9, 0)
    assert on_time["Đánh giá"] == "Hoàn thành đúng hạn"
    assert (on_time["Số tệp minh chứng"], on_time["Tỷ lệ hoàn thành"]) == (2, 1.0)
    assert on_time["Ghi chú"] == "Đã ban hành KH số 35"
    assert rows[("T1", "UBND-PHUONG")]["Đánh giá"] == "Hoàn thành trễ hạn"
    blocked = rows[("T2", "NV")]
    assert (blocked["Trạng thái báo cáo"], blocked["Đánh giá"]) == ("Vướng mắc", "Quá hạn")
    assert blocked["Vai trò"] == "Chủ trì"
    assert rows[("T2", "VNPT")]["Vai trò"] == "Phối hợp"
    assert rows[("T3", "NV")]["Đánh giá"] == "Hoàn thành trễ hạn"
    silent = rows[("T4", "TO-TRUYENTHONG")]
    assert (silent["Trạng thái báo cáo"], silent["Báo cáo lần cuối"]) == ("Chưa báo cáo", None)
    assert rows[("T6", "TTVH")]["Đánh giá"] == "Chưa đến kỳ"  # June to December
    due_cell = next(c for c in sheet["E"][4:] if c.value is not None)
    assert due_cell.is_date and due_cell.number_format == "dd/mm/yyyy"


def test_reports_and_reminders_sheets_list_every_report_and_only_sent_reminders(session, database):
    book = load_workbook(io.BytesIO(_workbook(session, database[1])))
    reports = list(book["Báo cáo"].iter_rows(5, values_only=True))
    assert [(r[1], r[5]) for r in reports] == [(t, u) for t, u, *_ in REPORTS[:1]] + [
        ("T1", "UBND-PHUONG"),
        ("T2", "VNPT"),
        ("T2", "NV"),
        ("D1", "VHTT"),
        ("T3", "NV"),
    ]
    blocked = next(r for r in reports if r[1] == "T2" and r[5] == "NV")
    assert blocked[0] == excel(2024, 2, 20, 9, 0)
    assert blocked[7:12] == ("Nguyễn Thị Lan", "Vướng mắc", 0.4, None, "Chưa đủ nhân sự")
    assert next(r for r in reports if r[1] == "T3")[10] == "Có"  # made after the deadline

    typed = next(c for c in book["Báo cáo"]["L"] if c.value and c.value.startswith("="))
    assert (typed.value, typed.data_type) == ("=5+1 tin bài", "s")  # text, not a formula

    reminders = list(book["Nhắc việc đã gửi"].iter_rows(5, values_only=True))
    assert len(reminders) == 1  # the pending one is not "sent"
    assert reminders[0][:2] == (excel(2024, 3, 29, 8, 0, 5), "T3")
    assert reminders[0][5:10] == (
        "Phòng Nội vụ thị xã",
        "Đơn vị chủ trì",
        "Đúng ngày hạn chót",
        "Nhóm Phòng Nội vụ",
        "Telegram",
    )


def test_files_in_english(session, database):
    book = load_workbook(io.BytesIO(_workbook(session, database[1], "en")))
    assert book.sheetnames == ["Progress", "Reports", "Reminders sent", "Evidence"]
    assert book["Progress"]["B4"].value == "Task"
    report = _report(session, database[1], _period(), "en")
    texts = [p.text for p in Document(io.BytesIO(report)).paragraphs]
    assert texts[texts.index("REPORT") + 1] == (
        "Results of the work of tuyên truyền cải cách hành chính for quarter I of 2024"
    )


# --- the period report ------------------------------------------------------------------------


def _paragraphs(document) -> list[str]:
    return [p.text for p in document.paragraphs]


def test_period_report_follows_the_decree_layout(session, database):
    document = Document(io.BytesIO(_report(session, database[1], _period())))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = (
        section.top_margin,
        section.bottom_margin,
        section.left_margin,
        section.right_margin,
    )
    assert [round(margin.mm) for margin in margins] == [20, 20, 30, 15]  # 20-25, 30-35, 15-20
    normal = document.styles["Normal"].font
    assert (normal.name, normal.size) == ("Times New Roman", Pt(14))
    assert all(
        run.font.name in (None, "Times New Roman") and (run.font.size or Pt(14)) >= Pt(11)
        for paragraph in document.paragraphs
        for run in paragraph.runs
    )

    heading, closing, appendix = document.tables
    left, right = (cell.text.split("\n") for cell in heading.rows[0].cells)
    assert left == ["ỦY BAN NHÂN DÂN", "THỊ XÃ CỬA LÒ", "", "Số:        /BC-UBND"]
    assert right == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "",
        "Cửa Lò, ngày 10 tháng 4 năm 2024",
    ]
    motto = heading.rows[0].cells[1].paragraphs[1]
    assert motto.runs[0].bold and heading.rows[0].cells[1].paragraphs[3].runs[0].italic
    assert not any(border in heading._tbl.xml for border in ("w:tblBorders", "w:tblStyle"))
    assert closing.rows[0].cells[0].paragraphs[0].text == "Nơi nhận:"
    assert closing.rows[0].cells[1].text.split("\n")[:2] == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]

    texts = _paragraphs(document)
    title = texts.index("BÁO CÁO")
    assert document.paragraphs[title].runs[0].bold
    assert document.paragraphs[title].alignment == 1  # centred
    assert texts[title + 1] == (
        "Kết quả thực hiện công tác tuyên truyền cải cách hành chính quý I năm 2024"
    )
    sections = [
        "I. KẾT QUẢ THỰC HIỆN",
        "II. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN",
        "III. PHƯƠNG HƯỚNG, NHIỆM VỤ KỲ TỚI",
        "IV. ĐỀ XUẤT, KIẾN NGHỊ",
    ]
    assert [t for t in texts if t in sections] == sections  # each once, in this order
    assert all(document.paragraphs[texts.index(t)].style.font.bold for t in sections)
    # Body text justified, its first line indented.
    body_style = document.paragraphs[texts.index(sections[0]) + 1].style
    assert body_style.paragraph_format.first_line_indent == Cm(1.27)
    assert body_style.paragraph_format.alignment == 3
    closing_line = next(t for t in texts if t.startswith("Trên đây là báo cáo"))
    assert texts[texts.index(closing_line) - 1] == "…"  # the proposals the clerk writes
    assert closing_line.endswith("quý I năm 2024 của Ủy ban nhân dân thị xã Cửa Lò./.")
    # The appendix follows the signature, on a page of its own, its header row repeated.
    body = document.element.body
    assert body.index(appendix._tbl) > body.index(closing._tbl)
    assert '<w:br w:type="page"/>' in document.paragraphs[texts.index("PHỤ LỤC") - 1]._p.xml
    assert "<w:tblHeader/>" in appendix.rows[0]._tr.xml
    assert all(
        run.font.size == Pt(11) for cell in appendix.rows[1].cells for p in cell.paragraphs
        for run in p.runs
    )  # fmt: skip


def _appendix_rows(document) -> list[list[str]]:
    *_, table = document.tables
    return [[cell.text for cell in row.cells] for row in table.rows[1:]]


def test_period_report_counts_the_tasks_per_group(session, database):
    document = Document(io.BytesIO(_report(session, database[1], _period())))
    texts = _paragraphs(document)
    results = texts[texts.index("I. KẾT QUẢ THỰC HIỆN") + 1 : texts.index(
        "II. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN"
    )]  # fmt: skip
    assert results == [
        # Everything running in January to March: 21 tasks; T6 (June to December) is not.
        "Trong kỳ có 21 nhiệm vụ đến hạn hoặc đang triển khai: hoàn thành 1; đang thực hiện "
        "1; quá hạn chưa hoàn thành 1; chưa có báo cáo 18. Các đơn vị đã báo cáo 5/31 lượt "
        "thực hiện; hoàn thành đúng hạn 1 lượt, hoàn thành trễ hạn 1 lượt.",
        "1. Các hoạt động theo tiến độ của kế hoạch",
        "Tổng số 5 nhiệm vụ: hoàn thành 1; đang thực hiện 0; quá hạn chưa hoàn thành 1; "
        "chưa có báo cáo 3.",
        "Kết quả nổi bật:",
        "- Ủy ban nhân dân thị xã Cửa Lò: đã ban hành KH số 35 (T1).",
        "2. Nhiệm vụ của các cơ quan, đơn vị",
        "Tổng số 16 nhiệm vụ: hoàn thành 0; đang thực hiện 1; quá hạn chưa hoàn thành 0; "
        "chưa có báo cáo 15.",
        "Kết quả nổi bật:",
        "- Phòng Văn hóa và Thông tin thị xã: =5+1 tin bài (D1).",
    ]


def test_period_report_appendix_has_a_row_per_unit_of_each_task(session, database):
    document = Document(io.BytesIO(_report(session, database[1], _period())))
    spec = {task.code: task for task in read_plan_file(PLAN_FILE).tasks}
    rows = _appendix_rows(document)
    tasks = list(dict.fromkeys(row[1] for row in rows))
    assert [task.split(".")[0] for task in tasks] == [code for code in spec if code != "T6"]
    assert tasks[1] == f"T2. {spec['T2'].title}\nThời gian: Tháng 2"
    assert [row[0] for row in rows if row[1] == tasks[1]] == ["2"] * 4  # one merged number
    t1, t2 = ([row[2:] for row in rows if row[1] == tasks[n]] for n in (0, 1))
    assert t1 == [
        ["Ủy ban nhân dân thị xã Cửa Lò", "Hoàn thành đúng hạn; báo cáo ngày 25/01/2024",
         "Đã ban hành KH số 35. 2 tệp minh chứng."],
        ["Ủy ban nhân dân các phường", "Hoàn thành trễ hạn; báo cáo ngày 05/02/2024", ""],
    ]  # fmt: skip
    assert t2[2] == [
        "Trung tâm VNPT Cửa Lò (phối hợp)",
        "Quá hạn (hạn chót 29/02/2024), đang thực hiện; báo cáo ngày 15/02/2024",
        "1 tệp minh chứng.",
    ]
    # T3's "done" came on 3 April: the first quarter's report does not count it.
    assert [row[2:4] for row in rows if row[1].startswith("T3. ")] == [
        ["Phòng Nội vụ thị xã", "Chưa báo cáo"]
    ]


def test_period_report_says_what_is_late_and_why(session, database):
    document = Document(io.BytesIO(_report(session, database[1], _period())))
    texts = _paragraphs(document)
    late = texts[
        texts.index("II. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN") + 1 : texts.index(
            "III. PHƯƠNG HƯỚNG, NHIỆM VỤ KỲ TỚI"
        )
    ]
    spec = {task.code: task for task in read_plan_file(PLAN_FILE).tasks}
    assert late[:4] == [
        "1. Nhiệm vụ quá hạn, chưa hoàn thành",
        f"- {spec['T2'].title} (hạn chót 29/02/2024): Phòng Nội vụ thị xã, Ủy ban nhân dân "
        "các phường, Trung tâm VNPT Cửa Lò, Các phòng, ban chuyên môn, các cơ quan, đơn vị "
        "thị xã.",
        "2. Nhiệm vụ hoàn thành trễ hạn",
        f"- {spec['T1'].title} (hạn chót 31/01/2024): Ủy ban nhân dân các phường hoàn thành "
        "ngày 05/02/2024.",
    ]
    assert late[4] == "3. Đơn vị chưa báo cáo"
    # The unit with the most tasks unreported first.
    assert late[5].startswith(
        "12 đơn vị chưa gửi báo cáo (mã nhiệm vụ trong ngoặc): Phòng Nội vụ thị xã (T3, D5, "
        "D6, D7, D8, D9); Ủy ban nhân dân các phường (T2, T4, T5, D16);"
    )
    assert late[6:] == ["4. Nguyên nhân", "- Phòng Nội vụ thị xã (T2): chưa đủ nhân sự."]
    assert not any("Ủy ban nhân dân thị xã Cửa Lò" in line for line in late)  # on time


def test_period_report_says_what_falls_due_next(session, database):
    document = Document(io.BytesIO(_report(session, database[1], _period())))
    texts = _paragraphs(document)
    spec = {task.code: task for task in read_plan_file(PLAN_FILE).tasks}
    assert texts[
        texts.index("III. PHƯƠNG HƯỚNG, NHIỆM VỤ KỲ TỚI") + 1 : texts.index(
            "IV. ĐỀ XUẤT, KIẾN NGHỊ"
        )
    ] == [
        "Trong quý II năm 2024, tập trung thực hiện các nhiệm vụ sau:",
        "- Đôn đốc các đơn vị khẩn trương hoàn thành các nhiệm vụ còn quá hạn nêu tại Mục II "
        "(T2).",
        f"- {spec['T4'].title} (hạn chót 30/04/2024); chủ trì: Tổ truyền thông các tiện ích "
        "của dịch vụ công trực tuyến cấp thị xã, Ủy ban nhân dân các phường.",
        "- Tiếp tục thực hiện 10 nhiệm vụ thường xuyên (D1, D2, D3, D4, D5, D8, D11, D12, "
        "D13, D16).",
        "- Tiếp tục triển khai 8 nhiệm vụ chưa đến hạn (T5, T6, D6, D7, D9, D10, D14, D15).",
    ]


def test_a_later_report_counts_in_the_next_period(session, database):
    document = Document(io.BytesIO(_report(session, database[1], _period("6 tháng đầu năm 2024"))))
    texts = _paragraphs(document)
    assert texts[texts.index("BÁO CÁO") + 1].endswith("6 tháng đầu năm 2024")
    assert ["Phòng Nội vụ thị xã", "Hoàn thành trễ hạn; báo cáo ngày 03/04/2024"] in [
        row[2:4] for row in _appendix_rows(document) if row[1].startswith("T3. ")
    ]
    assert "Trong 6 tháng cuối năm 2024, tập trung thực hiện các nhiệm vụ sau:" in texts


def test_period_report_for_an_empty_period(session, database):
    document = Document(io.BytesIO(_report(session, database[1], _period("Năm 2030"))))
    texts = _paragraphs(document)
    assert "Trong kỳ không có nhiệm vụ nào đến hạn thực hiện." in texts
    assert "Trong kỳ không có nhiệm vụ nào quá hạn, trễ hạn hoặc vướng mắc." in texts
    assert "Kỳ tới không có nhiệm vụ nào đến hạn theo kế hoạch." in texts
    assert "PHỤ LỤC" not in texts and len(document.tables) == 2  # nothing to detail


@pytest.mark.parametrize(
    ("text", "phrase", "label"),
    [
        ("Quý I/2024", "quý I năm 2024", "Quý I/2024"),
        ("quy 4", "quý IV năm 2024", "Quý IV/2024"),
        ("6 tháng đầu năm 2024", "6 tháng đầu năm 2024", "6 tháng đầu năm 2024"),
        ("Quý I và II/2024", "6 tháng đầu năm 2024", "Quý I–II/2024"),
        ("6 tháng cuối năm", "6 tháng cuối năm 2024", "6 tháng cuối năm 2024"),
        ("Năm 2024", "năm 2024", "Năm 2024"),
        ("Tháng 3/2024", "tháng 3 năm 2024", "Tháng 3/2024"),
        ("Tháng 1 đến tháng 9", "9 tháng đầu năm 2024", "Tháng 1–9/2024"),
        ("Tháng 3 đến tháng 5", "từ tháng 3 đến tháng 5 năm 2024", "Tháng 3–5/2024"),
        ("Quý II và III", "từ quý II đến quý III năm 2024", "Quý II–III/2024"),
        ("trước ngày 15/03/2024", "từ ngày 01/01/2024 đến ngày 14/03/2024", "Hạn 14/03/2024"),
    ],
)
def test_period_phrases(text, phrase, label):
    period = _period(text)
    assert (period_phrase(period), period.label) == (phrase, label)


@pytest.mark.parametrize("text", ["hằng quý", "01 chuyên mục/01 tháng", "Theo Kế hoạch của Sở"])
def test_a_period_must_be_one_span(text):
    with pytest.raises(PeriodError, match="không phải một kỳ báo cáo"):
        _period(text)


@pytest.mark.parametrize("path", sorted(PLANS.glob("*.toml")), ids=lambda p: p.stem)
def test_every_real_issuer_gets_a_heading_place_and_subject(path):
    plan = read_plan_file(path)
    issuer = describe_issuer(plan.issuer)
    assert issuer.place in plan.issuer and issuer.place[0].isupper()
    assert issuer.abbreviation in ("UBND", "VP")
    assert " ".join(filter(None, (issuer.superior, *issuer.body))).isupper()
    assert plan_subject(plan.title).startswith(("công tác ", "tuyên truyền công tác"))


def test_issuer_of_a_division_is_headed_by_its_committee():
    issuer = describe_issuer("Phòng Nội vụ huyện Long Hồ")
    assert (issuer.superior, issuer.body, issuer.abbreviation, issuer.place) == (
        "UBND HUYỆN LONG HỒ",
        ("PHÒNG NỘI VỤ",),
        "PNV",
        "Long Hồ",
    )
    assert describe_issuer("Trung tâm X").place == "........"  # left for the author


# --- the chart --------------------------------------------------------------------------------


def _png_pixels(png: bytes):
    from matplotlib.image import imread

    return imread(io.BytesIO(png), format="png")


def test_chart_is_a_phone_sized_picture_with_every_glyph(session, database):
    progress = plan_progress(session, database[1], NOW)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph ... missing from font" would raise here
        png = build_chart(progress)
    pixels = _png_pixels(png)
    height, width = pixels.shape[:2]
    units = len(progress.units)
    assert width == 1080 and 1000 < height <= 2560
    assert height > 0.5 * 150 * units  # a band of at least half an inch per unit
    assert pixels[..., :3].std() > 0.1  # not blank
    # The overdue red (#d32f2f) is there: T1..T3 were missed by some unit.
    red = (abs(pixels[..., 0] - 0xD3 / 255) < 0.02) & (abs(pixels[..., 1] - 0x2F / 255) < 0.02)
    assert red.sum() > 500
    assert chart_filename(progress) == "tien-do-cua-lo-2024-2024-04-10.png"


def _entry(unit: int, status: str | None, due_in_days: int, now: datetime) -> Entry:
    due = now + timedelta(days=due_in_days)
    return Entry(
        plan_id=1, occurrence_id=unit * 10 + due_in_days, task_id=1, task_code="T1",
        task_title="Nhiệm vụ", task_position=0, when_text="Tháng 1", period="Tháng 1/2024",
        start_at=now - timedelta(days=60), due_at=due,
        unit=UnitRef(unit, f"XA-{unit:03d}", f"Ủy ban nhân dân xã số {unit}"), role="lead",
        status=status, percent=None, late=False, reported_at=now if status else None,
        note=None, evidence_count=0, report_count=1 if status else 0, started=True,
        overdue=due < now and status != "done",
    )  # fmt: skip


@pytest.mark.slow
def test_a_hundred_units_fit_in_one_picture_with_the_late_ones_first():
    now = NOW
    plan = Plan(id=1, code="bench", title="Kế hoạch thử", issuer="Ủy ban nhân dân xã X",
                year=2024, source_hash="x", loaded_at=now)  # fmt: skip
    # Unit 57 is the only one with a missed deadline; the rest are done or not yet due.
    entries = [_entry(u, "done" if u % 2 else None, 5, now) for u in range(100)]
    entries.append(_entry(57, None, -3, now))
    progress = summarize(plan, tuple(entries), now)
    assert standing(entries[-1]) == Standing.OVERDUE
    png = build_chart(progress)
    height, width = _png_pixels(png).shape[:2]
    assert width == 1080 and height <= 2560  # Telegram keeps up to 2560 on the long side
    from messages.exports.chart import _rows

    rows = _rows(progress)
    assert len(rows) == MAX_ROWS
    assert rows[0].name == "Ủy ban nhân dân xã số 57"
    assert rows[-1].name == f"Các đơn vị khác ({100 - MAX_ROWS + 1} đơn vị)"
    assert sum(row.total for row in rows) == len(entries)


# --- the command line -------------------------------------------------------------------------


@pytest.fixture
def config(tmp_path: Path, database) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(f'[database]\nurl = "{database[0]}"\n', encoding="utf-8")
    return path


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv), clock=SimulatedClock(NOW))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_writes_the_three_files(config, tmp_path, capsys):
    xlsx, docx, png = tmp_path / "a.xlsx", tmp_path / "b.docx", tmp_path / "c.png"
    code, out, _ = run(
        capsys, "export", "cua-lo-2024", "--out", str(xlsx), "--config", str(config)
    )
    assert code == 0 and out.startswith(f"Đã ghi {xlsx} (")
    sheets = ["Tiến độ", "Báo cáo", "Nhắc việc đã gửi", "Minh chứng"]
    assert load_workbook(xlsx).sheetnames == sheets
    code, out, _ = run(
        capsys, "report", "cua-lo-2024", "--period", "Quý I/2024", "--out", str(docx),
        "--config", str(config),
    )  # fmt: skip
    assert code == 0 and "BÁO CÁO" in _paragraphs(Document(str(docx)))
    code, out, _ = run(capsys, "chart", "cua-lo-2024", "--out", str(png), "--config", str(config))
    assert code == 0 and png.read_bytes().startswith(b"\x89PNG")
    # A folder as --out: the file goes into it under its own name.
    code, out, _ = run(
        capsys, "report", "cua-lo-2024", "--period", "quy 1", "--out", str(tmp_path),
        "--config", str(config),
    )  # fmt: skip
    assert code == 0 and (tmp_path / "bao-cao-cua-lo-2024-quy-i-2024.docx").exists()
    assert not list(tmp_path.glob(".nhacviec-*"))  # no temporary file left behind


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["export", "khong-co"],
            "Lỗi: Không có kế hoạch mã khong-co. Xem danh sách: nhacviec plan list\n",
        ),
        (
            ["report", "cua-lo-2024", "--period", "Quý V/2024"],
            'Lỗi: Không đọc được kỳ báo cáo "Quý V/2024". Hãy ghi một tháng, quý, 6 tháng '
            'hoặc năm, ví dụ: --period "Quý I/2024".\n',
        ),
        (
            ["report", "cua-lo-2024", "--period", "hằng quý"],
            'Lỗi: "hằng quý" không phải một kỳ báo cáo. Hãy ghi một tháng, quý, 6 tháng hoặc '
            "năm, ví dụ: Quý I/2024, 6 tháng đầu năm 2024, Năm 2024.\n",
        ),
        (
            ["chart", "cua-lo-2024", "--out", "/khong/co/thu-muc/c.png"],
            "Lỗi: Không ghi được tệp /khong/co/thu-muc/c.png: thư mục không tồn tại. "
            "Hãy chọn một thư mục có quyền ghi.\n",
        ),
    ],
)
def test_cli_errors_are_one_vietnamese_line(config, capsys, argv, message):
    code, out, err = run(capsys, *argv, "--config", str(config))
    assert (code, out, err) == (1, "", message)


def test_report_filename_is_ascii(session, database):
    plan = session.get(Plan, database[1])
    assert report_filename(plan, _period("6 tháng đầu năm 2024")) == (
        "bao-cao-cua-lo-2024-6-thang-dau-nam-2024.docx"
    )
