"""The columns of a plan's tasks beside the time, for the chat: parent, product, funding,
what a task waits for and the days its event was recorded (``storage.records.TaskDetail``).

Read for the tasks a message is about (the ones /nhiemvu lists, the waiting ones of
/sukien), in three small queries whatever the size of the plan.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from datetime import date

from sqlmodel import Session, col, select

from storage.models import Task, TaskEvent
from storage.records import TaskDetail
from storage.timezone import VN_TZ


def task_details(
    session: Session,
    plan_id: int,
    task_ids: Collection[int] | None = None,
    *,
    waiting: bool = False,
) -> list[TaskDetail]:
    """The plan's active tasks (only ``task_ids`` when given; only those waiting for an
    event when ``waiting``), in document order."""
    query = select(Task).where(Task.plan_id == plan_id, col(Task.active))
    if task_ids is not None:
        query = query.where(col(Task.id).in_(list(task_ids)))
    if waiting:
        query = query.where(col(Task.event).is_not(None))
    tasks = list(session.exec(query.order_by(col(Task.position))))
    parent_ids = {t.parent_id for t in tasks if t.parent_id is not None}
    parents = {
        t.id: t.code for t in session.exec(select(Task).where(col(Task.id).in_(parent_ids)))
    }
    happened: dict[int, list[date]] = defaultdict(list)
    waiting_ids = [t.id for t in tasks if t.event is not None]
    if waiting_ids:
        for event in session.exec(
            select(TaskEvent)
            .where(col(TaskEvent.task_id).in_(waiting_ids))
            .order_by(col(TaskEvent.happened_at))
        ):
            happened[event.task_id].append(event.happened_at.astimezone(VN_TZ).date())
    return [
        TaskDetail(
            task=task,
            parent_code=parents.get(task.parent_id) if task.parent_id else None,
            happened=tuple(happened.get(task.id or 0, ())),
        )
        for task in tasks
    ]
