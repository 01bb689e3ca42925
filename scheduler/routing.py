"""Who owes a deadline and where their reminders go.

A unit owes a task when it is assigned directly, or as a member of an assigned group
(*UBND các xã, thị trấn*); a group with no members listed owes it as one unit. Where a
unit is both lead (*chủ trì*) and support (*phối hợp*), it is reminded as lead. A unit
stops owing an occurrence once its latest report on it says "hoàn thành".

Where a reminder goes, on each platform separately: the unit's group chat when it has
one there, otherwise the private chat of each registered member of the unit. A person
who sits in the unit's group is thus never reminded a second time privately, and one
who uses both Telegram and Zalo gets one reminder on each. Escalations go to every
active leadership chat; one bound to a unit only hears about that unit's plan.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from sqlmodel import Session, col, select

from storage.models import (
    AssignmentRole,
    Chat,
    ChatPurpose,
    DueOverride,
    Member,
    Report,
    ReportStatus,
    TaskAssignment,
    Unit,
    UnitGroupMember,
)


def owing_units(session: Session, task_ids: Iterable[int]) -> dict[int, dict[int, str]]:
    """For each task, the units that owe it and their role ("lead" or "support")."""
    task_ids = list(task_ids)
    if not task_ids:
        return {}
    links = session.exec(
        select(TaskAssignment).where(col(TaskAssignment.task_id).in_(task_ids))
    ).all()
    group_ids = {link.unit_id for link in links}
    members: dict[int, list[int]] = defaultdict(list)
    for membership in session.exec(
        select(UnitGroupMember).where(col(UnitGroupMember.group_id).in_(group_ids))
    ):
        members[membership.group_id].append(membership.unit_id)
    owed: dict[int, dict[int, str]] = defaultdict(dict)
    for link in links:
        for unit_id in members.get(link.unit_id) or [link.unit_id]:
            roles = owed[link.task_id]
            if roles.get(unit_id) != AssignmentRole.LEAD:
                roles[unit_id] = link.role
    return owed


def done_pairs(session: Session, occurrence_ids: Iterable[int]) -> set[tuple[int, int]]:
    """(occurrence, unit) pairs whose latest report says "hoàn thành"."""
    occurrence_ids = list(occurrence_ids)
    if not occurrence_ids:
        return set()
    latest: dict[tuple[int, int], str] = {}
    for report in session.exec(
        select(Report)
        .where(col(Report.occurrence_id).in_(occurrence_ids))
        .order_by(col(Report.created_at), col(Report.id))
    ):
        latest[(report.occurrence_id, report.unit_id)] = report.status
    return {pair for pair, status in latest.items() if status == ReportStatus.DONE}


def unit_recipients(session: Session, unit_ids: Iterable[int]) -> dict[int, list[Chat]]:
    """For each unit, the active chats its reminders go to (see the module's rule)."""
    unit_ids = list(unit_ids)
    if not unit_ids:
        return {}
    groups: dict[tuple[int, str], Chat] = {}
    for chat in session.exec(
        select(Chat)
        .where(
            Chat.purpose == ChatPurpose.UNIT,
            col(Chat.unit_id).in_(unit_ids),
            col(Chat.active).is_(True),
        )
        .order_by(col(Chat.id))
    ):
        assert chat.unit_id is not None
        # One group per platform: a person in two groups of the unit hears it once.
        groups.setdefault((chat.unit_id, chat.platform), chat)
    members = session.exec(
        select(Member).where(col(Member.unit_id).in_(unit_ids), col(Member.active).is_(True))
    ).all()
    private: dict[tuple[str, str], Chat] = {}
    if members:
        for chat in session.exec(
            select(Chat).where(
                Chat.purpose == ChatPurpose.PRIVATE,
                col(Chat.active).is_(True),
                col(Chat.chat_id).in_({m.user_id for m in members}),
            )
        ):
            private[(chat.platform, chat.chat_id)] = chat
    recipients: dict[int, dict[int, Chat]] = defaultdict(dict)
    for (unit_id, _platform), chat in groups.items():
        recipients[unit_id][chat.id] = chat  # type: ignore[index]
    for member in members:
        assert member.unit_id is not None
        if (member.unit_id, member.platform) in groups:
            continue
        reached = private.get((member.platform, member.user_id))
        if reached is not None:
            recipients[member.unit_id][reached.id] = reached  # type: ignore[index]
    return {unit_id: list(chats.values()) for unit_id, chats in recipients.items()}


def leadership_chats(session: Session) -> list[tuple[Chat, int | None]]:
    """Active leadership chats with the plan each is bound to (None: every plan)."""
    chats = session.exec(
        select(Chat)
        .where(Chat.purpose == ChatPurpose.LEADERSHIP, col(Chat.active).is_(True))
        .order_by(col(Chat.id))
    ).all()
    unit_ids = {chat.unit_id for chat in chats if chat.unit_id is not None}
    plans = {
        unit.id: unit.plan_id
        for unit in session.exec(select(Unit).where(col(Unit.id).in_(unit_ids)))
    }
    return [(chat, plans.get(chat.unit_id) if chat.unit_id else None) for chat in chats]


def moved_deadlines(
    session: Session, occurrence_ids: Iterable[int]
) -> dict[tuple[int, int], tuple[datetime, int]]:
    """(occurrence, unit) -> (the unit's own due instant, the override's id): the deadlines
    moved by an accepted extension (*gia hạn*). The id versions the unit's reminders."""
    occurrence_ids = list(occurrence_ids)
    if not occurrence_ids:
        return {}
    rows = session.exec(
        select(DueOverride).where(col(DueOverride.occurrence_id).in_(occurrence_ids))
    ).all()
    return {(row.occurrence_id, row.unit_id): (row.due_at, row.id or 0) for row in rows}


def moved_between(session: Session, since: datetime, until: datetime) -> set[int]:
    """Occurrences with a unit's deadline moved to between ``since`` and ``until``."""
    return set(
        session.exec(
            select(DueOverride.occurrence_id).where(
                col(DueOverride.due_at) >= since, col(DueOverride.due_at) <= until
            )
        ).all()
    )
