"""The files on Telegram, end to end: a leader in the leadership group gets the chart with
/tonghop (sendPhoto), the Excel workbook with /xuat and the Word draft with /baocaoky
(sendDocument), through the fake Bot API server, python-telegram-bot and our adapter.

The fake keeps every upload as the bot sent it, so each file is opened here with the
library that wrote it; the fake also fails the test on any request Telegram would refuse
(a caption over 1024 characters, a photo that is not an image...).
"""

from __future__ import annotations

import io

import pytest
from docx import Document
from openpyxl import load_workbook
from PIL import Image

from storage.engine import make_engine, upgrade
from storage.models import Role
from tests.chat_world import Has, run_dialog
from tests.telegram_world import make_telegram_world


@pytest.fixture(params=["polling", "webhook"])
def world(request, sqlite_url, fake_telegram):
    engine = make_engine(sqlite_url)
    upgrade(engine)
    world = make_telegram_world(engine, fake_telegram, mode=request.param)
    world.invite("NV", Role.MEMBER, "NV", "cua-lo-2024")
    world.invite("LEAD", Role.LEADER)
    world.send("An", "private", "/dangky {NV}")
    world.send("Chi", "Lãnh đạo", "/dangky {LEAD}")
    yield world
    assert world.harness is not None
    world.harness.stop()
    engine.dispose()


def test_a_leader_receives_the_chart_the_workbook_and_the_word_draft(world):
    fake = world.fake
    world.send("An", "private", "/baocao T3 hoàn thành đã tập huấn 120 người")
    group = world.groups["Lãnh đạo"]

    shown = world.send("Chi", "Lãnh đạo", "/tonghop")
    assert (
        shown[0].text.startswith("TỔNG HỢP TIẾN ĐỘ") and shown[0].message.method == "sendMessage"
    )
    chart = shown[-1]
    assert chart.message.method == "sendPhoto"
    assert chart.text == "Biểu đồ tiến độ các đơn vị, kế hoạch cua-lo-2024."
    assert chart.file is not None and chart.file.content.startswith(b"\x89PNG\r\n\x1a\n")
    image = Image.open(io.BytesIO(chart.file.content))
    assert image.width == 1080 and image.height > 600

    shown = world.send("Chi", "Lãnh đạo", "/xuat")
    assert [m.message.method for m in shown] == ["sendDocument"]
    workbook = shown[0]
    assert workbook.text.startswith("Tệp Excel tiến độ kế hoạch cua-lo-2024")
    document = workbook.message.json["document"]
    assert document["file_name"] == "tong-hop-cua-lo-2024-2024-03-05.xlsx"
    assert document["mime_type"].endswith("spreadsheetml.sheet")
    assert workbook.file is not None
    book = load_workbook(io.BytesIO(workbook.file.content))
    assert book.sheetnames == ["Tiến độ", "Báo cáo", "Nhắc việc đã gửi", "Minh chứng"]
    rows = list(book["Tiến độ"].iter_rows(5, values_only=True))
    assert any(r[0] == "T3" and r[5] == "NV" and r[12] == "đã tập huấn 120 người" for r in rows)

    run_dialog(
        world,
        [
            ("Chi", "Lãnh đạo", "/baocaoky", Has("Soạn dự thảo báo cáo kỳ nào", "Quý I/2024")),
        ],
    )
    # The periods came as buttons: pressing one sends the draft.
    offered = fake.sent(group)[-1]
    assert [label for row in offered.buttons for label, _data in row] == [
        "Quý I/2024",
        "6 tháng đầu năm 2024",
        "Năm 2024",
    ]
    shown = world.send("Chi", "Lãnh đạo", "", choice="k20241")
    drafts = [m for m in shown if m.message.method == "sendDocument"]
    assert len(drafts) == 1 and drafts[0].file is not None
    assert drafts[0].message.json["document"]["file_name"] == "bao-cao-cua-lo-2024-quy-i-2024.docx"
    assert drafts[0].text.startswith("Dự thảo báo cáo kết quả thực hiện quý I năm 2024")
    paragraphs = [p.text for p in Document(io.BytesIO(drafts[0].file.content)).paragraphs]
    assert "BÁO CÁO" in paragraphs
    assert any(p.startswith("Kết quả thực hiện") for p in paragraphs)
    assert any(p.endswith("quý I năm 2024") for p in paragraphs)
    assert any("đã tập huấn 120 người" in p for p in paragraphs)
    assert not fake.unanswered_callback_queries()

    # Typed with its period, in one message.
    shown = world.send("Chi", "Lãnh đạo", "/baocaoky 6 tháng đầu năm 2024")
    assert [m.message.method for m in shown] == ["sendDocument"]
