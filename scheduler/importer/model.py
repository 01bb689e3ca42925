"""What the importer understood: a draft plan, its tasks, and the lines it doubts.

A ``Doubt`` is a line of the document that looked like a duty (or a task whose unit or
time could not be read) and was not placed, or placed with a guess the operator must
check: the review lists every one, so nothing is dropped silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from scheduler.importer.header import Header
from scheduler.importer.units import Unit, UnitBook


@dataclass(frozen=True)
class Doubt:
    where: str  # "Phụ lục, dòng 3", "IV.2 Phòng Nội vụ"
    text: str  # the line as the document writes it (shortened)
    reason: str  # why it is doubtful, in Vietnamese


@dataclass
class DraftTask:
    code: str
    title: str
    lead: list[Unit]
    when: str  # as written; "" when the document gives no time
    source: str
    support: list[Unit] = field(default_factory=list)
    product: str | None = None
    reports_to: Unit | None = None
    written_when: str | None = None  # the document's words when ``when`` had to be replaced
    report_periodless: bool = False  # "định kỳ báo cáo" with no period named
    timeline: bool = False  # a line of a month timeline: its units come from elsewhere


@dataclass
class Draft:
    header: Header
    code: str
    units: UnitBook
    tasks: list[DraftTask] = field(default_factory=list)
    doubts: list[Doubt] = field(default_factory=list)
    merged: list[Doubt] = field(default_factory=list)  # duties folded into a table row

    @property
    def year(self) -> int:
        return self.header.year or 2000

    def doubt(self, where: str, text: str, reason: str) -> None:
        short = text if len(text) <= 160 else text[:157].rstrip() + "…"
        self.doubts.append(Doubt(where, short, reason))

    def next_code(self, prefix: str) -> str:
        taken = {task.code for task in self.tasks}
        number = 1
        while f"{prefix}{number}" in taken:
            number += 1
        return f"{prefix}{number}"
