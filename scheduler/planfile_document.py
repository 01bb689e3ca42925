"""The keys of a plan file that follow the document itself (issue 11).

Real plans span years ("giai đoạn 2025-2030"), carry the date they were signed, and their
tables have columns beside the time: the expected product (*Sản phẩm*), the funding source
(*Kinh phí*), and sub-tasks numbered under a task (1.1, 1.2 under 1).  ``scheduler.planfile``
calls the readers here; each reports its problems through the same checker, with the line.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any, Protocol

from messages.i18n import _
from scheduler.timeexpr import Schedule

_PERIOD = re.compile(r"^(?:giai đoạn |năm )?(\d{4}) ?[-–—] ?(\d{4})$", re.IGNORECASE)


class Checker(Protocol):
    def problem(self, table: str, index: int | None, key: str | None, message: str) -> None: ...

    def text(
        self, table: str, index: int | None, data: dict[str, Any], key: str, *, required: bool
    ) -> str | None: ...


def read_years(check: Checker, plan: dict[str, Any]) -> tuple[int | None, int | None]:
    """(first year, last year) from ``year`` and/or ``period`` ("2025-2030")."""
    year = plan.get("year")
    if year is not None and (
        isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100
    ):
        check.problem("plan", None, "year", _("cần một năm, ví dụ 2024"))
        return None, None
    if "period" not in plan:
        if year is None:
            check.problem("plan", None, "year", _("thiếu trường bắt buộc (year hoặc period)"))
        return year, year
    period = plan["period"]
    found = _PERIOD.match(" ".join(period.split())) if isinstance(period, str) else None
    if not found:
        check.problem("plan", None, "period", _('cần một giai đoạn dạng "2025-2030"'))
        return None, None
    first, last = int(found.group(1)), int(found.group(2))
    if not 2000 <= first <= last <= 2100:
        check.problem("plan", None, "period", _("năm đầu phải trước năm cuối, trong 2000–2100"))
        return None, None
    if year is not None and year != first:
        check.problem("plan", None, "year", _("year phải là năm đầu của period"))
        return None, None
    return first, last


def read_issued(check: Checker, plan: dict[str, Any], first: int | None) -> date | None:
    """The day the document was signed (``issued = 2025-11-14``), if the file gives it."""
    if "issued" not in plan:
        return None
    value = plan["issued"]
    if isinstance(value, datetime) or not isinstance(value, date):
        check.problem("plan", None, "issued", _("cần một ngày dạng 2025-11-14"))
        return None
    if first is not None and value.year > first:
        check.problem("plan", None, "issued", _("ngày ban hành sau năm đầu của kế hoạch"))
        return None
    return value


def read_columns(
    check: Checker, index: int, item: dict[str, Any]
) -> tuple[str | None, str | None, str | None]:
    """(product, funding, parent task code) of a task."""
    product = check.text("tasks", index, item, "product", required=False)
    funding = check.text("tasks", index, item, "funding", required=False)
    parent = check.text("tasks", index, item, "parent", required=False)
    return product, funding, parent


def check_parents(check: Checker, parents: list[tuple[int, str, str | None]]) -> None:
    """Each parent names an earlier task of the file, and a sub-task has no sub-tasks."""
    known: dict[str, str | None] = {}
    for index, code, parent in parents:
        if parent is not None:
            if parent not in known:
                message = _("không có nhiệm vụ mã {code} ở trên trong tệp").format(code=parent)
                check.problem("tasks", index, "parent", message)
            elif known[parent] is not None:
                check.problem("tasks", index, "parent", _("nhiệm vụ con không có nhiệm vụ con"))
        known[code] = parent


def before_issue(schedule: Schedule, issued: date) -> str | None:
    """A warning for a deadline that falls before the plan was signed, or None."""
    late = [o for o in schedule.occurrences if o.due is not None and o.due.date() < issued]
    if not late:
        return None
    return _("hạn {period} ({date}) trước ngày ban hành {issued}; hãy kiểm tra lại").format(
        period=late[0].period, date=f"{late[0].due:%d/%m/%Y}", issued=f"{issued:%d/%m/%Y}"
    )


def hand_set_hint() -> str:
    """How to load a task whose time the parser cannot read: keep its words, set the dates."""
    return _(
        "nếu văn bản ghi mốc này, hãy giữ when như văn bản và đặt hạn bằng tay, "
        "ví dụ due = 2025-06-30 (và start = 2025-04-01 nếu cần)"
    )
