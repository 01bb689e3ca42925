"""Read-side queries shared by the chat core, the scheduler and the command line."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlmodel import Session, col, func, select

from storage.models import Occurrence, Plan, Task, TaskAssignment, Unit
from storage.task_rows import TaskRow


def plan_by_code(session: Session, code: str) -> Plan | None:
    """The plan of ``code``, or None."""
    return session.exec(select(Plan).where(Plan.code == code)).first()


def plans_with_counts(session: Session) -> list[tuple[Plan, int]]:
    """Every plan with its number of active tasks, newest year first."""
    count = (
        select(col(Task.plan_id), func.count().label("n"))
        .where(col(Task.active))
        .group_by(col(Task.plan_id))
        .subquery()
    )
    rows = session.exec(
        select(Plan, func.coalesce(count.c.n, 0))
        .outerjoin(count, count.c.plan_id == Plan.id)
        .order_by(col(Plan.year).desc(), col(Plan.code))
    ).all()
    return [(plan, int(n)) for plan, n in rows]


def plan_tasks(session: Session, plan: Plan) -> list[TaskRow]:
    """The plan's active tasks in document order, with units and deadlines, in three queries."""
    tasks = session.exec(
        select(Task).where(Task.plan_id == plan.id, col(Task.active)).order_by(col(Task.position))
    ).all()
    ids = [task.id for task in tasks]
    units = {u.id: u for u in session.exec(select(Unit).where(Unit.plan_id == plan.id))}
    roles: dict[int | None, dict[str, list[Unit]]] = defaultdict(lambda: defaultdict(list))
    for link in session.exec(select(TaskAssignment).where(col(TaskAssignment.task_id).in_(ids))):
        roles[link.task_id][link.role].append(units[link.unit_id])
    occurrences: dict[int | None, list[Occurrence]] = defaultdict(list)
    for occurrence in session.exec(
        select(Occurrence)
        .where(col(Occurrence.task_id).in_(ids), col(Occurrence.active))
        .order_by(col(Occurrence.due_at), col(Occurrence.id))
    ):
        occurrences[occurrence.task_id].append(occurrence)
    return [
        TaskRow(
            task,
            tuple(roles[task.id]["lead"]),
            tuple(roles[task.id]["support"]),
            tuple(occurrences[task.id]),
        )
        for task in tasks
    ]


def occurrences_with_task_and_plan(
    session: Session, occurrence_ids: Iterable[int | None]
) -> list[tuple[Occurrence, Task, Plan]]:
    """Each of the given occurrences with its task and plan, in one query."""
    return list(
        session.exec(
            select(Occurrence, Task, Plan)
            .join(Task, col(Task.id) == Occurrence.task_id)
            .join(Plan, col(Plan.id) == Task.plan_id)
            .where(col(Occurrence.id).in_([i for i in occurrence_ids if i is not None]))
        ).all()
    )
