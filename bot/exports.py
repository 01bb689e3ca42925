"""``SqlFileBuilder``: the chat core's ``FileBuilder`` on the database's engine.

The chat sends the same three files as ``nhacviec export``, ``report`` and ``chart``
(``bot.exports_cli``): this wraps the builders of ``messages.exports`` so that the core,
which never opens a session, gets each file whole, with its name and MIME type. Each
build reads in one short session of its own, like a Store method.

matplotlib, openpyxl and python-docx load on the first file of their kind, not when the
bot starts: a bot that is never asked for a Word draft never loads python-docx.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import Engine

from bot.core.types import FileKind, OutgoingFile
from messages.exports.periods import ReportPeriod
from storage.engine import session_scope
from storage.models import Plan
from storage.progress import PlanProgress

logger = logging.getLogger(__name__)


class SqlFileBuilder:
    """Builds the chat's files from the database behind ``engine`` (SQLite or PostgreSQL)."""

    def __init__(self, engine: Engine, evidence_dir: str = "") -> None:
        self.engine = engine
        self.evidence_dir = evidence_dir  # shown before the paths of evidence files

    def chart(self, progress: PlanProgress) -> OutgoingFile:
        from messages.exports.chart import MIME_TYPE, build_chart, chart_filename

        content = build_chart(progress)
        logger.info("chart of plan %s: %s bytes", progress.code, len(content))
        return OutgoingFile(chart_filename(progress), content, MIME_TYPE, FileKind.PHOTO)

    def workbook(self, plan_id: int, now: datetime) -> OutgoingFile:
        from messages.exports.workbook import MIME_TYPE, build_workbook, workbook_filename

        with session_scope(self.engine) as session:
            plan = _plan(session.get(Plan, plan_id), plan_id)
            content = build_workbook(session, plan_id, now, evidence_dir=self.evidence_dir)
        logger.info("workbook of plan %s: %s bytes", plan.code, len(content))
        return OutgoingFile(workbook_filename(plan, now), content, MIME_TYPE)

    def period_report(self, plan_id: int, period: ReportPeriod, now: datetime) -> OutgoingFile:
        from messages.exports.period_report import (
            MIME_TYPE,
            build_period_report,
            report_filename,
        )

        with session_scope(self.engine) as session:
            plan = _plan(session.get(Plan, plan_id), plan_id)
            content = build_period_report(session, plan_id, period, now)
        logger.info("report of plan %s on %s: %s bytes", plan.code, period.label, len(content))
        return OutgoingFile(report_filename(plan, period), content, MIME_TYPE)


def _plan(plan: Plan | None, plan_id: int) -> Plan:
    if plan is None:
        raise LookupError(f"no plan with id {plan_id}")
    return plan
