"""The chat's and the command line's files, read from the database: ``SqlFileBuilder``.

The builders of ``messages.exports`` take plain data (progress, reports, reminders sent,
tasks) and never a session; this module reads that data in one short session per file and
hands it to them. ``workbook_bytes`` and ``period_report_bytes`` serve ``nhacviec export``
and ``report`` (``bot.cli.exports``); ``SqlFileBuilder`` wraps them as the chat core's
``FileBuilder``, so that the core, which never opens a session, gets each file whole, with
its name and MIME type.

matplotlib, openpyxl and python-docx load on the first file of their kind, not when the
bot starts: a bot that is never asked for a Word draft never loads python-docx.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine
from sqlmodel import Session

from bot.core.types import FileKind, OutgoingFile
from messages.exports.periods import ReportPeriod
from storage.engine import session_scope
from storage.entry_queries import stream_entries
from storage.evidence import evidence_per_task, plan_evidence
from storage.history_queries import (
    blocked_report_records,
    sent_reminders,
    stream_report_records,
)
from storage.models import Plan
from storage.progress import Entry, PlanProgress
from storage.progress_queries import plan_progress
from storage.queries import plan_tasks
from storage.summary import PlanSummary
from storage.task_details import task_details

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class _StreamedProgress:
    """The progress sheet's source: the plan's entries, fetched as the sheet is written."""

    title: str
    now: datetime
    entries: Iterator[Entry]


def workbook_bytes(
    session: Session, plan: Plan, now: datetime, lang: str | None = None, evidence_dir: str = ""
) -> bytes:
    """The Excel workbook of ``plan`` at ``now``: progress, every report, reminders sent,
    the evidence files kept (their paths under ``evidence_dir``, the file store), each
    sheet streamed from its query (the generators run one after the other)."""
    from messages.exports.workbook import build_workbook

    assert plan.id is not None
    return build_workbook(
        _StreamedProgress(plan.title, now, stream_entries(session, plan.id, now)),
        stream_report_records(session, plan.id),
        sent_reminders(session, plan.id),
        lang,
        evidence=plan_evidence(session, plan.id),
        evidence_dir=evidence_dir,
        details={d.task.id: d for d in task_details(session, plan.id) if d.task.id is not None},
    )


def period_report_bytes(
    session: Session, plan: Plan, period: ReportPeriod, now: datetime, lang: str | None = None
) -> bytes:
    """The Word draft of ``plan``'s report on ``period`` written at ``now``, from the
    progress as it stood at the period's end (or now, if earlier), aggregated in SQL.
    Of the reports, only the reasons are quoted: only the "vướng mắc" ones with a note
    are read, not the year's every report."""
    from messages.exports.period_report import build_period_report, report_moment

    assert plan.id is not None
    moment = report_moment(period, now)
    return build_period_report(
        plan,
        period,
        now,
        progress=plan_progress(session, plan.id, moment, until=moment),
        reports=blocked_report_records(session, plan.id, until=moment),
        tasks=plan_tasks(session, plan),
        evidence_counts=evidence_per_task(session, plan.id, period.start, moment),
        lang=lang,
    )


class SqlFileBuilder:
    """Builds the chat's files from the database behind ``engine`` (SQLite or PostgreSQL)."""

    def __init__(self, engine: Engine, evidence_dir: str = "") -> None:
        self.engine = engine
        self.evidence_dir = evidence_dir  # shown before the paths of evidence files

    def chart(self, progress: PlanProgress | PlanSummary) -> OutgoingFile:
        from messages.exports.chart import MIME_TYPE, build_chart, chart_filename

        content = build_chart(progress)
        logger.info("chart of plan %s: %s bytes", progress.code, len(content))
        return OutgoingFile(chart_filename(progress), content, MIME_TYPE, FileKind.PHOTO)

    def workbook(self, plan_id: int, now: datetime) -> OutgoingFile:
        from messages.exports.workbook import MIME_TYPE, workbook_filename

        with session_scope(self.engine) as session:
            plan = _plan(session.get(Plan, plan_id), plan_id)
            content = workbook_bytes(session, plan, now, evidence_dir=self.evidence_dir)
        logger.info("workbook of plan %s: %s bytes", plan.code, len(content))
        return OutgoingFile(workbook_filename(plan, now), content, MIME_TYPE)

    def period_report(self, plan_id: int, period: ReportPeriod, now: datetime) -> OutgoingFile:
        from messages.exports.period_report import MIME_TYPE, report_filename

        with session_scope(self.engine) as session:
            plan = _plan(session.get(Plan, plan_id), plan_id)
            content = period_report_bytes(session, plan, period, now)
        logger.info("report of plan %s on %s: %s bytes", plan.code, period.label, len(content))
        return OutgoingFile(report_filename(plan, period), content, MIME_TYPE)


def _plan(plan: Plan | None, plan_id: int) -> Plan:
    if plan is None:
        raise LookupError(f"no plan with id {plan_id}")
    return plan
