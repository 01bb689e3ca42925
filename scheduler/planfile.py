"""Reading a plan file (``plans/*.toml``) into a checked ``PlanSpec``, or every error in it.

A plan file is refused whole: all its problems are collected, each with the line and
the field it concerns, before anything is written anywhere. See ``plans/README.md``
for the format.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from messages.i18n import _
from scheduler.compiled_reports import compiled_schedule
from scheduler.planfile_document import (
    before_issue,
    check_parents,
    hand_set_hint,
    read_columns,
    read_issued,
    read_years,
)
from scheduler.timeexpr import (
    VN_TZ,
    Kind,
    OccurrenceSpec,
    Schedule,
    TimeExpressionError,
    parse_when,
)

PLAN_CODE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
UNIT_CODE = re.compile(r"^[A-Z0-9]+(?:[-_][A-Z0-9]+)*$")
TASK_CODE = re.compile(r"^[A-Za-z0-9]+(?:[-_.][A-Za-z0-9]+)*$")

TOP_KEYS = {"plan", "units", "groups", "tasks"}
PLAN_KEYS = {"code", "title", "issuer", "year", "period", "issued", "document", "report_day"}
UNIT_KEYS = {"code", "name", "kind"}
GROUP_KEYS = {"code", "name", "members"}
TASK_KEYS = {
    "code",
    "title",
    "lead",
    "support",
    "when",
    "reports_to",
    "start",
    "due",
    "product",
    "funding",
    "parent",
    "compiles",
}


@dataclass(frozen=True)
class PlanProblem:
    """One thing wrong with a plan file: where it is and what to fix."""

    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = _("dòng {line}").format(line=self.line) if self.line else _("cả tệp")
        return f"{where}, {self.field}: {self.message}"


class PlanFileInvalid(Exception):
    """The plan file was refused; ``problems`` lists every reason."""

    def __init__(self, source: str, problems: list[PlanProblem]) -> None:
        self.source = source
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


@dataclass(frozen=True)
class UnitSpec:
    code: str
    name: str
    kind: str
    is_group: bool = False
    members: tuple[str, ...] = ()


@dataclass(frozen=True)
class TaskSpec:
    code: str
    position: int
    title: str
    when: str
    schedule: Schedule
    lead: tuple[str, ...]
    support: tuple[str, ...]
    reports_to: str | None
    product: str | None = None  # Sản phẩm: a report, a decision, a draft...
    funding: str | None = None  # Kinh phí: the funding source
    parent: str | None = None  # the code of the task this one is a sub-task of


@dataclass(frozen=True)
class PlanSpec:
    code: str
    title: str
    issuer: str
    year: int
    document: str | None
    report_day: int
    units: tuple[UnitSpec, ...]
    tasks: tuple[TaskSpec, ...]
    source_hash: str
    last_year: int | None = None  # the last year of a plan that spans years
    issued: date | None = None  # the day its document was signed
    warnings: tuple[PlanProblem, ...] = ()  # loaded all the same, but worth a look


class _Lines:
    """Where each table and key of a TOML file stands, since tomllib does not say."""

    HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.-]+)\s*\]\]?")
    KEY = re.compile(r"^\s*([A-Za-z0-9_-]+)\s*=")

    def __init__(self, text: str) -> None:
        self.tables: dict[tuple[str, int], int] = {}
        self.keys: dict[tuple[str, int, str], int] = {}
        counts: dict[str, int] = {}
        current: tuple[str, int] = ("", 0)
        for number, line in enumerate(text.splitlines(), start=1):
            header = self.HEADER.match(line)
            if header:
                name = header.group(2)
                index = counts.get(name, -1) + 1 if header.group(1) == "[[" else 0
                counts[name] = index
                current = (name, index)
                self.tables[current] = number
                continue
            key = self.KEY.match(line)
            if key:
                self.keys.setdefault((*current, key.group(1)), number)

    def of(self, table: str, index: int = 0, key: str | None = None) -> int | None:
        if key is not None and (table, index, key) in self.keys:
            return self.keys[(table, index, key)]
        return self.tables.get((table, index))


@dataclass
class _Checker:
    lines: _Lines
    problems: list[PlanProblem] = field(default_factory=list)

    def problem(self, table: str, index: int | None, key: str | None, message: str) -> None:
        name = table if index is None else f"{table}[{index + 1}]"
        dotted = f"{name}.{key}" if key else name
        self.problems.append(PlanProblem(self.lines.of(table, index or 0, key), dotted, message))

    def text(
        self, table: str, index: int | None, data: dict[str, Any], key: str, *, required: bool
    ) -> str | None:
        value = data.get(key)
        if value is None:
            if required:
                self.problem(table, index, key, _("thiếu trường bắt buộc"))
            return None
        if not isinstance(value, str):
            self.problem(table, index, key, _("cần một chuỗi ký tự"))
            return None
        value = clean(value)
        if required and not value:
            self.problem(table, index, key, _("không được để trống"))
            return None
        return value

    def codes(self, table: str, index: int, data: dict[str, Any], key: str) -> tuple[str, ...]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            self.problem(table, index, key, _('cần một danh sách mã đơn vị, ví dụ ["VHTT"]'))
            return ()
        return tuple(clean(item) for item in value)

    def unknown_keys(
        self, table: str, index: int | None, data: dict[str, Any], known: set[str]
    ) -> None:
        for key in sorted(set(data) - known):
            self.problem(table, index, key, _("trường không có trong định dạng kế hoạch"))

    def tables(self, data: dict[str, Any], name: str) -> list[dict[str, Any]]:
        value = data.get(name, [])
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            self.problem(name, None, None, _("cần các bảng [[{name}]]").format(name=name))
            return []
        return value


def clean(text: str) -> str:
    """NFC, trimmed, inner runs of white space folded to one space."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def _decode(raw: bytes, source: str) -> tuple[str, dict[str, Any]]:
    if not raw.strip():
        raise PlanFileInvalid(source, [PlanProblem(None, source, _("tệp trống"))])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        message = _("tệp không mã hóa UTF-8 (hãy lưu lại với mã hóa UTF-8)")
        raise PlanFileInvalid(source, [PlanProblem(line, source, message)]) from error
    try:
        return text, tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        found = re.search(r"line (\d+)", str(error))
        toml_line = int(found.group(1)) if found else None
        message = _("không phải TOML hợp lệ ({reason})").format(reason=str(error))
        raise PlanFileInvalid(source, [PlanProblem(toml_line, source, message)]) from error


def _end_of_day(day: date) -> datetime:
    return datetime.combine(day, time(23, 59, 59), tzinfo=VN_TZ)


def _start_of_day(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=VN_TZ)


def _schedule(
    check: _Checker, index: int, data: dict[str, Any], when: str, plan: dict[str, Any]
) -> Schedule | None:
    overrides: dict[str, date] = {}
    for key in ("start", "due"):
        if key in data:
            value = data[key]
            if isinstance(value, datetime) or not isinstance(value, date):
                check.problem("tasks", index, key, _("cần một ngày dạng 2024-02-29"))
            else:
                overrides[key] = value
    try:
        schedule = parse_when(
            when,
            plan["year"],
            report_day=plan["report_day"],
            until=plan["last_year"],
            issued=plan["issued"],
        )
    except TimeExpressionError as error:
        if "due" not in overrides:
            check.problem("tasks", index, "when", f"{error}; {hand_set_hint()}")
            return None
        schedule = None
    if not overrides:
        return schedule
    if schedule is not None and len(schedule.occurrences) > 1:
        check.problem(
            "tasks",
            index,
            "due" if "due" in overrides else "start",
            _("nhiệm vụ định kỳ không dùng start/due; hãy ghi rõ trong when"),
        )
        return None
    start = (
        _start_of_day(overrides["start"])
        if "start" in overrides
        else (schedule.start if schedule else None)
    )
    due = (
        _end_of_day(overrides["due"])
        if "due" in overrides
        else (schedule.due if schedule else None)
    )
    if start and due and start > due:
        check.problem("tasks", index, "start", _("ngày bắt đầu sau hạn chót"))
        return None
    if schedule is not None:
        period = schedule.occurrences[0].period
        kind = schedule.kind
    else:
        period = _("Hạn {date}").format(date=overrides["due"].strftime("%d/%m/%Y"))
        kind = Kind.WINDOW if start else Kind.DEADLINE
    return Schedule(kind, start, due, None, (OccurrenceSpec(period, start, due),))


def parse_plan(raw: bytes, source: str) -> PlanSpec:
    """Check a plan file's bytes; raise ``PlanFileInvalid`` with every problem found."""
    text, data = _decode(raw, source)
    check = _Checker(_Lines(text))
    for key in sorted(set(data) - TOP_KEYS):
        check.problem(key, None, None, _("bảng không có trong định dạng kế hoạch"))
    plan = data.get("plan")
    if not isinstance(plan, dict):
        check.problem("plan", None, None, _("thiếu bảng [plan]"))
        plan = {}
    check.unknown_keys("plan", None, plan, PLAN_KEYS)
    code = check.text("plan", None, plan, "code", required=True)
    if code and not PLAN_CODE.match(code):
        check.problem(
            "plan", None, "code", _("chỉ gồm chữ thường không dấu, số và dấu gạch ngang")
        )
    title = check.text("plan", None, plan, "title", required=True)
    issuer = check.text("plan", None, plan, "issuer", required=True)
    document = check.text("plan", None, plan, "document", required=False)
    year, last_year = read_years(check, plan)
    issued = read_issued(check, plan, year)
    report_day = plan.get("report_day", 15)
    if (
        isinstance(report_day, bool)
        or not isinstance(report_day, int)
        or not 1 <= report_day <= 28
    ):
        check.problem("plan", None, "report_day", _("cần một ngày từ 1 đến 28"))
        report_day = 15

    units: dict[str, UnitSpec] = {}
    for index, item in enumerate(check.tables(data, "units")):
        check.unknown_keys("units", index, item, UNIT_KEYS)
        unit_code = check.text("units", index, item, "code", required=True)
        name = check.text("units", index, item, "name", required=True)
        kind = check.text("units", index, item, "kind", required=True)
        if unit_code and not UNIT_CODE.match(unit_code):
            check.problem(
                "units", index, "code", _("chỉ gồm chữ in hoa không dấu, số và dấu gạch")
            )
        elif unit_code in units:
            check.problem(
                "units", index, "code", _("mã đơn vị {code} bị trùng").format(code=unit_code)
            )
        elif unit_code and name and kind:
            units[unit_code] = UnitSpec(unit_code, name, kind)
    groups: dict[str, tuple[int, tuple[str, ...]]] = {}
    for index, item in enumerate(check.tables(data, "groups")):
        check.unknown_keys("groups", index, item, GROUP_KEYS)
        group_code = check.text("groups", index, item, "code", required=True)
        name = check.text("groups", index, item, "name", required=True)
        members = check.codes("groups", index, item, "members")
        if group_code and not UNIT_CODE.match(group_code):
            check.problem(
                "groups", index, "code", _("chỉ gồm chữ in hoa không dấu, số và dấu gạch")
            )
        elif group_code in units:
            check.problem(
                "groups", index, "code", _("mã đơn vị {code} bị trùng").format(code=group_code)
            )
        elif group_code and name:
            units[group_code] = UnitSpec(group_code, name, "nhóm", True, members)
            groups[group_code] = (index, members)
    for index, members in groups.values():
        for member in members:
            if member not in units or units[member].is_group:
                check.problem(
                    "groups",
                    index,
                    "members",
                    _("không có đơn vị mã {code} trong [[units]]").format(code=member),
                )

    tasks: list[TaskSpec] = []
    warnings: list[PlanProblem] = []
    parents: list[tuple[int, str, str | None]] = []
    seen: set[str] = set()
    task_tables = check.tables(data, "tasks")
    if not task_tables and "tasks" not in [p.field for p in check.problems]:
        check.problem("tasks", None, None, _("kế hoạch chưa có nhiệm vụ nào ([[tasks]])"))
    for index, item in enumerate(task_tables):
        check.unknown_keys("tasks", index, item, TASK_KEYS)
        task_code = check.text("tasks", index, item, "code", required=True)
        task_title = check.text("tasks", index, item, "title", required=True)
        when = check.text("tasks", index, item, "when", required=True)
        if task_code and not TASK_CODE.match(task_code):
            check.problem("tasks", index, "code", _("chỉ gồm chữ không dấu, số, dấu chấm và gạch"))
        elif task_code in seen:
            check.problem(
                "tasks", index, "code", _("mã nhiệm vụ {code} bị trùng").format(code=task_code)
            )
        if task_code:
            seen.add(task_code)
        if "lead" not in item:
            check.problem("tasks", index, "lead", _("thiếu trường bắt buộc"))
        lead = check.codes("tasks", index, item, "lead")
        if "lead" in item and isinstance(item["lead"], list) and not item["lead"]:
            check.problem("tasks", index, "lead", _("cần ít nhất một đơn vị chủ trì"))
        support = check.codes("tasks", index, item, "support")
        for key, refs in (("lead", lead), ("support", support)):
            for ref in refs:
                if ref not in units:
                    check.problem(
                        "tasks",
                        index,
                        key,
                        _("không có đơn vị hay nhóm mã {code}").format(code=ref),
                    )
        reports_to = check.text("tasks", index, item, "reports_to", required=False)
        if reports_to and reports_to not in units:
            check.problem(
                "tasks",
                index,
                "reports_to",
                _("không có đơn vị hay nhóm mã {code}").format(code=reports_to),
            )
        product, funding, parent = read_columns(check, index, item)
        if task_code:
            parents.append((index, task_code, parent))
        schedule = None
        if when and year is not None:
            context = {
                "year": year,
                "report_day": report_day,
                "last_year": last_year,
                "issued": issued,
            }
            schedule = _schedule(check, index, item, when, context)
        if schedule:
            earlier = {t.code: (t.schedule, t.reports_to) for t in tasks}
            schedule = compiled_schedule(check, index, item, schedule, lead, earlier)
        if schedule and issued and (warning := before_issue(schedule, issued)):
            line = check.lines.of("tasks", index, "when")
            warnings.append(PlanProblem(line, f"tasks[{index + 1}].when", warning))
        if task_code and task_title and when and schedule and lead:
            tasks.append(
                TaskSpec(
                    task_code,
                    index,
                    task_title,
                    when,
                    schedule,
                    lead,
                    tuple(s for s in support if s not in lead),
                    reports_to,
                    product,
                    funding,
                    parent,
                )
            )
    check_parents(check, parents)
    if check.problems:
        raise PlanFileInvalid(source, check.problems)
    assert code and title and issuer and year is not None
    return PlanSpec(
        code,
        title,
        issuer,
        year,
        document,
        report_day,
        tuple(units.values()),
        tuple(tasks),
        hashlib.sha256(raw).hexdigest(),
        last_year,
        issued,
        tuple(warnings),
    )


def read_plan_file(path: Path) -> PlanSpec:
    """Read and check the plan file at ``path``."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        problem = PlanProblem(
            None, str(path), _("không đọc được tệp ({reason})").format(reason=error.strerror)
        )
        raise PlanFileInvalid(str(path), [problem]) from error
    return parse_plan(raw, str(path))
