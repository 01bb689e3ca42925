"""Every chat command, as dialogs in Vietnamese and in English, and the help of each.

Each dialog runs on the console and on every platform (the ``world`` fixture)."""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po
from sqlmodel import Session, select

from bot.core.commands import COMMANDS, find_command, read_command
from messages.i18n import LOCALE_DIR, _, language
from storage.models import Chat, Role
from tests.chat_world import NOTHING, At, Cast, Has, run_dialog

TELEGRAM_COMMAND = r"^[a-z0-9_]{1,32}$"


@pytest.fixture
def cast() -> Cast:
    """Two plans; an officer, a unit's group, the leadership group and a coordinator."""
    return Cast(
        plans=("cua-lo-2024", "long-ho-2022"),
        codes=("NV", "PHUONG", "LEAD", "COORD"),
        registered=("An", "Bình", "Chi", "Giang"),
    )


def test_every_command_has_a_handler_and_help_in_both_languages():
    with (LOCALE_DIR / "en" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        english = read_po(handle)
    for command in COMMANDS:
        assert re_full(TELEGRAM_COMMAND, command.name), command.name
        assert all(re_full(TELEGRAM_COMMAND, alias) for alias in command.aliases)
        for msgid in (command.usage, command.description, command.help):
            assert msgid.strip(), f"/{command.name} has an empty help text"
            assert english.get(msgid) and english[msgid].string, f"no English for {msgid!r}"
        assert 3 <= len(command.description) <= 256  # Telegram's setMyCommands limits
        with language("en"):
            assert 3 <= len(_(command.description)) <= 256
        assert command.words or command.name == "start" or command.name == "mamoi"


def re_full(pattern: str, text: str) -> bool:
    return re.fullmatch(pattern, text) is not None


def test_giup_shows_each_command(world):
    for command in COMMANDS:  # in one world: a world of its own each would only cost time
        reply = world.send("An", "private", f"/giup {command.name}")[0].text
        assert reply.startswith(_(command.usage)) and _(command.help) in reply, command.name
        english = world.send(
            "An", "private", f"/help {command.aliases[0] if command.aliases else command.name}"
        )
        assert english[0].text == reply, command.name  # the alias names the same command


def test_commands_are_read_in_every_form():
    assert read_command("/tonghop@NhacViecBot cua-lo-2024", plain_words=False).args == (
        "cua-lo-2024"
    )
    assert read_command("/SUMMARY", plain_words=False).command.name == "tonghop"
    assert read_command("Báo cáo T3 50%", plain_words=True).command.name == "baocao"
    assert read_command("bao cao T3 50%", plain_words=True).args == "T3 50%"
    assert read_command("chưa báo cáo", plain_words=True).command.name == "chuabaocao"
    assert read_command("Báo cáo T3 50%", plain_words=False) is None
    assert read_command("/", plain_words=False).token == ""
    assert find_command("Báo_cáo").name == "baocao"


def test_start_and_help(world):
    run_dialog(
        world,
        [
            (
                "An",
                "private",
                "/start",
                "Chào anh/chị An.\nAnh/chị là cán bộ của Phòng Nội vụ thị xã (cua-lo-2024): gõ "
                "/nhiemvu để xem nhiệm vụ và hạn chót, /baocao để báo cáo tiến độ.\nGõ /giup để "
                "xem "
                "các lệnh.",
            ),
            ("Bình", "Phường", "/start", Has("Đây là nhóm của Ủy ban nhân dân các phường")),
            ("Chi", "Lãnh đạo", "/start", Has("Đây là nhóm lãnh đạo")),
            ("Ai đó", "Nhóm mới", "/start", Has("Nhóm này chưa đăng ký")),
            ("Giang", "private", "/start", Has("đầu mối theo dõi kế hoạch cua-lo-2024")),
            ("Quản trị", "private", "/start", Has("quản trị viên", "/mamoi")),
            ("An", "private", "giúp", Has("Các lệnh của bot Nhắc việc:", "Cán bộ đơn vị:")),
            ("An", "private", "/giup abc", "Không có lệnh /abc. Gõ /giup để xem các lệnh."),
            ("Quản trị", "private", "/giup", Has("Quản trị viên:", "/mamoi")),
        ],
    )
    assert "Quản trị viên:" not in world.send("An", "private", "/giup")[0].text


def test_tasks_and_deadlines(world):
    run_dialog(
        world,
        [
            (
                "An",
                "private",
                "/nhiemvu",
                Has(
                    "Nhiệm vụ của Phòng Nội vụ thị xã (cua-lo-2024), 8 nhiệm vụ:",
                    "T2 (chủ trì) Thành lập Tổ truyền thông",
                    "Kỳ Tháng 2/2024, hạn chót Thứ Năm, 29 tháng 2, 2024 · quá hạn · chưa báo cáo",
                    "T6 (phối hợp)",
                    "Báo cáo: /baocao MÃ tình trạng ghi chú",
                ),
            ),
            ("An", "private", "/baocao T3 50% đã mời giảng viên", Has("Đã ghi báo cáo")),
            ("An", "private", "/nhiemvu", Has("· đang thực hiện 50% (báo cáo 05/03/2024)")),
            (
                "An",
                "private",
                "/hanchot",
                "Không có hạn chót nào trong 14 ngày tới (đến Thứ Ba, 19 tháng 3, 2024).\n\n"
                "Có 1 nhiệm vụ đã quá hạn mà chưa hoàn thành: T2. Gõ /nhiemvu để xem.",
            ),
            (
                "An",
                "private",
                "/hanchot 30",
                "Hạn chót trong 30 ngày tới (đến Thứ Năm, 4 tháng 4, 2024):\n"
                "- Chủ Nhật, 31 tháng 3, 2024: T3 (chủ trì) Tổ chức tập huấn cho các Tổ truyền "
                "thông và Tổ hỗ trợ nộp hồ sơ trực… · đang thực hiện 50%\n\n"
                "Có 1 nhiệm vụ đã quá hạn mà chưa hoàn thành: T2. Gõ /nhiemvu để xem.",
            ),
            (
                "An",
                "private",
                "/hanchot 0",
                "Số ngày phải là số nguyên từ 1 đến 366, ví dụ /hanchot 30.",
            ),
            (
                "An",
                "private",
                "/hanchot mười",
                "Số ngày phải là số nguyên từ 1 đến 366, ví dụ /hanchot 30.",
            ),
            (
                "Bình",
                "Phường",
                "/nhiemvu",
                Has("Nhiệm vụ của Ủy ban nhân dân các phường (cua-lo-2024), 5 nhiệm vụ:"),
            ),
            ("Ai đó", "Phường", "/hanchot 60", Has("Hạn chót trong 60 ngày tới", "T4 (chủ trì)")),
            (
                "Quản trị",
                "private",
                "/nhiemvu",
                Has("Anh/chị chưa thuộc đơn vị nào nên lệnh /nhiemvu"),
            ),
        ],
    )


def test_summaries_with_several_plans(world):
    world.send("An", "private", "/baocao T3 hoàn thành")
    run_dialog(
        world,
        [
            (
                "Chi",
                "Lãnh đạo",
                "/tonghop",
                Has(
                    "Có nhiều kế hoạch. Xem tổng hợp kế hoạch nào?",
                    "1. cua-lo-2024 · Ủy ban nhân dân thị xã Cửa Lò",
                    "2. long-ho-2022 · Ủy ban nhân dân huyện Long Hồ",
                ),
            ),
            (
                "Chi",
                "Lãnh đạo",
                "1",
                Has(
                    "TỔNG HỢP TIẾN ĐỘ: Kế hoạch tuyên truyền cải cách hành chính thị xã Cửa Lò "
                    "năm 2024 (cua-lo-2024)",
                    "- Hoàn thành: 1 (5%); đúng hạn 1, trễ hạn 0",
                ),
            ),
            (
                "Chi",
                "Lãnh đạo",
                "/tonghop long-ho-2022",
                Has("(long-ho-2022)", "Số liệu lúc 09:00 05/03/2024."),
            ),
            (
                "Chi",
                "Lãnh đạo",
                "/tonghop abc",
                "Không có kế hoạch mã abc. Các kế hoạch: cua-lo-2024, long-ho-2022.",
            ),
            (
                "Chi",
                "Lãnh đạo",
                "/quahan",
                Has(
                    "QUÁ HẠN: Kế hoạch tuyên truyền cải cách hành chính thị xã Cửa Lò",
                    "QUÁ HẠN: Kế hoạch tuyên truyền cải cách hành chính năm 2022 của huyện Long "
                    "Hồ",
                ),
            ),
            (
                "Chi",
                "Lãnh đạo",
                "/chuabaocao cua-lo-2024",
                # D5 and D8 are ongoing duties ("Thường xuyên"): never "not reported".
                Has("CHƯA BÁO CÁO:", "- Phòng Nội vụ thị xã: 4 đầu việc (D6, D7, D9, T2)"),
            ),
            (
                "Chi",
                "Lãnh đạo",
                "/xuat",
                Has(
                    "Có nhiều kế hoạch. Xuất tệp Excel của kế hoạch nào?",
                    "1. cua-lo-2024 · Ủy ban nhân dân thị xã Cửa Lò",
                ),
            ),
            ("Chi", "Lãnh đạo", "1", Has("Tệp Excel tiến độ kế hoạch cua-lo-2024, số liệu lúc")),
            # A coordinator of one plan sees that plan only, without being asked.
            ("Giang", "private", "/tonghop", Has("(cua-lo-2024)")),
            (
                "Giang",
                "private",
                "/tonghop long-ho-2022",
                "Không có kế hoạch mã long-ho-2022. Các kế hoạch: cua-lo-2024.",
            ),
            ("Ai đó", "Lãnh đạo", "tổng hợp", NOTHING),  # in groups, only slash commands
        ],
    )


def test_language_per_chat(world):
    run_dialog(
        world,
        [
            (
                "An",
                "private",
                "/ngonngu",
                "Ngôn ngữ của chat này: tiếng Việt. Đổi bằng /ngonngu vi (tiếng Việt) hoặc "
                "/ngonngu en (English).",
            ),
            (
                "An",
                "private",
                "/ngonngu fr",
                'Không có ngôn ngữ "fr". Gõ /ngonngu vi (tiếng Việt) hoặc /ngonngu en (English).',
            ),
            ("An", "private", "/ngonngu en", "This chat's language is now English."),
            (
                "An",
                "private",
                "/start",
                Has("Hello An.", "You are an officer of Phòng Nội vụ thị xã"),
            ),
            ("Chi", "Lãnh đạo", "/language en", "This chat's language is now English."),
            ("Bình", "Phường", "/start", Has("Chào cả nhóm.")),  # other chats keep Vietnamese
            ("Ai đó", "Nhóm mới", "/ngonngu en", Has("Nhóm này chưa đăng ký với bot.")),
            ("An", "private", "/language vi", "Đã chọn ngôn ngữ cho chat này: tiếng Việt."),
        ],
    )
    with Session(world.engine) as session:
        languages = {c.chat_id: c.language for c in session.exec(select(Chat))}
    assert languages == {
        world.chat_id("An", "private"): "vi",
        world.chat_id("Giang", "private"): "vi",
        world.chat_id("Bình", "Phường"): "vi",
        world.chat_id("Chi", "Lãnh đạo"): "en",
    }


def test_commands_in_english(world):
    world.send("An", "private", "/language en")
    world.send("Chi", "Lãnh đạo", "/language en")
    run_dialog(
        world,
        [
            (
                "An",
                "private",
                "/help",
                Has(
                    "The Nhắc việc bot's commands:",
                    "/report [task code] [status or %] [note] — Report a task's progress (with "
                    "photos or files as evidence) (or /baocao)",
                ),
            ),
            (
                "An",
                "private",
                "/tasks",
                Has(
                    "Tasks of Phòng Nội vụ thị xã (cua-lo-2024), 8 tasks:",
                    "deadline Thursday, February 29, 2024 · overdue · not reported",
                ),
            ),
            (
                "An",
                "private",
                "/deadlines 30",
                Has("Deadlines in the next 30 days (until Thursday, April 4, 2024):"),
            ),
            (
                "An",
                "private",
                "/deadlines 999",
                "The number of days must be a whole number from 1 to 366, for example "
                "/deadlines 30.",
            ),
            (
                "An",
                "private",
                "/nope",
                "There is no command /nope. Type /help to see the commands.",
            ),
            (
                "An",
                "private",
                "/",
                "Empty command: the / needs a command's name after it, for example /report. "
                "Type /help to see the commands.",
            ),
            ("An", "private", "/cancel", "There is nothing under way to cancel."),
            ("An", "private", "/export", Has("/export is for leaders and coordinators.")),
            (
                "Chi",
                "Lãnh đạo",
                "/summary cua-lo-2024",
                Has(
                    "PROGRESS SUMMARY: ",
                    "Figures as of 09:00 05/03/2024.",
                    "- Not reported: ",
                    "Needs action:",
                    "Details: /overdue (overdue), /missing (not reported), /export (Excel file).",
                ),
            ),
            (
                "Chi",
                "Lãnh đạo",
                "/overdue cua-lo-2024",
                Has(
                    "OVERDUE: ",
                    "- T1 · Tháng 1/2024 · due 31/01/2024 (34 days late): Ủy ban nhân dân thị "
                    "xã Cửa Lò, Ủy ban nhân dân các phường",
                ),
            ),
            (
                "Chi",
                "Lãnh đạo",
                "/missing cua-lo-2024",
                Has("NOT REPORTED: ", "Not reported on started periods: 10 units"),
            ),
            (
                "Chi",
                "Lãnh đạo",
                "/export",
                Has("There are several plans. Export which plan to Excel?", "2. long-ho-2022"),
            ),
            ("Chi", "Lãnh đạo", "2", Has("Excel file of plan long-ho-2022's progress")),
            (
                "Chi",
                "Lãnh đạo",
                "/report T3 50%",
                "/report works in a private chat with the bot or in a unit's group, not in the "
                "leadership group.",
            ),
        ],
    )


def test_a_week_later_the_summary_moves(world):
    world.send("An", "private", "/baocao T3 50%")
    run_dialog(
        world,
        [
            At("2024-04-02 08:00"),
            (
                "Chi",
                "Lãnh đạo",
                "/quahan cua-lo-2024",
                Has("- T3 · Tháng 3/2024 · hạn 31/03/2024 (quá 2 ngày): Phòng Nội vụ thị xã"),
            ),
        ],
    )


@pytest.mark.console_only("speaks to the core as a Zalo group itself, beside the world's chats")
def test_the_summary_fits_one_message_on_zalo(world):
    from bot.core.types import ChatKind, IncomingMessage
    from messages.split import units

    code = world.invite("LEAD-ZALO", Role.LEADER)

    def zalo(text: str, number: int):
        return world.core.handle(
            IncomingMessage(
                platform="zalo",
                chat_id="f00dcafe",
                chat_kind=ChatKind.GROUP,
                sender_id="a1b2c3d4e5",
                sender_name="Chi",
                text=text,
                message_id=f"z{number}",
                chat_title="Lãnh đạo huyện",
            )
        )

    zalo(f"/dangky {code}", 1)
    replies = zalo("/tonghop long-ho-2022", 2)
    assert all(units(r.text) <= 2000 for r in replies)
    chart = replies.pop()  # the chart comes last, after the whole text
    assert chart.file is not None and chart.file.kind == "photo"
    # The summary fits one message of at most 25 lines, whatever the plan's size.
    assert len(replies) == 1 and replies[0].file is None
    assert replies[0].text.startswith("TỔNG HỢP TIẾN ĐỘ")
    assert len(replies[0].text.splitlines()) <= 25
    assert all(r.chat_id == "f00dcafe" and r.platform == "zalo" for r in replies)
