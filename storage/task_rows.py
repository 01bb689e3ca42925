"""A task as the timetable and the period report show it: plain data, no database code.

``storage.queries.plan_tasks`` reads these rows for a plan (in three queries);
``messages.plans`` and ``messages.exports`` render them.
"""

from __future__ import annotations

from dataclasses import dataclass

from storage.models import Occurrence, Task, Unit


@dataclass(frozen=True)
class TaskRow:
    """A task with its lead and supporting units and its active deadlines, in order."""

    task: Task
    lead: tuple[Unit, ...]
    support: tuple[Unit, ...]
    occurrences: tuple[Occurrence, ...]
