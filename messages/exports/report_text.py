"""The sentences of the periodic report: what each unit did on each task, what is late.

Plain functions of ``storage.progress`` entries; ``period_report`` places them on the page.
A unit that reported gets a line of its own (its standing, percent, date, evidence and
note); the units that sent nothing on a deadline share one line per state, so a task of
a hundred communes still reads in a few lines.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from messages.dates import number, short_date
from messages.exports.labels import Standing, standing, standing_label, status_label
from messages.i18n import _, ngettext
from storage.history import ReportRecord
from storage.models import ReportStatus
from storage.progress import Entry
from storage.task_rows import TaskRow

SHORTFALLS = (Standing.OVERDUE, Standing.BLOCKED, Standing.DONE_LATE)


def _sentence(note: str) -> str:
    """A unit's note as typed, ending like a sentence."""
    note = " ".join(note.split())
    return note if note.endswith((".", "!", "?", "…")) else note + "."


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def overview(entries: Sequence[Entry]) -> str:
    count: dict[Standing, int] = defaultdict(int)
    for entry in entries:
        count[standing(entry)] += 1
    return _(
        "Trong kỳ có {tasks} nhiệm vụ, với {total} lượt đơn vị thực hiện: hoàn thành đúng "
        "hạn {on_time}; hoàn thành trễ hạn {late}; đang thực hiện {in_progress}; vướng mắc "
        "{blocked}; quá hạn {overdue}; chưa bắt đầu hoặc chưa báo cáo {idle}."
    ).format(
        tasks=number(len({entry.task_id for entry in entries})),
        total=number(len(entries)),
        on_time=number(count[Standing.DONE_ON_TIME]),
        late=number(count[Standing.DONE_LATE]),
        in_progress=number(count[Standing.IN_PROGRESS]),
        blocked=number(count[Standing.BLOCKED]),
        overdue=number(count[Standing.OVERDUE]),
        idle=number(count[Standing.NOT_STARTED]),
    )


def task_details(entry: Entry, row: TaskRow | None) -> str:
    """`` (thời gian: Tháng 2; chủ trì: ...; phối hợp: ...).`` after a task's title."""
    details = [_("thời gian: {when}").format(when=entry.when_text)]
    if row and row.lead:
        details.append(_("chủ trì: {units}").format(units=", ".join(u.name for u in row.lead)))
    if row and row.support:
        details.append(_("phối hợp: {units}").format(units=", ".join(u.name for u in row.support)))
    return f" ({'; '.join(details)})."


def _state(entry: Entry) -> str:
    value = standing(entry)
    if value == Standing.OVERDUE:
        assert entry.due_at is not None  # only a dated deadline is overdue
        return _("quá hạn (hạn chót {date}), {status}").format(
            date=short_date(entry.due_at), status=lower_first(status_label(entry.status))
        )
    if entry.status is None:
        return lower_first(status_label(None))
    state = lower_first(standing_label(value))
    if entry.percent is not None and not entry.done:
        state = _("{state}, đạt {percent}%").format(state=state, percent=entry.percent)
    return state


def _reported_line(entry: Entry) -> str:
    parts = [_state(entry)]
    if entry.reported_at is not None:
        parts.append(_("báo cáo ngày {date}").format(date=short_date(entry.reported_at)))
    if entry.evidence_count:
        parts.append(
            ngettext("{n} tệp minh chứng", "{n} tệp minh chứng", entry.evidence_count).format(
                n=number(entry.evidence_count)
            )
        )
    text = _("- {unit}: {details}.").format(unit=entry.unit.name, details="; ".join(parts))
    if entry.note and entry.note.strip():
        text += " " + _("Ghi chú: {note}").format(note=_sentence(entry.note))
    return text


def unit_lines(entries: Sequence[Entry]) -> list[str]:
    """The lines of one deadline: reporting units one by one, silent ones by state."""
    lines = [_reported_line(entry) for entry in entries if entry.reported]
    silent: dict[str, list[str]] = defaultdict(list)
    for entry in entries:
        if not entry.reported:
            silent[_state(entry)].append(entry.unit.name)
    for state, names in silent.items():
        lines.append(
            _("- {state}: {units}.").format(
                state=state[:1].upper() + state[1:], units=", ".join(names)
            )
        )
    return lines


def shortfall_lines(
    entries: Sequence[Entry], records: dict[tuple[int, int], list[ReportRecord]]
) -> list[str]:
    """One deadline's units that are late, blocked or finished late, with the reasons
    they gave in their "vướng mắc" reports."""
    lines = []
    for entry in entries:
        value = standing(entry)
        if value not in SHORTFALLS:
            continue
        if value == Standing.DONE_LATE:
            assert entry.due_at is not None and entry.reported_at is not None
            state = _(
                "hoàn thành trễ hạn (hạn chót {due}, báo cáo hoàn thành ngày {done})"
            ).format(due=short_date(entry.due_at), done=short_date(entry.reported_at))
        else:
            state = _state(entry)
        notes = [
            record.note.strip()
            for record in records.get((entry.occurrence_id, entry.unit.id), [])
            if record.status == ReportStatus.BLOCKED and record.note and record.note.strip()
        ]
        line = _("+ {unit}: {state}.").format(unit=entry.unit.name, state=state)
        if notes:
            line += " " + _("Vướng mắc đơn vị nêu: {notes}").format(
                notes=_sentence("; ".join(note.rstrip(".") for note in dict.fromkeys(notes)))
            )
        lines.append(line)
    return lines
