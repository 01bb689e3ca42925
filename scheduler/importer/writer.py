"""The draft plan file: the format of ``plans/``, loadable as it is.

The document's issue date, its period when it spans years and each task's expected
product are written as the plan file's ``issued``, ``period`` and ``product`` keys.
Each task has a comment citing where in the document it comes from, and the
document's own words when its time had to be replaced to load.
"""

from __future__ import annotations

import json
from datetime import date

from scheduler.importer.model import Draft, DraftTask
from scheduler.importer.units import Unit


def _string(value: str) -> str:
    return json.dumps(" ".join(value.split()), ensure_ascii=False)  # a TOML basic string


def _codes(units: list[Unit]) -> str:
    return "[" + ", ".join(_string(u.code) for u in units) + "]"


def used_units(draft: Draft) -> list[Unit]:
    """The units the draft's tasks name, in order of first mention."""
    found: list[Unit] = []
    for task in draft.tasks:
        for unit in (*task.lead, *task.support, *([task.reports_to] if task.reports_to else [])):
            if unit not in found:
                found.append(unit)
    return found


def draft_toml(draft: Draft, source_name: str) -> str:
    """The draft as a plan file for the operator to check, then load."""
    header = draft.header
    about = header.title + (f", {header.document}" if header.document else "")
    lines = [
        f"# {about} ({source_name}).",
        "# Bản nháp do nhacviec plan import tạo ra: hãy kiểm tra từng nhiệm vụ trước khi nạp.",
        "[plan]",
        f"code = {_string(draft.code)}",
        f"title = {_string(header.title)}",
        f"issuer = {_string(header.issuer)}",
        f"year = {draft.year}",
    ]
    if header.document:
        lines.append(f"document = {_string(header.document)}")
    if header.issued:
        lines.append(f"issued = {_date(header.issued)}")
    elif header.issued_month:
        lines.append(f"# Văn bản để trống ngày ký (tháng {header.issued_month}).")
    if header.period:
        period = _string(f"{header.period[0]}-{header.period[1]}")
        lines.append(f"period = {period}")
    units = used_units(draft)
    for unit in (u for u in units if not u.is_group):
        lines += [
            "",
            "[[units]]",
            f"code = {_string(unit.code)}",
            f"name = {_string(unit.name)}",
            f"kind = {_string(unit.kind)}",
        ]
    for unit in (u for u in units if u.is_group):
        lines += [
            "",
            "# Văn bản không kể tên các thành viên.",
            "[[groups]]",
            f"code = {_string(unit.code)}",
            f"name = {_string(unit.name)}",
            "members = []",
        ]
    for task in draft.tasks:
        lines += ["", *_task(task)]
    return "\n".join(lines) + "\n"


def _date(day: date) -> str:
    return day.isoformat()  # a TOML local date


def _task(task: DraftTask) -> list[str]:
    lines = [f"# {task.source}"]
    if task.written_when:
        lines.append(f"# Thời gian trong văn bản: {task.written_when}")
    lines += [
        "[[tasks]]",
        f"code = {_string(task.code)}",
        f"title = {_string(task.title)}",
        f"lead = {_codes(task.lead)}",
    ]
    if task.support:
        lines.append(f"support = {_codes(task.support)}")
    lines.append(f"when = {_string(task.when)}")
    if task.reports_to:
        lines.append(f"reports_to = {_string(task.reports_to.code)}")
    if task.product:
        lines.append(f"product = {_string(task.product)}")
    return lines
