"""Where a plan stands at one instant: who owes what, what each unit last reported, what is late.

This is the one computation behind the chat's summaries (/tonghop, /quahan, /chuabaocao,
/nhiemvu), the scheduled summaries and the exports, so that they can never disagree.

Vocabulary:

- an **obligation** is a unit's part in a task: *chủ trì* (lead) or *phối hợp* (support).
  A task assigned to a group of units (``Unit.is_group``) is owed by each member unit of
  the group, or by the group itself while the plan lists no members for it. A unit that
  is both lead and support of one task (directly and through a group) counts as lead.
- an **entry** is one unit's share of one occurrence (one deadline of a task): every
  responsible unit owes a report on every occurrence of the task. Its status is the one
  of the unit's latest report on that occurrence (``None``: no report yet).
- an entry is **started** once its occurrence's period has begun (an occurrence with no
  start, such as "Theo Kế hoạch của Sở", is always started), and **in scope** of the
  counts when it is started or already has a report: a deadline of December does not
  count as "not reported" in March.
- an entry is **overdue** when its occurrence's due instant has passed and its status is
  not "hoàn thành" (done). An occurrence with no due instant is never overdue.
- **done late**: the latest report says "hoàn thành" and was made after the due instant.
- an **ongoing** entry belongs to an ongoing duty ("Thường xuyên", task kind "continuous"):
  it is never overdue, and while the unit has not yet given this period's account it stands
  as "đang thực hiện" with the date of its last report on the duty (``carried``), not as
  "chưa báo cáo".

This module is plain data and plain functions of it, with no database code, so that the
chat core and ``messages`` can use it; ``storage.progress_queries.plan_progress`` reads
the database and fills it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime

from storage.models import Plan, ReportStatus


@dataclass(frozen=True)
class UnitRef:
    """A unit (or a group treated as one unit) as summaries show it."""

    id: int
    code: str
    name: str


@dataclass(frozen=True)
class Obligation:
    """A unit's part in a task, after expanding groups: ``role`` is "lead" or "support"."""

    task_id: int
    unit: UnitRef
    role: str


@dataclass(frozen=True)
class Entry:
    """One responsible unit's share of one occurrence, with the unit's latest report on it.

    ``status`` is None while the unit has sent no report on this occurrence; then
    ``percent``, ``reported_at`` and ``note`` are None too. ``late`` is the latest report's
    flag (made after the due instant). ``evidence_count`` counts the files of the latest
    report; ``report_count`` every report the unit sent on this occurrence.
    """

    plan_id: int
    occurrence_id: int
    task_id: int
    task_code: str
    task_title: str
    task_position: int
    when_text: str
    period: str
    start_at: datetime | None
    due_at: datetime | None
    unit: UnitRef
    role: str
    status: ReportStatus | None
    percent: int | None
    late: bool
    reported_at: datetime | None
    note: str | None
    evidence_count: int
    report_count: int
    started: bool
    overdue: bool
    ongoing: bool = False  # an ongoing duty: never overdue
    carried: bool = False  # status and date are those of the last report of earlier periods

    @property
    def reported(self) -> bool:
        return self.status is not None

    @property
    def done(self) -> bool:
        return self.status == ReportStatus.DONE

    @property
    def done_on_time(self) -> bool:
        return self.done and not self.late

    @property
    def done_late(self) -> bool:
        return self.done and self.late

    @property
    def in_scope(self) -> bool:
        return self.started or self.reported


@dataclass(frozen=True)
class StatusCounts:
    """How many in-scope entries are in each state; ``not_reported`` have no report yet."""

    not_reported: int = 0
    not_started: int = 0
    in_progress: int = 0
    done: int = 0
    blocked: int = 0

    @property
    def total(self) -> int:
        return self.not_reported + self.not_started + self.in_progress + self.done + self.blocked


@dataclass(frozen=True)
class OverdueOccurrence:
    """An occurrence past its due instant, with the entries (units) that have not finished."""

    occurrence_id: int
    task_code: str
    task_title: str
    period: str
    due_at: datetime
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class MissingUnit:
    """A unit with started occurrences on which it has sent no report at all."""

    unit: UnitRef
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class UnitRow:
    """One line of the per-unit table: the unit's in-scope entries by state."""

    unit: UnitRef
    total: int
    done_on_time: int
    done_late: int
    in_progress: int
    blocked: int
    not_started: int
    not_reported: int
    overdue: int
    last_report_at: datetime | None


@dataclass(frozen=True)
class PlanProgress:
    """A plan's progress at ``now``.

    ``entries`` holds every entry (in document order of the tasks, then by due instant,
    lead units before supporting ones); the counts, shares and lists use the in-scope
    ones only. ``done_on_time_share`` and ``done_late_share`` are fractions (0 to 1) of the
    in-scope entries. ``overdue`` is ordered by due instant, ``missing`` and ``units`` in
    the plan's order of units (the order of the plan file).
    """

    plan_id: int
    code: str
    title: str
    year: int
    now: datetime
    entries: tuple[Entry, ...]
    counts: StatusCounts
    done_on_time_share: float
    done_late_share: float
    overdue: tuple[OverdueOccurrence, ...]
    missing: tuple[MissingUnit, ...]
    units: tuple[UnitRow, ...]

    @property
    def in_scope(self) -> tuple[Entry, ...]:
        return tuple(entry for entry in self.entries if entry.in_scope)

    def unit_entries(self, unit_id: int) -> tuple[Entry, ...]:
        return tuple(entry for entry in self.entries if entry.unit.id == unit_id)


ONGOING = "continuous"  # the task kind of an ongoing duty ("Thường xuyên"), never late


def _due(entry: Entry) -> datetime:
    assert entry.due_at is not None  # an overdue entry has a due instant
    return entry.due_at


def summarize(plan: Plan, entries: tuple[Entry, ...], now: datetime) -> PlanProgress:
    """Counts, shares, overdue and missing lists, and the per-unit table from ``entries``."""
    scope = [e for e in entries if e.in_scope]
    by_status: dict[ReportStatus | None, int] = defaultdict(int)
    for entry in scope:
        by_status[entry.status] += 1
    counts = StatusCounts(
        not_reported=by_status[None],
        not_started=by_status[ReportStatus.NOT_STARTED],
        in_progress=by_status[ReportStatus.IN_PROGRESS],
        done=by_status[ReportStatus.DONE],
        blocked=by_status[ReportStatus.BLOCKED],
    )
    total = len(scope)
    on_time = sum(1 for e in scope if e.done_on_time)
    late = sum(1 for e in scope if e.done_late)

    overdue_by_occurrence: dict[int, list[Entry]] = defaultdict(list)
    for entry in entries:
        if entry.overdue:
            overdue_by_occurrence[entry.occurrence_id].append(entry)
    overdue = sorted(
        (
            OverdueOccurrence(
                occurrence_id=oid,
                task_code=rows[0].task_code,
                task_title=rows[0].task_title,
                period=rows[0].period,
                due_at=_due(rows[0]),
                entries=tuple(rows),
            )
            for oid, rows in overdue_by_occurrence.items()
        ),
        key=lambda o: (o.due_at, o.task_code),
    )

    per_unit: dict[int, list[Entry]] = defaultdict(list)
    for entry in scope:
        per_unit[entry.unit.id].append(entry)
    missing = []
    units = []
    for rows in sorted(per_unit.values(), key=lambda rows: rows[0].unit.id):
        unit = rows[0].unit
        silent = tuple(e for e in rows if e.started and not e.reported)
        if silent:
            missing.append(MissingUnit(unit, silent))
        reported = [e.reported_at for e in rows if e.reported_at is not None]
        units.append(
            UnitRow(
                unit=unit,
                total=len(rows),
                done_on_time=sum(1 for e in rows if e.done_on_time),
                done_late=sum(1 for e in rows if e.done_late),
                in_progress=sum(1 for e in rows if e.status == ReportStatus.IN_PROGRESS),
                blocked=sum(1 for e in rows if e.status == ReportStatus.BLOCKED),
                not_started=sum(1 for e in rows if e.status == ReportStatus.NOT_STARTED),
                not_reported=sum(1 for e in rows if not e.reported),
                overdue=sum(1 for e in rows if e.overdue),
                last_report_at=max(reported) if reported else None,
            )
        )
    assert plan.id is not None
    return PlanProgress(
        plan_id=plan.id,
        code=plan.code,
        title=plan.title,
        year=plan.year,
        now=now,
        entries=entries,
        counts=counts,
        done_on_time_share=on_time / total if total else 0.0,
        done_late_share=late / total if total else 0.0,
        overdue=tuple(overdue),
        missing=tuple(missing),
        units=tuple(units),
    )


_FAR = datetime.max.replace(tzinfo=UTC)


def open_entries(entries: tuple[Entry, ...] | list[Entry]) -> list[Entry]:
    """Each (task, unit) of ``entries`` once, at its *open* occurrence: the earliest one not
    done whose period has started; else the next one not done; else (all done) the latest
    started one, so that a report can still correct it. In the order of ``entries``."""
    groups: dict[tuple[int, int], list[Entry]] = defaultdict(list)
    for entry in entries:
        groups[(entry.task_id, entry.unit.id)].append(entry)
    result = []
    for rows in groups.values():
        ordered = sorted(rows, key=lambda e: (e.due_at is None, e.due_at or _FAR))
        chosen = next((e for e in ordered if e.started and not e.done), None)
        chosen = chosen or next((e for e in ordered if not e.done), None)
        started = [e for e in ordered if e.started]
        result.append(chosen or (started[-1] if started else ordered[0]))
    return result
