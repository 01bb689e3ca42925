"""Administration in chat and on the command line: a unit's officers and groups, removing
an officer, the open invite codes, revoking one, and admitting a colleague (/duyet)."""

from __future__ import annotations

from datetime import datetime

from messages.dates import date_time
from messages.escape import inline
from messages.i18n import _, ngettext
from storage.models import Admission, Chat, Member, Role
from storage.records import Invite


def officers(unit: str, plan: str, members: list[Member], chats: list[Chat]) -> str:
    """The unit's officers (each with the number /xoacanbo takes) and its groups."""
    lines = [_("{unit} (kế hoạch {plan})").format(unit=unit, plan=plan)]
    if members:
        lines.append(_("Cán bộ đã đăng ký:"))
        lines.extend(f"  #{m.id} {inline(m.display_name, 60)} ({m.platform})" for m in members)
    else:
        lines.append(_("Chưa có cán bộ nào đăng ký; tạo mã mời bằng /mamoi."))
    if chats:
        lines.append(_("Nhóm chat của đơn vị:"))
        lines.extend(f"  {inline(c.title, 60) or c.chat_id} ({c.platform})" for c in chats)
    else:
        lines.append(_("Đơn vị chưa có nhóm chat; nhắc việc gửi riêng cho từng cán bộ."))
    return "\n".join(lines)


def officers_usage() -> str:
    return _(
        "Gõ /canbo MÃ_ĐƠN_VỊ [mã kế hoạch], ví dụ /canbo NV; trong nhóm đơn vị chỉ cần /canbo."
    )


def remove_usage() -> str:
    return _(
        "Gõ /xoacanbo MÃ_ĐƠN_VỊ SỐ [mã kế hoạch], SỐ là số # trong /canbo, ví dụ /xoacanbo NV 12; "
        "trong nhóm đơn vị chỉ cần /xoacanbo 12."
    )


def no_such_officer(number: str, unit: str) -> str:
    return _("{unit} không có cán bộ số {number}. Xem danh sách bằng /canbo.").format(
        number=inline(number, 12), unit=unit
    )


def officer_removed(name: str, unit: str) -> str:
    return _(
        "Đã xóa {name} khỏi {unit}: anh/chị ấy không còn nhận nhắc việc; các báo cáo đã gửi "
        "vẫn được giữ."
    ).format(name=inline(name, 60), unit=unit)


def admins_only(command: str) -> str:
    return _("Lệnh /{command} dành cho quản trị viên và đầu mối theo dõi.").format(command=command)


def not_your_plan(plan: str) -> str:
    return _("Anh/chị không theo dõi kế hoạch {plan}.").format(plan=plan)


def _whom(found: Invite) -> str:
    invite = found.invite
    if invite.role == Role.LEADER:
        return _("lãnh đạo")
    if invite.role == Role.COORDINATOR:
        plan = found.plan.code if found.plan else _("mọi kế hoạch")
        return _("đầu mối theo dõi ({plan})").format(plan=plan)
    unit = found.unit.name if found.unit else "?"
    plan = found.plan.code if found.plan else "?"
    return f"{unit} ({plan})"


def invite_line(found: Invite) -> str:
    invite = found.invite
    left = invite.uses - invite.used_count
    return _("{code}: {whom}, còn {left}/{uses} lượt, hết hạn lúc {time}").format(
        code=invite.code,
        whom=_whom(found),
        left=left,
        uses=invite.uses,
        time=date_time(invite.expires_at),
    )


def invites(found: list[Invite]) -> str:
    if not found:
        return _("Không có mã mời nào còn dùng được. Tạo mã mới bằng /mamoi.")
    head = ngettext("{n} mã mời còn dùng được:", "{n} mã mời còn dùng được:", len(found))
    lines = [head.format(n=len(found)), *(invite_line(f) for f in found)]
    lines.append(_("Hủy một mã bằng /huymamoi MÃ."))
    return "\n".join(lines)


def revoke_usage() -> str:
    return _("Gõ /huymamoi MÃ, ví dụ /huymamoi TSEC-KWBM. Xem các mã bằng /dsmamoi.")


def invite_unknown(code: str) -> str:
    return _("Không có mã mời {code}. Xem các mã bằng /dsmamoi.").format(code=inline(code, 20))


def invite_revoked(found: Invite, at: datetime) -> str:
    return _(
        "Đã hủy mã {code} ({whom}) lúc {time}; ai gõ mã này sẽ không đăng ký được nữa."
    ).format(code=found.invite.code, whom=_whom(found), time=date_time(at))


def invite_for_several(unit: str, plan: str, uses: int, expires_at: datetime) -> str:
    return _(
        "Mã mời cho {unit} (kế hoạch {plan}), dùng được cho {uses} cán bộ, hết hạn lúc {time}. "
        "Mỗi người gõ /dangky MÃ trong chat riêng với bot, hoặc trong nhóm của đơn vị:"
    ).format(unit=unit, plan=plan, uses=uses, time=date_time(expires_at))


def uses_wrong(text: str) -> str:
    return _("Số người dùng mã phải từ 1 đến 100 (nhận: {text}).").format(text=inline(text, 12))


# -- admitting a colleague -----------------------------------------------------------


def admission_offer(name: str, unit: str) -> str:
    return _(
        "{name} chưa đăng ký là cán bộ của {unit}. Một cán bộ đã đăng ký của đơn vị bấm nút "
        "dưới đây (hoặc gõ /duyet {name}) để thêm anh/chị ấy."
    ).format(name=inline(name, 60), unit=unit)


def admit_button(name: str) -> str:
    return _("Duyệt {name}").format(name=inline(name, 30))


def admit_usage(pending: list[Admission]) -> str:
    if not pending:
        return _("Không có ai đang chờ duyệt vào đơn vị này.")
    names = ", ".join(inline(a.display_name, 60) for a in pending)
    return _("Gõ /duyet TÊN để thêm người đang chờ: {names}.").format(names=names)


def admit_nobody(typed: str, pending: list[Admission]) -> str:
    return _("Không có ai tên {typed} đang chờ duyệt. {rest}").format(
        typed=inline(typed, 60), rest=admit_usage(pending)
    )


def admit_several(typed: str, pending: list[Admission]) -> str:
    names = ", ".join(f"{inline(a.display_name, 60)} (/duyet #{a.id})" for a in pending)
    return _("Có nhiều người tên {typed}: {names}. Hãy chọn một.").format(
        typed=inline(typed, 60), names=names
    )


def admit_officers_only(unit: str) -> str:
    return _(
        "Chỉ cán bộ đã đăng ký của {unit} (hoặc quản trị viên, đầu mối) mới duyệt được."
    ).format(unit=unit)


def admitted(name: str, unit: str, by: str) -> str:
    return _(
        "{by} đã duyệt {name} vào {unit}. Từ nay anh/chị {name} nhận nhắc việc và báo cáo "
        "được cho đơn vị; gõ /nhiemvu để xem nhiệm vụ."
    ).format(name=inline(name, 60), unit=unit, by=inline(by, 60))


def admitted_already(name: str) -> str:
    return _("{name} đã được duyệt trước đó.").format(name=inline(name, 60))
