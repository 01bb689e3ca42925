"""Evidence kept, on Telegram: a report's photo is downloaded (getFile, then the file's
link on the fake Bot API server) into the file store under its content hash, the report
keeping Telegram's file id too; a file of another type or over the limit is refused with
a sentence and the report stored without it; /minhchung sends a task's files back."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from sqlmodel import Session, select

from bot.evidence import EvidenceShelf
from bot.exports import period_report_bytes, workbook_bytes
from messages.exports.periods import report_period
from scheduler.timeexpr import parse_when
from storage.engine import make_engine, upgrade
from storage.filestore import FileStore
from storage.models import Evidence, Plan, Report, Role
from tests.fakes.telegram_world import tiny_png
from tests.telegram_world import make_telegram_world

PHOTO = tiny_png(40, 30)
PDF = b"%PDF-1.7\n% bien ban nghiem thu pano\n" + b"0" * 2000


@pytest.fixture
def world(tmp_path, sqlite_url, fake_telegram):
    engine = make_engine(sqlite_url)
    upgrade(engine)
    shelf = EvidenceShelf(FileStore(tmp_path / "evidence"), limit=1_000_000)
    world = make_telegram_world(engine, fake_telegram, evidence=shelf)
    world.invite("NV", Role.MEMBER, "NV", "cua-lo-2024")
    world.invite("LEAD", Role.LEADER)
    world.send("An", "private", "/dangky {NV}")
    world.send("Lan", "private", "/dangky {LEAD}")
    yield world
    world.harness.stop()
    engine.dispose()


def send_photo(world, caption: str, content: bytes = PHOTO):
    fake, an = world.fake, world.person("An")
    before = len(fake.sent(an))
    world.harness.wait_handled(fake.user_sends_photo(an, an, content, caption=caption))
    return [message.text for message in fake.sent(an)[before:]]


def send_document(world, caption: str, content: bytes, name: str):
    fake, an = world.fake, world.person("An")
    before = len(fake.sent(an))
    update = fake.user_sends_document(an, an, content, name, caption=caption)
    world.harness.wait_handled(update)
    return [message.text for message in fake.sent(an)[before:]]


def stored(world) -> tuple[list[Report], list[Evidence]]:
    with Session(world.engine) as session:
        reports = list(session.exec(select(Report).order_by(Report.id)))
        rows = list(session.exec(select(Evidence).order_by(Evidence.id)))
    return reports, rows


def test_a_photo_sent_with_a_report_leaves_its_bytes_in_the_file_store(world, tmp_path):
    (answer,) = send_photo(world, "/baocao T3 50% đã lắp 2 pano")
    assert "Đã ghi báo cáo nhiệm vụ T3" in answer and "Minh chứng: 1 tệp" in answer

    (report,), (row,) = stored(world)
    digest = hashlib.sha256(PHOTO).hexdigest()
    assert (row.sha256, row.path, row.size) == (digest, f"{digest[:2]}/{digest}.png", len(PHOTO))
    assert (tmp_path / "evidence" / row.path).read_bytes() == PHOTO
    # The report keeps Telegram's reference as well: the file id of the largest size.
    largest = world.fake.calls_to("getFile")[-1].params["file_id"]
    assert row.file_id == largest and row.report_id == report.id
    (item,) = json.loads(report.evidence)
    assert item["file_id"] == largest and item["sha256"] == digest


def test_a_file_of_another_type_is_refused_and_the_report_kept_without_it(world):
    answers = send_document(world, "/baocao T3 50%", b"MZ\x90\x00 not a document", "bao-cao.exe")
    assert answers[0] == (
        "Tệp “bao-cao.exe” không phải ảnh, PDF hay văn bản Word, Excel, PowerPoint nên "
        "không được lưu làm minh chứng; báo cáo vẫn được ghi nhận."
    )
    assert "Đã ghi báo cáo nhiệm vụ T3" in answers[1] and "Minh chứng" not in answers[1]
    (report,), rows = stored(world)
    assert json.loads(report.evidence) == [] and rows == []


def test_a_file_over_the_limit_is_refused_and_the_report_kept_without_it(world):
    answers = send_document(world, "/baocao T3 50%", PDF + b"0" * 1_000_000, "bien-ban.pdf")
    assert answers[0].startswith("Tệp “bien-ban.pdf” lớn hơn 1 MB nên không được lưu")
    assert "Đã ghi báo cáo nhiệm vụ T3" in answers[1]
    (report,), rows = stored(world)
    assert json.loads(report.evidence) == [] and rows == []


def test_telegram_refuses_a_download_over_20_mb(world):
    world.core.evidence.limit = 30_000_000  # ours would take it: Telegram's limit speaks
    big = PDF + b"0" * (20 * 1024 * 1024)
    answers = send_document(world, "/baocao T3 50%", big, "ho-so.pdf")
    assert answers[0].startswith("Tệp “ho-so.pdf” lớn hơn 30 MB")
    assert world.fake.calls_to("getFile")[-1].status == 400
    assert stored(world)[1] == []


def test_minhchung_sends_a_tasks_files_back_to_a_leader(world):
    send_photo(world, "/baocao T3 50% đã lắp 2 pano")
    send_document(world, "/baocao T3 hoàn thành", PDF, "bien-ban.pdf")
    lan = world.person("Lan")
    shown = world.send("Lan", "private", "/minhchung T3")
    assert shown[0].text == "Nhiệm vụ T3: 2 tệp minh chứng."
    photo, document = shown[1], shown[2]
    assert photo.message.method == "sendPhoto" and photo.file.content == PHOTO
    assert document.message.method == "sendDocument" and document.file.content == PDF
    assert document.file.filename == "bien-ban.pdf"
    assert document.text == "Phòng Nội vụ thị xã, kỳ Tháng 3/2024, báo cáo ngày 05/03/2024"
    assert world.fake.sent(lan)[-1].text == document.text

    (refused,) = world.send("An", "private", "/minhchung T3")
    assert "lãnh đạo" in refused.text
    (none,) = world.send("Lan", "private", "/minhchung T9")
    assert none.text.startswith("Kế hoạch cua-lo-2024 chưa có tệp minh chứng nào")


def test_the_workbook_lists_each_file_and_the_period_report_counts_them(world, tmp_path):
    send_photo(world, "/baocao T3 50% đã lắp 2 pano")
    send_document(world, "/baocao T3 hoàn thành", PDF, "bien-ban.pdf")
    folder = str(tmp_path / "evidence")
    now = world.clock.now()
    with Session(world.engine) as session:
        plan = session.exec(select(Plan).where(Plan.code == "cua-lo-2024")).one()
        workbook = workbook_bytes(session, plan, now, evidence_dir=folder)
        period = report_period(parse_when("Quý I/2024", 2024), "Quý I/2024")
        draft = period_report_bytes(session, plan, period, now)
    rows = list(load_workbook(io.BytesIO(workbook))["Minh chứng"].iter_rows(values_only=True))
    header, files = rows[3], rows[4:]
    assert header[5:8] == ("Tên tệp", "Dung lượng (KB)", "Đường dẫn trong kho minh chứng")
    assert [(row[1], row[4], row[5]) for row in files] == [
        ("T3", "ảnh", None),
        ("T3", "tệp", "bien-ban.pdf"),
    ]
    assert Path(files[0][7]).read_bytes() == PHOTO and Path(files[1][7]).read_bytes() == PDF

    # The appendix counts them in the task's cell.
    cells = [
        cell.text
        for table in Document(io.BytesIO(draft)).tables
        for row in table.rows
        for cell in row.cells
    ]
    assert any("Minh chứng: 2 tệp trong kỳ" in text for text in cells)
