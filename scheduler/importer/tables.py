"""Tables of tasks: an appendix (Phụ lục) or a table in the plan's body.

A table is a task table when a header row names the content and the lead unit or the
time ("Nội dung", "Cơ quan chủ trì", "Thời gian thực hiện" / "Thời gian hoàn thành" /
"Thời gian trình" / "Tiến độ", "Sản phẩm"). Header rows repeated on every page are
skipped; a row of one merged cell, or one numbered I, II, A, B with nothing else, is a
group and only names the rows after it (their numbering may start again); a row with
no number under a numbered one is a sub-row and a task of its own, sharing the merged
cells Word repeats for it.
"""

from __future__ import annotations

import re

from messages.i18n import _
from scheduler.importer.blocks import Table
from scheduler.importer.model import Draft, DraftTask
from scheduler.importer.timewords import readable

COLUMNS = {
    "number": r"^(?:stt|tt|số tt|số thứ tự)$",
    "content": r"nội dung|nhiệm vụ|tên (?:nhiệm vụ|hoạt động|đề án)|hoạt động|công việc",
    "lead": r"chủ trì|cơ quan thực hiện|đơn vị thực hiện|đơn vị chủ trì|cơ quan thực hiện",
    "support": r"phối hợp",
    "time": r"thời gian|tiến độ|thời hạn|hoàn thành",
    "product": r"sản phẩm|kết quả",
}
_GROUP_NUMBER = re.compile(r"^(?:[IVXLC]+|[A-ZĐ])\.?$")


def columns(row: tuple[str, ...]) -> dict[str, int] | None:
    """The column of each role, when ``row`` is a task table's header."""
    found: dict[str, int] = {}
    for index, cell in enumerate(row):
        text = " ".join(cell.lower().split())
        for role, pattern in COLUMNS.items():
            if role not in found and re.search(pattern, text) and len(text) < 60:
                found[role] = index
                break
    if "content" in found and ("lead" in found or "time" in found):
        return found
    return None


def read_table(table: Table, draft: Draft, where: str) -> bool:
    """Add the table's rows to ``draft`` as tasks; False when it is no task table."""
    header_at = next((i for i, row in enumerate(table.rows[:3]) if columns(row)), None)
    if header_at is None:
        return False
    roles = columns(table.rows[header_at])
    assert roles is not None
    header = table.rows[header_at]
    group = ""
    for index, row in enumerate(table.rows[header_at + 1 :], start=header_at + 1):
        if row == header or columns(row) == roles or _is_numbering_row(row):
            continue  # the header again, on a new page, or the "(1) (2) (3)" line under it
        cell = {role: (row[i] if i < len(row) else "") for role, i in roles.items()}
        number = cell.get("number", "").strip(" .")
        content = cell.get("content", "").strip()
        if table.is_across(index) or (
            _GROUP_NUMBER.match(number) and not cell.get("lead") and not cell.get("time")
        ):
            group = f"{number} " if number and not table.is_across(index) else ""
            group += content or row[0]
            continue
        if not content:
            continue
        place = f"{where}, {_label(group)}dòng {number or index}"
        _row_task(draft, cell, content, place)
    return True


def _is_numbering_row(row: tuple[str, ...]) -> bool:
    return all(re.fullmatch(r"\(?\d{1,2}\)?", cell.strip()) for cell in row if cell.strip())


def _label(group: str) -> str:
    number = group.split(" ", 1)[0].strip(".")
    return f"{number}, " if _GROUP_NUMBER.match(number) else ""


def _row_task(draft: Draft, cell: dict[str, str], content: str, place: str) -> None:
    title = " ".join(content.split()).rstrip(" .;")
    lead = draft.units.resolve_cell(cell.get("lead", "").replace("\n", "; "))
    support = draft.units.resolve_cell(cell.get("support", "").replace("\n", "; "))
    written = " ".join(cell.get("time", "").split()).rstrip(" .;")
    task = DraftTask(
        code=draft.next_code("T"),
        title=title,
        lead=lead,
        when=written,
        source=place,
        support=[u for u in support if u not in lead],
        product=" ".join(cell.get("product", "").split()) or None,
    )
    check_task(draft, task)
    draft.tasks.append(task)


def check_task(draft: Draft, task: DraftTask) -> None:
    """Note a task without a lead or a readable time; give it what lets the draft load."""
    if not task.lead:
        # The draft must load as it is: the issuer leads until the operator says who does.
        task.lead = [draft.units.resolve(draft.header.issuer)]
        draft.doubt(
            task.source,
            task.title,
            _("không ghi đơn vị chủ trì; tạm giao {unit}, hãy sửa").format(unit=task.lead[0].name),
        )
    if not task.when or not readable(task.when, draft.year):
        task.written_when = task.when
        task.when = f"Trong năm {draft.year}"
        reason = (
            _('chưa đọc được thời gian "{written}"; tạm ghi "{when}", hãy sửa')
            if task.written_when
            else _('không ghi thời gian; tạm ghi "{when}", hãy sửa')
        ).format(written=task.written_when, when=task.when)
        draft.doubt(task.source, task.title, reason)
