"""Registering with an invite code (/dangky) and making codes (/mamoi, ``nhacviec invite``)."""

from __future__ import annotations

from datetime import datetime

from messages.dates import date_time
from messages.escape import inline
from messages.i18n import _
from messages.replies import EXAMPLE_CODE


def usage() -> str:
    return _(
        "Gõ /dangky kèm mã mời, ví dụ /dangky {example}. Mã mời do quản trị viên cấp."
    ).format(example=EXAMPLE_CODE)


def registered_member(name: str, unit: str, plan: str) -> str:
    return _(
        "Đã đăng ký: anh/chị {name} là cán bộ của {unit} ({plan}). Gõ /nhiemvu để xem nhiệm vụ "
        "và hạn chót, /baocao để báo cáo tiến độ."
    ).format(name=inline(name, 60), unit=unit, plan=plan)


def registered_leader(name: str) -> str:
    return _(
        "Đã đăng ký: anh/chị {name} là lãnh đạo theo dõi kế hoạch. Gõ /tonghop để xem tổng hợp "
        "tiến độ."
    ).format(name=inline(name, 60))


def registered_coordinator(name: str, scope: str) -> str:
    return _(
        "Đã đăng ký: anh/chị {name} là đầu mối theo dõi {scope}. Gõ /tonghop, /quahan, "
        "/chuabaocao để theo dõi các đơn vị."
    ).format(name=inline(name, 60), scope=scope)


def group_registered_unit(unit: str, name: str) -> str:
    return _(
        "Đã đăng ký nhóm này là nhóm của {unit}: tôi sẽ nhắc hạn chót các nhiệm vụ của đơn vị "
        "ở đây. Anh/chị {name} là cán bộ của đơn vị. Gõ /nhiemvu để xem nhiệm vụ."
    ).format(unit=unit, name=inline(name, 60))


def group_registered_leadership(name: str) -> str:
    return _(
        "Đã đăng ký nhóm này là nhóm lãnh đạo: tôi sẽ gửi tổng hợp tiến độ ở đây. Anh/chị "
        "{name} là lãnh đạo theo dõi kế hoạch. Gõ /tonghop để xem ngay."
    ).format(name=inline(name, 60))


def already_member(unit: str) -> str:
    return _("Anh/chị đã là cán bộ của {unit} rồi, không cần đăng ký lại.").format(unit=unit)


def already_leader() -> str:
    return _("Anh/chị đã đăng ký là lãnh đạo rồi, không cần đăng ký lại.")


def already_coordinator() -> str:
    return _("Anh/chị đã đăng ký là đầu mối theo dõi rồi, không cần đăng ký lại.")


def code_unknown() -> str:
    return _("Mã mời không đúng. Hãy kiểm tra lại mã (8 chữ và số) hoặc xin quản trị viên mã mới.")


def code_used() -> str:
    return _("Mã mời này đã được dùng. Mỗi mã chỉ dùng một lần: hãy xin quản trị viên mã mới.")


def code_revoked() -> str:
    return _("Mã mời này đã bị hủy. Anh/chị xin quản trị viên hoặc đầu mối một mã mới.")


def code_expired(expired_at: datetime) -> str:
    return _("Mã mời này đã hết hạn lúc {time}. Hãy xin quản trị viên mã mới.").format(
        time=date_time(expired_at)
    )


def locked_out(until: datetime) -> str:
    return _(
        "Anh/chị đã nhập sai mã mời 5 lần trong một giờ nên tạm thời chưa đăng ký được. Hãy thử "
        "lại sau {time}."
    ).format(time=date_time(until))


def coordinator_code_in_group() -> str:
    return _(
        "Mã này dành cho đầu mối theo dõi, chỉ dùng trong chat riêng với bot. Hãy nhắn riêng "
        "cho bot: /dangky MÃ."
    )


def group_taken_by_unit(unit: str) -> str:
    return _(
        "Nhóm này đã là nhóm của {unit}; mỗi nhóm chỉ theo một đơn vị. Hãy dùng mã này trong "
        "nhóm của đơn vị mình hoặc trong chat riêng với bot."
    ).format(unit=unit)


def group_taken_by_leadership() -> str:
    return _(
        "Nhóm này đã là nhóm lãnh đạo. Hãy dùng mã này trong nhóm của đơn vị hoặc trong chat "
        "riêng với bot."
    )


# -- making codes (operators) --------------------------------------------------------


def invite_for_unit(unit: str, plan: str, expires_at: datetime) -> str:
    return _(
        "Mã mời cho {unit} (kế hoạch {plan}), dùng một lần, hết hạn lúc {time}. Người nhận gõ "
        "/dangky MÃ trong chat riêng với bot, hoặc trong nhóm của đơn vị để nhóm nhận nhắc việc:"
    ).format(unit=unit, plan=plan, time=date_time(expires_at))


def invite_for_leadership(expires_at: datetime) -> str:
    return _(
        "Mã mời cho lãnh đạo, dùng một lần, hết hạn lúc {time}. Gõ /dangky MÃ trong nhóm lãnh "
        "đạo (nhóm sẽ nhận tổng hợp) hoặc trong chat riêng với bot:"
    ).format(time=date_time(expires_at))


def invite_for_coordinator(scope: str, expires_at: datetime) -> str:
    return _(
        "Mã mời cho đầu mối theo dõi {scope}, dùng một lần, hết hạn lúc {time}. Gõ /dangky MÃ "
        "trong chat riêng với bot:"
    ).format(scope=scope, time=date_time(expires_at))


def invite_usage() -> str:
    return _(
        "Gõ /mamoi MÃ_ĐƠN_VỊ [mã kế hoạch] để tạo mã cho một đơn vị, /mamoi lanhdao cho lãnh "
        "đạo, /mamoi daumoi [mã kế hoạch] cho đầu mối theo dõi."
    )


def unknown_unit(unit: str) -> str:
    return _("Không có đơn vị mã {unit} trong kế hoạch nào đã nạp.").format(unit=inline(unit, 40))


def unknown_unit_in_plan(unit: str, plan: str) -> str:
    return _("Không có đơn vị mã {unit} trong kế hoạch {plan}.").format(
        unit=inline(unit, 40), plan=inline(plan, 64)
    )


def unit_in_several_plans(unit: str, plans: list[str]) -> str:
    return _("Đơn vị {unit} có trong nhiều kế hoạch ({plans}); hãy ghi thêm mã kế hoạch.").format(
        unit=unit, plans=", ".join(plans)
    )


def unit_is_group(unit: str, count: int) -> str:
    return _(
        "{unit} là nhóm gồm {n} đơn vị; mỗi đơn vị trong nhóm báo cáo riêng, hãy tạo mã cho "
        "từng đơn vị."
    ).format(unit=unit, n=count)


def unknown_plan(plan: str, known: list[str]) -> str:
    return _("Không có kế hoạch mã {plan}. Các kế hoạch: {known}.").format(
        plan=inline(plan, 64), known=", ".join(known) or "—"
    )
