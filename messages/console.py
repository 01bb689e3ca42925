"""The console channel's own texts: its banner, its prompt, errors in a transcript file."""

from __future__ import annotations

from messages.i18n import _


def banner(name: str, chat: str | None) -> str:
    where = _("nhóm {name}").format(name=chat) if chat else _("chat riêng")
    return _(
        "Đang chat với bot Nhắc việc, tên {name}, trong {where}. Gõ tin nhắn rồi Enter; gửi ảnh "
        "hay tệp: [ảnh tên.jpg] hoặc [tệp tên.pdf]; chọn một mục: gõ số thứ tự; thoát: Ctrl-D."
    ).format(name=name, where=where)


def attached(photo: bool, name: str) -> str:
    """A file the bot sent, shown the way the banner says to type one."""
    return (_("[ảnh {name}]") if photo else _("[tệp {name}]")).format(name=name)


def bad_line(line: int) -> str:
    return _(
        "dòng {line}: cần dạng người gửi@chat: tin nhắn (chat là private hoặc tên nhóm), "
        "hoặc @time 2024-03-05 09:00"
    ).format(line=line)


def bad_time(line: int, text: str) -> str:
    return _(
        'dòng {line}: không đọc được thời điểm "{text}"; ghi dạng @time 2024-03-05 09:00'
    ).format(line=line, text=text)


def clock_not_simulated() -> str:
    return _(
        "@time chỉ dùng được với đồng hồ mô phỏng; bản ghi này cần đặt giờ nên không chạy với "
        "đồng hồ thật."
    )


def name_too_long(name: str) -> str:
    return _("Tên quá dài (tối đa 60 ký tự): {name}").format(name=name)


def cannot_read(path: str, reason: str) -> str:
    return _("Không đọc được tệp {file}: {reason}").format(file=path, reason=reason)


def file_written(path: str) -> str:
    """Under a reply that carries a file: where the terminal chat wrote it."""
    return _("(đã ghi tệp: {path})").format(path=path)


def bad_day(text: str) -> str:
    return _("không đọc được ngày “{text}”; ghi dạng 2024-03-05").format(text=text)
