"""How an imported plan reads: the review of ``plan import`` and the chat's timetable.

Both say what the importer found (the plan's identity, its units and its tasks with
their lead units and due dates) and list every doubtful line with where it stands in
the document and why, so that the operator checks them before loading.
"""

from __future__ import annotations

from messages.dates import short_date
from messages.i18n import _, ngettext
from scheduler.importer.model import Draft, DraftTask
from scheduler.importer.writer import used_units
from scheduler.timeexpr import Kind, TimeExpressionError, parse_when


def due_text(task: DraftTask, year: int) -> str:
    """"hạn 30/06/2022", "4 kỳ, kỳ đầu hạn 15/03/2022", or why there is no date."""
    try:
        schedule = parse_when(task.when, year)
    except TimeExpressionError:
        return _("chưa có hạn")
    if schedule.kind == Kind.UNSCHEDULED or schedule.due is None:
        return _("không có hạn, chỉ theo dõi")
    dated = [o for o in schedule.occurrences if o.due is not None]
    if len(dated) > 1:
        return _("{n} kỳ, kỳ đầu hạn {date}").format(n=len(dated), date=short_date(dated[0].due))
    return _("hạn {date}").format(date=short_date(schedule.due))


def task_lines(draft: Draft) -> list[str]:
    """The numbered timetable: one entry per task, its lead units, time and due date."""
    lines = []
    for number, task in enumerate(draft.tasks, start=1):
        lead = "; ".join(unit.name for unit in task.lead)
        lines.append(f"{number}. [{task.code}] {task.title}")
        lines.append(
            "   "
            + _("Chủ trì: {lead} · {when} · {due}").format(
                lead=lead, when=task.when, due=due_text(task, draft.year)
            )
        )
    return lines


def doubt_lines(draft: Draft) -> list[str]:
    lines = [f"- {d.where}: “{d.text}” — {d.reason}" for d in draft.doubts]
    lines += [
        "- "
        + _("{where}: “{text}” — gộp vào nhiệm vụ {code}").format(
            where=m.where, text=m.text, code=m.reason
        )
        for m in draft.merged
    ]
    return lines


def heading_lines(draft: Draft) -> list[str]:
    header = draft.header
    units = used_units(draft)
    groups = sum(1 for unit in units if unit.is_group)
    lines = [
        _("Kế hoạch: {title}").format(title=header.title),
        _("Cơ quan ban hành: {issuer}").format(issuer=header.issuer),
        _("Văn bản: {document}").format(document=header.document or _("không thấy số, ngày")),
    ]
    if header.issued:
        lines.append(_("Ngày ký: {date}").format(date=short_date(header.issued)))
    if header.period:
        lines.append(
            _("Giai đoạn: {start}-{end}").format(start=header.period[0], end=header.period[1])
        )
    lines.append(
        _("Năm: {year} · mã kế hoạch: {code} · {units} đơn vị, {groups} nhóm").format(
            year=draft.year, code=draft.code, units=len(units) - groups, groups=groups
        )
    )
    return lines


def review_text(draft: Draft, out: str | None = None) -> str:
    """The review ``plan import`` prints."""
    count = ngettext("{n} nhiệm vụ", "{n} nhiệm vụ", len(draft.tasks)).format(n=len(draft.tasks))
    lines = [*heading_lines(draft), "", _("Tìm thấy {count}:").format(count=count)]
    lines += task_lines(draft)
    doubts = doubt_lines(draft)
    lines += ["", _("Cần kiểm tra ({n} dòng):").format(n=len(doubts)) if doubts else
              _("Không có dòng nào cần kiểm tra.")]
    lines += doubts
    if out:
        lines += ["", _("Bản nháp đã ghi vào {file}. Sửa nếu cần, rồi nạp: nhacviec plan load "
                        "{file}").format(file=out)]
    return "\n".join(lines)
