"""What ``nhacviec demo`` tells along the way and at the end: a progress bar on stderr (a
line per month when stderr is not a terminal), and the figures counted in the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TextIO

from sqlalchemy import Engine
from sqlmodel import Session, col, func, select

from messages import demo as texts
from scheduler.outbox import LEADERSHIP, MISSED, REMINDER_KINDS, SUMMARY
from storage.models import Reminder, ReminderState, Report, ReportStatus

BAR_WIDTH = 24


@dataclass(frozen=True)
class Figures:
    """What the outbox sent and what the units reported, so far."""

    reminders: int = 0  # reminders of a deadline, to a unit's chat
    escalations: int = 0  # overdue deadlines told to the leadership
    summaries: int = 0  # weekly summaries to the leadership
    reports: int = 0
    late: int = 0
    done: int = 0

    def minus(self, other: Figures) -> Figures:
        return Figures(*(a - b for a, b in zip(self.values(), other.values(), strict=True)))

    def values(self) -> tuple[int, ...]:
        return (
            self.reminders,
            self.escalations,
            self.summaries,
            self.reports,
            self.late,
            self.done,
        )


def count_figures(engine: Engine) -> Figures:
    """What the outbox has sent and the units have reported so far in the demo."""
    with Session(engine) as session:
        sent = dict(
            session.exec(
                select(Reminder.kind, func.count())
                .where(col(Reminder.state) == ReminderState.SENT)
                .group_by(col(Reminder.kind))
            ).all()
        )
        reports = session.exec(select(func.count()).select_from(Report)).one()
        late = session.exec(
            select(func.count()).select_from(Report).where(col(Report.late).is_(True))
        ).one()
        done = session.exec(
            select(func.count()).select_from(Report).where(Report.status == ReportStatus.DONE)
        ).one()
    return Figures(
        reminders=sum(sent.get(kind, 0) for kind in REMINDER_KINDS if kind != LEADERSHIP),
        # Overdue deadlines reach the leaders twice: the morning after (a "missed" summary)
        # and from five working days late (an escalation).
        escalations=sent.get(LEADERSHIP, 0) + sent.get(MISSED, 0),
        summaries=sent.get(SUMMARY, 0),
        reports=reports,
        late=late,
        done=done,
    )


class Progress:
    """A one-line bar redrawn each simulated week on a terminal; otherwise a line per month."""

    def __init__(self, err: TextIO, first: date, last: date, *, monthly: bool) -> None:
        self.err = err
        self.first = first
        self.weeks = (last - first).days // 7 + 1
        self.tty = err.isatty()
        self.monthly = monthly and not self.tty
        self._month_start = Figures()
        self._line = ""  # the bar as last drawn
        self._shown = False

    def hide(self) -> None:
        """Take the bar off its line, so that the transcript can print there."""
        if self._shown:
            self.err.write("\r\x1b[K")
            self.err.flush()
            self._shown = False

    def show(self) -> None:
        """Draw the bar again under what was printed."""
        if self.tty and self._line and not self._shown:
            self.err.write(f"\r{self._line}")
            self.err.flush()
            self._shown = True

    def day_done(self, day: date, last: date, messages: int, engine: Engine) -> None:
        if self.tty and ((day - self.first).days % 7 == 6 or day == last):
            week = (day - self.first).days // 7 + 1
            filled = round(BAR_WIDTH * week / self.weeks)
            bar = "█" * filled + "░" * (BAR_WIDTH - filled)
            self.hide()
            self._line = texts.progress_bar(bar, week, self.weeks, day, messages)
            self.show()
        month_ends = (day + timedelta(days=1)).month != day.month
        if self.monthly and (month_ends or day == last):
            now = count_figures(engine)
            diff = now.minus(self._month_start)
            self._month_start = now
            line = texts.month_line(
                day.month, day.year, diff.reminders, diff.escalations, diff.summaries, diff.reports
            )
            print(line, file=self.err, flush=True)

    def close(self) -> None:
        """Leave the last bar on its own line."""
        if self._shown:
            self.err.write("\n")
            self.err.flush()
            self._shown = False
