"""The reminders as the units and the leaders read them in chat.

A unit's message names the unit, then each deadline: the task (with its period for a
recurring one), the unit's role (*chủ trì* / *phối hợp*), how long is left or how late
it is, what the unit last reported (or that it has not), and what to do: ``/baocao T2``,
with one-tap answers (``answer_choices``: "hoàn thành", "đang thực hiện ..%", "xin gia
hạn") that the platform shows as buttons or numbered options. A leadership message lists,
per plan, the deadlines missed by five working days or more and the units that have not reported
"hoàn thành". All the reminders a chat gets at once are one message, split only when it
would be too long for the platform.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from messages.dates import full_date
from messages.i18n import _, ngettext
from messages.reports import status_with_percent

TITLE_LIMIT = 160


@dataclass(frozen=True)
class Deadline:
    """One occurrence as a reminder shows it. ``today`` is the day the message goes out;
    ``working_days_left`` counts the working days after today up to the due day."""

    task_code: str
    task_title: str
    period: str | None  # shown for recurring tasks only
    due_at: datetime
    today: date
    working_days_left: int
    due_day: date


@dataclass(frozen=True)
class LastReport:
    """What a unit last reported on an occurrence."""

    status: str
    percent: int | None
    at: datetime


@dataclass(frozen=True)
class Section:
    """A header and its items; each item carries ``ref``, the caller's handle on it."""

    header: str
    items: Sequence[tuple[str, Hashable]]


def _short(title: str) -> str:
    """A long task title cut at a word before ``TITLE_LIMIT`` characters, with "…"."""
    if len(title) <= TITLE_LIMIT:
        return title
    return title[: TITLE_LIMIT - 1].rsplit(" ", 1)[0].rstrip(" ,;:(") + "…"


def role_name(role: str) -> str:
    return _("đơn vị chủ trì") if role == "lead" else _("đơn vị phối hợp")


def _task_line(number: int, deadline: Deadline, role: str | None) -> str:
    if deadline.period and role:
        text = _("{n}. Nhiệm vụ {code}, kỳ {period} ({role}): {title}")
    elif deadline.period:
        text = _("{n}. Nhiệm vụ {code}, kỳ {period}: {title}")
    elif role:
        text = _("{n}. Nhiệm vụ {code} ({role}): {title}")
    else:
        text = _("{n}. Nhiệm vụ {code}: {title}")
    return text.format(
        n=number,
        code=deadline.task_code,
        period=deadline.period,
        role=role_name(role) if role else "",
        title=_short(deadline.task_title),
    )


def days_late(deadline: Deadline) -> int:
    return (deadline.today - deadline.due_day).days


def status_line(deadline: Deadline) -> str:
    """How the deadline stands on the day the message goes out."""
    due = full_date(deadline.due_at)
    late = days_late(deadline)
    if late > 0:
        return ngettext(
            "Đã quá hạn {n} ngày (hạn chót {date}) mà đơn vị chưa báo cáo hoàn thành.",
            "Đã quá hạn {n} ngày (hạn chót {date}) mà đơn vị chưa báo cáo hoàn thành.",
            late,
        ).format(n=late, date=due)
    if late == 0:
        return _("Hôm nay là hạn chót ({date}).").format(date=due)
    if deadline.working_days_left == 0:
        return _(
            "Hạn chót {date} là ngày nghỉ: hôm nay là ngày làm việc cuối cùng trước hạn."
        ).format(date=due)
    return ngettext(
        "Còn {n} ngày làm việc đến hạn chót {date}.",
        "Còn {n} ngày làm việc đến hạn chót {date}.",
        deadline.working_days_left,
    ).format(n=deadline.working_days_left, date=due)


def last_report_line(last: LastReport | None) -> str:
    """What the unit last said of this deadline, and when."""
    if last is None:
        return _("Báo cáo gần nhất: chưa báo cáo.")
    return _("Báo cáo gần nhất: {status}, ngày {date}.").format(
        status=status_with_percent(last.status, last.percent), date=full_date(last.at)
    )


def unit_item(number: int, deadline: Deadline, role: str, last: LastReport | None = None) -> str:
    """One deadline in a unit's reminder: how it stands, the unit's last report, and the
    command that reports on it."""
    return "\n".join(
        (
            _task_line(number, deadline, role),
            status_line(deadline),
            last_report_line(last),
            _("Báo cáo tiến độ: /baocao {code}").format(code=deadline.task_code),
        )
    )


def answer_choices(
    code: str, occurrence_id: int, unit_id: int, named: bool
) -> list[tuple[str, str]]:
    """The one-tap answers to one deadline, as (label, value): each value is a command
    the chat core runs, ending with ``~<occurrence>.<unit>`` so that the answer lands on
    the reminded deadline and unit (``.p``: ask the percent). ``named``: the message
    carries several deadlines, so each label starts with the task's code."""
    ref = f"~{occurrence_id}.{unit_id}"
    labels = (_("Hoàn thành"), _("Đang thực hiện ..%"), _("Xin gia hạn"))
    values = (f"/baocao {code} xong {ref}", f"/baocao {code} {ref}.p", f"/giahan {code} {ref}")
    return [
        (f"{code}: {label}" if named else label, value)
        for label, value in zip(labels, values, strict=True)
    ]


def unit_header(unit_name: str) -> str:
    return _("Nhắc việc — {unit}").format(unit=unit_name)


def escalation_header(plan_title: str) -> str:
    return _("Báo cáo lãnh đạo: nhiệm vụ quá hạn chưa hoàn thành — {plan}").format(plan=plan_title)


def escalation_item(number: int, deadline: Deadline, late_units: Sequence[tuple[str, str]]) -> str:
    """One missed deadline for the leaders: how late, and who has not reported it done."""
    late = days_late(deadline)
    units = "; ".join(
        _("{unit} ({role})").format(
            unit=name, role=_("chủ trì") if role == "lead" else _("phối hợp")
        )
        for name, role in late_units
    )
    return "\n".join(
        (_task_line(number, deadline, None), *late_lines(deadline.due_at, late, units))
    )


def late_lines(due_at: datetime, late: int, units: str) -> tuple[str, str]:
    """How late a deadline is and who has not reported it done, for the leaders."""
    return (
        ngettext(
            "Hạn chót {date}, đã quá hạn {n} ngày.", "Hạn chót {date}, đã quá hạn {n} ngày.", late
        ).format(date=full_date(due_at), n=late),
        _("Chưa báo cáo hoàn thành: {units}.").format(units=units),
    )


def escalation_footer() -> str:
    return _("Xem danh sách quá hạn: /quahan")


def compose(
    sections: Sequence[Section], footer: str | None = None, limit: int = 3500
) -> list[tuple[str, list[Hashable]]]:
    """The message(s) of one chat: the sections in order, split between items when the text
    would pass ``limit`` characters (each part repeats its section's header). Returns each
    part's text with the refs of the items it carries."""
    parts: list[tuple[str, list[Hashable]]] = []
    blocks: list[str] = []
    refs: list[Hashable] = []
    size = 0

    def flush() -> None:
        nonlocal blocks, refs, size
        if refs:
            text = "\n\n".join(blocks)
            parts.append((f"{text}\n\n{footer}" if footer else text, refs))
        blocks, refs, size = [], [], 0

    reserve = len(footer) + 2 if footer else 0
    for section in sections:
        header_shown = False
        for text, ref in section.items:
            extra = len(text) + 2 + (0 if header_shown else len(section.header) + 2)
            if refs and size + extra + reserve > limit:
                flush()
                header_shown = False
            if not header_shown:
                blocks.append(section.header)
                size += len(section.header) + 2
                header_shown = True
            blocks.append(text)
            refs.append(ref)
            size += len(text) + 2
    flush()
    return parts
