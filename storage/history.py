"""The history of a plan besides its progress: every report, every reminder sent.

The workbook and the period report list these rows.

``storage.progress`` keeps each unit's latest report only; the workbook lists every
report, and the reminders the outbox has sent. Plain data, with no database code, so
that ``messages`` can render it; ``storage.history_queries`` reads it from the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class ReportRecord:
    """One report as it was made, with its task, deadline, unit and sender."""

    created_at: datetime
    task_code: str
    task_title: str
    task_position: int
    period: str
    due_at: datetime | None
    occurrence_id: int
    unit_id: int
    unit_code: str
    unit_name: str
    member_name: str | None
    status: str
    percent: int | None
    late: bool
    note: str | None
    evidence_count: int
    platform: str


@dataclass(frozen=True)
class SentReminder:
    """One outbox row that went out: to whom, about which deadline, at which step."""

    sent_at: datetime
    task_code: str
    task_title: str
    period: str
    due_at: datetime | None
    unit_name: str | None  # None for a message to the leadership
    kind: str
    step: str
    chat_title: str | None
    chat_kind: str
    platform: str


@dataclass(frozen=True)
class EvidenceRecord:
    """One kept file, with the report it came with."""

    task_code: str
    period: str
    unit_name: str
    reported_at: datetime
    kind: str
    name: str | None
    mime_type: str
    size: int
    sha256: str
    path: str
