"""The labels of a plan's page and a task's page (the leaders' page, ``bot.pages``).

The figures are named as /tonghop names them (``messages.summary``), so that a leader
reads the same words in the chat and on the page. Each state has a sign besides its
colour (✓ done on time, ◑ done late, ✗ overdue, ? not reported), so the page reads in
grey and for the colour-blind.
"""

from __future__ import annotations

from datetime import datetime

from messages.dates import VN_TZ, percent, short_date
from messages.i18n import _, ngettext
from messages.reports import role_label, status_with_percent


def progress_heading() -> str:
    return _("Tổng hợp tiến độ")


def in_scope(n: int) -> str:
    return _("Đầu việc đã đến kỳ: {n}").format(n=n)


def in_scope_hint() -> str:
    return _("Mỗi đơn vị, mỗi kỳ của một nhiệm vụ tính là một đầu việc.")


def done_on_time() -> str:
    return _("Hoàn thành đúng hạn")


def done_late() -> str:
    return _("Hoàn thành trễ hạn")


def in_progress() -> str:
    return _("Đang thực hiện")


def blocked() -> str:
    return _("Vướng mắc")


def not_started() -> str:
    return _("Chưa bắt đầu")


def not_reported() -> str:
    return _("Chưa báo cáo")


def overdue() -> str:
    return _("Quá hạn")


def share(fraction: float) -> str:
    return percent(fraction)


def overdue_figure(entries: int, occurrences: int) -> str:
    return _("Quá hạn: {n} đầu việc ở {k} kỳ nhiệm vụ").format(n=entries, k=occurrences)


def units_heading() -> str:
    return _("Từng đơn vị")


def units_legend() -> str:
    return _("✓ hoàn thành đúng hạn · ◑ hoàn thành trễ · ✗ quá hạn · ? chưa báo cáo")


def unit_total(done: int, total: int) -> str:
    return _("{done}/{total} đầu việc hoàn thành").format(done=done, total=total)


def last_report(at: datetime | None) -> str:
    if at is None:
        return _("chưa có báo cáo")
    return _("báo cáo gần nhất {date}").format(date=short_date(at))


def late_heading() -> str:
    return _("Việc quá hạn, trễ lâu nhất trước")


def nothing_late() -> str:
    return _("Không có việc nào quá hạn.")


def late_more(n: int, workbook: bool) -> str:
    # Only a whole plan's page offers the Excel file; an officer opens the tasks instead.
    if workbook:
        return ngettext(
            "Còn {n} việc quá hạn khác: xem đủ trong tệp Excel ở cuối trang.",
            "Còn {n} việc quá hạn khác: xem đủ trong tệp Excel ở cuối trang.",
            n,
        ).format(n=n)
    return ngettext(
        "Còn {n} việc quá hạn khác: anh/chị mở từng nhiệm vụ ở mục Nhiệm vụ để xem.",
        "Còn {n} việc quá hạn khác: anh/chị mở từng nhiệm vụ ở mục Nhiệm vụ để xem.",
        n,
    ).format(n=n)


def days_late(due: datetime, now: datetime) -> str:
    days = (now.astimezone(VN_TZ).date() - due.astimezone(VN_TZ).date()).days
    return ngettext("quá {n} ngày", "quá {n} ngày", days).format(n=days)


def due_on(due: datetime | None) -> str:
    if due is None:
        return _("không có hạn")
    return _("hạn {date}").format(date=short_date(due))


def status(value: str | None, percent_done: int | None) -> str:
    return status_with_percent(value, percent_done)


def role(value: str) -> str:
    return role_label(value)


def tasks_heading() -> str:
    return _("Nhiệm vụ")


def chart_heading() -> str:
    return _("Biểu đồ tiến độ các đơn vị")


def chart_alt(code: str) -> str:
    return _("Biểu đồ tiến độ của từng đơn vị, kế hoạch {code}").format(code=code)


def downloads_heading() -> str:
    return _("Tải về")


def workbook_link() -> str:
    return _("Tổng hợp tiến độ, báo cáo và nhắc việc (Excel)")


def period_report_link(period: str) -> str:
    return _("Dự thảo báo cáo {period} (Word)").format(period=period)


# -- a task's page ---------------------------------------------------------------------


def when(text: str) -> str:
    return _("Thời gian: {when}").format(when=text)


def lead_units(names: str) -> str:
    return _("Chủ trì: {units}").format(units=names or "—")


def support_units(names: str) -> str:
    return _("Phối hợp: {units}").format(units=names or "—")


def latest_heading() -> str:
    return _("Báo cáo gần nhất của từng đơn vị")


def nothing_begun() -> str:
    return _("Chưa có kỳ nào của nhiệm vụ này đến hạn thực hiện.")


def reported_by(at: datetime, name: str | None) -> str:
    if name:
        return _("{date}, {name}").format(date=short_date(at), name=name)
    return short_date(at)


def evidence_count(n: int) -> str:
    return ngettext("{n} minh chứng", "{n} minh chứng", n).format(n=n)


def reported_late() -> str:
    return _("báo cáo sau hạn")


def history_heading() -> str:
    return _("Lịch sử báo cáo")


def no_reports() -> str:
    return _("Chưa có báo cáo nào.")


def evidence_heading() -> str:
    return _("Minh chứng")


def no_evidence() -> str:
    return _("Chưa có ảnh hay tệp minh chứng nào.")


def evidence_kind(kind: str) -> str:
    return _("Ảnh") if kind == "photo" else _("Tệp")


def evidence_unnamed() -> str:
    return _("(không tên)")


def evidence_photo_alt(unit_name: str, at: datetime) -> str:
    return _("Ảnh minh chứng của {unit}, gửi ngày {date}").format(
        unit=unit_name, date=short_date(at)
    )


def file_size(size: int | None) -> str:
    if not size or size < 1_000_000:
        return _("{n} KB").format(n=max(1, round((size or 0) / 1000)))
    return _("{n} MB").format(n=f"{size / 1_000_000:.1f}")


def evidence_kept_in_chat(platform: str) -> str:
    return _("Tệp đang được giữ trên {platform}; anh/chị mở trong chat nơi đơn vị đã gửi.").format(
        platform=platform.capitalize()
    )
