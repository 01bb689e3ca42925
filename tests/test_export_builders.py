"""The workbook and the period report built from plain data, with no database at all.

A commune's small plan written here as the rows the builders take: its progress (entries
as ``storage.progress_queries`` would read them), every report made, the reminders sent,
its tasks with their units. "Now" is 10 April 2024; the first quarter ended before it, and
one unit's "done" came on 2 April, after the quarter.
"""

from __future__ import annotations

import io
from datetime import datetime

import pytest
from docx import Document
from openpyxl import load_workbook

from messages.exports.period_report import build_period_report, report_moment
from messages.exports.periods import ReportPeriod
from messages.exports.workbook import build_workbook
from storage.history import EvidenceRecord, ReportRecord, SentReminder
from storage.models import Occurrence, Plan, ReportStatus, Task, Unit
from storage.progress import Entry, PlanProgress, UnitRef, summarize
from storage.task_rows import TaskRow
from storage.timezone import VN_TZ as VN

NOW = datetime(2024, 4, 10, 10, 0, tzinfo=VN)
QUARTER_I = ReportPeriod(
    "Quý I/2024", datetime(2024, 1, 1, tzinfo=VN), datetime(2024, 3, 31, 23, 59, 59, tzinfo=VN)
)
PLAN = Plan(id=7, code="hoa-binh-2024", issuer="Ủy ban nhân dân xã Hòa Bình", year=2024,
            title="Kế hoạch tuyên truyền cải cách hành chính xã Hòa Bình năm 2024",
            source_hash="x", loaded_at=datetime(2024, 1, 5, tzinfo=VN))  # fmt: skip
UNITS = {
    "VH": Unit(id=1, plan_id=7, code="VH", name="Công chức Văn hóa - Xã hội", kind="công chức"),
    "TP": Unit(id=2, plan_id=7, code="TP", name="Công chức Tư pháp - Hộ tịch", kind="công chức"),
    "DOAN": Unit(id=3, plan_id=7, code="DOAN", name="Đoàn Thanh niên xã", kind="đoàn thể"),
}


def vn(month: int, day: int, hour: int, minute: int, second: int = 0) -> datetime:
    """An instant of 2024 on Vietnam's wall clock."""
    return datetime(2024, month, day, hour, minute, second, tzinfo=VN)


# code: (title, when, period, start, due, lead, support)
TASKS = {
    "T1": ("Xây dựng chuyên mục cải cách hành chính trên đài truyền thanh xã", "Quý I/2024",
           "Quý I/2024", vn(1, 1, 0, 0), vn(3, 31, 23, 59, 59), ["VH"], ["DOAN"]),
    "T2": ("Niêm yết công khai thủ tục hành chính tại Bộ phận một cửa", "trước ngày 15/02/2024",
           "Hạn 14/02/2024", vn(1, 1, 0, 0), vn(2, 14, 23, 59, 59), ["TP"], []),
    "T3": ("Tổ chức hội nghị đối thoại với Nhân dân về cải cách hành chính", "Tháng 6/2024",
           "Tháng 6/2024", vn(6, 1, 0, 0), vn(6, 30, 23, 59, 59), ["VH"], []),
}  # fmt: skip
ROWS = [
    TaskRow(
        Task(id=n, plan_id=7, code=code, position=n, title=title, when_text=when, kind="deadline"),
        tuple(UNITS[u] for u in lead),
        tuple(UNITS[u] for u in support),
        (Occurrence(id=n * 10, task_id=n, period=period, start_at=start, due_at=due),),
    )
    for n, (code, (title, when, period, start, due, lead, support)) in enumerate(
        TASKS.items(), start=1
    )
]

AN, TG, ZL = "Trần Văn An", "telegram", "zalo"
# Every report made: (task, unit, status, percent, made at, note, evidence files, sender, via)
REPORTS = [
    ("T1", "VH", "in_progress", 50, vn(2, 10, 9, 0), "Đã phát 4 tin bài", 1, AN, TG),
    ("T2", "TP", "blocked", 20, vn(2, 12, 14, 30), "Chưa có bảng niêm yết mới", 0, None, ZL),
    ("T2", "TP", "done", 100, vn(2, 20, 8, 15), None, 0, None, ZL),
    ("T1", "VH", "in_progress", 80, vn(3, 5, 9, 0), "Đã phát 5 tin bài", 1, AN, TG),
    ("T1", "VH", "done", 100, vn(4, 2, 9, 0), "Đã phát 6 tin bài", 2, AN, TG),
]  # fmt: skip


def records() -> list[ReportRecord]:
    result = []
    for task, unit, status, percent, at, note, files, sender, via in REPORTS:
        row = next(r for r in ROWS if r.task.code == task)
        occurrence = row.occurrences[0]
        assert occurrence.id is not None and UNITS[unit].id is not None
        result.append(
            ReportRecord(
                created_at=at, task_code=task, task_title=row.task.title,
                task_position=row.task.position, period=occurrence.period,
                due_at=occurrence.due_at, occurrence_id=occurrence.id, unit_id=UNITS[unit].id,
                unit_code=unit, unit_name=UNITS[unit].name, member_name=sender, status=status,
                percent=percent, late=occurrence.due_at is not None and at > occurrence.due_at,
                note=note, evidence_count=files, platform=via,
            )
        )  # fmt: skip
    return result


def progress_at(now: datetime) -> PlanProgress:
    """The progress as ``plan_progress`` reads it: each unit's latest report, whenever made."""
    made = records()
    entries = []
    for row in ROWS:
        occurrence = row.occurrences[0]
        assert occurrence.id is not None and occurrence.start_at and occurrence.due_at
        for role, units in (("lead", row.lead), ("support", row.support)):
            for unit in units:
                assert unit.id is not None and row.task.id is not None
                mine = [
                    r for r in made if (r.occurrence_id, r.unit_id) == (occurrence.id, unit.id)
                ]
                last = mine[-1] if mine else None
                entries.append(
                    Entry(
                        plan_id=7, occurrence_id=occurrence.id, task_id=row.task.id,
                        task_code=row.task.code, task_title=row.task.title,
                        task_position=row.task.position, when_text=row.task.when_text,
                        period=occurrence.period, start_at=occurrence.start_at,
                        due_at=occurrence.due_at, unit=UnitRef(unit.id, unit.code, unit.name),
                        role=role, status=ReportStatus(last.status) if last else None,
                        percent=last.percent if last else None, late=bool(last and last.late),
                        reported_at=last.created_at if last else None,
                        note=last.note if last else None,
                        evidence_count=last.evidence_count if last else 0,
                        report_count=len(mine), started=occurrence.start_at <= now,
                        overdue=occurrence.due_at < now and not (last and last.status == "done"),
                    )
                )  # fmt: skip
    return summarize(PLAN, tuple(entries), now)


SENT = [
    SentReminder(sent_at=vn(2, 15, 8, 0, 4), task_code="T2", task_title=TASKS["T2"][0],
                 period="Hạn 14/02/2024", due_at=TASKS["T2"][4], unit_name=UNITS["TP"].name,
                 kind="lead", step="after-1", chat_title="Nhóm Tư pháp xã Hòa Bình",
                 chat_kind="group", platform="zalo"),
    SentReminder(sent_at=vn(4, 8, 8, 0, 2), task_code="T1", task_title=TASKS["T1"][0],
                 period="Quý I/2024", due_at=TASKS["T1"][4], unit_name=None, kind="leadership",
                 step="escalate", chat_title=None, chat_kind="private", platform="telegram"),
]  # fmt: skip


def excel(month: int, day: int, hour: int, minute: int, second: int = 0) -> datetime:
    """A Vietnam wall-clock time as Excel holds it: without a zone."""
    return vn(month, day, hour, minute, second).replace(tzinfo=None)


def _sheet_rows(sheet) -> list[dict]:
    header = [cell.value for cell in sheet[4]]
    return [dict(zip(header, row, strict=True)) for row in sheet.iter_rows(5, values_only=True)]


PHOTO = EvidenceRecord(
    task_code="T1",
    period="Quý I/2024",
    unit_name="Phòng Văn hóa và Thông tin",
    reported_at=vn(4, 2, 9, 0),
    kind="photo",
    name=None,
    mime_type="image/jpeg",
    size=2048,
    sha256="ab" * 32,
    path="ab/" + "ab" * 32 + ".jpg",
)


def test_workbook_from_data_lists_progress_reports_and_reminders():
    workbook = build_workbook(
        progress_at(NOW), records(), SENT, evidence=[PHOTO], evidence_dir="/srv/minh-chung"
    )
    book = load_workbook(io.BytesIO(workbook))
    assert book.sheetnames == ["Tiến độ", "Báo cáo", "Nhắc việc đã gửi", "Minh chứng"]
    (kept,) = _sheet_rows(book["Minh chứng"])
    assert (kept["Mã nhiệm vụ"], kept["Loại"], kept["Dung lượng (KB)"]) == ("T1", "ảnh", 2)
    assert kept["Đường dẫn trong kho minh chứng"] == "/srv/minh-chung/" + PHOTO.path
    for sheet in book.worksheets:
        assert sheet["A1"].value == PLAN.title
        assert sheet["A2"].value == "Số liệu tính đến 10:00 10/04/2024"

    progress = {(r["Mã nhiệm vụ"], r["Mã đơn vị"]): r for r in _sheet_rows(book["Tiến độ"])}
    assert list(progress) == [("T1", "VH"), ("T1", "DOAN"), ("T2", "TP"), ("T3", "VH")]
    done = progress[("T1", "VH")]
    assert (done["Hạn chót"], done["Báo cáo lần cuối"]) == (
        excel(3, 31, 23, 59, 59),
        excel(4, 2, 9, 0),
    )
    assert (done["Vai trò"], done["Trạng thái báo cáo"], done["Đánh giá"]) == (
        "Chủ trì",
        "Hoàn thành",
        "Hoàn thành trễ hạn",
    )
    assert (done["Tỷ lệ hoàn thành"], done["Ghi chú"], done["Số tệp minh chứng"]) == (
        1.0,
        "Đã phát 6 tin bài",
        2,
    )
    assert done["Số lần báo cáo"] == 3
    silent = progress[("T1", "DOAN")]
    assert (silent["Vai trò"], silent["Trạng thái báo cáo"], silent["Đánh giá"]) == (
        "Phối hợp",
        "Chưa báo cáo",
        "Quá hạn",
    )
    assert progress[("T3", "VH")]["Đánh giá"] == "Chưa đến kỳ"

    reports = _sheet_rows(book["Báo cáo"])
    assert [(r["Mã nhiệm vụ"], r["Trạng thái"]) for r in reports] == [
        ("T1", "Đang thực hiện"),
        ("T2", "Vướng mắc"),
        ("T2", "Hoàn thành"),
        ("T1", "Đang thực hiện"),
        ("T1", "Hoàn thành"),
    ]
    assert reports[0]["Thời điểm báo cáo"] == excel(2, 10, 9, 0)
    assert (reports[0]["Người báo cáo"], reports[0]["Tỷ lệ hoàn thành"]) == ("Trần Văn An", 0.5)
    assert [r["Báo cáo sau hạn chót"] for r in reports] == [None, None, "Có", None, "Có"]
    assert [r["Nền tảng"] for r in reports] == ["Telegram", "Zalo", "Zalo", "Telegram", "Telegram"]

    sent = _sheet_rows(book["Nhắc việc đã gửi"])
    assert [(r["Gửi cho"], r["Lần nhắc"], r["Nơi nhận"], r["Đơn vị"]) for r in sent] == [
        ("Đơn vị chủ trì", "Quá hạn, nhắc lần 1", "Nhóm Tư pháp xã Hòa Bình", UNITS["TP"].name),
        ("Lãnh đạo", "Báo lãnh đạo", "Trò chuyện riêng", None),
    ]


def _report(progress: PlanProgress, reports: list[ReportRecord]):
    """The Word draft on the first quarter, written at ``NOW``, opened with python-docx."""
    content = build_period_report(
        PLAN, QUARTER_I, NOW, progress=progress, reports=reports, tasks=ROWS
    )
    return Document(io.BytesIO(content))


def _between(texts: list[str], first: str, last: str) -> list[str]:
    return texts[texts.index(first) + 1 : texts.index(last)]


def _appendix(document) -> list[list[str]]:
    """The appendix table's rows after its header, as the cells' texts."""
    *_, table = document.tables
    return [[cell.text for cell in row.cells] for row in table.rows[1:]]


def test_period_report_from_data_speaks_of_the_quarter_as_it_ended():
    moment = report_moment(QUARTER_I, NOW)
    assert moment == QUARTER_I.end
    document = _report(progress_at(moment), records())
    texts = [paragraph.text for paragraph in document.paragraphs]
    assert document.tables[0].rows[0].cells[1].text.endswith("Hòa Bình, ngày 10 tháng 4 năm 2024")
    assert texts[texts.index("BÁO CÁO") + 1] == (
        "Kết quả thực hiện công tác tuyên truyền cải cách hành chính quý I năm 2024"
    )
    t1, t2, t3 = (TASKS[code][0] for code in ("T1", "T2", "T3"))
    results = _between(texts, "I. KẾT QUẢ THỰC HIỆN", "II. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN")
    # The "done" of 2 April came after the quarter: the report keeps March's state of T1.
    assert results == [
        "Trong kỳ có 2 nhiệm vụ đến hạn hoặc đang triển khai: hoàn thành 1; đang thực hiện "
        "1; quá hạn chưa hoàn thành 0; chưa có báo cáo 0. Các đơn vị đã báo cáo 2/3 lượt "
        "thực hiện; hoàn thành đúng hạn 0 lượt, hoàn thành trễ hạn 1 lượt.",
        "1. Các hoạt động theo tiến độ của kế hoạch",
        "Tổng số 2 nhiệm vụ: hoàn thành 1; đang thực hiện 1; quá hạn chưa hoàn thành 0; "
        "chưa có báo cáo 0.",
        "Kết quả nổi bật:",
        "- Công chức Văn hóa - Xã hội: đã phát 5 tin bài (T1).",
    ]
    assert not any(
        t3 in text for text in texts[: texts.index("III. PHƯƠNG HƯỚNG, NHIỆM VỤ KỲ TỚI")]
    )
    assert _between(
        texts, "II. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN", "III. PHƯƠNG HƯỚNG, NHIỆM VỤ KỲ TỚI"
    ) == [
        "1. Nhiệm vụ hoàn thành trễ hạn",
        f"- {t2} (hạn chót 14/02/2024): Công chức Tư pháp - Hộ tịch hoàn thành ngày 20/02/2024.",
        "2. Đơn vị chưa báo cáo",
        "1 đơn vị chưa gửi báo cáo (mã nhiệm vụ trong ngoặc): Đoàn Thanh niên xã (T1).",
        "3. Nguyên nhân",
        "- Công chức Tư pháp - Hộ tịch (T2): chưa có bảng niêm yết mới.",
    ]
    # What falls due in the second quarter: June's conference.
    assert _between(texts, "III. PHƯƠNG HƯỚNG, NHIỆM VỤ KỲ TỚI", "IV. ĐỀ XUẤT, KIẾN NGHỊ") == [
        "Trong quý II năm 2024, tập trung thực hiện các nhiệm vụ sau:",
        f"- {t3} (hạn chót 30/06/2024); chủ trì: Công chức Văn hóa - Xã hội.",
    ]
    proposals = texts.index("IV. ĐỀ XUẤT, KIẾN NGHỊ")
    assert texts[proposals + 1 : proposals + 3] == [
        "(Phần này do đơn vị soạn thảo điền trước khi trình ký.)",
        "…",
    ]
    assert texts[proposals + 3].startswith("Trên đây là báo cáo")

    *_, appendix = document.tables
    assert texts.index("PHỤ LỤC") > texts.index(texts[proposals + 3])  # after the signature
    assert [cell.text for cell in appendix.rows[0].cells] == [
        "STT", "Nhiệm vụ", "Đơn vị thực hiện", "Kết quả thực hiện", "Ghi chú",
    ]  # fmt: skip
    assert _appendix(document) == [
        ["1", f"T1. {t1}\nThời gian: Quý I/2024", "Công chức Văn hóa - Xã hội",
         "Đang thực hiện, đạt 80%; báo cáo ngày 05/03/2024",
         "Đã phát 5 tin bài. 1 tệp minh chứng."],
        ["1", f"T1. {t1}\nThời gian: Quý I/2024", "Đoàn Thanh niên xã (phối hợp)",
         "Chưa báo cáo", ""],
        ["2", f"T2. {t2}\nThời gian: trước ngày 15/02/2024", "Công chức Tư pháp - Hộ tịch",
         "Hoàn thành trễ hạn; báo cáo ngày 20/02/2024", ""],
    ]  # fmt: skip


def _rows_with(extra: dict[str, tuple], parents: dict[str, str]) -> list[TaskRow]:
    """ROWS and the tasks of ``extra`` (same columns as TASKS), with sub-tasks' parents."""
    rows = list(ROWS)
    for n, (code, (title, when, period, start, due, lead, support)) in enumerate(
        extra.items(), start=len(ROWS) + 1
    ):
        rows.append(
            TaskRow(
                Task(id=n, plan_id=7, code=code, position=n, title=title, when_text=when,
                     kind="deadline"),
                tuple(UNITS[u] for u in lead), tuple(UNITS[u] for u in support),
                (Occurrence(id=n * 10, task_id=n, period=period, start_at=start, due_at=due),),
            )
        )  # fmt: skip
    by_code = {row.task.code: row.task for row in rows}
    for child, parent in parents.items():
        by_code[child].parent_id = by_code[parent].id
    return rows


def _entries_of(rows: list[TaskRow], now: datetime) -> PlanProgress:
    """Progress with no report at all on ``rows``: every unit silent."""
    entries = []
    for row in rows:
        (occurrence,) = row.occurrences
        assert occurrence.id and row.task.id and occurrence.start_at and occurrence.due_at
        for unit in row.lead:
            assert unit.id is not None
            entries.append(
                Entry(
                    plan_id=7, occurrence_id=occurrence.id, task_id=row.task.id,
                    task_code=row.task.code, task_title=row.task.title,
                    task_position=row.task.position, when_text=row.task.when_text,
                    period=occurrence.period, start_at=occurrence.start_at,
                    due_at=occurrence.due_at, unit=UnitRef(unit.id, unit.code, unit.name),
                    role="lead", status=None, percent=None, late=False, reported_at=None,
                    note=None, evidence_count=0, report_count=0,
                    started=occurrence.start_at <= now, overdue=occurrence.due_at < now,
                )
            )  # fmt: skip
    return summarize(PLAN, tuple(entries), now)


def test_period_report_groups_tasks_by_parent_and_by_section_of_the_plan():
    extra = {
        "D1": ("Cập nhật tin bài cải cách hành chính lên trang thông tin điện tử xã",
               "Quý I/2024", "Quý I/2024", vn(1, 1, 0, 0), vn(3, 31, 23, 59, 59), ["VH"], []),
        "T2.1": ("In tờ rơi hướng dẫn thủ tục hành chính", "Tháng 1/2024", "Tháng 1/2024",
                 vn(1, 1, 0, 0), vn(1, 31, 23, 59, 59), ["TP"], []),
    }  # fmt: skip
    rows = _rows_with(extra, {"T2.1": "T2"})
    content = build_period_report(
        PLAN, QUARTER_I, NOW, progress=_entries_of(rows, QUARTER_I.end), reports=[], tasks=rows
    )
    texts = [p.text for p in Document(io.BytesIO(content)).paragraphs]
    results = _between(texts, "I. KẾT QUẢ THỰC HIỆN", "II. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN")
    groups = [t for t in results if t[:3] in ("1. ", "2. ", "3. ")]
    # T2 heads its sub-task's group; T1 stays in the timetable's section, D1 in the duties'.
    assert groups == [
        "1. Các hoạt động theo tiến độ của kế hoạch",
        f"2. {TASKS['T2'][0]}",
        "3. Nhiệm vụ của các cơ quan, đơn vị",
    ]
    assert results[results.index(groups[1]) + 1] == (
        "Tổng số 2 nhiệm vụ: hoàn thành 0; đang thực hiện 0; quá hạn chưa hoàn thành 2; "
        "chưa có báo cáo 0."
    )
    late = _between(
        texts, "II. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN", "III. PHƯƠNG HƯỚNG, NHIỆM VỤ KỲ TỚI"
    )
    assert late[:3] == [
        "1. Nhiệm vụ quá hạn, chưa hoàn thành",
        f"- {TASKS['T2'][0]} (hạn chót 14/02/2024): Công chức Tư pháp - Hộ tịch.",
        f"- {extra['T2.1'][0]} (hạn chót 31/01/2024): Công chức Tư pháp - Hộ tịch.",
    ]
    assert "2 đơn vị chưa gửi báo cáo (mã nhiệm vụ trong ngoặc): Công chức Văn hóa - Xã hội " \
        "(T1, D1); Công chức Tư pháp - Hộ tịch (T2, T2.1)." in late  # fmt: skip
    # Nobody gave a cause: the clerk is asked for one.
    assert late[-2:] == ["3. Nguyên nhân", "(Các đơn vị chưa nêu nguyên nhân; bổ sung tại đây: …)"]
    outlook = _between(texts, "III. PHƯƠNG HƯỚNG, NHIỆM VỤ KỲ TỚI", "IV. ĐỀ XUẤT, KIẾN NGHỊ")
    assert outlook[1] == (
        "- Đôn đốc các đơn vị khẩn trương hoàn thành các nhiệm vụ còn quá hạn nêu tại Mục II "
        "(T2, T2.1)."
    )


def test_period_report_reads_the_reports_in_time_order_whatever_order_they_come_in():
    progress = progress_at(QUARTER_I.end)
    in_order, reversed_order = (
        [p.text for p in _report(progress, reports).paragraphs]
        for reports in (records(), records()[::-1])
    )
    assert reversed_order == in_order


OTHER_PLAN = Plan(id=8, code="khac-2024", title="Kế hoạch khác", issuer="UBND xã", year=2024,
                  source_hash="y", loaded_at=NOW)  # fmt: skip


@pytest.mark.parametrize(
    "progress",
    [progress_at(NOW), summarize(OTHER_PLAN, (), QUARTER_I.end)],
    ids=["now-instead-of-the-quarter-end", "another-plan"],
)
def test_period_report_refuses_progress_of_another_moment_or_plan(progress):
    with pytest.raises(ValueError, match="the report on Quý I/2024 needs plan 7"):
        _report(progress, [])
