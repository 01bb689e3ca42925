"""Sections II and III of the periodic report: what fell short and why, what comes next.

II (*tồn tại, hạn chế và nguyên nhân*) names the units behind each shortfall, grouped the
way a leader acts on them: the deadlines passed without "hoàn thành", the work finished
late, the work blocked (*vướng mắc*), the units that sent no report (with the codes of
their tasks in the appendix, most first), and the causes the units gave in their
"vướng mắc" reports.

III (*phương hướng, nhiệm vụ kỳ tới*) lists what falls due in the next period of the same
length (``periods.next_period``), with its lead units, after the overdue work to finish,
and counts the ongoing duties and the year-long work that go on.

Each function returns the section's lines as ``Line`` values; ``period_report`` writes them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from messages.dates import number, short_date
from messages.exports.labels import Standing, standing
from messages.exports.periods import ReportPeriod, period_phrase
from messages.exports.report_text import clause
from messages.i18n import _, ngettext
from storage.history import ReportRecord
from storage.models import ReportStatus
from storage.progress import Entry


@dataclass(frozen=True)
class Line:
    text: str
    heading: bool = False
    italic: bool = False


def _codes(entries: Iterable[Entry]) -> str:
    ordered = sorted({(e.task_position, e.task_code) for e in entries})
    return ", ".join(dict.fromkeys(code for _position, code in ordered))


def _by_deadline(entries: Iterable[Entry]) -> dict[int, list[Entry]]:
    grouped: dict[int, list[Entry]] = defaultdict(list)
    for entry in sorted(entries, key=lambda e: (e.task_position, e.due_at or e.start_at)):
        grouped[entry.occurrence_id].append(entry)
    return grouped


def _deadline(entries: Sequence[Entry]) -> str:
    first = entries[0]
    assert first.due_at is not None  # only a dated deadline is late
    return _("{title} (hạn chót {date})").format(
        title=first.task_title, date=short_date(first.due_at)
    )


def _finished(entry: Entry) -> str:
    assert entry.reported_at is not None  # "done late" is a report's
    return _("{unit} hoàn thành ngày {date}").format(
        unit=entry.unit.name, date=short_date(entry.reported_at)
    )


def _numbered(lines: list[Line], heading: str, body: list[Line]) -> None:
    if body:
        count = sum(1 for line in lines if line.heading) + 1
        lines.append(Line(f"{count}. {heading}", heading=True))
        lines.extend(body)


def shortfalls(
    entries: Sequence[Entry], records: dict[tuple[int, int], list[ReportRecord]]
) -> list[Line]:
    """Section II's lines, or one line saying nothing fell short."""
    late = [e for e in entries if standing(e) == Standing.OVERDUE]
    finished_late = [e for e in entries if standing(e) == Standing.DONE_LATE]
    blocked = [e for e in entries if standing(e) == Standing.BLOCKED]
    silent = [e for e in entries if not e.reported]
    lines: list[Line] = []
    _numbered(
        lines,
        _("Nhiệm vụ quá hạn, chưa hoàn thành"),
        [
            Line(
                _("- {deadline}: {units}.").format(
                    deadline=_deadline(group), units=", ".join(e.unit.name for e in group)
                )
            )
            for group in _by_deadline(late).values()
        ],
    )
    _numbered(
        lines,
        _("Nhiệm vụ hoàn thành trễ hạn"),
        [
            Line(
                _("- {deadline}: {units}.").format(
                    deadline=_deadline(group),
                    units="; ".join(_finished(e) for e in group),
                )
            )
            for group in _by_deadline(finished_late).values()
        ],
    )
    _numbered(
        lines,
        _("Nhiệm vụ đang vướng mắc"),
        [
            Line(
                _("- {title}: {units}.").format(
                    title=group[0].task_title, units=", ".join(e.unit.name for e in group)
                )
            )
            for group in _by_deadline(blocked).values()
        ],
    )
    by_unit: dict[str, list[Entry]] = defaultdict(list)
    for entry in silent:
        by_unit[entry.unit.name].append(entry)
    if by_unit:
        # Most tasks missing first: whom the leadership calls before the others.
        ordered = sorted(by_unit.items(), key=lambda item: -len({e.task_id for e in item[1]}))
        listed = "; ".join(f"{unit} ({_codes(mine)})" for unit, mine in ordered)
        _numbered(
            lines,
            _("Đơn vị chưa báo cáo"),
            [
                Line(
                    ngettext(
                        "{n} đơn vị chưa gửi báo cáo (mã nhiệm vụ trong ngoặc): {units}.",
                        "{n} đơn vị chưa gửi báo cáo (mã nhiệm vụ trong ngoặc): {units}.",
                        len(ordered),
                    ).format(n=number(len(ordered)), units=listed)
                )
            ],
        )
    if not lines:
        return [Line(_("Trong kỳ không có nhiệm vụ nào quá hạn, trễ hạn hoặc vướng mắc."))]
    causes = _causes(entries, records)
    _numbered(
        lines,
        _("Nguyên nhân"),
        causes or [Line(_("(Các đơn vị chưa nêu nguyên nhân; bổ sung tại đây: …)"), italic=True)],
    )
    return lines


def _causes(
    entries: Sequence[Entry], records: dict[tuple[int, int], list[ReportRecord]]
) -> list[Line]:
    """What the units wrote when they reported "vướng mắc", one line per unit."""
    said: dict[str, dict[str, None]] = defaultdict(dict)
    tasks: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        for record in records.get((entry.occurrence_id, entry.unit.id), []):
            if record.status == ReportStatus.BLOCKED and record.note and record.note.strip():
                said[entry.unit.name][clause(record.note)] = None
                tasks[entry.unit.name].append(entry)
    return [
        Line(
            _("- {unit} ({codes}): {notes}.").format(
                unit=unit, codes=_codes(tasks[unit]), notes="; ".join(notes)
            )
        )
        for unit, notes in said.items()
    ]


def next_tasks(
    period_entries: Sequence[Entry], every_entry: Sequence[Entry], following: ReportPeriod
) -> list[Line]:
    """Section III's lines: the overdue work to finish, each deadline of ``following``,
    the ongoing duties and the longer work that go on."""
    lines = [
        Line(_("Trong {period}, tập trung thực hiện các nhiệm vụ sau:").format(
            period=period_phrase(following)
        ))
    ]  # fmt: skip
    late = [e for e in period_entries if standing(e) == Standing.OVERDUE]
    if late:
        lines.append(
            Line(
                _(
                    "- Đôn đốc các đơn vị khẩn trương hoàn thành các nhiệm vụ còn quá hạn "
                    "nêu tại Mục II ({codes})."
                ).format(codes=_codes(late))
            )
        )
    due = [
        e
        for e in every_entry
        if not e.ongoing and not e.done and e.due_at and following.covers(e.due_at)
    ]
    for group in _by_deadline(due).values():
        leads = [e.unit.name for e in group if e.role == "lead"] or [group[0].unit.name]
        lines.append(
            Line(
                _("- {deadline}; chủ trì: {units}.").format(
                    deadline=_deadline(group), units=", ".join(dict.fromkeys(leads))
                )
            )
        )
    ongoing = [e for e in every_entry if e.ongoing and _meets(e, following)]
    if ongoing:
        count = len({e.task_id for e in ongoing})
        lines.append(
            Line(
                ngettext(
                    "- Tiếp tục thực hiện {n} nhiệm vụ thường xuyên ({codes}).",
                    "- Tiếp tục thực hiện {n} nhiệm vụ thường xuyên ({codes}).",
                    count,
                ).format(n=number(count), codes=_codes(ongoing))
            )
        )
    later = [
        e
        for e in every_entry
        if not e.ongoing and not e.done and e.due_at and e.due_at > following.end
        and _meets(e, following)
    ]  # fmt: skip
    if later:
        count = len({e.task_id for e in later})
        lines.append(
            Line(
                ngettext(
                    "- Tiếp tục triển khai {n} nhiệm vụ chưa đến hạn ({codes}).",
                    "- Tiếp tục triển khai {n} nhiệm vụ chưa đến hạn ({codes}).",
                    count,
                ).format(n=number(count), codes=_codes(later))
            )
        )
    if len(lines) == 1:
        return [Line(_("Kỳ tới không có nhiệm vụ nào đến hạn theo kế hoạch."))]
    return lines


def _meets(entry: Entry, span: ReportPeriod) -> bool:
    start = entry.start_at or entry.due_at
    return start is not None and start <= span.end and (entry.due_at or span.end) >= span.start
