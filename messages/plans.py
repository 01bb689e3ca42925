"""How a plan reads in Vietnamese (or English): the operator's ``plan list`` and ``plan show``."""

from __future__ import annotations

from messages.dates import full_date
from messages.i18n import _, ngettext
from storage.models import Plan
from storage.task_rows import TaskRow


def plan_line(plan: Plan, tasks: int) -> str:
    count = ngettext("{n} nhiệm vụ", "{n} nhiệm vụ", tasks).format(n=tasks)
    if plan.archived:
        count = _("{count}, đã lưu trữ").format(count=count)
    return f"{plan.code}  {plan.year}  {count}  {plan.title}"


def _units(units: tuple) -> str:
    return "; ".join(unit.name for unit in units)


def plan_timetable(plan: Plan, rows: list[TaskRow]) -> str:
    """The plan's header, then each task with its units and every deadline as a full date."""
    lines = [plan.title, f"{plan.issuer} · {plan.document or plan.code}"]
    count = ngettext("{n} nhiệm vụ", "{n} nhiệm vụ", len(rows)).format(n=len(rows))
    lines.append(
        _("Mã kế hoạch: {code} · năm {year} · {count}").format(
            code=plan.code, year=plan.year, count=count
        )
    )
    for row in rows:
        lines.append("")
        lines.append(f"{row.task.code}. {row.task.title}")
        lines.append("   " + _("Thời gian: {when}").format(when=row.task.when_text))
        lines.append("   " + _("Chủ trì: {units}").format(units=_units(row.lead)))
        if row.support:
            lines.append("   " + _("Phối hợp: {units}").format(units=_units(row.support)))
        dated = [(o.period, o.due_at) for o in row.occurrences if o.due_at is not None]
        if not dated:
            lines.append("   " + _("Hạn chót: không có, chỉ theo dõi (không nhắc)"))
        elif len(dated) == 1:
            lines.append("   " + _("Hạn chót: {date}").format(date=full_date(dated[0][1])))
        else:
            lines.append("   " + _("Hạn chót:"))
            lines.extend(f"   - {period}: {full_date(due)}" for period, due in dated)
    return "\n".join(lines)
