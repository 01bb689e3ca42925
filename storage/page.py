"""What the leaders' page shows besides a plan's progress: who may see which plan, and one
task in detail (every unit's last report on each of its deadlines, its history, its
evidence).

Plain data, with no database code, so that ``messages`` can render it;
``storage.page_queries`` reads it. A plan's figures come from ``storage.progress``, the
computation behind /tonghop, so that the page and the chat never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storage.progress import UnitRef


@dataclass(frozen=True)
class PlanScope:
    """A plan a person may look at: the whole of it (``units`` None: a leader, a
    coordinator, an operator) or only the tasks of the units in ``units`` (an officer)."""

    plan_id: int
    code: str
    title: str
    units: frozenset[int] | None

    @property
    def whole(self) -> bool:
        return self.units is None

    def sees(self, unit_id: int) -> bool:
        return self.units is None or unit_id in self.units


@dataclass(frozen=True)
class UnitReport:
    """One responsible unit on one deadline of the task, with its latest report (``status``
    None: no report yet)."""

    unit: UnitRef
    role: str
    period: str
    due_at: datetime | None
    status: str | None
    percent: int | None
    note: str | None
    reported_at: datetime | None
    late: bool
    member_name: str | None
    evidence_count: int
    overdue: bool


@dataclass(frozen=True)
class HistoryLine:
    """One report on the task, as it was made."""

    created_at: datetime
    unit_name: str
    period: str
    status: str
    percent: int | None
    note: str | None
    late: bool
    member_name: str | None
    evidence_count: int


@dataclass(frozen=True)
class EvidenceFile:
    """A photo or file sent with a report on the task; ``number`` is its place in the
    report. ``evidence_id`` names the file kept in the file store (its ``mime_type`` and
    ``size``); None: the file is known only by the platform's reference (``file_id``),
    its download failed or came before the store, and stays on the chat platform."""

    report_id: int
    number: int
    kind: str
    name: str | None
    file_id: str
    platform: str
    unit_name: str
    reported_at: datetime
    evidence_id: int | None = None
    mime_type: str | None = None
    size: int | None = None

    @property
    def kept(self) -> bool:
        return self.evidence_id is not None

    @property
    def shown_inline(self) -> bool:
        """A kept photo a browser draws (HEIC, say, is offered as a download instead)."""
        return self.kept and self.mime_type in INLINE_TYPES


INLINE_TYPES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"})


@dataclass(frozen=True)
class TaskDetail:
    """A task of a plan as its page shows it: the rows of the deadlines already begun (or
    reported on), newest deadline first, and the reports newest first."""

    plan_id: int
    plan_code: str
    task_id: int
    code: str
    title: str
    when_text: str
    lead: tuple[str, ...]
    support: tuple[str, ...]
    rows: tuple[UnitReport, ...]
    history: tuple[HistoryLine, ...]
