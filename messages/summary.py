"""Summaries for leaders and coordinators, from ``storage.summary.PlanSummary``.

``summary`` is /tonghop: one message that fits a phone screen (at most about 25 lines,
whatever the plan's size). It opens with the numbers that matter (done on time and late,
overdue, not reported), then the few deadlines, blockers and units that need action,
and ends with the commands for the detail. ``overdue`` (/quahan) and ``missing``
(/chuabaocao) list more, up to a bound, and say how many more the workbook (/xuat)
holds. Ongoing duties (*nhiệm vụ thường xuyên*) are shown as ongoing, never as late or
missing. An *đầu việc* is one unit's share of one period of a task. Texts are plain.
"""

from __future__ import annotations

from datetime import datetime

from messages.dates import VN_TZ, date_time, percent, short_date
from messages.escape import inline
from messages.i18n import _, ngettext
from storage.summary import LateDeadline, PlanSummary, SilentUnit

SUMMARY_LATE = 3  # deadlines named in /tonghop
SUMMARY_BLOCKED = 2
SUMMARY_SILENT = 3
LIST_LIMIT = 15  # items of /quahan and /chuabaocao
NAMES_CHARS = 60


def _days_late(due: datetime, now: datetime) -> int:
    return (now.astimezone(VN_TZ).date() - due.astimezone(VN_TZ).date()).days


def _heading(title: str, summary: PlanSummary) -> list[str]:
    return [
        f"{title}: {inline(summary.title, 120)} ({summary.code})",
        _("Số liệu lúc {time}.").format(time=date_time(summary.now)),
    ]


def _share(part: int, whole: int) -> str:
    return percent(part / whole if whole else 0.0)


def _late_line(item: LateDeadline, now: datetime) -> str:
    days = _days_late(item.due_at, now)
    names = ", ".join(inline(name, NAMES_CHARS) for name in item.unit_names)
    if item.unit_count > len(item.unit_names):
        names += " " + _more_units(item.unit_count - len(item.unit_names))
    return _("- {code} · {period} · hạn {date} (quá {days} ngày): {units}").format(
        code=item.task_code,
        period=item.period,
        date=short_date(item.due_at),
        days=days,
        units=names,
    )


def _more_units(n: int) -> str:
    return ngettext("và {n} đơn vị khác", "và {n} đơn vị khác", n).format(n=n)


def _silent_line(item: SilentUnit, codes_shown: int = 6) -> str:
    codes = ", ".join(item.task_codes[:codes_shown])
    if len(item.task_codes) > codes_shown:
        codes += ", …"
    return _("- {unit}: {n} đầu việc ({codes})").format(
        unit=inline(item.unit.name, NAMES_CHARS), n=item.count, codes=codes
    )


def _numbers(summary: PlanSummary) -> list[str]:
    counts = summary.counts
    total = counts.total
    lines = [
        _("Đầu việc đã đến kỳ: {n}").format(n=total),
        _("- Hoàn thành: {n} ({share}); đúng hạn {on_time}, trễ hạn {late}").format(
            n=counts.done,
            share=_share(counts.done, total),
            on_time=summary.done_on_time,
            late=summary.done_late,
        ),
        _("- Quá hạn: {n} đầu việc ở {k} kỳ nhiệm vụ").format(
            n=summary.overdue_entries, k=summary.overdue_count
        ),
        _("- Chưa báo cáo: {n} đầu việc của {k} đơn vị").format(
            n=counts.not_reported, k=summary.missing_count
        ),
        _("- Đang thực hiện {n}; vướng mắc {blocked}; chưa bắt đầu {not_started}").format(
            n=counts.in_progress, blocked=counts.blocked, not_started=counts.not_started
        ),
    ]
    if summary.ongoing_count:
        lines.append(
            _(
                "Nhiệm vụ thường xuyên: {n} (đã có báo cáo {reported}), "
                "theo dõi qua báo cáo định kỳ"
            ).format(n=summary.ongoing_count, reported=summary.ongoing_reported)
        )
    return lines


def _action(summary: PlanSummary) -> list[str]:
    lines: list[str] = []
    if summary.overdue:
        lines.append(_("Quá hạn lâu nhất:"))
        lines.extend(_late_line(i, summary.now) for i in summary.overdue[:SUMMARY_LATE])
    if summary.blocked:
        lines.append(_("Vướng mắc mới nhất:"))
        for blocker in summary.blocked[:SUMMARY_BLOCKED]:
            lines.append(
                _("- {code} · {unit}: {note} ({date})").format(
                    code=blocker.task_code,
                    unit=inline(blocker.unit_name, NAMES_CHARS),
                    note=inline(blocker.note, 100) or "—",
                    date=short_date(blocker.reported_at),
                )
            )
    if summary.missing:
        lines.append(_("Chưa báo cáo nhiều nhất:"))
        lines.extend(_silent_line(i, 4) for i in summary.missing[:SUMMARY_SILENT])
    return lines


def summary(summary: PlanSummary) -> str:
    """/tonghop for one plan: one message of at most about 25 lines."""
    lines = _heading(_("TỔNG HỢP TIẾN ĐỘ"), summary)
    lines.append("")
    if summary.counts.total == 0 and not summary.ongoing_count:
        lines.append(_("Chưa có đầu việc nào đến kỳ thực hiện."))
        return "\n".join(lines)
    lines.extend(_numbers(summary))
    action = _action(summary)
    if action:
        lines.append("")
        lines.append(_("Cần xử lý:"))
        lines.extend(action)
    lines.append("")
    lines.append(_("Chi tiết: /quahan (quá hạn), /chuabaocao (chưa báo cáo), /xuat (tệp Excel)."))
    return "\n".join(lines)


def _rest(shown: int, total: int) -> list[str]:
    if total <= shown:
        return []
    return [_("… và {n} mục khác: xem đủ trong tệp Excel (/xuat).").format(n=total - shown)]


def overdue(summary: PlanSummary) -> str:
    """/quahan for one plan: the deadlines longest overdue first, up to ``LIST_LIMIT``."""
    lines = _heading(_("QUÁ HẠN"), summary)
    if not summary.overdue:
        lines.append(_("Không có nhiệm vụ nào quá hạn."))
        return "\n".join(lines)
    count = summary.overdue_count
    lines.append(
        ngettext("Quá hạn: {n} kỳ nhiệm vụ", "Quá hạn: {n} kỳ nhiệm vụ", count).format(n=count)
    )
    shown = summary.overdue[:LIST_LIMIT]
    lines.extend(_late_line(item, summary.now) for item in shown)
    lines.extend(_rest(len(shown), count))
    return "\n".join(lines)


def missing(summary: PlanSummary) -> str:
    """/chuabaocao for one plan: the units with most unreported deadlines first."""
    lines = _heading(_("CHƯA BÁO CÁO"), summary)
    if not summary.missing:
        lines.append(_("Mọi đơn vị đã báo cáo các kỳ đã đến."))
        return "\n".join(lines)
    count = summary.missing_count
    lines.append(
        ngettext(
            "Chưa báo cáo kỳ đã đến: {n} đơn vị", "Chưa báo cáo kỳ đã đến: {n} đơn vị", count
        ).format(n=count)
    )
    shown = summary.missing[:LIST_LIMIT]
    lines.extend(_silent_line(item) for item in shown)
    lines.extend(_rest(len(shown), count))
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
