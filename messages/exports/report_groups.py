"""Section I of the periodic report: the results in figures, per group of tasks.

A report read by a leader counts tasks, not lines: "đã hoàn thành 3/6 nhiệm vụ". The tasks
of a period are grouped the way the plan is written:

- a sub-task (``Task.parent_id``) belongs with its parent, and a parent heads its group;
- any other task belongs to its **section**, read from its code as the plan files write
  them (``plans/README.md``): ``T…`` the rows of the plan's timetable, ``D…`` the duties of
  *Tổ chức thực hiện*, ``R…`` the periodic reports.

A task's **state** over the period, from its units' entries: *quá hạn* when a unit is past
a deadline without "hoàn thành"; *hoàn thành* when every unit said so; *đang thực hiện*
when some unit reported; *chưa báo cáo* when none did. The notable results are the notes of
the "hoàn thành" and "đang thực hiện" reports made in the period.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from messages.dates import number
from messages.exports.report_text import clause
from messages.i18n import _
from storage.models import ReportStatus
from storage.progress import Entry
from storage.task_rows import TaskRow

NOTABLE_PER_GROUP = 5  # the rest are in the appendix's notes


class TaskState(StrEnum):
    DONE = "done"
    IN_PROGRESS = "in_progress"
    LATE = "late"
    NOT_REPORTED = "not_reported"


def task_state(entries: Sequence[Entry]) -> TaskState:
    """Where one task stands over the period (see the module's docstring)."""
    if any(entry.overdue for entry in entries):
        return TaskState.LATE
    if all(entry.done for entry in entries):
        return TaskState.DONE
    if any(entry.reported for entry in entries):
        return TaskState.IN_PROGRESS
    return TaskState.NOT_REPORTED


@dataclass(frozen=True)
class TaskGroup:
    """A heading of section I and the entries of its tasks, by task id in plan order."""

    title: str
    tasks: dict[int, list[Entry]]

    def states(self) -> dict[TaskState, int]:
        count: dict[TaskState, int] = defaultdict(int)
        for entries in self.tasks.values():
            count[task_state(entries)] += 1
        return count


def _section(code: str) -> str:
    prefix = re.match(r"[A-Za-z]*", code)
    letter = prefix.group(0).upper() if prefix else ""
    return {
        "T": _("Các hoạt động theo tiến độ của kế hoạch"),
        "D": _("Nhiệm vụ của các cơ quan, đơn vị"),
        "R": _("Chế độ thông tin, báo cáo"),
    }.get(letter, _("Các nhiệm vụ của kế hoạch"))


def task_groups(entries: Sequence[Entry], rows: Mapping[int, TaskRow]) -> list[TaskGroup]:
    """The period's entries grouped by parent task or section, in the plan's order."""
    titles = {task_id: row.task.title for task_id, row in rows.items()}
    parents = {task_id: row.task.parent_id for task_id, row in rows.items()}
    children = {parent for parent in parents.values() if parent is not None}
    grouped: dict[str, dict[int, list[Entry]]] = defaultdict(lambda: defaultdict(list))
    for entry in sorted(entries, key=lambda e: (e.task_position, e.task_id)):
        parent = parents.get(entry.task_id)
        if parent is not None and parent in titles:
            key = titles[parent]
        elif entry.task_id in children:
            key = entry.task_title
        else:
            key = _section(entry.task_code)
        grouped[key][entry.task_id].append(entry)
    return [TaskGroup(title, dict(tasks)) for title, tasks in grouped.items()]


def figures(states: Mapping[TaskState, int], *, whole_period: bool = False) -> str:
    """``Tổng số 6 nhiệm vụ: hoàn thành 2; đang thực hiện 1; quá hạn 2; chưa báo cáo 1.``,
    or, for the ``whole_period``, "Trong kỳ có 21 nhiệm vụ ...: ..."."""
    if whole_period:
        text = _(
            "Trong kỳ có {total} nhiệm vụ đến hạn hoặc đang triển khai: hoàn thành {done}; "
            "đang thực hiện {in_progress}; quá hạn chưa hoàn thành {late}; chưa có báo cáo "
            "{idle}."
        )
    else:
        text = _(
            "Tổng số {total} nhiệm vụ: hoàn thành {done}; đang thực hiện {in_progress}; "
            "quá hạn chưa hoàn thành {late}; chưa có báo cáo {idle}."
        )
    return text.format(
        total=number(sum(states.values())),
        done=number(states.get(TaskState.DONE, 0)),
        in_progress=number(states.get(TaskState.IN_PROGRESS, 0)),
        late=number(states.get(TaskState.LATE, 0)),
        idle=number(states.get(TaskState.NOT_REPORTED, 0)),
    )


def unit_figures(entries: Sequence[Entry]) -> str:
    """How many of the units' shares were reported, finished on time, finished late."""
    return _(
        "Các đơn vị đã báo cáo {reported}/{total} lượt thực hiện; hoàn thành đúng hạn "
        "{on_time} lượt, hoàn thành trễ hạn {late} lượt."
    ).format(
        reported=number(sum(1 for e in entries if e.reported and not e.carried)),
        total=number(len(entries)),
        on_time=number(sum(1 for e in entries if e.done_on_time)),
        late=number(sum(1 for e in entries if e.done_late)),
    )


def notable(group: TaskGroup, since: datetime) -> list[str]:
    """The results the units wrote in the period, newest first: ``- unit: note (T3).``"""
    made = [
        entry
        for entries in group.tasks.values()
        for entry in entries
        if entry.note
        and entry.note.strip()
        and entry.status in (ReportStatus.DONE, ReportStatus.IN_PROGRESS)
        and entry.reported_at is not None
        and entry.reported_at >= since
        and not entry.carried
    ]
    made.sort(key=lambda e: e.reported_at or since, reverse=True)
    lines = []
    for entry in made[:NOTABLE_PER_GROUP]:
        assert entry.note is not None
        lines.append(
            _("- {unit}: {note} ({code}).").format(
                unit=entry.unit.name, note=clause(entry.note), code=entry.task_code
            )
        )
    return lines
