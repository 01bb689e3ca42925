"""How a plan reads in Vietnamese (or English): the operator's ``plan list`` and ``plan show``."""

from __future__ import annotations

from messages.dates import full_date
from messages.events import waits_for
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


def _document_lines(plan: Plan, row: TaskRow, codes: dict, units: dict) -> list[str]:
    """The columns of the document beside the time: parent task, product, funding, receiver."""
    task, lines = row.task, []
    if task.parent_id in codes:
        lines.append(_("Thuộc nhiệm vụ: {code}").format(code=codes[task.parent_id]))
    if task.product:
        lines.append(_("Sản phẩm: {product}").format(product=task.product))
    if task.funding:
        lines.append(_("Kinh phí: {funding}").format(funding=task.funding))
    if task.reports_to_id in units:
        lines.append(_("Gửi báo cáo về: {unit}").format(unit=units[task.reports_to_id]))
    if task.event:
        lines.append(waits_for(task))
    return ["   " + line for line in lines]


def plan_timetable(
    plan: Plan, rows: list[TaskRow], units: dict[int | None, str] | None = None
) -> str:
    """The plan's header, then each task with its units and every deadline as a full date."""
    lines = [plan.title, f"{plan.issuer} · {plan.document or plan.code}"]
    count = ngettext("{n} nhiệm vụ", "{n} nhiệm vụ", len(rows)).format(n=len(rows))
    if plan.last_year:
        years = _("giai đoạn {first}–{last}").format(first=plan.year, last=plan.last_year)
    else:
        years = _("năm {year}").format(year=plan.year)
    lines.append(
        _("Mã kế hoạch: {code} · {years} · {count}").format(
            code=plan.code, years=years, count=count
        )
    )
    if plan.issued_at:
        lines.append(_("Ban hành ngày: {date}").format(date=full_date(plan.issued_at)))
    codes = {row.task.id: row.task.code for row in rows}
    for row in rows:
        lines.append("")
        lines.append(f"{row.task.code}. {row.task.title}")
        lines.append("   " + _("Thời gian: {when}").format(when=row.task.when_text))
        lines.append("   " + _("Chủ trì: {units}").format(units=_units(row.lead)))
        if row.support:
            lines.append("   " + _("Phối hợp: {units}").format(units=_units(row.support)))
        lines.extend(_document_lines(plan, row, codes, units or {}))
        dated = [(o.period, o.due_at) for o in row.occurrences if o.due_at is not None]
        if not dated and row.task.event:
            lines.append("   " + _("Hạn chót: tính từ khi sự kiện xảy ra"))
        elif not dated:
            lines.append("   " + _("Hạn chót: không có, chỉ theo dõi (không nhắc)"))
        elif len(dated) == 1:
            lines.append("   " + _("Hạn chót: {date}").format(date=full_date(dated[0][1])))
        else:
            lines.append("   " + _("Hạn chót:"))
            lines.extend(f"   - {period}: {full_date(due)}" for period, due in dated)
    return "\n".join(lines)
