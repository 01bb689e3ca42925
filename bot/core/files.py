"""The files the chat sends (a chart, an Excel workbook, a Word draft): the ``FileBuilder``
protocol, the core's door to building them.

The builders (``messages.exports``) take plain data; reading that data from the database
takes a session, which the core never touches, so an implementation lives outside the
core: ``bot.exports.SqlFileBuilder`` on the same engine as the Store. Whoever builds a
``ChatCore`` hands it one. What an implementation must do:

- build from the database as it stands, at the instant given (never from a clock);
- write the file's texts in the current language (``messages.i18n``), which the core has
  set to the chat's;
- return a whole file, named and typed, ready to send: the chart as a photo, the others
  as documents;
- raise ``LookupError`` for a plan that does not exist; any other failure is a fault.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from bot.core.types import OutgoingFile
from messages.exports.periods import ReportPeriod
from storage.progress import PlanProgress
from storage.summary import PlanSummary


class FileBuilder(Protocol):
    def chart(self, progress: PlanProgress | PlanSummary) -> OutgoingFile:
        """The progress chart (a PNG photo) of the plan whose progress or summary this is."""

    def workbook(self, plan_id: int, now: datetime) -> OutgoingFile:
        """The Excel workbook (.xlsx) of the plan: progress, reports, reminders sent."""

    def period_report(self, plan_id: int, period: ReportPeriod, now: datetime) -> OutgoingFile:
        """The Word draft (.docx) of the plan's report on ``period``, written at ``now``."""
