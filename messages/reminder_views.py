"""The operator's view of the reminders: ``nhacviec reminders list`` and ``preview``.

The list shows the leadership's scheduled summaries too (steps "weekly" and "missed").

Plain values come in (the command line gathers them from the outbox, the policy and the
calendar); text in the operator's language goes out. Times are shown in
Asia/Ho_Chi_Minh with the weekday, so a reminder moved off a weekend or Tết is plain to see.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time

from messages.dates import VN_TZ, full_date
from messages.i18n import _


def when(instant: datetime) -> str:
    """``08:00 Thứ Hai, 22 tháng 1, 2024``."""
    return f"{instant.astimezone(VN_TZ):%H:%M} {full_date(instant)}"


def step_label(step: str) -> str:
    kind, _sep, number = step.partition("-")
    if kind == "before":
        return _("trước hạn {n} ngày làm việc").format(n=number)
    if kind == "after":
        return _("quá hạn, nhắc lần {n}").format(n=number)
    if step == "due":
        return _("ngày hạn chót")
    if step == "escalate":
        return _("báo lãnh đạo")
    if step == "weekly":
        return _("tổng hợp hằng tuần")
    if step == "missed":
        return _("tổng hợp sau hạn chót")
    return step


def state_label(state: str) -> str:
    labels = {
        "planned": _("dự kiến"),
        "pending": _("chờ gửi"),
        "claimed": _("đang gửi"),
        "sent": _("đã gửi"),
        "failed": _("lỗi, không gửi lại"),
        "held": _("tạm giữ"),
        "skipped": _("bỏ qua"),
    }
    return labels.get(state, state)


def reason_label(reason: str) -> str:
    """Why a reminder was skipped or held, or what did not go out with a sent summary; a
    platform's error is shown as it came."""
    kind, _sep, detail = reason.partition(": ")
    if kind == "chart-failed":
        return _("biểu đồ không gửi được: {error}").format(error=detail)
    if kind == "incomplete":
        sent, _sep, error = detail.partition(": ")
        return _("chỉ gửi được {parts} phần: {error}").format(parts=sent, error=error)
    labels = {
        "missed": _("đã có lần nhắc mới hơn (lỡ khi bot dừng)"),
        "done": _("đơn vị đã báo cáo hoàn thành"),
        "not-owed": _("đơn vị không còn được giao nhiệm vụ"),
        "occurrence-inactive": _("hạn chót không còn trong kế hoạch"),
        "chat-changed": _("nhắc qua chat khác của đơn vị"),
        "moved": _("đơn vị đã được gia hạn: nhắc theo hạn chót mới"),
        "chat-inactive": _("chat ngừng hoạt động"),
        "budget-spent": _("đã hết hạn mức tin nhắn Zalo của tháng"),
        "nothing-missed": _("các đơn vị đã báo cáo hoàn thành trước giờ gửi"),
        "plan-gone": _("kế hoạch không còn"),
        "not-leadership": _("chat không còn là nhóm lãnh đạo theo dõi kế hoạch này"),
        "chart-unsupported": _("nền tảng không gửi được ảnh: gửi tổng hợp không kèm biểu đồ"),
        "chart-error": _("không vẽ được biểu đồ: gửi tổng hợp không kèm biểu đồ"),
    }
    return labels.get(reason, reason)


@dataclass(frozen=True)
class ListedReminder:
    due_at: datetime
    state: str
    chat: str  # "telegram:-1001 Nhóm Phòng Nội vụ"
    chat_active: bool
    recipient: str  # the unit's name, or the leadership
    occurrence: str  # "cua-lo-2024 T2 Tháng 2/2024"
    step: str
    attempts: int
    last_error: str | None
    next_attempt_at: datetime | None = None


def reminder_list(
    rows: Sequence[ListedReminder],
    inactive_chats: Sequence[tuple[str, str | None]],
    until: datetime,
) -> str:
    """The planned and recent reminders, then the chats that can no longer be reached."""
    lines = [_("Nhắc việc đến {until}: {n} mục").format(until=when(until), n=len(rows))]
    if not rows:
        lines.append(_("Không có nhắc việc nào trong khoảng này."))
    for row in rows:
        flag = "" if row.chat_active else " " + _("[chat ngừng hoạt động]")
        lines.append(
            f"{when(row.due_at)}  {state_label(row.state)}  {row.occurrence}  "
            f"{step_label(row.step)}  → {row.recipient} · {row.chat}{flag}"
        )
        if row.attempts and row.state != "sent":
            lines.append("    " + _("đã thử {n} lần").format(n=row.attempts))
        if row.next_attempt_at and row.state == "pending":
            lines.append("    " + _("thử lại lúc {at}").format(at=when(row.next_attempt_at)))
        if row.next_attempt_at and row.state == "held":
            lines.append("    " + _("giữ đến {at}").format(at=when(row.next_attempt_at)))
        if row.last_error:
            lines.append("    " + _("lý do: {reason}").format(reason=reason_label(row.last_error)))
    if inactive_chats:
        lines.append("")
        lines.append(_("Chat không gửi được (đã ngừng, cần kiểm tra lại hoặc đăng ký lại):"))
        for chat, error in inactive_chats:
            lines.append(f"  {chat}" + (f" — {error}" if error else ""))
    return "\n".join(lines)


@dataclass(frozen=True)
class PreviewOccurrence:
    period: str
    due_at: datetime | None
    due_note: str | None  # the holiday's name when the due day is not a working day
    due_reminder_day: date | None  # where the "due" reminder goes when moved
    units: Sequence[tuple[str, str, bool]]  # (name, role, already reported done)
    schedule: Sequence[tuple[datetime, str]]


@dataclass(frozen=True)
class PreviewTask:
    code: str
    title: str
    when_text: str
    occurrences: Sequence[PreviewOccurrence]


def policy_line(
    before: Sequence[int], at: time, on_due_day: bool, every: int, most: int, escalate: int
) -> str:
    parts = []
    if before:
        parts.append(
            _("trước hạn {days} ngày làm việc, lúc {at}").format(
                days=", ".join(str(n) for n in before), at=f"{at:%H:%M}"
            )
        )
    if on_due_day:
        parts.append(_("ngày hạn chót"))
    if most:
        parts.append(
            _("sau hạn {every} ngày làm việc một lần, tối đa {n} lần").format(every=every, n=most)
        )
    if escalate:
        parts.append(_("báo lãnh đạo khi quá hạn {n} ngày làm việc").format(n=escalate))
    return _("Chính sách: {parts}.").format(parts="; ".join(parts))


def reminder_preview(title: str, code: str, policy: str, tasks: Sequence[PreviewTask]) -> str:
    """The plan's whole reminder schedule: per task and deadline, its units and instants."""
    lines = [_("Lịch nhắc việc — {title} ({code})").format(title=title, code=code), policy]
    for task in tasks:
        lines += [
            "",
            f"{task.code}. {task.title}",
            "   " + _("Thời gian: {when}").format(when=task.when_text),
        ]
        for occurrence in task.occurrences:
            if occurrence.due_at is None:
                lines.append("   " + _("Không nhắc: nhiệm vụ không có hạn chót."))
                continue
            header = _("Kỳ {period}, hạn chót {date}").format(
                period=occurrence.period, date=full_date(occurrence.due_at)
            )
            if occurrence.due_reminder_day is not None:
                header += " " + _("({note}: nhắc ngày hạn chót vào {day})").format(
                    note=occurrence.due_note or _("ngày nghỉ"),
                    day=full_date(occurrence.due_reminder_day),
                )
            lines.append("   " + header)
            units = "; ".join(
                _("{unit} ({role})").format(
                    unit=name, role=_("chủ trì") if role == "lead" else _("phối hợp")
                )
                + (" — " + _("đã báo cáo hoàn thành") if done else "")
                for name, role, done in occurrence.units
            )
            lines.append("   " + _("Đơn vị: {units}").format(units=units or _("chưa giao")))
            for instant, step in occurrence.schedule:
                lines.append(f"     {when(instant)}  {step_label(step)}")
    return "\n".join(lines)
