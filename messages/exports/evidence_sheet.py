"""Evidence in the files built from a plan. The workbook's *Minh chứng* sheet: every file
kept for the plan, one row each, with where it lies in the file store (``[files]
evidence_dir``), so a coordinator can open it outside the chat, and its SHA-256, the name
it is kept under."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import PurePosixPath
from typing import Any

from messages.i18n import _
from storage.history import EvidenceRecord


def evidence_columns(column: Any, date_time_format: str) -> list[Any]:
    """The sheet's columns, made with the workbook's ``Column``."""
    return [
        column(_("Thời điểm báo cáo"), 17, date_time_format),
        column(_("Mã nhiệm vụ"), 9),
        column(_("Kỳ"), 16),
        column(_("Đơn vị"), 42),
        column(_("Loại"), 8),
        column(_("Tên tệp"), 30),
        column(_("Dung lượng (KB)"), 11),
        column(_("Đường dẫn trong kho minh chứng"), 60),
        column(_("Mã SHA-256"), 20),
    ]


def evidence_rows(
    records: Iterable[EvidenceRecord], folder: str, excel_time: Any
) -> Iterable[Sequence[Any]]:
    """One row per file; ``folder`` is the file store's place (prefixed to each path)."""
    for record in records:
        yield (
            excel_time(record.reported_at),
            record.task_code,
            record.period,
            record.unit_name,
            _("ảnh") if record.mime_type.startswith("image/") else _("tệp"),
            record.name,
            max(round(record.size / 1024), 1),
            str(PurePosixPath(folder) / record.path) if folder else record.path,
            record.sha256,
        )
