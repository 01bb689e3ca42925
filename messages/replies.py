"""The chat's general answers: greetings, refusals, input it cannot take, languages.

Each function returns one text in the current language (``messages.i18n.language``).
Every refusal says what to type instead. Names typed by users pass through
``messages.escape.inline``.
"""

from __future__ import annotations

from messages.escape import inline
from messages.i18n import _

EXAMPLE_CODE = "K7QM3XPA"


def _name(name: str) -> str:
    return inline(name, 60)


# -- greetings (/start) ----------------------------------------------------------------


def greeting_unregistered(name: str) -> str:
    return _(
        "Chào anh/chị {name}. Tôi là bot Nhắc việc: tôi nhắc hạn chót các nhiệm vụ của kế "
        "hoạch, nhận báo cáo tiến độ và gửi tổng hợp cho lãnh đạo.\n"
        "Anh/chị chưa đăng ký. Hãy gõ /dangky MÃ với mã mời do quản trị viên cấp, ví dụ "
        "/dangky {example}. Gõ /giup để xem các lệnh."
    ).format(name=_name(name), example=EXAMPLE_CODE)


def greeting_registered(name: str, roles: list[str]) -> str:
    lines = [_("Chào anh/chị {name}.").format(name=_name(name))]
    lines.extend(roles)
    lines.append(_("Gõ /giup để xem các lệnh."))
    return "\n".join(lines)


def role_member(unit: str, plan: str) -> str:
    return _(
        "Anh/chị là cán bộ của {unit} ({plan}): gõ /nhiemvu để xem nhiệm vụ và hạn chót, "
        "/baocao để báo cáo tiến độ."
    ).format(unit=unit, plan=plan)


def role_leader() -> str:
    return _(
        "Anh/chị là lãnh đạo theo dõi kế hoạch: gõ /tonghop để xem tổng hợp, /quahan để xem "
        "nhiệm vụ quá hạn, /chuabaocao để xem đơn vị chưa báo cáo."
    )


def role_coordinator(scope: str) -> str:
    return _(
        "Anh/chị là đầu mối theo dõi {scope}: gõ /tonghop, /quahan, /chuabaocao để theo dõi "
        "các đơn vị."
    ).format(scope=scope)


def role_operator() -> str:
    return _("Anh/chị là quản trị viên: dùng được mọi lệnh; tạo mã mời bằng /mamoi.")


def scope_all_plans() -> str:
    return _("mọi kế hoạch")


def scope_plan(code: str) -> str:
    return _("kế hoạch {code}").format(code=code)


def greeting_new_group() -> str:
    return _(
        "Chào cả nhóm. Tôi là bot Nhắc việc. Nhóm này chưa đăng ký: một thành viên hãy gõ "
        "/dangky MÃ với mã mời của đơn vị (nhóm sẽ nhận nhắc việc của đơn vị) hoặc mã của "
        "lãnh đạo (nhóm sẽ nhận tổng hợp)."
    )


def greeting_unit_group(unit: str) -> str:
    return _(
        "Chào cả nhóm. Đây là nhóm của {unit}: tôi nhắc hạn chót các nhiệm vụ của đơn vị ở "
        "đây. Gõ /nhiemvu để xem nhiệm vụ, /hanchot để xem hạn chót, /baocao để báo cáo."
    ).format(unit=unit)


def greeting_leadership_group() -> str:
    return _(
        "Chào cả nhóm. Đây là nhóm lãnh đạo: tôi gửi tổng hợp tiến độ ở đây. Gõ /tonghop để "
        "xem tổng hợp, /quahan để xem nhiệm vụ quá hạn, /chuabaocao để xem đơn vị chưa báo "
        "cáo."
    )


# -- refusals ------------------------------------------------------------------------


def not_registered() -> str:
    return _(
        "Anh/chị chưa đăng ký nên chưa dùng được lệnh này. Hãy gõ /dangky MÃ với mã mời do "
        "quản trị viên cấp, ví dụ /dangky {example}."
    ).format(example=EXAMPLE_CODE)


def group_not_registered() -> str:
    return _(
        "Nhóm này chưa đăng ký với bot. Một thành viên hãy gõ /dangky MÃ với mã mời của đơn "
        "vị hoặc của lãnh đạo."
    )


def members_only(command: str) -> str:
    return _(
        "Lệnh /{command} dành cho cán bộ của đơn vị. Anh/chị xem tiến độ chung bằng /tonghop."
    ).format(command=command)


def overseers_only(command: str) -> str:
    return _(
        "Lệnh /{command} dành cho lãnh đạo và đầu mối theo dõi. Anh/chị xem nhiệm vụ của đơn "
        "vị bằng /nhiemvu."
    ).format(command=command)


def operators_only(command: str) -> str:
    return _("Lệnh /{command} dành cho quản trị viên.").format(command=command)


def oversight_place_only(command: str) -> str:
    return _("Lệnh /{command} chỉ dùng trong chat riêng với bot hoặc trong nhóm lãnh đạo.").format(
        command=command
    )


def unit_place_only(command: str) -> str:
    return _(
        "Lệnh /{command} dùng trong chat riêng với bot hoặc trong nhóm của đơn vị, không dùng "
        "trong nhóm lãnh đạo."
    ).format(command=command)


def private_only(command: str) -> str:
    return _("Lệnh /{command} chỉ dùng trong chat riêng với bot.").format(command=command)


def no_unit(command: str) -> str:
    return _(
        "Anh/chị chưa thuộc đơn vị nào nên lệnh /{command} không có gì để hiện. Gõ /tonghop để "
        "xem tiến độ chung."
    ).format(command=command)


# -- input the bot cannot take -------------------------------------------------------


def unknown_command(command: str) -> str:
    return _("Không có lệnh /{command}. Gõ /giup để xem các lệnh.").format(
        command=inline(command, 40)
    )


def empty_command() -> str:
    return _("Lệnh trống: sau dấu / cần tên lệnh, ví dụ /baocao. Gõ /giup để xem các lệnh.")


def not_understood() -> str:
    return _(
        "Tôi chưa hiểu tin nhắn này. Gõ /giup để xem các lệnh, hoặc /baocao để báo cáo tiến độ."
    )


def unsafe_characters() -> str:
    return _(
        "Tin nhắn có ký tự điều khiển không hiển thị được nên tôi không ghi nhận. Hãy gõ lại "
        "bằng chữ thường."
    )


def attachment_outside_flow() -> str:
    return _(
        "Tôi đã nhận được tệp nhưng chưa biết đây là minh chứng cho nhiệm vụ nào nên chưa lưu. "
        "Gõ /baocao để báo cáo, rồi gửi lại tệp ở bước minh chứng."
    )


def internal_error() -> str:
    return _(
        "Xin lỗi, tôi gặp lỗi khi xử lý tin nhắn này. Hãy thử lại sau ít phút; nếu vẫn lỗi, "
        "hãy báo quản trị viên."
    )


# -- flows ---------------------------------------------------------------------------


def flow_expired() -> str:
    return _(
        "Phiên báo cáo trước đã tự hủy vì quá 30 phút không có trả lời; chưa có gì được lưu. "
        "Gõ /baocao để báo cáo lại."
    )


def flow_cancelled() -> str:
    return _("Đã hủy, không có gì được lưu.")


def flow_dropped() -> str:
    return _("Đã hủy việc đang làm dở (chưa có gì được lưu).")


def nothing_to_cancel() -> str:
    return _("Không có việc gì đang làm dở để hủy.")


def stale_choice() -> str:
    return _("Lựa chọn này đã cũ hoặc đã hết hạn. Gõ lại lệnh để bắt đầu lại.")


def pick_hint() -> str:
    return _("Chọn một mục (gõ số thứ tự), hoặc gõ /huy để hủy.")


def pick_again() -> str:
    return _("Hãy chọn một mục trong danh sách (gõ số thứ tự), hoặc gõ /huy để hủy.")


# -- language ------------------------------------------------------------------------


def language_name(code: str) -> str:
    return _("tiếng Anh") if code == "en" else _("tiếng Việt")


def language_set(code: str) -> str:
    return _("Đã chọn ngôn ngữ cho chat này: {language}.").format(language=language_name(code))


def language_usage(code: str) -> str:
    return _(
        "Ngôn ngữ của chat này: {language}. Đổi bằng /ngonngu vi (tiếng Việt) hoặc /ngonngu en "
        "(English)."
    ).format(language=language_name(code))


def language_unknown(value: str) -> str:
    return _(
        'Không có ngôn ngữ "{value}". Gõ /ngonngu vi (tiếng Việt) hoặc /ngonngu en (English).'
    ).format(value=inline(value, 20))
