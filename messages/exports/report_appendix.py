"""The appendix (*Phụ lục*) of the periodic report: the task-by-task detail, as a table.

The body of the report speaks in figures and names the units that fell short; a reader who
wants to know what one unit did on one task turns to this table, placed after the signature
as a *phụ lục kèm theo báo cáo* is. One row per unit and deadline: the task (its code, the
code the body's lines cite, its title, its time and the files kept in the period), the unit
and its part, its standing and the day of its report, its note.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

from docx.document import Document as DocumentType
from docx.enum.text import WD_ALIGN_PARAGRAPH

from messages.exports import docx_layout as layout
from messages.exports import report_text as text
from messages.exports.labels import xml_safe
from messages.i18n import _, ngettext
from storage.models import AssignmentRole
from storage.progress import Entry

CELL_PT = 11  # the decree's smallest size for a table's text
WIDTHS_CM = (1.2, 5.3, 3.6, 3.3, 3.1)  # sums to the text width, 16.5 cm


def _task_cell(entry: Entry, files: int) -> list[str]:
    lines = [f"{entry.task_code}. {entry.task_title}", _("Thời gian: {when}").format(
        when=entry.when_text
    )]  # fmt: skip
    if files:
        lines.append(
            ngettext("Minh chứng: {n} tệp trong kỳ", "Minh chứng: {n} tệp trong kỳ", files).format(
                n=files
            )
        )
    return lines


def _unit_cell(entry: Entry, several_deadlines: bool) -> list[str]:
    name = entry.unit.name
    if entry.role == AssignmentRole.SUPPORT:
        name = _("{unit} (phối hợp)").format(unit=name)
    if several_deadlines:
        return [name, _("Kỳ {period}").format(period=entry.period)]
    return [name]


def appendix(
    document: DocumentType,
    entries: Sequence[Entry],
    evidence: Mapping[str, int],
    title: str,
    reference: str,
) -> None:
    """The appendix's heading (``title``, the ``reference`` to the report it goes with) and
    its table of ``entries``, a task's rows sharing its number and its task cell."""
    layout.line(document, _("PHỤ LỤC"), bold=True, size=14)
    layout.line(document, title, bold=True, size=13)
    layout.line(document, reference, italic=True, size=13, after=6)
    table = layout.grid_table(
        document,
        WIDTHS_CM,
        [_("STT"), _("Nhiệm vụ"), _("Đơn vị thực hiện"), _("Kết quả thực hiện"), _("Ghi chú")],
        CELL_PT,
    )
    tasks: dict[int, list[Entry]] = defaultdict(list)
    for entry in sorted(entries, key=lambda e: (e.task_position, e.task_id)):
        tasks[entry.task_id].append(entry)
    for position, task_entries in enumerate(tasks.values(), start=1):
        several = len({e.occurrence_id for e in task_entries}) > 1
        first = len(table.rows)
        for entry in task_entries:
            cells = table.add_row().cells
            for cell, lines in (
                (cells[2], _unit_cell(entry, several)),
                (cells[3], [text.result(entry)]),
                (cells[4], [text.remarks(entry)]),
            ):
                layout.cell_text(cell, *(xml_safe(line) for line in lines), size=CELL_PT)
        last = len(table.rows) - 1
        number = table.cell(first, 0).merge(table.cell(last, 0))
        task = table.cell(first, 1).merge(table.cell(last, 1))
        layout.cell_text(number, str(position), size=CELL_PT, align=WD_ALIGN_PARAGRAPH.CENTER)
        lead = task_entries[0]
        lines = _task_cell(lead, evidence.get(lead.task_code, 0))
        layout.cell_text(task, *(xml_safe(line) for line in lines), size=CELL_PT)
