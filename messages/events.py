"""How tasks that wait for an event read: the lists of ``plan event`` and /sukien, the
confirmation, and the refusals of /sukien."""

from __future__ import annotations

from messages.dates import full_date
from messages.i18n import _
from storage.models import Occurrence, Task
from storage.records import TaskDetail


def waits_for(task: Task) -> str:
    """What the task waits for, and what follows it: "khi có vụ việc; hạn 10 ngày sau đó"."""
    assert task.event is not None
    text = _("Chờ sự kiện: {event}").format(event=task.event)
    if task.event_days is not None:
        text += "; " + _("hạn chót {days} ngày sau sự kiện").format(days=task.event_days)
    if task.event_closes:
        text += "; " + _("sự kiện kết thúc nhiệm vụ")
    return text


def waiting_list(plan_code: str, details: list[TaskDetail], hint: str) -> str:
    """The list of ``plan event`` and /sukien: each waiting task, what it waits for, and the
    days it happened; ``hint`` says how to record one."""
    if not details:
        return _("Kế hoạch {plan} không có nhiệm vụ nào chờ sự kiện.").format(plan=plan_code)
    lines = [_("Các nhiệm vụ chờ sự kiện của kế hoạch {plan}:").format(plan=plan_code)]
    for detail in details:
        lines.append(f"{detail.task.code}. {detail.task.title}")
        lines.append("   " + waits_for(detail.task))
        for day in detail.happened:
            lines.append("   " + _("Đã xảy ra ngày {date}").format(date=f"{day:%d/%m/%Y}"))
    lines.append(hint)
    return "\n".join(lines)


def cli_hint(plan_code: str) -> str:
    return _("Ghi nhận sự kiện: nhacviec plan event {plan} MÃ --on NGÀY").format(plan=plan_code)


def chat_hint(plan_code: str) -> str:
    return _("Ghi nhận sự kiện: /sukien MÃ ngày {plan}, ví dụ /sukien 4 18/11/2025 {plan}").format(
        plan=plan_code
    )


def event_recorded(task: Task, occurrence: Occurrence) -> str:
    """The confirmation of ``plan event``: the task, its new period and its deadline."""
    if occurrence.due_at is None:
        due = _("chưa có hạn chót; đơn vị báo cáo khi làm xong")
    else:
        due = _("hạn chót {date}").format(date=full_date(occurrence.due_at))
    return _("Đã ghi nhận sự kiện của nhiệm vụ {code} (kỳ {period}): {due}.").format(
        code=task.code, period=occurrence.period, due=due
    )


def event_usage() -> str:
    return _(
        "Cách ghi nhận sự kiện: /sukien MÃ-NHIỆM-VỤ ngày [mã kế hoạch], ví dụ /sukien 4 "
        "18/11/2025. Không ghi ngày là hôm nay; thêm “hạn 25/11/2025” khi văn bản không tính "
        "sẵn hạn chót. Gõ /sukien để xem các nhiệm vụ đang chờ sự kiện."
    )


def no_such_day(text: str) -> str:
    return _("Không có ngày {text}; hãy ghi ngày dạng 18/11/2025.").format(text=text)


def coordinators_only() -> str:
    return _(
        "Chỉ đầu mối theo dõi kế hoạch và quản trị viên ghi nhận sự kiện. Anh/chị vẫn xem "
        "được các nhiệm vụ chờ sự kiện bằng /sukien."
    )


def not_your_plan(plan_code: str) -> str:
    return _("Anh/chị không theo dõi kế hoạch {plan}.").format(plan=plan_code)


def ask_plan() -> str:
    return _("Sự kiện của kế hoạch nào?")
