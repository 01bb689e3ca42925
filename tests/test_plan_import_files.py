"""``plan import`` on files: every format it reads, every file it refuses (and why), and
the command line that writes the draft and prints the review."""

from __future__ import annotations

import io
import zipfile

import pytest

from bot.cli import main
from scheduler.importer import Unreadable, import_document
from scheduler.importer.reading import read_document
from scheduler.planfile import read_plan_file
from tests.plan_documents import pdf, scanned_pdf

PLAN = """KẾ HOẠCH
Cải cách hành chính năm 2026 của huyện Đồng Xuân

IV. TỔ CHỨC THỰC HIỆN
1. Phòng Nội vụ huyện
- Xây dựng kế hoạch kiểm tra gửi UBND huyện trước ngày 15/3/2026.
- Định kỳ quý, 06 tháng, năm báo cáo kết quả cải cách hành chính gửi UBND huyện.
"""


def test_the_same_plan_from_text_markdown_and_a_pdf_with_a_text_layer():
    markdown = PLAN.replace("KẾ HOẠCH", "# **KẾ HOẠCH**").replace("IV. TỔ", "## **IV. TỔ")
    drafts = [
        import_document("dong-xuan.txt", PLAN.encode()),
        import_document("dong-xuan.md", markdown.encode()),
        import_document("dong-xuan.pdf", pdf(PLAN)),
    ]
    for draft in drafts:
        assert draft.header.title == "Kế hoạch cải cách hành chính năm 2026 của huyện Đồng Xuân"
        assert [(t.code, t.when) for t in draft.tasks] == [
            ("D1", "Trước ngày 15/3/2026"),
            ("R1", "Định kỳ quý, 06 tháng, năm"),
        ]


def _xlsx_renamed() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "says"),
    [
        ("ke-hoach.pdf", scanned_pdf(), "PDF không có lớp chữ (bản quét hay ảnh chụp)"),
        ("ke-hoach.docx", b"", "trống, không có nội dung"),
        ("ke-hoach.txt", b"   \n\n", "không có chữ nào để đọc"),
        ("ke-hoach.docx", _xlsx_renamed(), "là bảng tính (Excel) được đổi đuôi thành .docx"),
        ("ke-hoach.docx", b"not a zip at all", "không phải tệp Word (.docx) hợp lệ"),
        ("ke-hoach.doc", b"\xd0\xcf\x11\xe0", "Word cũ (.doc)"),
        ("ke-hoach.xlsx", b"PK", "chỉ nhận .docx, .pdf có chữ, .txt và .md"),
        ("ke-hoach.txt", "Kế hoạch".encode("utf-16"), "không mã hóa UTF-8"),
    ],
)
def test_a_file_no_reader_can_use_gets_a_reason(name, data, says):
    with pytest.raises(Unreadable) as refused:
        import_document(name, data)
    assert says in str(refused.value)


def test_a_file_over_the_size_cap_is_refused_before_it_is_read(tmp_path, capsys):
    with pytest.raises(Unreadable, match=r"quá lớn \(0.0 MB; tối đa 0 MB\)"):
        read_document("ke-hoach.txt", PLAN.encode(), cap=100)
    big = tmp_path / "ke-hoach.pdf"
    with big.open("wb") as handle:  # sparse: 60 MB on paper, nothing on the disk
        handle.truncate(60 * 1024 * 1024)
    out = tmp_path / "nhap.toml"
    assert main(["plan", "import", str(big), "--out", str(out)]) == 1
    error = capsys.readouterr().err
    assert "quá lớn (60.0 MB; tối đa 50 MB)" in error
    assert not out.exists()


def test_the_command_writes_a_draft_that_loads_and_prints_the_review(tmp_path, capsys):
    source = tmp_path / "dong-xuan.txt"
    source.write_text(
        PLAN + "- Phối hợp với các phòng theo Quyết định số 9/QĐ-UBND ngày 02/01/2026.\n",
        encoding="utf-8",
    )
    out = tmp_path / "dong-xuan-2026.toml"
    assert main(["plan", "import", str(source), "--out", str(out)]) == 0
    review = capsys.readouterr().out
    # No table: every duty is a task; the cited decision's date is no deadline.
    assert "Tìm thấy 3 nhiệm vụ:" in review
    assert "1. [D1] Xây dựng kế hoạch kiểm tra gửi UBND huyện" in review
    assert "Chủ trì: Phòng Nội vụ huyện · Trước ngày 15/3/2026 · hạn 14/03/2026" in review
    assert "Định kỳ quý, 06 tháng, năm · 4 kỳ, kỳ đầu hạn 15/03/2026" in review
    assert (
        "3. [D2] Phối hợp với các phòng theo Quyết định số 9/QĐ-UBND ngày 02/01/2026\n"
        "   Chủ trì: Phòng Nội vụ huyện · Thường xuyên trong năm · hạn 31/12/2026"
    ) in review
    spec = read_plan_file(out)
    assert spec.code == "dong-xuan-2026" and [t.code for t in spec.tasks] == ["D1", "R1", "D2"]
    receivers = {u.code: u.name for u in spec.units}
    assert [receivers[t.reports_to] for t in spec.tasks[:2] if t.reports_to] == [
        "UBND huyện",
        "UBND huyện",
    ]


def test_the_command_refuses_an_unreadable_file_and_writes_nothing(tmp_path, capsys):
    source = tmp_path / "quet.pdf"
    source.write_bytes(scanned_pdf())
    assert main(["plan", "import", str(source)]) == 1
    assert "Lỗi: Tệp quet.pdf là PDF không có lớp chữ" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == [source]
