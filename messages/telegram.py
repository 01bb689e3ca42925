"""The few texts only Telegram users see: a pressed button's mark, and a group's privacy note.

Everything else the bot says on Telegram is the chat core's (``messages.replies`` and
the rest), the same words as on Zalo and the console.
"""

from __future__ import annotations

from messages.escape import inline
from messages.i18n import _


def chosen(label: str) -> str:
    """Appended to a message whose button was pressed, in place of its keyboard."""
    return _("→ Đã chọn: {label}").format(label=inline(label, 120))


def group_privacy_note() -> str:
    """Added to the greeting when the bot joins a group as a plain member while Telegram's
    group privacy mode is on: it then sees only commands and replies to its messages."""
    return _(
        "Lưu ý: trong nhóm, tôi chỉ đọc được các lệnh (như /baocao) và tin nhắn trả lời tin "
        "của tôi. Để báo cáo từng bước kèm ghi chú, ảnh minh chứng ngay trong nhóm, quản trị "
        "viên nhóm hãy đặt tôi làm quản trị viên; hoặc mỗi lần hãy trả lời (reply) vào tin "
        "nhắn của tôi."
    )
