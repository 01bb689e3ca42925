"""What the bot says on Zalo only: choices as numbered lines, content Zalo withholds from
bots, files it cannot carry, and the operator's notices about the monthly message budget.

Zalo has no buttons: a reply's choices follow its text as ``1. label`` lines and the user
types the number (the chat core reads a typed number as the choice). Zalo's free plan
allows a number of outbound messages a month (3,000 in 2026): the operator is told at
80% of the configured budget and when it is spent, since reminders then wait for the
next month.
"""

from __future__ import annotations

from datetime import datetime

from messages.dates import VN_TZ, short_date
from messages.escape import inline
from messages.i18n import _

# -- what users send that the bot cannot read ---------------------------------------------


def sticker_received() -> str:
    return _("Tôi chỉ đọc được tin nhắn chữ và ảnh. Gõ /giup để xem các lệnh.")


def voice_received() -> str:
    return _(
        "Tôi chưa nghe được tin nhắn thoại. Anh/chị gõ bằng chữ giúp tôi; gõ /giup để xem "
        "các lệnh."
    )


def unsupported_received() -> str:
    return _(
        "Zalo không chuyển nội dung này cho bot. Tôi nhận được tin nhắn chữ và ảnh; minh "
        "chứng là tệp (PDF, Word...) thì anh/chị chụp ảnh rồi gửi lại."
    )


# -- files the bot cannot upload -------------------------------------------------------


def file_link(name: str, url: str, days: int) -> str:
    return _("Tải tệp {name}: {url} (liên kết dùng được {days} ngày).").format(
        name=inline(name, 120), url=url, days=days
    )


def file_not_sent(name: str) -> str:
    return _(
        "Zalo không cho bot gửi tệp nên tệp {name} chưa gửi được ở đây. Anh/chị nhờ quản trị "
        "viên gửi tệp này, hoặc nhận trên Telegram nếu đã đăng ký ở đó."
    ).format(name=inline(name, 120))


# -- the monthly message budget (to the operators) -------------------------------------


def _month(month: str) -> str:
    year, number = month.split("-")
    return _("tháng {month}/{year}").format(month=int(number), year=year)


def budget_warning(sent: int, budget: int, month: str) -> str:
    return _(
        "Bot Nhắc việc đã gửi {sent}/{budget} tin nhắn Zalo của {month}. Khi hết hạn mức, "
        "nhắc việc qua Zalo được tạm giữ đến đầu tháng sau; trả lời người dùng vẫn gửi. Xem "
        "hàng đợi bằng lệnh nhacviec reminders list."
    ).format(sent=sent, budget=budget, month=_month(month))


def budget_spent(budget: int, month: str, resume: datetime) -> str:
    return _(
        "Bot Nhắc việc đã dùng hết hạn mức {budget} tin nhắn Zalo của {month}. Nhắc việc qua "
        "Zalo được tạm giữ, gửi lại từ {date}; trả lời người dùng vẫn gửi. Xem bằng lệnh "
        "nhacviec reminders list."
    ).format(budget=budget, month=_month(month), date=short_date(resume.astimezone(VN_TZ)))
