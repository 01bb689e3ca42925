"""Reports as officers type them, and no silent move back from "hoàn thành", as dialogs.

Each row is what a clerk would send: a bare or spelled percent, a status without
diacritics, a closing "rồi ạ", a task named by its code or title words at the numbered
list, an invite code in pieces, a period without diacritics. The clock starts on
Tuesday 5 March 2024, 09:00 in Hà Nội (see ``tests.chat_world``).
"""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from storage.engine import make_engine, upgrade
from storage.models import Report, Role
from tests.chat_world import Cast, Has, run_dialog
from tests.telegram_world import make_telegram_world


@pytest.fixture
def cast():
    return Cast(codes=("NV", "LEAD"), registered=("An", "Chi"))


def stored(world) -> list[tuple[str, int | None, str | None]]:
    """(status, percent, note) of every report, oldest first."""
    with Session(world.engine) as session:
        rows = session.exec(select(Report).order_by(Report.id)).all()
        return [(r.status, r.percent, r.note) for r in rows]


# -- point 1: reports as people write them --------------------------------------------


def test_one_line_reports_as_people_write_them(world):
    run_dialog(
        world,
        [
            ("An", "private", "/baocao T3 dang thuc hien 40", Has("đang thực hiện 40%")),
            ("An", "private", "/baocao D5 50", Has("Tình trạng: đang thực hiện 50%\nHạn")),
            ("An", "private", "/baocao D5 60 phần trăm", Has("đang thực hiện 60%")),
            ("An", "private", "/baocao D5 65 phan tram da don doc", Has("65%", "Ghi chú: da")),
            ("An", "private", "/baocao D6 năm mươi", Has("đang thực hiện 50%")),
            ("An", "private", "/baocao D6 bảy mươi lăm phần trăm", Has("75%")),
            ("An", "private", "/baocao D6 bay muoi lam", Has("75%")),
            ("An", "private", "/baocao D7 mười", Has("đang thực hiện 10%")),
            ("An", "private", "/baocao D7 đạt một nửa", Has("đang thực hiện 50%")),
            ("An", "private", "/baocao D8 nửa rồi", Has("đang thực hiện 50%")),
            ("An", "private", "/baocao D8 ~45%", Has("đang thực hiện 45%")),
            ("An", "private", "/baocao D8 đang làm được 40 rồi ạ", Has("đang thực hiện 40%")),
            ("An", "private", "báo cáo T3 xong rồi", Has("Tình trạng: hoàn thành\nHạn")),
            ("An", "private", "bao cao T2 hoan thanh roi a", Has("hoàn thành", "sau hạn")),
            ("An", "private", "/baocao D9 xong rồi nhé, đã gửi dự toán", Has("đã gửi dự toán")),
            ("An", "private", "/baocao T6 một trăm", Has("Tình trạng: hoàn thành")),
            # A count is a note, not a percent.
            ("An", "private", "/baocao D7 vướng mắc hai lớp chưa có giảng viên", Has("vướng")),
        ],
    )
    assert stored(world) == [
        ("in_progress", 40, None),
        ("in_progress", 50, None),
        ("in_progress", 60, None),
        ("in_progress", 65, "da don doc"),
        ("in_progress", 50, None),
        ("in_progress", 75, None),
        ("in_progress", 75, None),
        ("in_progress", 10, None),
        ("in_progress", 50, None),
        ("in_progress", 50, None),
        ("in_progress", 45, None),
        ("in_progress", 40, None),
        ("done", 100, None),
        ("done", 100, None),
        ("done", 100, "đã gửi dự toán"),
        ("done", 100, None),
        ("blocked", None, "hai lớp chưa có giảng viên"),
    ]


def test_what_is_still_refused_or_a_note(world):
    before = world.stored()
    run_dialog(
        world,
        [
            ("An", "private", "/baocao T3 2 lớp tập huấn", Has("Thiếu tình trạng hoặc phần")),
            ("An", "private", "/baocao T3 một trăm hai mươi", Has("Thiếu tình trạng")),
            ("An", "private", "/baocao T3 150", Has("Phần trăm phải là số nguyên từ 0")),
            ("An", "private", "/baocao T3 hoàn thành năm mươi", Has("Hoàn thành nghĩa là 100%")),
            ("An", "private", "/baocao T3 dang thuc hien 100", Has("100% nghĩa là hoàn thành")),
        ],
    )
    assert world.stored() == before


def test_one_line_reports_in_english(world):
    world.send("An", "private", "/language en")
    run_dialog(
        world,
        [
            ("An", "private", "/report T3 in progress 40", Has("Status: in progress 40%")),
            ("An", "private", "/report D5 50", Has("in progress 50%")),
            ("An", "private", "/report D5 fifty-five percent", Has("in progress 55%")),
            ("An", "private", "/report D6 about half", Has("in progress 50%")),
            ("An", "private", "/report D7 started 20 percent", Has("in progress 20%")),
            ("An", "private", "/report T2 finished, thanks", Has("Status: done\nDeadline")),
            ("An", "private", "/report T3 done", Has("Status: done")),
        ],
    )
    assert stored(world) == [
        ("in_progress", 40, None),
        ("in_progress", 50, None),
        ("in_progress", 55, None),
        ("in_progress", 50, None),
        ("in_progress", 20, None),
        ("done", 100, None),
        ("done", 100, None),
    ]


def test_a_task_picked_by_its_code_or_title_words(world):
    run_dialog(
        world,
        [
            ("An", "private", "/baocao", Has("Báo cáo nhiệm vụ nào?")),
            ("An", "private", "t3", Has("T3. Tổ chức tập huấn", "Tình trạng thế nào?")),
            ("An", "private", "/huy", "Đã hủy, không có gì được lưu."),
            ("An", "private", "/baocao", Has("Báo cáo nhiệm vụ nào?")),
            (
                "An",
                "private",
                "tập huấn",
                Has(
                    "Có nhiều nhiệm vụ khớp với “tập huấn”. Anh/chị báo cáo nhiệm vụ nào?",
                    "1. T3 · Tổ chức tập huấn",
                    "2. D7 · Tổ chức các lớp tập huấn",
                ),
            ),
            ("An", "private", "2", Has("D7. Tổ chức các lớp tập huấn", "Tình trạng thế nào?")),
            ("An", "private", "/baocao", Has("Báo cáo nhiệm vụ nào?")),
            ("An", "private", "du tru kinh phi", Has("D9. Lập dự trù kinh phí")),
            ("An", "private", "/baocao", Has("Báo cáo nhiệm vụ nào?")),
            (
                "An",
                "private",
                "pano quảng cáo",
                "Hãy gõ số thứ tự, mã nhiệm vụ (ví dụ T3) hoặc vài chữ trong tên nhiệm vụ; gõ "
                "/huy để hủy.",
            ),
            ("An", "private", "nhiệm vụ D8", Has("D8. Theo dõi, yêu cầu công chức")),
        ],
    )
    world.send("An", "private", "/language en")
    run_dialog(
        world,
        [
            ("An", "private", "/report", Has("Which task is the report about?")),
            ("An", "private", "task D6", Has("D6. Chủ động xây dựng", "What is the status?")),
            ("An", "private", "/report", Has("Which task is the report about?")),
            ("An", "private", "tap huan", Has("Several tasks match “tap huan”.", "2. D7 · ")),
            ("An", "private", "unknown words", Has("Type the number, the task's code")),
        ],
    )


def test_guided_answers_as_people_write_them(world):
    run_dialog(
        world,
        [
            ("An", "private", "/baocao T3", Has("Tình trạng thế nào?")),
            ("An", "private", "dang thuc hien 40", Has("Ghi chú ngắn về tiến độ")),
            # "xong" at the note step: no note, and the report is stored.
            ("An", "private", "xong", Has("Tình trạng: đang thực hiện 40%\nHạn chót")),
            ("An", "private", "/baocao D5", Has("Tình trạng thế nào?")),
            ("An", "private", "đang làm", Has("Được bao nhiêu phần trăm?")),
            ("An", "private", "bảy mươi lăm phần trăm", Has("Ghi chú ngắn")),
            ("An", "private", "rồi ạ", Has("Tình trạng: đang thực hiện 75%")),
            ("An", "private", "/baocao D6", Has("Tình trạng thế nào?")),
            ("An", "private", "xong rồi", Has("Ghi chú ngắn")),
            ("An", "private", "đã gửi phòng Văn hóa", Has("Gửi ảnh hoặc tệp minh chứng")),
            ("An", "private", "bỏ qua", Has("Tình trạng: hoàn thành", "Ghi chú: đã gửi")),
            ("An", "private", "/baocao D7", Has("Tình trạng thế nào?")),
            ("An", "private", "vướng, chưa có giảng viên", Has("Được bao nhiêu phần trăm?")),
            ("An", "private", "một nửa", Has("Gửi ảnh hoặc tệp minh chứng")),
            ("An", "private", "xong", Has("Tình trạng: vướng mắc 50%", "chưa có giảng viên")),
        ],
    )
    world.send("An", "private", "/language en")
    run_dialog(
        world,
        [
            ("An", "private", "/report D8", Has("What is the status?")),
            ("An", "private", "in progress", Has("How many percent is done?")),
            ("An", "private", "half", Has("A short note on the progress")),
            ("An", "private", "done", Has("Status: in progress 50%\nDeadline")),
            ("An", "private", "/report D9", Has("What is the status?")),
            ("An", "private", "done", Has("A short note on the progress")),
            ("An", "private", "done", Has("Status: done\nDeadline")),
            ("An", "private", "/report T3", Has("What is the status?")),
            ("An", "private", "blocked: no trainer yet", Has("How many percent is done?")),
            ("An", "private", "skip", Has("Send photos or files as evidence")),
            ("An", "private", "done", Has("Status: blocked\nNote: no trainer yet")),
        ],
    )
    assert stored(world) == [
        ("in_progress", 40, None),
        ("in_progress", 75, None),
        ("done", 100, "đã gửi phòng Văn hóa"),
        ("blocked", 50, "chưa có giảng viên"),
        ("in_progress", 50, None),
        ("done", 100, None),
        ("blocked", None, "no trainer yet"),
    ]


def test_invite_codes_typed_in_pieces(world):
    for typed in ("{a} {b}", "{a}-{b}", "mã {a} {b}", "{a}–{b}"):
        code = world.invite("X", Role.MEMBER, "VHTT", "cua-lo-2024")
        text = "/dangky " + typed.format(a=code[:4].lower(), b=code[4:].lower())
        assert "Phòng Văn hóa" in world.send(f"Người {typed}", "private", text)[0].text, text
    code = world.invite("X", Role.MEMBER, "VHTT", "cua-lo-2024")
    world.send("Dũng", "private", "/language en")
    reply = world.send("Dũng", "private", f"/register code {code[:4]} {code[4:]}")[0].text
    assert reply.startswith("Registered: Dũng, you are an officer of Phòng Văn hóa")


def test_periods_typed_without_diacritics(world):
    for typed, name in (
        ("quy 1 2024", "quy-i-2024"),
        ("quy I/2024", "quy-i-2024"),
        ("Q1-2024", "quy-i-2024"),
        ("quý một", "quy-i-2024"),
        ("6 thang dau nam 2024", "6-thang-dau-nam-2024"),
        ("nua dau nam", "6-thang-dau-nam-2024"),
        ("nam 2024", "nam-2024"),
        ("ca nam", "nam-2024"),
    ):
        run_dialog(
            world,
            [("Chi", "Lãnh đạo", f"/baocaoky {typed}", Has(f"bao-cao-cua-lo-2024-{name}.docx"))],
        )
    world.send("Chi", "Lãnh đạo", "/language en")
    for typed, name in (
        ("Q1 2024", "quy-i-2024"),
        ("first quarter 2024", "quy-i-2024"),
        ("first half 2024", "6-thang-dau-nam-2024"),
        ("year 2024", "nam-2024"),
    ):
        run_dialog(
            world,
            [("Chi", "Lãnh đạo", f"/periodreport {typed}", Has(f"cua-lo-2024-{name}.docx"))],
        )


# -- point 2: no silent move back from "hoàn thành" ---------------------------------------

MOVE_BACK = (
    "Nhiệm vụ T3 (kỳ Tháng 3/2024) đã được báo cáo hoàn thành. Anh/chị có chắc muốn chuyển "
    "về {status}?\nChọn một mục (gõ số thứ tự), hoặc gõ /huy để hủy.\n1. Có\n2. Không"
)


# It presses the button; on Zalo the same question is answered by number (below).
@pytest.mark.parametrize(
    "platform", ["console", "telegram-polling", "telegram-webhook"], indirect=True
)
def test_moving_back_from_done_asks_first(world):
    world.send("An", "private", "/baocao T3 hoàn thành")
    run_dialog(
        world,
        [
            (
                "An",
                "private",
                "/baocao T3 đang thực hiện 40",
                MOVE_BACK.format(status="đang thực hiện 40%"),
            ),
            ("An", "private", "không", "Chưa ghi gì: nhiệm vụ T3 vẫn là hoàn thành."),
            ("An", "private", "/baocao T3 chưa làm", Has("chuyển về chưa bắt đầu?")),
            ("An", "private", "sao cơ", Has("Hãy gõ có để ghi báo cáo mới, hoặc không")),
            ("An", "private", "2", "Chưa ghi gì: nhiệm vụ T3 vẫn là hoàn thành."),
            ("An", "private", "/baocao T3 50", Has("chuyển về đang thực hiện 50%?")),
            ("An", "private", "/huy", "Đã hủy, không có gì được lưu."),
        ],
    )
    assert stored(world) == [("done", 100, None)]
    run_dialog(
        world,
        [
            ("An", "private", "/baocao T3 vướng mắc, thiếu kinh phí", Has("chuyển về vướng mắc?")),
            ("An", "private", "có", Has("Tình trạng: vướng mắc\nGhi chú: thiếu kinh phí")),
            ("An", "private", "/baocao T3 xong", Has("Tình trạng: hoàn thành")),  # no question
            # The guided flow asks at its end too, and a button answers.
            ("An", "private", "/baocao T3", Has("Tình trạng thế nào?")),
            ("An", "private", "1", Has("Ghi chú ngắn")),
            ("An", "private", "bỏ qua", Has("Gửi ảnh")),
            ("An", "private", "bỏ qua", MOVE_BACK.format(status="chưa bắt đầu")),
        ],
    )
    replies = world.send("An", "private", "", choice="y")
    assert "Tình trạng: chưa bắt đầu" in replies[0].text
    assert stored(world) == [
        ("done", 100, None),
        ("blocked", None, "thiếu kinh phí"),
        ("done", 100, None),
        ("not_started", 0, None),
    ]


def test_moving_back_from_done_in_english(world):
    world.send("An", "private", "/language en")
    world.send("An", "private", "/report T3 done")
    run_dialog(
        world,
        [
            (
                "An",
                "private",
                "/report T3 in progress 60",
                "Task T3 (period Tháng 3/2024) was reported done. Are you sure you want to set it "
                "back to in progress 60%?\nPick an option (type its number), or type /cancel to "
                "cancel.\n1. Yes\n2. No",
            ),
            ("An", "private", "no", "Nothing was recorded: task T3 stays done."),
            ("An", "private", "/report T3 not started", Has("set it back to not started?")),
            ("An", "private", "what", Has("Type yes to record the new report, or no")),
            ("An", "private", "yes", Has("Status: not started")),
        ],
    )
    assert stored(world) == [("done", 100, None), ("not_started", 0, None)]


@pytest.mark.parametrize("platform", ["zalo-polling"], indirect=True)
def test_on_zalo_the_answers_are_typed(world):
    zalo_world = world
    zalo_world.send("An", "private", "/baocao T3 xong rồi")
    run_dialog(
        zalo_world,
        [
            (
                "An",
                "private",
                "/baocao t3 dang thuc hien 40",
                MOVE_BACK.format(status="đang thực hiện 40%"),
            ),
            ("An", "private", "2", "Chưa ghi gì: nhiệm vụ T3 vẫn là hoàn thành."),
            ("An", "private", "/baocao", Has("Báo cáo nhiệm vụ nào?")),
            # T3, done, comes last, as in the whole list.
            ("An", "private", "tap huan", Has("\n1. D7 · Tổ chức", "\n2. T3 · ", "· hoàn thành")),
            ("An", "private", "1", Has("D7. Tổ chức các lớp tập huấn")),
            ("An", "private", "nam muoi phan tram", Has("Ghi chú ngắn")),
            ("An", "private", "xong", Has("D7 (kỳ Năm 2024)", "đang thực hiện 50%")),
        ],
    )
    assert stored(zalo_world) == [("done", 100, None), ("in_progress", 50, None)]


def test_on_telegram_the_question_has_buttons(sqlite_url, fake_telegram):
    engine = make_engine(sqlite_url)
    upgrade(engine)
    world = make_telegram_world(engine, fake_telegram)
    try:
        world.invite("NV", Role.MEMBER, "NV", "cua-lo-2024")
        world.send("An", "private", "/dangky {NV}")
        world.send("An", "private", "/baocao T3 xong")
        (question,) = world.send("An", "private", "/baocao T3 chưa làm")
        assert question.text.startswith("Nhiệm vụ T3 (kỳ Tháng 3/2024) đã được báo cáo")
        assert [c.label for c in question.choices] == ["Có", "Không"]
        assert [len(row) for row in question.message.buttons] == [2]
        (kept,) = world.send("An", "private", "", choice=question.choices[1].value)
        assert kept.text == "Chưa ghi gì: nhiệm vụ T3 vẫn là hoàn thành."
        (question,) = world.send("An", "private", "/baocao T3 chưa làm")
        (done,) = world.send("An", "private", "", choice=question.choices[0].value)
        assert "Tình trạng: chưa bắt đầu" in done.text
        assert stored(world) == [("done", 100, None), ("not_started", 0, None)]
    finally:
        world.harness.stop()
        engine.dispose()
