"""Next year's plan file from last year's: the same units, groups and tasks, moved in time.

The copy is made from the file's text, line by line, so its comments and layout stay as
the operator wrote them: the plan's code and year change, every explicit year in the
title and in the tasks' ``when``, ``start`` and ``due`` moves by the same number of
years, and the issue date (``issued``) is dropped, since the new plan is not issued yet.
The result is checked like any plan file before it is written.
"""

from __future__ import annotations

import re
from datetime import date

from scheduler.planfile import PlanSpec, parse_plan

_HEADER = re.compile(r"^\s*\[\[?\s*([A-Za-z0-9_.-]+)\s*\]\]?")
_KEY = re.compile(r"^(\s*)([A-Za-z0-9_-]+)(\s*=\s*)(.*?)(\s*(?:#.*)?)$")
_YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")
_DATE = re.compile(r"^(\d{4})-(\d\d)-(\d\d)$")
_SHIFTED = {("plan", "title"), ("tasks", "when"), ("tasks", "start"), ("tasks", "due")}


def _shift_years(text: str, years: int) -> str:
    return _YEAR.sub(lambda m: str(int(m.group(1)) + years), text)


def _shift_date(text: str, years: int) -> str:
    found = _DATE.match(text)
    if not found:
        return _shift_years(text, years)
    year, month, day = int(found.group(1)) + years, int(found.group(2)), int(found.group(3))
    if (month, day) == (2, 29) and not (year % 4 == 0 and (year % 100 or year % 400 == 0)):
        day = 28  # 29 February of a leap year is the month's last day of the next one
    return date(year, month, day).isoformat()


def copy_plan_text(text: str, new_code: str, old_year: int, new_year: int) -> str:
    """``text`` (a plan file) as the file of plan ``new_code`` for ``new_year``."""
    years = new_year - old_year
    table = ""
    lines = []
    for line in text.splitlines(keepends=True):
        ending = line[len(line.rstrip("\r\n")) :]
        header = _HEADER.match(line)
        if header:
            table = header.group(1)
            lines.append(line)
            continue
        key = _KEY.match(line.rstrip("\r\n"))
        if key is None:
            lines.append(line)
            continue
        indent, name, equals, value, comment = key.groups()
        if table == "plan" and name == "issued":
            continue
        if table == "plan" and name == "code":
            value = f'"{new_code}"'
        elif table == "plan" and name == "year":
            value = str(new_year)
        elif (table, name) in _SHIFTED:
            value = _shift_date(value, years)
        lines.append(f"{indent}{name}{equals}{value}{comment}{ending}")
    return "".join(lines)


def copied_plan(raw: bytes, new_code: str, new_year: int, source: str) -> tuple[str, PlanSpec]:
    """The new file's text and its check (``PlanFileInvalid`` if it does not hold)."""
    text = raw.decode("utf-8")
    old = parse_plan(raw, source)
    copied = copy_plan_text(text, new_code, old.year, new_year)
    return copied, parse_plan(copied.encode("utf-8"), f"{new_code}.toml")
