"""The Excel export (``/xuat``, ``nhacviec export``): a plan's progress as coordinators use it.

Four sheets: *Tiến độ*, one row per deadline and responsible unit (the entries of
``storage.progress``, so that the file and the chat's summaries never disagree), with
its reported status, its standing (``labels.standing``), percent, last report, note and
number of evidence files; *Báo cáo*, every report ever made; *Nhắc việc đã gửi*, every
reminder the outbox sent; *Minh chứng*, every evidence file kept, with its path in the
file store (``messages.exports.evidence_sheet``). One row per pair rather than a tasks x
units matrix, because coordinators filter and sort, and a matrix cannot hold a note.

Each sheet opens with the plan's title and the moment of the export, then a bold header
row that stays in view (frozen) and carries Excel's filter buttons. Dates are real Excel
dates in Vietnam's time (Excel has no time zones, so they are written naive, local).
Written row by row as the sheets' XML (``xlsx_stream``) from rows streamed out of the
database, so that a plan of a thousand units and a year of reports is never held whole in
memory and takes seconds, not the minutes of a cell object per value. Built from
data the caller reads (``storage.entry_queries``, ``storage.history_queries``;
``bot.exports`` does it), never from a database session.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from messages.dates import VN_TZ, date_time
from messages.exports.evidence_sheet import evidence_columns, evidence_rows
from messages.exports.labels import (
    reminder_kind_label,
    reminder_step_label,
    role_label,
    standing,
    standing_label,
    status_label,
)
from messages.exports.xlsx_stream import XlsxStream
from messages.i18n import _, current_language, language
from storage.history import EvidenceRecord, ReportRecord, SentReminder
from storage.models import Plan
from storage.progress import Entry
from storage.records import TaskDetail

MIME_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE = "dd/mm/yyyy"
DATE_TIME = "dd/mm/yyyy hh:mm"
PERCENT = "0%"


class WorkbookSource(Protocol):
    """What the progress sheet is made of: a ``PlanProgress``, or the same entries streamed
    from the database (``bot.exports``), so that a big plan is never held whole."""

    @property
    def title(self) -> str: ...

    @property
    def now(self) -> datetime: ...

    @property
    def entries(self) -> Iterable[Entry]: ...


@dataclass(frozen=True)
class Column:
    title: str
    width: float
    number_format: str | None = None


def workbook_filename(plan: Plan, now: datetime) -> str:
    return f"tong-hop-{plan.code}-{now.astimezone(VN_TZ):%Y-%m-%d}.xlsx"


def excel_time(moment: datetime | None) -> datetime | None:
    """``moment`` in Vietnam's time without its zone, as Excel stores dates."""
    return None if moment is None else moment.astimezone(VN_TZ).replace(tzinfo=None)


def _fraction(percent: int | None) -> float | None:
    return None if percent is None else percent / 100


def _place(chat_title: str | None, chat_kind: str) -> str:
    if chat_title:
        return chat_title
    return _("Trò chuyện riêng") if chat_kind == "private" else _("Nhóm")


def _yes(flag: bool) -> str | None:
    return _("Có") if flag else None


def _sheet(
    book: XlsxStream,
    name: str,
    progress: WorkbookSource,
    columns: Sequence[Column],
    rows: Iterable[Sequence[Any]],
) -> None:
    head = [
        [progress.title],
        [_("Số liệu tính đến {moment}").format(moment=date_time(progress.now))],
        [],
    ]
    book.sheet(
        name,
        [column.width for column in columns],
        [column.number_format for column in columns],
        head,
        [column.title for column in columns],
        rows,
    )


def _document_columns(detail: TaskDetail | None) -> tuple[str | None, ...]:
    """The document's columns beside the time: parent task, product, funding, awaited event."""
    if detail is None:
        return (None, None, None, None)
    task = detail.task
    return (detail.parent_code, task.product, task.funding, task.event)


def _progress_sheet(
    book: XlsxStream, progress: WorkbookSource, details: Mapping[int, TaskDetail]
) -> None:
    columns = [
        Column(_("Mã nhiệm vụ"), 9),
        Column(_("Nhiệm vụ"), 60),
        Column(_("Thời gian thực hiện"), 22),
        Column(_("Kỳ"), 16),
        Column(_("Hạn chót"), 12, DATE),
        Column(_("Mã đơn vị"), 14),
        Column(_("Đơn vị"), 42),
        Column(_("Vai trò"), 10),
        Column(_("Trạng thái báo cáo"), 17),
        Column(_("Đánh giá"), 20),
        Column(_("Tỷ lệ hoàn thành"), 11, PERCENT),
        Column(_("Báo cáo lần cuối"), 17, DATE_TIME),
        Column(_("Ghi chú"), 50),
        Column(_("Số tệp minh chứng"), 11),
        Column(_("Số lần báo cáo"), 10),
        Column(_("Thuộc nhiệm vụ"), 9),
        Column(_("Sản phẩm"), 30),
        Column(_("Kinh phí"), 20),
        Column(_("Chờ sự kiện"), 30),
    ]
    rows = (
        (
            entry.task_code,
            entry.task_title,
            entry.when_text,
            entry.period,
            excel_time(entry.due_at),
            entry.unit.code,
            entry.unit.name,
            role_label(entry.role),
            status_label(entry.status),
            standing_label(standing(entry)),
            _fraction(entry.percent),
            excel_time(entry.reported_at),
            entry.note,
            entry.evidence_count,
            entry.report_count,
            *_document_columns(details.get(entry.task_id)),
        )
        for entry in progress.entries
    )
    _sheet(book, _("Tiến độ"), progress, columns, rows)


def _reports_sheet(
    book: XlsxStream, progress: WorkbookSource, reports: Iterable[ReportRecord]
) -> None:
    columns = [
        Column(_("Thời điểm báo cáo"), 17, DATE_TIME),
        Column(_("Mã nhiệm vụ"), 9),
        Column(_("Nhiệm vụ"), 50),
        Column(_("Kỳ"), 16),
        Column(_("Hạn chót"), 12, DATE),
        Column(_("Mã đơn vị"), 14),
        Column(_("Đơn vị"), 42),
        Column(_("Người báo cáo"), 22),
        Column(_("Trạng thái"), 16),
        Column(_("Tỷ lệ hoàn thành"), 11, PERCENT),
        Column(_("Báo cáo sau hạn chót"), 12),
        Column(_("Ghi chú"), 50),
        Column(_("Số tệp minh chứng"), 11),
        Column(_("Nền tảng"), 11),
    ]
    rows = (
        (
            excel_time(record.created_at),
            record.task_code,
            record.task_title,
            record.period,
            excel_time(record.due_at),
            record.unit_code,
            record.unit_name,
            record.member_name,
            status_label(record.status),
            _fraction(record.percent),
            _yes(record.late),
            record.note,
            record.evidence_count,
            record.platform.capitalize(),
        )
        for record in reports
    )
    _sheet(book, _("Báo cáo"), progress, columns, rows)


def _reminders_sheet(
    book: XlsxStream, progress: WorkbookSource, reminders: Iterable[SentReminder]
) -> None:
    columns = [
        Column(_("Gửi lúc"), 17, DATE_TIME),
        Column(_("Mã nhiệm vụ"), 9),
        Column(_("Nhiệm vụ"), 50),
        Column(_("Kỳ"), 16),
        Column(_("Hạn chót"), 12, DATE),
        Column(_("Đơn vị"), 42),
        Column(_("Gửi cho"), 16),
        Column(_("Lần nhắc"), 26),
        Column(_("Nơi nhận"), 30),
        Column(_("Nền tảng"), 11),
    ]
    rows = (
        (
            excel_time(sent.sent_at),
            sent.task_code,
            sent.task_title,
            sent.period,
            excel_time(sent.due_at),
            sent.unit_name,
            reminder_kind_label(sent.kind),
            reminder_step_label(sent.step),
            _place(sent.chat_title, sent.chat_kind),
            sent.platform.capitalize(),
        )
        for sent in reminders
    )
    _sheet(book, _("Nhắc việc đã gửi"), progress, columns, rows)


def build_workbook(
    progress: WorkbookSource,
    reports: Iterable[ReportRecord],
    reminders: Iterable[SentReminder],
    lang: str | None = None,
    *,
    evidence: Iterable[EvidenceRecord] = (),
    evidence_dir: str = "",
    details: Mapping[int, TaskDetail] | None = None,
) -> bytes:
    """The .xlsx export of the plan whose ``progress`` this is, as of ``progress.now``.

    ``reports`` are the plan's reports and ``reminders`` the reminders sent, each listed
    in the order given (oldest first, as ``storage.history_queries`` reads them);
    ``evidence`` the files kept for it, listed with ``evidence_dir`` (the file store's
    folder) before each path; ``details`` the tasks' parent, product, funding and awaited
    event, by task id, for the last columns of the progress sheet.
    """
    with language(lang or current_language()):
        buffer = io.BytesIO()
        # Stamped in UTC with the export's moment (the injected clock's), not the wall clock's.
        created = progress.now.astimezone(UTC).replace(tzinfo=None)
        book = XlsxStream(buffer, progress.title, "nhacviec", created)
        _progress_sheet(book, progress, details or {})
        _reports_sheet(book, progress, reports)
        _reminders_sheet(book, progress, reminders)
        files = evidence_rows(evidence, evidence_dir, excel_time)
        _sheet(book, _("Minh chứng"), progress, evidence_columns(Column, DATE_TIME), files)
        book.close()
    return buffer.getvalue()
