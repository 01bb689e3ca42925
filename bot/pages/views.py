"""What each page shows, read from the database for one viewer's scope (``PlanScope``).

A plan's figures are ``storage.progress``'s, the computation behind /tonghop: a leader
sees the counts /tonghop prints, to the unit. An officer's scope keeps their units' rows
and late items only, and their figures are those rows added up. The late items are the
overdue entries (one unit on one deadline), the longest overdue first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from bot.core.periods import RecentPeriod, read_period, recent_periods
from messages.dates import VN_TZ
from messages.exports.periods import ReportPeriod, period_phrase
from storage.models import Plan
from storage.page import PlanScope
from storage.progress import Entry, PlanProgress, UnitRow
from storage.progress_queries import obligations, plan_progress
from storage.queries import plan_tasks

LATE_SHOWN = 100  # a phone shows the worst; the workbook has every one


@dataclass(frozen=True)
class Figures:
    """The headline counts, as /tonghop gives them (in-scope entries by state)."""

    total: int
    done_on_time: int
    done_late: int
    in_progress: int
    blocked: int
    not_started: int
    not_reported: int
    overdue_occurrences: int

    def share(self, count: int) -> float:
        return count / self.total if self.total else 0.0


@dataclass(frozen=True)
class TaskLink:
    code: str
    title: str
    when_text: str


@dataclass(frozen=True)
class PeriodLink:
    number: int
    phrase: str


@dataclass(frozen=True)
class PlanPage:
    scope: PlanScope
    title: str
    now: datetime
    figures: Figures
    units: tuple[UnitRow, ...]
    late: tuple[Entry, ...]  # the LATE_SHOWN longest overdue
    late_more: int  # overdue items beyond those (the workbook lists them all)
    tasks: tuple[TaskLink, ...]
    periods: tuple[PeriodLink, ...]  # the period reports offered (whole plan only)


def _figures(progress: PlanProgress, scope: PlanScope, units: list[UnitRow]) -> Figures:
    if scope.whole:
        counts = progress.counts
        on_time = sum(row.done_on_time for row in units)
        return Figures(
            total=counts.total,
            done_on_time=on_time,
            done_late=counts.done - on_time,
            in_progress=counts.in_progress,
            blocked=counts.blocked,
            not_started=counts.not_started,
            not_reported=counts.not_reported,
            overdue_occurrences=len(progress.overdue),
        )
    overdue = sum(
        1 for item in progress.overdue if any(scope.sees(e.unit.id) for e in item.entries)
    )
    return Figures(
        total=sum(row.total for row in units),
        done_on_time=sum(row.done_on_time for row in units),
        done_late=sum(row.done_late for row in units),
        in_progress=sum(row.in_progress for row in units),
        blocked=sum(row.blocked for row in units),
        not_started=sum(row.not_started for row in units),
        not_reported=sum(row.not_reported for row in units),
        overdue_occurrences=overdue,
    )


def offered_periods(plan: Plan, now: datetime) -> list[tuple[RecentPeriod, ReportPeriod]]:
    """The period reports the page offers: the recent ones /baocaoky offers."""
    result = []
    for recent in recent_periods(now.astimezone(VN_TZ).date(), plan.year):
        period = read_period(recent.text, plan.year)
        if period is not None:
            result.append((recent, period))
    return result


def plan_page(session: Session, scope: PlanScope, now: datetime) -> PlanPage:
    """What the plan's page shows of the scope's units: progress and overdue deadlines."""
    plan = session.get(Plan, scope.plan_id)
    assert plan is not None
    progress = plan_progress(session, scope.plan_id, now)
    units = [row for row in progress.units if scope.sees(row.unit.id)]
    late = [
        entry
        for item in progress.overdue
        for entry in item.entries
        if scope.sees(entry.unit.id) and entry.due_at is not None
    ]
    late.sort(key=lambda e: (e.due_at, e.task_position, e.unit.id))
    rows = plan_tasks(session, plan)
    if not scope.whole:
        owed = obligations(session, scope.plan_id)
        mine = {tid for tid, refs in owed.items() if any(scope.sees(o.unit.id) for o in refs)}
        rows = [row for row in rows if row.task.id in mine]
    periods = offered_periods(plan, now) if scope.whole else []
    return PlanPage(
        scope=scope,
        title=plan.title,
        now=now,
        figures=_figures(progress, scope, units),
        units=tuple(units),
        late=tuple(late[:LATE_SHOWN]),
        late_more=max(0, len(late) - LATE_SHOWN),
        tasks=tuple(TaskLink(r.task.code, r.task.title, r.task.when_text) for r in rows),
        periods=tuple(PeriodLink(recent.number, period_phrase(p)) for recent, p in periods),
    )
