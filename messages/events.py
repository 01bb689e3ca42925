"""How tasks that wait for an event read: the ``plan event`` list and its confirmation."""

from __future__ import annotations

from datetime import datetime

from messages.dates import full_date
from messages.i18n import _
from storage.models import Occurrence, Task
from storage.timezone import VN_TZ


def waits_for(task: Task) -> str:
    """What the task waits for, and what follows it: "khi có vụ việc; hạn 10 ngày sau đó"."""
    assert task.event is not None
    text = _("Chờ sự kiện: {event}").format(event=task.event)
    if task.event_days is not None:
        text += "; " + _("hạn chót {days} ngày sau sự kiện").format(days=task.event_days)
    if task.event_closes:
        text += "; " + _("sự kiện kết thúc nhiệm vụ")
    return text


def waiting_list(plan_code: str, tasks: list[Task], happened: dict[int, list[datetime]]) -> str:
    """The ``plan event`` list: each waiting task, what it waits for, and when it happened
    (``happened``: the instants recorded, by task id)."""
    if not tasks:
        return _("Kế hoạch {plan} không có nhiệm vụ nào chờ sự kiện.").format(plan=plan_code)
    lines = [_("Các nhiệm vụ chờ sự kiện của kế hoạch {plan}:").format(plan=plan_code)]
    for task in tasks:
        lines.append(f"{task.code}. {task.title}")
        lines.append("   " + waits_for(task))
        for instant in sorted(happened.get(task.id or 0, [])):
            day = f"{instant.astimezone(VN_TZ):%d/%m/%Y}"
            lines.append("   " + _("Đã xảy ra ngày {date}").format(date=day))
    lines.append(
        _("Ghi nhận sự kiện: nhacviec plan event {plan} MÃ --on NGÀY").format(plan=plan_code)
    )
    return "\n".join(lines)


def event_recorded(task: Task, occurrence: Occurrence) -> str:
    """The confirmation of ``plan event``: the task, its new period and its deadline."""
    if occurrence.due_at is None:
        due = _("chưa có hạn chót; đơn vị báo cáo khi làm xong")
    else:
        due = _("hạn chót {date}").format(date=full_date(occurrence.due_at))
    return _("Đã ghi nhận sự kiện của nhiệm vụ {code} (kỳ {period}): {due}.").format(
        code=task.code, period=occurrence.period, due=due
    )
