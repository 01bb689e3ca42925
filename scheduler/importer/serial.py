"""A draft as plain JSON data and back: the chat keeps it in its flow while the operator
reviews and corrects it, across messages and processes."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

from scheduler.importer.header import Header
from scheduler.importer.model import Doubt, Draft, DraftTask
from scheduler.importer.units import Unit, UnitBook


def to_data(draft: Draft) -> dict[str, Any]:
    """The draft as plain JSON data, to keep in a chat flow."""
    header = asdict(draft.header)
    header["issued"] = draft.header.issued.isoformat() if draft.header.issued else None
    return {
        "header": header,
        "code": draft.code,
        "locality": list(draft.units.locality),
        "units": [[key, asdict(unit)] for key, unit in draft.units.by_key.items()],
        "tasks": [
            {
                **{k: v for k, v in asdict(task).items() if k not in ("lead", "support")},
                "lead": [u.code for u in task.lead],
                "support": [u.code for u in task.support],
                "reports_to": task.reports_to.code if task.reports_to else None,
            }
            for task in draft.tasks
        ],
        "doubts": [list(asdict(d).values()) for d in draft.doubts],
        "merged": [list(asdict(d).values()) for d in draft.merged],
    }


def from_data(data: dict[str, Any]) -> Draft:
    """The draft back from the data ``to_data`` gave."""
    header = dict(data["header"])
    header["issued"] = date.fromisoformat(header["issued"]) if header["issued"] else None
    for name in ("period", "locality"):
        header[name] = tuple(header[name]) if header[name] else None
    book = UnitBook(tuple(data["locality"]))
    for key, fields in data["units"]:
        book.by_key[key] = Unit(**fields)
    by_code = {unit.code: unit for unit in book.by_key.values()}
    tasks = []
    for item in data["tasks"]:
        fields = dict(item)
        fields["lead"] = [by_code[c] for c in item["lead"]]
        fields["support"] = [by_code[c] for c in item["support"]]
        fields["reports_to"] = by_code[item["reports_to"]] if item["reports_to"] else None
        tasks.append(DraftTask(**fields))
    return Draft(
        header=Header(**header),
        code=data["code"],
        units=book,
        tasks=tasks,
        doubts=[Doubt(*d) for d in data["doubts"]],
        merged=[Doubt(*d) for d in data["merged"]],
    )
