"""Words shared by the chart, the workbook and the period report.

The **standing** of an entry (one unit's share of one deadline) is what the chart colours
and what the workbook lets a coordinator filter on. It is read from ``storage.progress``
and nothing else, in this order:

1. *hoàn thành đúng hạn*: the latest report says done, made by the due instant;
2. *hoàn thành trễ hạn*: done, reported after the due instant;
3. *quá hạn*: the due instant has passed and the unit has not said done, whatever else
   it said (being late matters more to a leader than being blocked);
4. *vướng mắc*: the latest report says blocked. Kept apart from "in progress" because it
   is the one state that asks something of the leadership;
5. *đang thực hiện*: the latest report says in progress;
6. *chưa bắt đầu*: the period has begun and the unit said "not started" or has sent no
   report at all (the chart cannot tell "not started" from "silent"; the workbook can);
7. *chưa đến kỳ*: the period has not begun and nothing was reported: not counted.
"""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum

from messages.i18n import _
from storage.models import AssignmentRole, ReportStatus
from storage.progress import Entry


class Standing(StrEnum):
    DONE_ON_TIME = "done_on_time"
    DONE_LATE = "done_late"
    OVERDUE = "overdue"
    BLOCKED = "blocked"
    IN_PROGRESS = "in_progress"
    NOT_STARTED = "not_started"
    UPCOMING = "upcoming"


# The order of the chart's stacked segments and of its legend: good news first.
CHART_STANDINGS = (
    Standing.DONE_ON_TIME,
    Standing.DONE_LATE,
    Standing.IN_PROGRESS,
    Standing.BLOCKED,
    Standing.OVERDUE,
    Standing.NOT_STARTED,
)


def standing(entry: Entry) -> Standing:
    """Where ``entry`` stands (see the module's docstring for the rule)."""
    if entry.done:
        return Standing.DONE_LATE if entry.late else Standing.DONE_ON_TIME
    if entry.overdue:
        return Standing.OVERDUE
    if entry.status == ReportStatus.BLOCKED:
        return Standing.BLOCKED
    if entry.status == ReportStatus.IN_PROGRESS:
        return Standing.IN_PROGRESS
    if entry.in_scope:
        return Standing.NOT_STARTED
    return Standing.UPCOMING


def standing_label(value: Standing) -> str:
    return {
        Standing.DONE_ON_TIME: _("Hoàn thành đúng hạn"),
        Standing.DONE_LATE: _("Hoàn thành trễ hạn"),
        Standing.OVERDUE: _("Quá hạn"),
        Standing.BLOCKED: _("Vướng mắc"),
        Standing.IN_PROGRESS: _("Đang thực hiện"),
        Standing.NOT_STARTED: _("Chưa bắt đầu"),
        Standing.UPCOMING: _("Chưa đến kỳ"),
    }[value]


def status_label(status: ReportStatus | str | None) -> str:
    """The status a unit reported, or "Chưa báo cáo" when it has sent none."""
    if status is None:
        return _("Chưa báo cáo")
    return {
        ReportStatus.NOT_STARTED: _("Chưa bắt đầu"),
        ReportStatus.IN_PROGRESS: _("Đang thực hiện"),
        ReportStatus.DONE: _("Hoàn thành"),
        ReportStatus.BLOCKED: _("Vướng mắc"),
    }.get(ReportStatus(status), str(status))


def role_label(role: str) -> str:
    return _("Chủ trì") if role == AssignmentRole.LEAD else _("Phối hợp")


def reminder_kind_label(kind: str) -> str:
    """Whom an outbox row was for: a lead unit, a supporting unit or the leadership."""
    if kind == AssignmentRole.LEAD:
        return _("Đơn vị chủ trì")
    if kind == AssignmentRole.SUPPORT:
        return _("Đơn vị phối hợp")
    return _("Lãnh đạo")


def reminder_step_label(step: str) -> str:
    """``before-3`` -> "Trước hạn 3 ngày làm việc"; steps are named in scheduler.policy."""
    if step == "due":
        return _("Đúng ngày hạn chót")
    if step == "escalate":
        return _("Báo lãnh đạo")
    if match := re.fullmatch(r"before-(\d+)", step):
        return _("Trước hạn {n} ngày làm việc").format(n=match[1])
    if match := re.fullmatch(r"after-(\d+)", step):
        return _("Quá hạn, nhắc lần {n}").format(n=match[1])
    return step


def ascii_slug(text: str) -> str:
    """``Quý I/2024`` -> ``quy-i-2024``: file names travel badly with diacritics."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", bare.lower()).strip("-") or "ke-hoach"


# Control characters that XML 1.0 (so .xlsx and .docx) cannot hold; a note pasted from
# elsewhere may carry one, and the whole file would fail to build.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_safe(text: str) -> str:
    """``text`` without the characters an Office file cannot contain."""
    return _NOT_XML.sub("", text)


def shorten(text: str, limit: int) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters, with "…"."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:-") + "…"
