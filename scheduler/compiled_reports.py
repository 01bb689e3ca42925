"""A compiled report: the lead unit compiles what the others sent, a set number of days later.

A plan often says each unit reports "định kỳ 6 tháng" to the office (``reports_to``), and the
office "tổng hợp, báo cáo UBND tỉnh trong vòng 05 ngày sau khi nhận được báo cáo của các
đơn vị". Written alone, that time is an event; with ``compiles = "R1"`` (the code of the
report compiled, written above it) it becomes one deadline per period of R1, each that many
days after R1's. The compiled report must go to a lead unit of the compiling task: that is
who compiles it.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from messages.i18n import _
from scheduler.planfile_document import Checker
from scheduler.timeexpr import Kind, OccurrenceSpec, Schedule
from storage.timezone import VN_TZ


def _end_of_day_after(due: datetime, days: int) -> datetime:
    day = due.astimezone(VN_TZ).date() + timedelta(days=days)
    return datetime.combine(day, time(23, 59, 59), tzinfo=VN_TZ)


def compiled_schedule(
    check: Checker,
    index: int,
    item: dict[str, Any],
    schedule: Schedule,
    lead: tuple[str, ...],
    earlier: dict[str, tuple[Schedule, str | None]],
) -> Schedule:
    """``schedule`` as written, or, for a task with ``compiles``, one deadline per period of
    the compiled report (``earlier``: the schedule and ``reports_to`` of the tasks above)."""
    compiled = check.text("tasks", index, item, "compiles", required=False)
    if compiled is None:
        return schedule
    if compiled not in earlier:
        message = _("không có nhiệm vụ mã {code} ở trên trong tệp").format(code=compiled)
        check.problem("tasks", index, "compiles", message)
        return schedule
    source, receiver = earlier[compiled]
    if receiver not in lead:
        message = _(
            "nhiệm vụ {code} phải gửi báo cáo về đơn vị chủ trì tổng hợp (reports_to)"
        ).format(code=compiled)
        check.problem("tasks", index, "compiles", message)
        return schedule
    if schedule.kind is not Kind.EVENT or schedule.event_days is None or schedule.event_closes:
        message = _(
            "cần thời gian dạng “trong vòng 05 ngày sau khi nhận được báo cáo của các đơn vị”"
        )
        check.problem("tasks", index, "when", message)
        return schedule
    occurrences = tuple(
        OccurrenceSpec(o.period, o.start, _end_of_day_after(o.due, schedule.event_days))
        for o in source.occurrences
        if o.due is not None
    )
    if not occurrences:
        check.problem(
            "tasks",
            index,
            "compiles",
            _("nhiệm vụ {code} không có hạn chót nào").format(code=compiled),
        )
        return schedule
    return Schedule(
        Kind.RECURRING if len(occurrences) > 1 else Kind.DEADLINE,
        occurrences[0].start,
        occurrences[-1].due,
        source.recurrence,
        occurrences,
    )
