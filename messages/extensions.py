"""What officers and coordinators read about an extension request (*xin gia hạn*)."""

from __future__ import annotations

from datetime import datetime

from messages.dates import full_date
from messages.i18n import _
from storage.records import ExtensionView


def usage() -> str:
    return _("Xin gia hạn: /giahan MÃ [ngày mới] [lý do], ví dụ: /giahan T3 30/4 chờ kinh phí.")


def no_deadline(code: str) -> str:
    return _("Nhiệm vụ {code} không có hạn chót nên không cần xin gia hạn.").format(code=code)


def already_done(code: str) -> str:
    return _("Đơn vị đã báo cáo hoàn thành nhiệm vụ {code}, không cần xin gia hạn.").format(
        code=code
    )


def ask_date(code: str, due: datetime) -> str:
    return _(
        "Nhiệm vụ {code}, hạn chót hiện nay {date}. Anh/chị xin gia hạn đến ngày nào? "
        "Gõ ngày, ví dụ 30/4."
    ).format(code=code, date=full_date(due))


def bad_date() -> str:
    return _(
        "Chưa đọc được ngày. Anh/chị gõ ngày theo dạng ngày/tháng, ví dụ 30/4 hoặc 30/4/2024."
    )


def date_not_later(due: datetime) -> str:
    return _(
        "Ngày mới phải sau hạn chót hiện nay ({date}) và sau hôm nay. Anh/chị gõ lại ngày."
    ).format(date=full_date(due))


def ask_reason() -> str:
    return _("Anh/chị cho biết lý do xin gia hạn (một câu ngắn).")


def sent(view: ExtensionView) -> str:
    return _(
        "Đã gửi đề nghị gia hạn nhiệm vụ {code} đến ngày {date}. "
        "Anh/chị sẽ nhận được trả lời tại đây."
    ).format(code=view.task_code, date=full_date(view.wanted_due_at))


def nobody_to_ask() -> str:
    return _(
        "Chưa có đầu mối theo dõi nào nhận được đề nghị này trên nền tảng này; "
        "anh/chị liên hệ trực tiếp đầu mối theo dõi kế hoạch."
    )


def request(view: ExtensionView) -> str:
    """The request as a coordinator reads it, above the Accept/Refuse answers."""
    lines = [
        _("Đề nghị gia hạn #{id} — {unit}").format(id=view.id, unit=view.unit_name),
        _("Nhiệm vụ {code}, kỳ {period}: {title}").format(
            code=view.task_code, period=view.period, title=view.task_title
        ),
        _("Hạn chót hiện nay: {date}").format(date=full_date(view.due_at)) if view.due_at else "",
        _("Xin gia hạn đến: {date}").format(date=full_date(view.wanted_due_at)),
        _("Lý do: {reason}").format(reason=view.reason),
        _("Người đề nghị: {name}").format(name=view.display_name),
    ]
    return "\n".join(line for line in lines if line)


def accept_label() -> str:
    return _("Chấp nhận")


def refuse_label() -> str:
    return _("Từ chối")


def not_allowed() -> str:
    return _("Chỉ đầu mối theo dõi kế hoạch hoặc quản trị viên mới trả lời đề nghị gia hạn.")


def unknown_request() -> str:
    return _("Không tìm thấy đề nghị gia hạn này.")


def already_decided(view: ExtensionView) -> str:
    return _("Đề nghị gia hạn #{id} đã được trả lời trước đó.").format(id=view.id)


def decision_usage(number: int) -> str:
    return _("Trả lời đề nghị: /giahan #{id} đồng ý, hoặc /giahan #{id} từ chối [lý do].").format(
        id=number
    )


def ask_refusal_reason(view: ExtensionView) -> str:
    return _("Anh/chị cho biết lý do từ chối đề nghị gia hạn #{id} (một câu ngắn).").format(
        id=view.id
    )


def accepted_for_coordinator(view: ExtensionView) -> str:
    return _("Đã chấp nhận: {unit}, nhiệm vụ {code}, hạn chót mới {date}. Đã báo đơn vị.").format(
        unit=view.unit_name, code=view.task_code, date=full_date(view.wanted_due_at)
    )


def refused_for_coordinator(view: ExtensionView) -> str:
    return _("Đã từ chối đề nghị gia hạn #{id} của {unit}. Đã báo đơn vị.").format(
        id=view.id, unit=view.unit_name
    )


def accepted_for_officer(view: ExtensionView) -> str:
    return _(
        "Đề nghị gia hạn nhiệm vụ {code} đã được chấp nhận: hạn chót mới của {unit} là {date}. "
        "Nhắc việc sẽ theo hạn chót mới."
    ).format(code=view.task_code, unit=view.unit_name, date=full_date(view.wanted_due_at))


def refused_for_officer(view: ExtensionView) -> str:
    return _(
        "Đề nghị gia hạn nhiệm vụ {code} không được chấp nhận. Lý do: {reason}. "
        "Hạn chót vẫn là {date}."
    ).format(
        code=view.task_code,
        reason=view.answer or "",
        date=full_date(view.due_at) if view.due_at else "",
    )
