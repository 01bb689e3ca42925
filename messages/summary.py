"""Summaries for leaders and coordinators, from ``storage.progress.PlanProgress``.

``summary`` is /tonghop: counts by status, the shares done on time and late, the
overdue occurrences with their units, what blocks the units (their notes, escaped), the
units with no report on a started period, and a short per-unit table. ``overdue``
(/quahan) and ``missing`` (/chuabaocao) are those parts alone. An *đầu việc* is one
unit's share of one period of a task (an ``Entry``). Texts are plain; the caller splits
them to the platform's limit.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from messages.dates import VN_TZ, date_time, percent, short_date
from messages.escape import inline
from messages.i18n import _, ngettext
from messages.reports import role_label, status_with_percent
from storage.models import ReportStatus
from storage.progress import Entry, MissingUnit, OverdueOccurrence, PlanProgress


def _days_late(due: datetime, now: datetime) -> int:
    return (now.astimezone(VN_TZ).date() - due.astimezone(VN_TZ).date()).days


def _heading(title: str, progress: PlanProgress) -> list[str]:
    return [
        f"{title}: {inline(progress.title, 200)} ({progress.code})",
        _("Số liệu lúc {time}.").format(time=date_time(progress.now)),
    ]


def _overdue_line(item: OverdueOccurrence, now: datetime) -> str:
    days = _days_late(item.due_at, now)
    late = ngettext("quá {n} ngày", "quá {n} ngày", days).format(n=days)
    units = "; ".join(
        f"{entry.unit.name} ({role_label(entry.role)}, "
        f"{status_with_percent(entry.status, entry.percent)})"
        for entry in item.entries
    )
    return _("- {code} · {period} · hạn {date} ({late}): {units}").format(
        code=item.task_code,
        period=item.period,
        date=short_date(item.due_at),
        late=late,
        units=units,
    )


def _task_codes(entries: tuple[Entry, ...]) -> str:
    periods: dict[str, int] = defaultdict(int)
    for entry in entries:
        periods[entry.task_code] += 1
    return ", ".join(
        code
        if n == 1
        else ngettext("{code} ({n} kỳ)", "{code} ({n} kỳ)", n).format(code=code, n=n)
        for code, n in periods.items()
    )


def _missing_line(item: MissingUnit) -> str:
    return f"- {item.unit.name}: {_task_codes(item.entries)}"


def _overdue_part(progress: PlanProgress) -> list[str]:
    count = len(progress.overdue)
    lines = [
        ngettext("Quá hạn: {n} kỳ nhiệm vụ", "Quá hạn: {n} kỳ nhiệm vụ", count).format(n=count)
    ]
    lines.extend(_overdue_line(item, progress.now) for item in progress.overdue)
    return lines


def _missing_part(progress: PlanProgress) -> list[str]:
    count = len(progress.missing)
    lines = [
        ngettext(
            "Chưa báo cáo kỳ đã đến: {n} đơn vị", "Chưa báo cáo kỳ đã đến: {n} đơn vị", count
        ).format(n=count)
    ]
    lines.extend(_missing_line(item) for item in progress.missing)
    return lines


def _blocked_part(progress: PlanProgress) -> list[str]:
    """What the units say blocks them, in their words (one clean line each)."""
    blocked = [e for e in progress.entries if e.status == ReportStatus.BLOCKED]
    if not blocked:
        return []
    lines = [
        ngettext("Vướng mắc: {n} đầu việc", "Vướng mắc: {n} đầu việc", len(blocked)).format(
            n=len(blocked)
        )
    ]
    for entry in blocked:
        assert entry.reported_at is not None
        lines.append(
            _("- {code} · {unit}: {note} ({date})").format(
                code=entry.task_code,
                unit=entry.unit.name,
                note=inline(entry.note, 160) or "—",
                date=short_date(entry.reported_at),
            )
        )
    return ["", *lines]


def summary(progress: PlanProgress) -> str:
    """/tonghop for one plan."""
    counts = progress.counts
    lines = _heading(_("TỔNG HỢP TIẾN ĐỘ"), progress)
    lines.append("")
    if counts.total == 0:
        lines.append(_("Chưa có đầu việc nào đến kỳ thực hiện."))
        return "\n".join(lines)
    lines.append(
        _(
            "Đầu việc đã đến kỳ: {n} (mỗi đơn vị, mỗi kỳ của một nhiệm vụ tính là một đầu việc)"
        ).format(n=counts.total)
    )
    on_time = sum(1 for e in progress.in_scope if e.done_on_time)
    lines.append(
        _(
            "- Hoàn thành: {n} — đúng hạn {on_time} ({on_time_share}), trễ hạn {late} "
            "({late_share})"
        ).format(
            n=counts.done,
            on_time=on_time,
            on_time_share=percent(progress.done_on_time_share),
            late=counts.done - on_time,
            late_share=percent(progress.done_late_share),
        )
    )
    lines.append(_("- Đang thực hiện: {n}").format(n=counts.in_progress))
    lines.append(_("- Vướng mắc: {n}").format(n=counts.blocked))
    lines.append(_("- Chưa bắt đầu: {n}").format(n=counts.not_started))
    lines.append(_("- Chưa báo cáo: {n}").format(n=counts.not_reported))
    lines.append("")
    lines.extend(_overdue_part(progress))
    lines.extend(_blocked_part(progress))
    lines.append("")
    lines.extend(_missing_part(progress))
    lines.append("")
    lines.append(_("Từng đơn vị (hoàn thành/đến kỳ; quá hạn; vướng mắc; báo cáo gần nhất):"))
    for row in progress.units:
        last = short_date(row.last_report_at) if row.last_report_at else _("chưa có báo cáo")
        lines.append(
            _("- {unit}: {done}/{total}; quá hạn {overdue}; vướng mắc {blocked}; {last}").format(
                unit=row.unit.name,
                done=row.done_on_time + row.done_late,
                total=row.total,
                overdue=row.overdue,
                blocked=row.blocked,
                last=last,
            )
        )
    return "\n".join(lines)


def overdue(progress: PlanProgress) -> str:
    """/quahan for one plan."""
    lines = _heading(_("QUÁ HẠN"), progress)
    if not progress.overdue:
        lines.append(_("Không có nhiệm vụ nào quá hạn."))
        return "\n".join(lines)
    lines.extend(_overdue_part(progress))
    return "\n".join(lines)


def missing(progress: PlanProgress) -> str:
    """/chuabaocao for one plan."""
    lines = _heading(_("CHƯA BÁO CÁO"), progress)
    if not progress.missing:
        lines.append(_("Mọi đơn vị đã báo cáo các kỳ đã đến."))
        return "\n".join(lines)
    lines.extend(_missing_part(progress))
    return "\n".join(lines)


def ask_plan() -> str:
    return _("Có nhiều kế hoạch. Xem tổng hợp kế hoạch nào?")


def no_plans() -> str:
    return _(
        "Chưa có kế hoạch nào để tổng hợp. Quản trị viên nạp kế hoạch bằng nhacviec plan load."
    )


def plan_choice_label(code: str, issuer: str) -> str:
    """A plan as one option: its code and who issued it (the titles all look alike)."""
    return f"{code} · {inline(issuer, 40)}"
