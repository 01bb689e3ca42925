"""The summaries the leadership chats get without asking: weekly, and after missed deadlines.

The weekly summary is /tonghop's text (``messages.summary.summary``, unchanged) under a
line that says why it came; the progress chart follows
it as a photo captioned by ``chart_caption``. The message after missed deadlines lists,
per plan, each deadline missed since the chat's last such message: the task and its
period, the deadline and how late it is now, and the units that have not reported it
"hoàn thành", each with its role and latest status. Both are plain text, cut to the
platform's limit by the caller's ``limit``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from messages.dates import VN_TZ, short_date
from messages.escape import inline
from messages.i18n import _
from messages.reminders import Section, compose, late_lines
from messages.reports import role_label, status_with_percent
from messages.split import split_text
from messages.summary import summary
from storage.progress import OverdueOccurrence, PlanProgress
from storage.summary import PlanSummary

TITLE_LIMIT = 160


def weekly_summary(progress: PlanSummary) -> str:
    """The weekly summary of one plan: /tonghop's text (which ends with the commands for
    the detail), under a line that says what it is."""
    return "\n\n".join((_("Báo cáo tổng hợp định kỳ hằng tuần gửi lãnh đạo."), summary(progress)))


def weekly_parts(progress: PlanSummary, limit: int) -> list[str]:
    """The weekly summary as the messages that carry it, each at most ``limit`` long."""
    return split_text(weekly_summary(progress), limit)


def chart_caption(progress: PlanProgress | PlanSummary) -> str:
    """``Biểu đồ tiến độ từng đơn vị — cua-lo-2024, 04/03/2024``."""
    return _("Biểu đồ tiến độ từng đơn vị — {code}, {date}").format(
        code=progress.code, date=short_date(progress.now)
    )


@dataclass(frozen=True)
class MissedPlan:
    """One plan's deadlines in a missed-deadlines message, in order of due instant."""

    title: str
    code: str
    deadlines: Sequence[OverdueOccurrence]


def _days_late(due: datetime, now: datetime) -> int:
    return (now.astimezone(VN_TZ).date() - due.astimezone(VN_TZ).date()).days


def missed_header(plan: MissedPlan) -> str:
    text = _("Báo cáo lãnh đạo: nhiệm vụ đã qua hạn chót mà đơn vị chưa hoàn thành — {plan}")
    return text.format(plan=f"{inline(plan.title, 200)} ({plan.code})")


def missed_item(number: int, deadline: OverdueOccurrence, now: datetime) -> str:
    """One missed deadline: the task, the deadline, and who has not finished it."""
    late = _days_late(deadline.due_at, now)
    units = "; ".join(
        f"{entry.unit.name} ({role_label(entry.role)}, "
        f"{status_with_percent(entry.status, entry.percent)})"
        for entry in deadline.entries
    )
    return "\n".join(
        (
            _("{n}. Nhiệm vụ {code}, kỳ {period}: {title}").format(
                n=number,
                code=deadline.task_code,
                period=deadline.period,
                title=inline(deadline.task_title, TITLE_LIMIT),
            ),
            *late_lines(deadline.due_at, late, units),
        )
    )


def missed_footer() -> str:
    return _("Xem mọi nhiệm vụ quá hạn: /quahan; đơn vị chưa báo cáo: /chuabaocao")


def missed_message(plans: Sequence[MissedPlan], now: datetime, limit: int) -> list[str]:
    """The message(s) of one leadership chat: a section per plan, cut between deadlines
    when longer than ``limit`` (each part repeats its plan's header and ends with the
    footer)."""
    sections = [
        Section(
            missed_header(plan),
            [(missed_item(n, d, now), d.occurrence_id) for n, d in enumerate(plan.deadlines, 1)],
        )
        for plan in plans
        if plan.deadlines
    ]
    return [text for text, _refs in compose(sections, missed_footer(), limit)]
