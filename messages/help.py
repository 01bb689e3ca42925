"""What each chat command is for, in the user's words: the texts of /giup and of the
command menus that the platforms show (Telegram's setMyCommands).

``COMMAND_TEXTS`` is keyed by the command's Vietnamese name; the command itself (aliases,
who may use it, where, its place in the menu) is declared on its handler in ``bot.core``
with ``@command``. The texts stay here, marked with ``N_``, so that the catalogs hold
them; they are translated where they are shown, in the chat's language.
"""

from __future__ import annotations

from dataclasses import dataclass

from messages.i18n import N_, _


@dataclass(frozen=True)
class CommandText:
    """``usage`` shows the arguments; ``summary`` is one line (at most 256 characters, for
    Telegram's command menu); ``details`` is what ``/giup COMMAND`` adds."""

    usage: str
    summary: str
    details: str


COMMAND_TEXTS: dict[str, CommandText] = {
    "start": CommandText(
        N_("/start"),
        N_("Lời chào và những việc anh/chị làm được ở đây"),
        N_("Cho biết anh/chị đã đăng ký với vai trò nào và nên gõ lệnh gì tiếp theo."),
    ),
    "giup": CommandText(
        N_("/giup [lệnh]"),
        N_("Danh sách lệnh; /giup baocao để xem cách dùng một lệnh"),
        N_("Gõ /giup để xem mọi lệnh, /giup kèm tên lệnh (ví dụ /giup baocao) để xem chi tiết."),
    ),
    "dangky": CommandText(
        N_("/dangky MÃ"),
        N_("Đăng ký vào đơn vị (hoặc làm lãnh đạo, đầu mối) bằng mã mời"),
        N_(
            "Mã mời do quản trị viên cấp, dùng một lần và có hạn. Gõ trong chat riêng với bot "
            "để trở thành cán bộ của đơn vị (hoặc lãnh đạo, đầu mối theo dõi). Gõ trong nhóm "
            "để nhóm thành nhóm của đơn vị (nhận nhắc việc) hoặc nhóm lãnh đạo (nhận tổng "
            "hợp). Ví dụ: /dangky K7QM3XPA"
        ),
    ),
    "nhiemvu": CommandText(
        N_("/nhiemvu"),
        N_("Nhiệm vụ của đơn vị, hạn chót và tình trạng báo cáo gần nhất"),
        N_(
            "Liệt kê các nhiệm vụ đơn vị chủ trì hoặc phối hợp, với mã nhiệm vụ (dùng khi "
            "báo cáo), kỳ và hạn chót gần nhất chưa hoàn thành, và báo cáo gần nhất."
        ),
    ),
    "hanchot": CommandText(
        N_("/hanchot [số ngày]"),
        N_("Hạn chót của đơn vị trong những ngày tới (mặc định 14 ngày)"),
        N_("Ví dụ: /hanchot 30 cho các hạn chót trong 30 ngày tới (từ 1 đến 366 ngày)."),
    ),
    "baocao": CommandText(
        N_("/baocao [mã nhiệm vụ] [tình trạng hoặc %] [ghi chú]"),
        N_("Báo cáo tiến độ một nhiệm vụ (kèm ảnh, tệp minh chứng)"),
        N_(
            "Một dòng: /baocao T3 50% đã lắp 2 pano. Tình trạng: chưa bắt đầu, đang thực "
            "hiện, hoàn thành (nghĩa là 100%), vướng mắc (cần ghi vướng mắc là gì). Chỉ gõ "
            "/baocao (hoặc /baocao T3) để được hỏi từng bước: chọn nhiệm vụ, tình trạng, phần "
            "trăm, ghi chú, rồi gửi ảnh hoặc tệp minh chứng. Ghi chú tối đa 1000 ký tự."
        ),
    ),
    "giahan": CommandText(
        N_("/giahan [mã nhiệm vụ] [ngày mới] [lý do]"),
        N_("Xin gia hạn hạn chót của đơn vị; đầu mối theo dõi chấp nhận hoặc từ chối"),
        N_(
            "Ví dụ: /giahan T3 30/4 chờ kinh phí. Thiếu ngày hoặc lý do, bot sẽ hỏi từng bước. "
            "Đề nghị được gửi đến đầu mối theo dõi kế hoạch (hoặc quản trị viên), người bấm "
            "Chấp nhận hoặc Từ chối (kèm lý do). Khi được chấp nhận, hạn chót của đơn vị "
            "được dời và nhắc việc theo hạn chót mới."
        ),
    ),
    "tonghop": CommandText(
        N_("/tonghop [mã kế hoạch]"),
        N_("Tổng hợp tiến độ: số liệu, quá hạn, chưa báo cáo, từng đơn vị"),
        N_(
            "Dành cho lãnh đạo và đầu mối theo dõi, trong chat riêng hoặc nhóm lãnh đạo. Kèm "
            "biểu đồ tiến độ các đơn vị. Ví dụ: /tonghop cua-lo-2024. Không ghi mã thì chọn "
            "trong danh sách kế hoạch."
        ),
    ),
    "quahan": CommandText(
        N_("/quahan [mã kế hoạch]"),
        N_("Các nhiệm vụ quá hạn và đơn vị chưa hoàn thành"),
        N_("Dành cho lãnh đạo và đầu mối theo dõi, trong chat riêng hoặc nhóm lãnh đạo."),
    ),
    "chuabaocao": CommandText(
        N_("/chuabaocao [mã kế hoạch]"),
        N_("Các đơn vị chưa báo cáo những kỳ đã đến"),
        N_("Dành cho lãnh đạo và đầu mối theo dõi, trong chat riêng hoặc nhóm lãnh đạo."),
    ),
    "xacnhan": CommandText(
        N_("/xacnhan"),
        N_("Nạp kế hoạch vừa đọc từ văn bản gửi vào đây"),
        N_(
            "Dành cho quản trị, trong chat riêng. Gửi tệp Word (.docx) hoặc PDF có chữ của kế "
            "hoạch: bot trả lời danh sách nhiệm vụ với hạn chót và các dòng cần kiểm tra. Sửa "
            "theo số thứ tự (“3 chủ trì: Phòng Nội vụ”, “3 thời gian: Quý II/2026”), rồi gửi "
            "/xacnhan để nạp, /huy để bỏ."
        ),
    ),
    "xuat": CommandText(
        N_("/xuat [mã kế hoạch]"),
        N_("Xuất tiến độ, các báo cáo và nhắc việc đã gửi ra tệp Excel"),
        N_(
            "Dành cho lãnh đạo và đầu mối theo dõi, trong chat riêng hoặc nhóm lãnh đạo. Tệp "
            "gồm ba trang: tiến độ từng đơn vị theo từng kỳ (tình trạng, phần trăm, ghi chú, "
            "số minh chứng), mọi báo cáo, các nhắc việc đã gửi. Ví dụ: /xuat cua-lo-2024."
        ),
    ),
    "baocaoky": CommandText(
        N_("/baocaoky [kỳ] [mã kế hoạch]"),
        N_("Dự thảo báo cáo định kỳ (quý, 6 tháng, năm) ra tệp Word"),
        N_(
            "Dành cho lãnh đạo và đầu mối theo dõi, trong chat riêng hoặc nhóm lãnh đạo. Ví "
            "dụ: /baocaoky Quý I/2024, /baocaoky 6 tháng đầu năm 2024, /baocaoky Năm 2024 "
            "cua-lo-2024. Không ghi kỳ thì chọn trong các kỳ gần đây. Dự thảo theo thể thức "
            "Nghị định 30/2020/NĐ-CP, lấy số liệu đến hết kỳ; anh/chị điền số văn bản, đề "
            "xuất, kiến nghị và nơi nhận trước khi trình ký."
        ),
    ),
    "minhchung": CommandText(
        N_("/minhchung mã nhiệm vụ [mã kế hoạch]"),
        N_("Xem ảnh, tệp minh chứng các đơn vị đã gửi cho một nhiệm vụ"),
        N_(
            "Dành cho lãnh đạo và đầu mối theo dõi, trong chat riêng hoặc nhóm lãnh đạo. Bot "
            "gửi lại 10 tệp mới nhất, mỗi tệp ghi đơn vị, kỳ và ngày báo cáo; tệp Excel (/xuat) "
            "liệt kê đủ. Ví dụ: /minhchung T3."
        ),
    ),
    "sukien": CommandText(
        N_("/sukien [mã nhiệm vụ] [ngày] [mã kế hoạch]"),
        N_("Ghi nhận sự kiện mà nhiệm vụ chờ (khi có vụ việc, khi có yêu cầu...)"),
        N_(
            "Dành cho đầu mối theo dõi và quản trị. Nhiệm vụ “khi có vụ việc”, “trong vòng 10 "
            "ngày kể từ khi ...” chưa có hạn chót cho đến khi sự kiện xảy ra. Ví dụ: /sukien 4 "
            "18/11/2025 ghi nhận sự kiện của nhiệm vụ 4 ngày 18/11/2025 (không ghi ngày là hôm "
            "nay); hạn chót tính từ ngày đó và đơn vị được nhắc như thường lệ. Thêm “hạn "
            "25/11/2025” khi văn bản không tính sẵn hạn chót. Nhiệm vụ “đến khi ...” kết thúc "
            "vào ngày ghi nhận. Chỉ gõ /sukien để xem các nhiệm vụ đang chờ sự kiện."
        ),
    ),
    "xem": CommandText(
        N_("/xem"),
        N_("Mở trang tổng hợp các kế hoạch anh/chị theo dõi"),
        N_(
            "Trong chat riêng với bot. Trên Telegram, bấm nút để mở trang ngay trong Telegram; "
            "trên Zalo, bot gửi một liên kết riêng cho anh/chị, dùng được 15 phút. Lãnh đạo, "
            "đầu mối theo dõi xem cả kế hoạch; cán bộ xem các nhiệm vụ của đơn vị mình."
        ),
    ),
    "huy": CommandText(
        N_("/huy"),
        N_("Hủy việc đang làm dở (báo cáo từng bước, một lựa chọn đang chờ)"),
        N_("Không có gì được lưu. Việc bỏ dở quá 30 phút cũng tự hủy."),
    ),
    "ngonngu": CommandText(
        N_("/ngonngu vi|en"),
        N_("Chọn ngôn ngữ trả lời của chat này: vi (tiếng Việt) hoặc en (English)"),
        N_("Ví dụ: /ngonngu en. Trong nhóm, ngôn ngữ áp dụng cho cả nhóm."),
    ),
    "mamoi": CommandText(
        N_("/mamoi MÃ_ĐƠN_VỊ [mã kế hoạch] [số người] | lanhdao | daumoi [mã kế hoạch]"),
        N_("Tạo mã mời đăng ký (quản trị viên)"),
        N_(
            "Ví dụ: /mamoi NV cua-lo-2024 cho Phòng Nội vụ của kế hoạch cua-lo-2024, "
            "/mamoi NV cua-lo-2024 5 cho một mã dùng được cho 5 cán bộ, "
            "/mamoi lanhdao cho lãnh đạo, /mamoi daumoi cho đầu mối theo dõi mọi kế hoạch."
        ),
    ),
    "canbo": CommandText(
        N_("/canbo MÃ_ĐƠN_VỊ [mã kế hoạch]"),
        N_("Cán bộ đã đăng ký và nhóm chat của một đơn vị (quản trị viên, đầu mối)"),
        N_(
            "Ví dụ: /canbo NV. Trong nhóm của đơn vị chỉ cần /canbo. Mỗi cán bộ có một số # "
            "để dùng với /xoacanbo."
        ),
    ),
    "xoacanbo": CommandText(
        N_("/xoacanbo MÃ_ĐƠN_VỊ SỐ [mã kế hoạch]"),
        N_("Xóa một cán bộ đã nghỉ hay chuyển công tác (quản trị viên, đầu mối)"),
        N_(
            "Ví dụ: /xoacanbo NV 12, với 12 là số # trong /canbo. Cán bộ bị xóa không còn "
            "nhận nhắc việc; các báo cáo đã gửi vẫn được giữ."
        ),
    ),
    "dsmamoi": CommandText(
        N_("/dsmamoi [mã kế hoạch]"),
        N_("Các mã mời còn dùng được (quản trị viên, đầu mối)"),
        N_("Mỗi mã kèm đơn vị, số lượt còn lại và thời hạn. Hủy một mã bằng /huymamoi MÃ."),
    ),
    "huymamoi": CommandText(
        N_("/huymamoi MÃ"),
        N_("Hủy một mã mời (quản trị viên, đầu mối)"),
        N_("Ví dụ: /huymamoi TSEC-KWBM. Sau khi hủy, không ai đăng ký được bằng mã đó nữa."),
    ),
    "duyet": CommandText(
        N_("/duyet TÊN"),
        N_("Thêm đồng nghiệp đã nhắn trong nhóm làm cán bộ của đơn vị"),
        N_(
            "Khi một người chưa đăng ký gõ lệnh trong nhóm của đơn vị, bot hỏi các cán bộ đã "
            "đăng ký; một người bấm nút Duyệt hoặc gõ /duyet kèm tên người đó."
        ),
    ),
}

SECTION_TITLES = {
    "anyone": N_("Mọi người:"),
    "member": N_("Cán bộ đơn vị:"),
    "overseer": N_("Lãnh đạo, đầu mối theo dõi:"),
    "operator": N_("Quản trị viên:"),
}


def command_line(name: str, aliases: tuple[str, ...]) -> str:
    """``/baocao ... — summary (hoặc /report)``: the usage in the reader's language names
    one of the command's names; the others follow."""
    text = COMMAND_TEXTS[name]
    usage = _(text.usage)
    shown = usage.split()[0].lstrip("/")
    others = [n for n in (name, *aliases) if n != shown]
    line = f"{usage} — {_(text.summary)}"
    if others:
        line += " " + _("(hoặc {aliases})").format(aliases=", ".join(f"/{n}" for n in others))
    return line


def help_overview(sections: list[tuple[str, list[tuple[str, tuple[str, ...]]]]]) -> str:
    """/giup: the commands by audience; ``sections`` is [(audience, [(name, aliases)])]."""
    lines = [_("Các lệnh của bot Nhắc việc:")]
    for audience, commands in sections:
        if not commands:
            continue
        lines.append("")
        lines.append(_(SECTION_TITLES[audience]))
        lines.extend(command_line(name, aliases) for name, aliases in commands)
    lines.append("")
    lines.append(_("Gõ /giup kèm tên lệnh để xem chi tiết, ví dụ /giup baocao."))
    return "\n".join(lines)


def help_command(name: str, aliases: tuple[str, ...]) -> str:
    """/giup COMMAND: usage, summary and details of one command."""
    text = COMMAND_TEXTS[name]
    return "\n".join((command_line(name, aliases), _(text.details)))


def unknown_help_topic(topic: str) -> str:
    return _("Không có lệnh /{command}. Gõ /giup để xem các lệnh.").format(command=topic)
