"""A unit's tasks (/nhiemvu) and its coming deadlines (/hanchot), from ``storage.progress``."""

from __future__ import annotations

from datetime import datetime

from messages.dates import full_date, short_date
from messages.escape import inline
from messages.events import waits_for
from messages.i18n import _, ngettext
from messages.reports import role_label, status_with_percent
from storage.progress import Entry
from storage.records import TaskDetail


def _state(entry: Entry) -> str:
    state = status_with_percent(entry.status, entry.percent)
    if entry.reported_at is not None:
        state += " " + _("(báo cáo {date})").format(date=short_date(entry.reported_at))
    if entry.overdue:
        state = _("quá hạn") + " · " + state
    return state


def _columns(detail: TaskDetail) -> list[str]:
    """The document's columns beside the time: the parent task, the product, the funding."""
    parts = []
    if detail.parent_code:
        parts.append(_("Thuộc nhiệm vụ: {code}").format(code=detail.parent_code))
    if detail.task.product:
        parts.append(_("Sản phẩm: {product}").format(product=inline(detail.task.product, 80)))
    if detail.task.funding:
        parts.append(_("Kinh phí: {funding}").format(funding=inline(detail.task.funding, 60)))
    return ["   " + " · ".join(parts)] if parts else []


def task_list(
    unit: str, plan: str, entries: list[Entry], details: dict[int, TaskDetail] | None = None
) -> str:
    """/nhiemvu for one unit: each task once, at its open occurrence (``entries``), with
    what a waiting task waits for and the document's columns (``details``, by task id)."""
    details = details or {}
    count = ngettext("{n} nhiệm vụ", "{n} nhiệm vụ", len(entries)).format(n=len(entries))
    lines = [_("Nhiệm vụ của {unit} ({plan}), {count}:").format(unit=unit, plan=plan, count=count)]
    for entry in entries:
        lines.append(
            f"{entry.task_code} ({role_label(entry.role)}) {inline(entry.task_title, 90)}"
        )
        detail = details.get(entry.task_id)
        if detail is not None:
            lines.extend(_columns(detail))
        if entry.due_at is None and detail is not None and detail.task.event:
            when = waits_for(detail.task)
        elif entry.due_at is None:
            when = _("Không có hạn chót")
        else:
            when = _("Kỳ {period}, hạn chót {date}").format(
                period=entry.period, date=full_date(entry.due_at)
            )
        lines.append(f"   {when} · {_state(entry)}")
    return "\n".join(lines)


def report_hint() -> str:
    return _("Báo cáo: /baocao MÃ tình trạng ghi chú, ví dụ /baocao T3 50% đã lắp 2 pano.")


def no_tasks(unit: str, plan: str) -> str:
    return _("{unit} ({plan}) không có nhiệm vụ nào trong kế hoạch.").format(unit=unit, plan=plan)


def deadlines(days: int, until: datetime, entries: list[Entry], with_unit: bool) -> str:
    """/hanchot: the occurrences not done whose due instant falls in the coming ``days``."""
    if not entries:
        return _("Không có hạn chót nào trong {n} ngày tới (đến {date}).").format(
            n=days, date=full_date(until)
        )
    lines = [_("Hạn chót trong {n} ngày tới (đến {date}):").format(n=days, date=full_date(until))]
    for entry in entries:
        assert entry.due_at is not None
        who = role_label(entry.role)
        if with_unit:
            who = f"{entry.unit.name}, {who}"
        lines.append(
            f"- {full_date(entry.due_at)}: {entry.task_code} ({who}) "
            f"{inline(entry.task_title, 70)} · {status_with_percent(entry.status, entry.percent)}"
        )
    return "\n".join(lines)


def overdue_reminder(codes: list[str]) -> str:
    return ngettext(
        "Có {n} nhiệm vụ đã quá hạn mà chưa hoàn thành: {codes}. Gõ /nhiemvu để xem.",
        "Có {n} nhiệm vụ đã quá hạn mà chưa hoàn thành: {codes}. Gõ /nhiemvu để xem.",
        len(codes),
    ).format(n=len(codes), codes=", ".join(codes))


def bad_days() -> str:
    return _("Số ngày phải là số nguyên từ 1 đến 366, ví dụ /hanchot 30.")
