"""Progress reports (/baocao): statuses, the guided flow's questions, errors, confirmations."""

from __future__ import annotations

from messages.dates import full_date, short_date
from messages.escape import inline
from messages.i18n import _, ngettext
from storage.models import AssignmentRole, ReportStatus
from storage.progress import Entry
from storage.records import ReportView

EXAMPLE = "/baocao T3 50% đã lắp 2 pano"


def status_label(status: str | None) -> str:
    """The status as a reader sees it; None is "not reported"."""
    labels = {
        ReportStatus.NOT_STARTED: _("chưa bắt đầu"),
        ReportStatus.IN_PROGRESS: _("đang thực hiện"),
        ReportStatus.DONE: _("hoàn thành"),
        ReportStatus.BLOCKED: _("vướng mắc"),
    }
    if not status:
        return _("chưa báo cáo")
    return labels[ReportStatus(status)]


def role_label(role: str) -> str:
    return _("chủ trì") if role == AssignmentRole.LEAD else _("phối hợp")


def status_with_percent(status: str | None, percent: int | None) -> str:
    label = status_label(status)
    if percent is not None and status in (ReportStatus.IN_PROGRESS, ReportStatus.BLOCKED):
        return f"{label} {percent}%"
    return label


def task_choice_label(entry: Entry, with_unit: bool) -> str:
    """A task as one button: code, a short title, the due date (and the unit if needed)."""
    due = short_date(entry.due_at) if entry.due_at else _("không hạn")
    label = f"{entry.task_code} · {inline(entry.task_title, 40)} · {due}"
    if entry.done:
        label += " · " + status_label(entry.status)
    if with_unit:
        label += f" · {inline(entry.unit.name, 30)}"
    return label


# -- errors --------------------------------------------------------------------------


def missing_code() -> str:
    return _(
        "Thiếu mã nhiệm vụ. Gõ ví dụ {example}, hoặc chỉ gõ /baocao để được hỏi từng bước."
    ).format(example=EXAMPLE)


def code_needed_without_unit() -> str:
    return _(
        "Anh/chị không thuộc đơn vị nào nên cần ghi mã nhiệm vụ, ví dụ {example}; tôi sẽ hỏi "
        "báo cáo cho đơn vị nào."
    ).format(example=EXAMPLE)


def unknown_task(code: str) -> str:
    return _(
        "Không có nhiệm vụ mã {code} trong kế hoạch của đơn vị anh/chị. Gõ /nhiemvu để xem mã "
        "các nhiệm vụ."
    ).format(code=inline(code, 32))


def not_assigned(code: str, unit: str, owners: str) -> str:
    return _(
        "Nhiệm vụ {code} không giao cho {unit} (chủ trì hay phối hợp) nên anh/chị không báo cáo "
        "được; nhiệm vụ này của: {owners}. Gõ /nhiemvu để xem nhiệm vụ của đơn vị."
    ).format(code=code, unit=unit, owners=owners)


def more_units(n: int) -> str:
    """The end of a list cut short: ``và 92 đơn vị khác``."""
    return ngettext("và {n} đơn vị khác", "và {n} đơn vị khác", n).format(n=n)


def not_member_of_group_unit(unit: str) -> str:
    return _(
        "Anh/chị chưa đăng ký là cán bộ của {unit} nên chưa báo cáo được trong nhóm này. Hãy "
        "nhắn riêng cho bot: /dangky MÃ."
    ).format(unit=unit)


def no_tasks() -> str:
    return _("Đơn vị của anh/chị chưa có nhiệm vụ nào để báo cáo.")


def percent_out_of_range() -> str:
    return _("Phần trăm phải là số nguyên từ 0 đến 100, ví dụ 50%.")


def missing_status(code: str) -> str:
    return _(
        "Thiếu tình trạng hoặc phần trăm. Gõ ví dụ /baocao {code} 50% ghi chú, hoặc /baocao "
        "{code} hoàn thành."
    ).format(code=code)


def done_is_full(code: str) -> str:
    return _(
        "Hoàn thành nghĩa là 100%. Gõ /baocao {code} hoàn thành, hoặc ghi đang thực hiện với "
        "phần trăm thấp hơn."
    ).format(code=code)


def full_is_done(code: str) -> str:
    return _("100% nghĩa là hoàn thành. Gõ /baocao {code} hoàn thành.").format(code=code)


def not_started_is_zero(code: str) -> str:
    return _(
        "Chưa bắt đầu thì phần trăm là 0. Nếu đã làm được một phần, gõ /baocao {code} đang "
        "thực hiện kèm phần trăm."
    ).format(code=code)


def note_too_long(length: int, limit: int) -> str:
    return _("Ghi chú dài {n} ký tự, quá giới hạn {limit} ký tự. Hãy rút gọn rồi gửi lại.").format(
        n=length, limit=limit
    )


def blocked_needs_note(code: str) -> str:
    return _(
        "Báo cáo vướng mắc cần ghi ngắn vướng mắc là gì, ví dụ /baocao {code} vướng mắc chưa có "
        "kinh phí."
    ).format(code=code)


def too_many_files(limit: int) -> str:
    return _("Mỗi báo cáo nhận tối đa {limit} tệp minh chứng.").format(limit=limit)


# -- the guided flow -----------------------------------------------------------------


def ask_plan(code: str) -> str:
    return _("Mã {code} có trong nhiều kế hoạch. Báo cáo cho kế hoạch nào?").format(code=code)


def ask_unit(code: str) -> str:
    return _("Nhiệm vụ {code}: anh/chị báo cáo cho đơn vị nào?").format(code=code)


def ask_task() -> str:
    return _("Báo cáo nhiệm vụ nào? Các nhiệm vụ đang đến hạn ở trên cùng.")


def pick_task_again() -> str:
    return _(
        "Hãy gõ số thứ tự, mã nhiệm vụ (ví dụ T3) hoặc vài chữ trong tên nhiệm vụ; gõ /huy để hủy."
    )


def several_tasks_match(typed: str) -> str:
    return _("Có nhiều nhiệm vụ khớp với “{typed}”. Anh/chị báo cáo nhiệm vụ nào?").format(
        typed=inline(typed, 40)
    )


def ask_status(entry: Entry) -> str:
    due = full_date(entry.due_at) if entry.due_at else _("không có hạn chót")
    return "\n".join(
        (
            f"{entry.task_code}. {inline(entry.task_title, 200)}",
            _("Kỳ {period}, hạn chót: {due}.").format(period=entry.period, due=due),
            _("Tình trạng thế nào?"),
        )
    )


def ask_status_again() -> str:
    return _("Hãy chọn một tình trạng (gõ số từ 1 đến 4), hoặc gõ /huy để hủy.")


def ask_percent() -> str:
    return _("Được bao nhiêu phần trăm? Gõ một số từ 0 đến 99 (ví dụ 50), hoặc gõ bỏ qua.")


def ask_percent_again() -> str:
    return _(
        "Hãy gõ một số nguyên từ 0 đến 99 (ví dụ 50), hoặc gõ bỏ qua. Đã xong hết thì gõ /huy "
        "rồi báo cáo hoàn thành."
    )


def ask_note() -> str:
    return _("Ghi chú ngắn về tiến độ (tối đa 1000 ký tự), hoặc gõ bỏ qua.")


def ask_blocker() -> str:
    return _("Vướng mắc là gì? Ghi ngắn (tối đa 1000 ký tự).")


def ask_evidence() -> str:
    return _("Gửi ảnh hoặc tệp minh chứng nếu có. Gửi xong thì gõ xong; không có thì gõ bỏ qua.")


def evidence_received(count: int) -> str:
    return ngettext(
        "Đã nhận {n} tệp minh chứng. Gửi thêm, hoặc gõ xong để ghi báo cáo.",
        "Đã nhận {n} tệp minh chứng. Gửi thêm, hoặc gõ xong để ghi báo cáo.",
        count,
    ).format(n=count)


def evidence_kept(count: int) -> str:
    return ngettext(
        "Đã giữ {n} tệp minh chứng, sẽ ghi cùng báo cáo.",
        "Đã giữ {n} tệp minh chứng, sẽ ghi cùng báo cáo.",
        count,
    ).format(n=count)


def evidence_only() -> str:
    return _("Ở bước này tôi chỉ nhận ảnh hoặc tệp. Gõ xong để ghi báo cáo, hoặc /huy để hủy.")


def finish_choice() -> str:
    return _("Xong")


# -- moving a task back from "hoàn thành" -------------------------------------------


def confirm_move_back(code: str, period: str, status: str) -> str:
    return _(
        "Nhiệm vụ {code} (kỳ {period}) đã được báo cáo hoàn thành. Anh/chị có chắc muốn "
        "chuyển về {status}?"
    ).format(code=code, period=period, status=status)


def yes_move_back() -> str:
    return _("Có")


def no_keep_done() -> str:
    return _("Không")


def confirm_move_back_again() -> str:
    return _("Hãy gõ có để ghi báo cáo mới, hoặc không để giữ hoàn thành.")


def kept_done(code: str) -> str:
    return _("Chưa ghi gì: nhiệm vụ {code} vẫn là hoàn thành.").format(code=code)


# -- what was recorded ---------------------------------------------------------------


def confirmation(view: ReportView) -> str:
    lines = [
        _("Đã ghi báo cáo nhiệm vụ {code} (kỳ {period}) của {unit}:").format(
            code=view.task_code, period=view.period, unit=view.unit_name
        ),
        _("Tình trạng: {status}").format(status=status_with_percent(view.status, view.percent)),
    ]
    if view.note:
        lines.append(_("Ghi chú: {note}").format(note=inline(view.note, 300)))
    if view.evidence_count:
        lines.append(
            ngettext("Minh chứng: {n} tệp", "Minh chứng: {n} tệp", view.evidence_count).format(
                n=view.evidence_count
            )
        )
    if view.due_at is None:
        lines.append(_("Nhiệm vụ không có hạn chót."))
    elif view.late:
        lines.append(
            _("Hạn chót: {date}; báo cáo sau hạn chót.").format(date=full_date(view.due_at))
        )
    else:
        lines.append(_("Hạn chót: {date}; báo cáo đúng hạn.").format(date=full_date(view.due_at)))
    lines.append(_("Gõ /nhiemvu để xem các nhiệm vụ khác."))
    return "\n".join(lines)
