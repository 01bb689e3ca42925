"""The files in chat: the chart after /tonghop, the workbook of /xuat, the Word draft of
/baocaoky, each opened with the library that wrote it; and the refusals, which send no
file and store nothing.

The world is ``tests.chat_world``'s: the real Cửa Lò 2024 plan (and Long Hồ 2022 where a
plan must be chosen) in SQLite, the chat core with the real ``SqlFileBuilder``; each dialog
runs on the console and on every platform (on Zalo, a file goes by its address and the
world fetches it back).
"""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date

import pytest
from docx import Document
from openpyxl import load_workbook
from PIL import Image
from sqlmodel import Session, select

from bot.core.periods import RecentPeriod, read_period, recent_periods
from bot.core.types import FileKind, Reply
from bot.exports import SqlFileBuilder
from storage.models import AuditLog
from storage.progress import PlanProgress
from storage.summary import PlanSummary
from tests.chat_world import At, Cast, Has, World, run_dialog

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


# An officer, the wards' group, the leadership group and the plan's coordinator.
CAST = Cast(codes=("NV", "PHUONG", "LEAD", "COORD"), registered=("An", "Bình", "Chi", "Giang"))


@pytest.fixture
def cast() -> Cast:
    return CAST


@pytest.fixture
def two_plans(make_world):
    return make_world(replace(CAST, plans=("cua-lo-2024", "long-ho-2022")))


def the_file(replies: list[Reply], kind: FileKind) -> Reply:
    """The one reply carrying a file, which must be of ``kind``."""
    carrying = [reply for reply in replies if reply.file is not None]
    assert len(carrying) == 1, [reply.text for reply in replies]
    assert carrying[0].file is not None and carrying[0].file.kind == kind
    return carrying[0]


def docx_text(content: bytes) -> list[str]:
    return [paragraph.text for paragraph in Document(io.BytesIO(content)).paragraphs]


def test_the_summary_comes_with_the_chart(world):
    world.send("An", "private", "/baocao T3 50% đã mời giảng viên")
    replies = world.send("Chi", "Lãnh đạo", "/tonghop")
    assert replies[0].text.startswith("TỔNG HỢP TIẾN ĐỘ")
    chart = replies[-1]  # after the whole text
    assert chart is the_file(replies, FileKind.PHOTO)
    assert chart.text == "Biểu đồ tiến độ các đơn vị, kế hoạch cua-lo-2024."
    assert chart.file.filename == "tien-do-cua-lo-2024-2024-03-05.png"
    assert chart.file.mime_type == "image/png"
    image = Image.open(io.BytesIO(chart.file.content))
    assert image.format == "PNG" and image.width == 1080 and image.height > 600
    colours = image.convert("RGB").getcolors(maxcolors=1 << 16)
    assert colours is None or len(colours) > 20  # bars, text and legend: not blank
    # The same figures as the text: drawn from the same progress, at the same instant.
    assert chart.file.content == SqlFileBuilder(world.engine).chart(_summary(world)).content


def _summary(world: World) -> PlanSummary:
    plan = next(p for p in world.store.plans() if p.code == "cua-lo-2024")
    assert plan.id is not None
    return world.store.summary(plan.id, world.clock.now())


def _progress(world: World) -> PlanProgress:
    plan = next(p for p in world.store.plans() if p.code == "cua-lo-2024")
    assert plan.id is not None
    return world.store.progress(plan.id, world.clock.now())


def test_xuat_sends_the_workbook(world):
    world.send("An", "private", "/baocao T3 50% đã mời giảng viên")
    run_dialog(
        world,
        [
            (
                "Chi",
                "Lãnh đạo",
                "/xuat",
                "Tệp Excel tiến độ kế hoạch cua-lo-2024, số liệu lúc 09:00 05/03/2024. Bốn trang: "
                "“Tiến độ” (từng đơn vị, từng kỳ), “Báo cáo” (mọi báo cáo), “Nhắc việc đã gửi”, "
                "“Minh chứng” (từng tệp và nơi lưu)."
                "\n[document tong-hop-cua-lo-2024-2024-03-05.xlsx]",
            ),
        ],
    )
    reply = the_file(world.send("Giang", "private", "/export"), FileKind.DOCUMENT)
    assert reply.file.mime_type == XLSX
    book = load_workbook(io.BytesIO(reply.file.content))
    assert book.sheetnames == ["Tiến độ", "Báo cáo", "Nhắc việc đã gửi", "Minh chứng"]
    progress = book["Tiến độ"]
    assert progress.freeze_panes == "A5"
    header = [cell.value for cell in progress[4]]
    rows = [dict(zip(header, row, strict=True)) for row in progress.iter_rows(5, values_only=True)]
    t3 = next(r for r in rows if r["Mã nhiệm vụ"] == "T3" and r["Mã đơn vị"] == "NV")
    assert t3["Đơn vị"] == "Phòng Nội vụ thị xã"
    assert (t3["Tỷ lệ hoàn thành"], t3["Ghi chú"]) == (0.5, "đã mời giảng viên")
    assert t3["Trạng thái báo cáo"] == "Đang thực hiện"
    reports = list(book["Báo cáo"].iter_rows(5, values_only=True))
    assert len(reports) == 1 and "đã mời giảng viên" in reports[0]
    with Session(world.engine) as session:
        actions = session.exec(select(AuditLog.action, AuditLog.detail)).all()
    assert ("export", "/xuat cua-lo-2024") in actions


def test_baocaoky_sends_the_word_draft(world):
    world.send("An", "private", "/baocao T3 hoàn thành đã tập huấn 120 người")
    world.clock.set(world.clock.now().replace(month=4, day=10))
    replies = world.send("Chi", "Lãnh đạo", "/baocaoky Quý I/2024")
    draft = the_file(replies, FileKind.DOCUMENT)
    assert draft.text == (
        "Dự thảo báo cáo kết quả thực hiện quý I năm 2024, kế hoạch cua-lo-2024. Anh/chị "
        "điền số văn bản, phần đề xuất, kiến nghị và nơi nhận, rồi trình ký."
    )
    assert draft.file.filename == "bao-cao-cua-lo-2024-quy-i-2024.docx"
    assert draft.file.mime_type == DOCX
    text = docx_text(draft.file.content)
    assert text[1:3] == [
        "BÁO CÁO",
        "Kết quả thực hiện công tác tuyên truyền cải cách hành chính quý I năm 2024",
    ]
    overview = next(p for p in text if p.startswith("Trong kỳ có "))
    assert overview.startswith(
        "Trong kỳ có 21 nhiệm vụ đến hạn hoặc đang triển khai: hoàn thành 1;"
    )
    # The officer's note is among the quarter's results, and in the appendix's row of T3.
    assert "- Phòng Nội vụ thị xã: đã tập huấn 120 người (T3)." in text
    (appendix,) = Document(io.BytesIO(draft.file.content)).tables[2:]
    (t3,) = [row for row in appendix.rows if row.cells[1].text.startswith("T3. Tổ chức tập huấn")]
    unit, result, note = (cell.text for cell in t3.cells[2:])
    assert (unit, note) == ("Phòng Nội vụ thị xã", "Đã tập huấn 120 người.")
    assert result.startswith("Hoàn thành đúng hạn; báo cáo ngày ")


def test_baocaoky_offers_the_recent_periods(world):
    run_dialog(
        world,
        [
            At("2024-04-10 09:00"),
            (
                "Chi",
                "Lãnh đạo",
                "/baocaoky",
                "Soạn dự thảo báo cáo kỳ nào (kế hoạch cua-lo-2024)? Kỳ khác thì gõ /baocaoky "
                "kèm kỳ, ví dụ /baocaoky Tháng 3/2024.\n"
                "Chọn một mục (gõ số thứ tự), hoặc gõ /huy để hủy.\n"
                "1. Quý II/2024\n2. Quý I/2024\n3. 6 tháng đầu năm 2024\n4. Năm 2024",
            ),
            (
                "Chi",
                "Lãnh đạo",
                "2",
                Has("quý I năm 2024", "[document bao-cao-cua-lo-2024-quy-i-2024.docx]"),
            ),
            ("Giang", "private", "/baocaoky", Has("1. Quý II/2024")),
            (
                "Giang",
                "private",
                "6 tháng đầu năm 2024",
                Has(
                    "Dự thảo báo cáo kết quả thực hiện 6 tháng đầu năm 2024",
                    "Kỳ chưa kết thúc: số liệu tính đến 09:00 10/04/2024.",
                    "[document bao-cao-cua-lo-2024-6-thang-dau-nam-2024.docx]",
                ),
            ),
            ("Quản trị", "private", "/periodreport Năm 2024", Has("năm 2024, kế hoạch")),
            ("Chi", "Lãnh đạo", "/ngonngu en", Has("English")),
            ("Chi", "Lãnh đạo", "/periodreport", Has("1. Quarter II/2024", "3. The first half")),
            (
                "Chi",
                "Lãnh đạo",
                "4",
                Has("Draft report on the results of the year 2024, plan cua-lo-2024."),
            ),
        ],
    )


def test_a_plan_is_chosen_when_there_are_several(two_plans):
    world = two_plans
    run_dialog(
        world,
        [
            (
                "Chi",
                "Lãnh đạo",
                "/baocaoky Quý I/2024",
                Has(
                    "Có nhiều kế hoạch. Soạn báo cáo định kỳ của kế hoạch nào?",
                    "1. cua-lo-2024 · Ủy ban nhân dân thị xã Cửa Lò",
                    "2. long-ho-2022 · Ủy ban nhân dân huyện Long Hồ",
                ),
            ),
            ("Chi", "Lãnh đạo", "1", Has("quý I năm 2024, kế hoạch cua-lo-2024")),
            # Long Hồ's plan is of 2022: its periods are offered, its last quarter first.
            ("Chi", "Lãnh đạo", "/baocaoky", Has("Có nhiều kế hoạch.")),
            (
                "Chi",
                "Lãnh đạo",
                "2",
                Has(
                    "1. Quý IV/2022\n2. Quý III/2022\n3. 6 tháng cuối năm 2022\n"
                    "4. 6 tháng đầu năm 2022\n5. Năm 2022"
                ),
            ),
            ("Chi", "Lãnh đạo", "5", Has("năm 2022, kế hoạch long-ho-2022")),
            # The plan's code before or after the period; a year left out is the plan's.
            ("Chi", "Lãnh đạo", "/baocaoky long-ho-2022 Quý II", Has("quý II năm 2022")),
            ("Chi", "private", "/baocaoky Năm 2024 CUA-LO-2024", Has("năm 2024, kế hoạch")),
            ("Chi", "private", "/xuat long-ho-2022", Has("[document tong-hop-long-ho-2022-")),
            # A coordinator of one plan is never asked, and cannot name another.
            ("Giang", "private", "/xuat", Has("Tệp Excel tiến độ kế hoạch cua-lo-2024")),
            (
                "Giang",
                "private",
                "/baocaoky Quý I/2022 long-ho-2022",
                "Không có kế hoạch mã long-ho-2022. Các kế hoạch: cua-lo-2024.",
            ),
        ],
    )


def test_refusals_send_no_file_and_store_nothing(world):
    before = world.stored()
    rows = [
        (
            "An",
            "private",
            "/xuat",
            "Lệnh /xuat dành cho lãnh đạo và đầu mối theo dõi. Anh/chị xem nhiệm vụ của đơn vị "
            "bằng /nhiemvu.",
        ),
        ("An", "private", "/baocaoky Quý I/2024", Has("Lệnh /baocaoky dành cho lãnh đạo")),
        (
            "Bình",
            "Phường",
            "/xuat",
            "Lệnh /xuat chỉ dùng trong chat riêng với bot hoặc trong nhóm lãnh đạo.",
        ),
        ("Chi", "Phường", "/baocaoky", Has("chỉ dùng trong chat riêng với bot hoặc trong nhóm")),
        ("Người lạ", "private", "/xuat", Has("Anh/chị chưa đăng ký")),
        (
            "Chi",
            "Lãnh đạo",
            "/baocaoky Quý V/2024",
            "“Quý V/2024” không phải một kỳ báo cáo. Hãy ghi một tháng, quý, 6 tháng hoặc năm, "
            "ví dụ: /baocaoky Quý I/2024, /baocaoky 6 tháng đầu năm 2024, /baocaoky Năm 2024. "
            "Gõ /baocaoky không kèm kỳ để chọn trong danh sách.",
        ),
        ("Chi", "Lãnh đạo", "/baocaoky hằng quý", Has("“hằng quý” không phải một kỳ báo cáo")),
        ("Chi", "Lãnh đạo", "/baocaoky cua-lo-2024 abc", Has("“abc” không phải một kỳ")),
        (
            "Chi",
            "Lãnh đạo",
            "/baocaoky Quý IV/2024",
            "Kỳ Quý IV/2024 chưa bắt đầu (từ 01/10/2024) nên chưa có gì để báo cáo. Hãy ghi "
            "một kỳ đã bắt đầu, ví dụ /baocaoky Quý I/2024.",
        ),
        ("Chi", "Lãnh đạo", "/xuat abc", "Không có kế hoạch mã abc. Các kế hoạch: cua-lo-2024."),
        ("Chi", "Lãnh đạo", "/ngonngu en", Has("English")),
        ("Chi", "Lãnh đạo", "/periodreport Q5", Has("“Q5” is not a reporting period.")),
    ]
    for sender, chat, text, expected in rows:
        replies = world.send(sender, chat, text)
        assert not any(reply.file for reply in replies), text
        run_dialog(world, [(sender, chat, text, expected)])
    assert world.stored() == before


def test_without_a_file_builder_the_text_still_goes(world):
    world.core.files = None  # the same core the platform's adapter holds
    replies = world.send("Chi", "Lãnh đạo", "/tonghop")
    assert replies[0].text.startswith("TỔNG HỢP TIẾN ĐỘ") and not any(r.file for r in replies)
    run_dialog(
        world,
        [
            ("Chi", "Lãnh đạo", "/xuat", Has("Bot này chưa được cài đặt để tạo tệp")),
            ("Chi", "Lãnh đạo", "/baocaoky Quý I/2024", Has("chưa được cài đặt để tạo tệp")),
        ],
    )


class ChartFails(SqlFileBuilder):
    """A builder whose drawing breaks (a font gone, a full disk): a fault to survive."""

    def chart(self, progress):
        raise OSError("no space left on device")


def test_a_chart_that_fails_leaves_the_summary(world):
    world.core.files = ChartFails(world.engine)
    replies = world.send("Chi", "Lãnh đạo", "/tonghop")
    assert replies and replies[0].text.startswith("TỔNG HỢP TIẾN ĐỘ")
    assert not any(reply.file for reply in replies)


HALF_AND_YEAR = ("6 tháng đầu năm 2024", "Năm 2024")


@pytest.mark.parametrize(
    ("today", "plan_year", "offered"),
    [
        (date(2024, 3, 5), 2024, ["Quý I/2024", "6 tháng đầu năm 2024", "Năm 2024"]),
        (
            date(2024, 4, 1),
            2024,
            ["Quý II/2024", "Quý I/2024", "6 tháng đầu năm 2024", "Năm 2024"],
        ),
        (
            date(2024, 7, 15),
            2024,
            ["Quý III/2024", "Quý II/2024", "6 tháng cuối năm 2024", *HALF_AND_YEAR],
        ),
        # In the January after, the plan's year is what is reported on.
        (
            date(2025, 1, 10),
            2024,
            ["Quý IV/2024", "Quý III/2024", "6 tháng cuối năm 2024", *HALF_AND_YEAR],
        ),
        (date(2023, 12, 20), 2024, []),  # nothing of the plan has begun
    ],
)
def test_recent_periods(today, plan_year, offered):
    periods = recent_periods(today, plan_year)
    assert [p.text for p in periods] == offered
    for period in periods:  # each reads back as itself, through its number
        again = RecentPeriod.from_number(period.number)
        assert again == period
        read = read_period(period.text, plan_year)
        assert read is not None and read.label == period.text


def test_period_numbers_from_elsewhere_are_refused():
    assert RecentPeriod.from_number(20247) is None  # no such part of a year
    assert RecentPeriod.from_number(12) is None
    assert read_period("Quý I và II/2024", 2024).label == "Quý I–II/2024"
    assert read_period("hằng quý", 2024) is None
    assert read_period("Quý II", 2022).label == "Quý II/2022"
