"""What a plan file may not do to a loaded plan: the checks run before a reload writes.

A plan's code names one plan for good: a file whose code is loaded with another year or
issuer is a different plan (next year's copy, most often) and is refused. A reload that
would leave reports, officers, group chats or reminders on a task, a unit or a period the
new file no longer has is refused too, listing each one, unless the operator maps the old
code to the new one (``--rename T3=T3a``, tasks and units) or confirms the old things are
retired (``--retire``). Nothing is written before every check has passed, so a refusal
leaves the database as it was.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlmodel import Session, col, func, select
from sqlmodel.sql.expression import SelectOfScalar

from messages.i18n import _, ngettext
from scheduler.planfile import PlanSpec
from storage.models import (
    Chat,
    ChatPurpose,
    Member,
    Occurrence,
    Plan,
    Reminder,
    ReminderState,
    Report,
    Task,
    Unit,
)
from storage.records import ReloadChanges

RETIRED = "retired with its plan line"  # the last_error of a reminder --retire dropped


@dataclass(frozen=True)
class ReloadOptions:
    """The operator's answers to a refused reload: old code -> new code, and retiring."""

    renames: dict[str, str] = field(default_factory=dict)
    retire: bool = False


class ReloadRefused(Exception):
    """The file may not replace the loaded plan; ``problems`` says why, one line each;
    ``detached``: they are things the file drops (``--rename`` or ``--retire`` may help)."""

    def __init__(self, code: str, problems: list[str], detached: bool = False) -> None:
        self.code = code
        self.problems = problems
        self.detached = detached
        super().__init__("\n".join(problems))


def file_name_problem(path: Path, spec: PlanSpec) -> str | None:
    """Why ``path`` may not hold ``spec`` (its code is not its file name), or None."""
    if path.stem == spec.code:
        return None
    return _(
        "mã kế hoạch {code} phải trùng tên tệp: hãy đặt tên tệp {code}.toml, "
        "hoặc đổi mã trong tệp thành {stem}"
    ).format(code=spec.code, stem=path.stem)


def _count(session: Session, query: SelectOfScalar[int]) -> int:
    return int(session.exec(query).one())


def _holdings(reports: int, officers: int = 0, chats: int = 0, reminders: int = 0) -> str:
    parts = []
    if reports:
        parts.append(ngettext("{n} báo cáo", "{n} báo cáo", reports).format(n=reports))
    if officers:
        parts.append(ngettext("{n} cán bộ", "{n} cán bộ", officers).format(n=officers))
    if chats:
        parts.append(ngettext("{n} nhóm chat", "{n} nhóm chat", chats).format(n=chats))
    if reminders:
        parts.append(ngettext("{n} lời nhắc", "{n} lời nhắc", reminders).format(n=reminders))
    return ", ".join(parts)


def _check_renames(
    spec: PlanSpec, tasks: dict[str, Task], units: dict[str, Unit], renames: dict[str, str]
) -> list[str]:
    new_tasks = {t.code for t in spec.tasks}
    new_units = {u.code for u in spec.units}
    problems = []
    for old, new in renames.items():
        is_task = old in tasks
        if not is_task and old not in units:
            problem = _("--rename {old}: kế hoạch không có nhiệm vụ hay đơn vị mã {old}")
        elif new not in (new_tasks if is_task else new_units):
            problem = _("--rename {old}={new}: tệp mới không có mã {new}")
        elif old in (new_tasks if is_task else new_units):
            problem = _("--rename {old}={new}: tệp mới vẫn còn mã {old}")
        elif new in (tasks if is_task else units):
            problem = _("--rename {old}={new}: kế hoạch đã có mã {new}")
        else:
            continue
        problems.append(problem.format(old=old, new=new))
    return problems


def _losses(
    session: Session, spec: PlanSpec, tasks: dict[str, Task], units: dict[str, Unit]
) -> tuple[list[str], list[Task], list[Unit], list[Occurrence]]:
    """Each task, unit and period the file drops that still holds something, described."""
    lines: list[str] = []
    gone_tasks, gone_units, gone_periods = [], [], []
    kept = {t.code: {o.period for o in t.schedule.occurrences} for t in spec.tasks}
    for code, task in tasks.items():
        occurrences = session.exec(
            select(Occurrence).where(Occurrence.task_id == task.id, col(Occurrence.active))
        ).all()
        dropped = (
            occurrences
            if code not in kept
            else [o for o in occurrences if o.period not in kept[code]]
        )
        for occurrence in dropped:
            held = _holdings(
                _count(session, select(func.count()).where(Report.occurrence_id == occurrence.id)),
                reminders=_count(
                    session, select(func.count()).where(Reminder.occurrence_id == occurrence.id)
                ),
            )
            if held and code not in kept:
                lines.append(
                    _("nhiệm vụ {task} (kỳ {period}): {held}").format(
                        task=code, period=occurrence.period, held=held
                    )
                )
            elif held:
                lines.append(
                    _("nhiệm vụ {task}: kỳ {period} không còn trong tệp: {held}").format(
                        task=code, period=occurrence.period, held=held
                    )
                )
            gone_periods.append(occurrence)
        if code not in kept:
            gone_tasks.append(task)
    new_units = {u.code for u in spec.units}
    for code, unit in units.items():
        if code in new_units:
            continue
        held = _holdings(
            _count(session, select(func.count()).where(Report.unit_id == unit.id)),
            _count(session, select(func.count()).where(Member.unit_id == unit.id, Member.active)),
            _count(
                session,
                select(func.count()).where(
                    Chat.unit_id == unit.id, Chat.purpose == ChatPurpose.UNIT, Chat.active
                ),
            ),
            _count(session, select(func.count()).where(Reminder.unit_id == unit.id)),
        )
        if held:
            lines.append(
                _("đơn vị {unit} ({name}): {held}").format(unit=code, name=unit.name, held=held)
            )
        gone_units.append(unit)
    return lines, gone_tasks, gone_units, gone_periods


def _span(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}-{last}"


def guard_reload(
    session: Session, plan: Plan, spec: PlanSpec, options: ReloadOptions | None
) -> ReloadChanges:
    """Refuse (``ReloadRefused``, nothing written) or prepare the update of ``plan`` by
    ``spec``: apply the renames, and on ``--retire`` let go of what the file dropped."""
    options = options or ReloadOptions()
    loaded_span = (plan.year, plan.last_year or plan.year)
    file_span = (spec.year, spec.last_year or spec.year)
    if (loaded_span, plan.issuer) != (file_span, spec.issuer):
        raise ReloadRefused(
            spec.code,
            [
                _(
                    "mã {code} đã dùng cho kế hoạch năm {year} của {issuer}; tệp này là năm "
                    "{new_year} của {new_issuer}. Hãy đặt mã mới cho kế hoạch mới "
                    "(nhacviec plan copy {code} MÃ-MỚI --year {first})"
                ).format(
                    code=spec.code,
                    year=_span(*loaded_span),
                    issuer=plan.issuer,
                    new_year=_span(*file_span),
                    new_issuer=spec.issuer,
                    first=spec.year,
                )
            ],
        )
    tasks = {
        t.code: t for t in session.exec(select(Task).where(Task.plan_id == plan.id, Task.active))
    }
    all_tasks = {t.code: t for t in session.exec(select(Task).where(Task.plan_id == plan.id))}
    units = {u.code: u for u in session.exec(select(Unit).where(Unit.plan_id == plan.id))}
    problems = _check_renames(spec, all_tasks, units, options.renames)
    if problems:
        raise ReloadRefused(spec.code, problems)
    # What the file calls it now: losses are counted under the new codes.
    renamed_tasks = {options.renames.get(c, c): t for c, t in tasks.items()}
    renamed_units = {options.renames.get(c, c): u for c, u in units.items()}
    lines, gone_tasks, gone_units, gone_periods = _losses(
        session, spec, renamed_tasks, renamed_units
    )
    if lines and not options.retire:
        raise ReloadRefused(spec.code, lines, detached=True)
    renamed = []
    for old, new in options.renames.items():
        row = all_tasks.get(old) if old in all_tasks else units[old]
        assert row is not None
        row.code = new
        session.add(row)
        renamed.append(f"{old} → {new}")
    _retire(session, gone_tasks, gone_units, gone_periods)
    session.flush()
    return ReloadChanges(tuple(renamed), tuple(lines))


def _retire(
    session: Session, tasks: list[Task], units: list[Unit], periods: list[Occurrence]
) -> None:
    """Let go of what the file dropped: its reports stay, out of the summaries; nobody is
    reminded of it again, and a retired unit's officers are no longer registered."""
    occurrence_ids = [o.id for o in periods]
    unit_ids = [u.id for u in units]
    for reminder in session.exec(
        select(Reminder).where(
            Reminder.state == ReminderState.PENDING,
            col(Reminder.occurrence_id).in_(occurrence_ids) | col(Reminder.unit_id).in_(unit_ids),
        )
    ):
        reminder.state, reminder.last_error = ReminderState.SKIPPED, RETIRED
        session.add(reminder)
    for member in session.exec(
        select(Member).where(col(Member.unit_id).in_(unit_ids), Member.active)
    ):
        member.active = False
        session.add(member)
    for occurrence in periods:
        occurrence.active = False
        session.add(occurrence)
    for task in tasks:
        task.active = False
        session.add(task)
