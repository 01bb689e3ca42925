"""A task with sub-tasks (1.1, 1.2 under 1) is done when its sub-tasks are.

Plans number the pieces of a task under it; the units report on the pieces, and nobody
reports separately that the whole is finished. So a parent's entries count as done as
soon as every entry of every sub-task is, as of the latest of those reports (late if that
is after the parent's deadline). A parent with a sub-task not done stands on its own
reports, as any task. Plain data in, plain data out: ``storage.progress_queries`` applies
it to the entries before ``storage.progress.summarize`` counts them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import datetime

from storage.models import ReportStatus
from storage.progress import Entry


def parents_done(entries: tuple[Entry, ...], parent_of: dict[int, int]) -> tuple[Entry, ...]:
    """``entries`` with each parent task's entries done when all its sub-tasks' entries are
    (``parent_of``: the parent's task id by sub-task id)."""
    children: dict[int, list[Entry]] = defaultdict(list)
    for entry in entries:
        if entry.task_id in parent_of:
            children[parent_of[entry.task_id]].append(entry)
    finished: dict[int, datetime | None] = {}
    for parent, rows in children.items():
        if all(row.done for row in rows):
            instants = [row.reported_at for row in rows if row.reported_at is not None]
            finished[parent] = max(instants) if instants else None
    if not finished:
        return entries
    result = []
    for entry in entries:
        if entry.task_id in finished and not entry.done:
            at = finished[entry.task_id]
            entry = replace(
                entry,
                status=ReportStatus.DONE,
                percent=100,
                reported_at=at,
                late=bool(at and entry.due_at and at > entry.due_at),
                overdue=False,
                carried=False,
            )
        result.append(entry)
    return tuple(result)
