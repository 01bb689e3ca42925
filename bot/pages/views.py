"""What each page shows, read from the database for one viewer's scope (``PlanScope``).

A plan's figures are /tonghop's: ``storage.page_progress`` counts by the same conditions
(``storage.summary_queries``) in aggregate SQL, so a leader sees the counts /tonghop
prints and the page costs the same on a plan of ten units or a thousand. An officer's
scope counts their units' entries only. The late items are the overdue entries (one unit
on one deadline), the longest overdue first.
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
from storage.page_progress import LateItem, PageProgress, owed_tasks, page_progress
from storage.progress import UnitRow
from storage.queries import plan_tasks

LATE_SHOWN = 100  # a phone shows the worst


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
    overdue_entries: int
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
    late: tuple[LateItem, ...]  # the LATE_SHOWN longest overdue
    late_more: int  # overdue items beyond those
    tasks: tuple[TaskLink, ...]
    periods: tuple[PeriodLink, ...]  # the period reports offered (whole plan only)


def _figures(progress: PageProgress) -> Figures:
    """The units' rows added up: each entry is one unit's, so the sums are the plan's
    (or the officer's units') counts, as /tonghop counts them."""
    units = progress.units
    return Figures(
        total=sum(row.total for row in units),
        done_on_time=sum(row.done_on_time for row in units),
        done_late=sum(row.done_late for row in units),
        in_progress=sum(row.in_progress for row in units),
        blocked=sum(row.blocked for row in units),
        not_started=sum(row.not_started for row in units),
        not_reported=sum(row.not_reported for row in units),
        overdue_entries=progress.late_total,
        overdue_occurrences=progress.overdue_occurrences,
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
    progress = page_progress(session, scope.plan_id, now, scope.units, LATE_SHOWN)
    rows = plan_tasks(session, plan)
    if scope.units is not None:
        mine = owed_tasks(session, scope.plan_id, scope.units)
        rows = [row for row in rows if row.task.id in mine]
    periods = offered_periods(plan, now) if scope.whole else []
    return PlanPage(
        scope=scope,
        title=plan.title,
        now=now,
        figures=_figures(progress),
        units=progress.units,
        late=progress.late,
        late_more=max(0, progress.late_total - len(progress.late)),
        tasks=tuple(TaskLink(r.task.code, r.task.title, r.task.when_text) for r in rows),
        periods=tuple(PeriodLink(recent.number, period_phrase(p)) for recent, p in periods),
    )
