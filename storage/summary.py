"""A plan's summary as the chat shows it: aggregate figures and the few items that need action.

Plain data, filled by ``storage.summary_queries`` from aggregate SQL, so that /tonghop,
/quahan, /chuabaocao and the chart cost the same few queries on a plan of ten units or a
thousand, and their texts stay one message long. The lists are the first items only (the
most urgent); the ``*_count`` fields say how many there are in all, the rest is in the
workbook (/xuat).

An **ongoing duty** (*nhiệm vụ thường xuyên*: a task of kind "continuous", which the time
parser gives "Thường xuyên trong năm") is followed through the periodic reports: it is
counted apart and never shown as late or as not reported. Everything else follows
``storage.progress`` (entries, in scope, overdue, done late).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from storage.progress import StatusCounts, UnitRef


def natural_key(code: str) -> tuple:
    """Sort key of a task or unit code with its numbers read as numbers: D2 before D10."""
    return tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part.upper())
        for part in re.split(r"(\d+)", code)
        if part
    )


@dataclass(frozen=True)
class UnitStanding:
    """One unit's in-scope entries (ongoing duties apart) by standing, for the chart."""

    unit: UnitRef
    done_on_time: int
    done_late: int
    in_progress: int
    blocked: int
    overdue: int
    not_started: int

    @property
    def total(self) -> int:
        return (
            self.done_on_time
            + self.done_late
            + self.in_progress
            + self.blocked
            + self.overdue
            + self.not_started
        )


@dataclass(frozen=True)
class LateDeadline:
    """An occurrence past due that some units have not finished: the first of them by
    name (lead units first), and how many there are."""

    task_code: str
    task_title: str
    period: str
    due_at: datetime
    unit_names: tuple[str, ...]
    unit_count: int


@dataclass(frozen=True)
class SilentUnit:
    """A unit that has not reported on started deadlines: how many, and of which tasks."""

    unit: UnitRef
    count: int
    task_codes: tuple[str, ...]


@dataclass(frozen=True)
class Blocker:
    """A unit's latest report says *vướng mắc*, in its own words."""

    task_code: str
    unit_name: str
    note: str | None
    reported_at: datetime


@dataclass(frozen=True)
class OngoingDuty:
    """An ongoing duty: how many of its units have reported, and when last."""

    task_code: str
    task_title: str
    unit_count: int
    reported_units: int
    last_report_at: datetime | None


@dataclass(frozen=True)
class PlanSummary:
    """A plan's figures at ``now``; ``counts`` and the shares cover the in-scope entries
    that are not ongoing duties."""

    plan_id: int
    code: str
    title: str
    year: int
    now: datetime
    counts: StatusCounts
    done_on_time: int
    done_late: int
    overdue_entries: int
    overdue_count: int
    overdue: tuple[LateDeadline, ...]
    missing_count: int
    missing: tuple[SilentUnit, ...]
    blocked_count: int
    blocked: tuple[Blocker, ...]
    ongoing_count: int
    ongoing_reported: int  # ongoing duties that some unit has reported on
    ongoing: tuple[OngoingDuty, ...]
    units: tuple[UnitStanding, ...]
