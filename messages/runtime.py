"""What ``nhacviec run`` tells the operator when it cannot start, and what it prints for
console chats (the terminal is their only way to reach a person)."""

from __future__ import annotations

from messages.i18n import _


def nothing_enabled() -> str:
    return _(
        "Chưa bật nền tảng nào: hãy đặt enabled = true và ghi token của bot trong mục "
        "[telegram] (hoặc [zalo]) của tệp cấu hình (xem config.example.toml). Muốn thử bot "
        'mà chưa có token: nhacviec chat --as "Tên".'
    )


def token_refused(platform: str) -> str:
    return _(
        "{platform} không nhận token của bot. Kiểm tra lại token trong tệp cấu hình hoặc "
        "biến môi trường (lấy token mới từ @BotFather nếu cần)."
    ).format(platform=platform)


def unreachable(platform: str, url: str, reason: str) -> str:
    return _(
        "Không kết nối được {platform} tại {url}: {reason}. Kiểm tra mạng và api_base_url "
        "rồi chạy lại."
    ).format(platform=platform, url=url, reason=reason)


def port_unavailable(address: str) -> str:
    return _(
        "Không mở được cổng web cho webhook ({address}). Cổng đang bị chương trình khác dùng "
        "hoặc cần quyền quản trị: đổi listen_host, listen_port trong mục [web] của tệp cấu "
        "hình."
    ).format(address=address)


def console_reminder(chat_id: str, text: str) -> str:
    return _("[Nhắc việc → {chat}]\n{text}").format(chat=chat_id, text=text)
