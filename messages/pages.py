"""The texts of the leaders' page and of /xem that opens it.

The page's templates hold no words of their own: every label is a function here, so that
the catalogs hold it and the page speaks the viewer's language. Dates and numbers go
through ``messages.dates``; the statuses and roles are the chat's (``messages.reports``).
"""

from __future__ import annotations

from datetime import datetime

from messages.dates import date_time
from messages.i18n import _

# -- /xem in the chat ----------------------------------------------------------------


def view_mini_app() -> str:
    return _("Bấm nút dưới đây để mở trang tổng hợp các kế hoạch anh/chị theo dõi.")


def view_button() -> str:
    return _("Xem trang tổng hợp")


def view_link(url: str, minutes: int) -> str:
    return _(
        "Trang tổng hợp các kế hoạch anh/chị theo dõi: {url}\n"
        "Liên kết chỉ dành cho anh/chị, dùng được trong {minutes} phút; hết hạn thì gõ /xem "
        "để nhận liên kết mới."
    ).format(url=url, minutes=minutes)


def view_unavailable() -> str:
    return _(
        "Trang tổng hợp chưa được bật. Anh/chị nhờ quản trị viên đặt [web] public_url và "
        "secret trong cấu hình; trong lúc chờ, gõ /tonghop để xem tổng hợp trong chat."
    )


def view_not_registered() -> str:
    return _("Anh/chị chưa đăng ký nên chưa có trang để xem. Gõ /dangky MÃ với mã mời được cấp.")


# -- the page's frame ----------------------------------------------------------------


def site_title() -> str:
    return _("Theo dõi nhiệm vụ")


def figures_at(now: datetime) -> str:
    return _("Số liệu lúc {time}.").format(time=date_time(now))


def other_language() -> str:
    """The link to the page in the other language, written in that language."""
    return _("English")


def read_only_note() -> str:
    return _("Trang chỉ để xem. Báo cáo tiến độ trong chat bằng lệnh /baocao.")


def back_to_plans() -> str:
    return _("← Các kế hoạch")


def back_to_plan(code: str) -> str:
    return _("← Kế hoạch {code}").format(code=code)


# -- refusals --------------------------------------------------------------------------


def link_refused() -> str:
    return _("Liên kết không hợp lệ hoặc đã hết hạn")


def link_refused_hint() -> str:
    return _("Anh/chị gõ /xem trong chat riêng với bot để nhận liên kết mới (dùng được 15 phút).")


def nothing_to_see() -> str:
    return _("Anh/chị chưa được xem kế hoạch nào")


def nothing_to_see_hint() -> str:
    return _(
        "Trang chỉ dành cho lãnh đạo, đầu mối theo dõi và cán bộ các đơn vị đã đăng ký. "
        "Gõ /dangky MÃ trong chat với bot nếu anh/chị có mã mời."
    )


def not_found() -> str:
    return _("Không tìm thấy trang này")


def not_found_hint() -> str:
    return _("Kế hoạch hoặc nhiệm vụ không có, hoặc không thuộc phần anh/chị được xem.")


def opening_mini_app() -> str:
    return _("Đang mở trang tổng hợp…")


def mini_app_only() -> str:
    return _("Trang này mở bằng nút «Xem trang tổng hợp» của bot trong Telegram.")


# -- the list of plans -----------------------------------------------------------------


def plans_heading() -> str:
    return _("Kế hoạch anh/chị theo dõi")


def whole_plan() -> str:
    return _("toàn bộ kế hoạch")


def own_units() -> str:
    return _("các nhiệm vụ của đơn vị anh/chị")
