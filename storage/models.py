"""The tables of nhacviec: a plan's units and tasks, their deadlines, people, chats and reports.

Vocabulary, once: a *đơn vị* (Unit) is an office such as a phòng, ban or UBND xã; a
*nhiệm vụ* (Task) is a line of the plan's timetable; an *Occurrence* is one concrete
deadline (*hạn chót*) of a task for one period; a *báo cáo* (Report) is what a unit
says of its progress on an occurrence.

Instants are stored in UTC (see ``UTCDateTime``); platform ids are text with their
platform, since Telegram's are integers and Zalo's hex strings.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime


def _instant(*, nullable: bool = True, index: bool = False) -> Column[datetime]:
    return Column(UTCDateTime(), nullable=nullable, index=index)


def _fk(target: str, *, nullable: bool = False, ondelete: str = "CASCADE") -> Column[int]:
    return Column(Integer, ForeignKey(target, ondelete=ondelete), nullable=nullable, index=True)


class Role(StrEnum):
    """What a registered person may do: member of a unit, coordinator, leader, operator."""

    MEMBER = "member"
    COORDINATOR = "coordinator"
    LEADER = "leader"
    ADMIN = "admin"


class AssignmentRole(StrEnum):
    """A unit's part in a task: *chủ trì* (lead) or *phối hợp* (support)."""

    LEAD = "lead"
    SUPPORT = "support"


class ReportStatus(StrEnum):
    """The four states of progress an officer can report."""

    NOT_STARTED = "not_started"  # chưa bắt đầu
    IN_PROGRESS = "in_progress"  # đang thực hiện
    DONE = "done"  # hoàn thành
    BLOCKED = "blocked"  # vướng mắc


class ChatPurpose(StrEnum):
    """Why a chat is known: a person's private chat, a unit's group, the leadership group."""

    PRIVATE = "private"
    UNIT = "unit"
    LEADERSHIP = "leadership"


class ReminderState(StrEnum):
    """The life of an outbox row: pending -> claimed -> sent, or failed/held."""

    PENDING = "pending"
    CLAIMED = "claimed"
    SENT = "sent"
    FAILED = "failed"
    HELD = "held"
    SKIPPED = "skipped"


class Plan(SQLModel, table=True):
    """A *kế hoạch*: one document with its timetable of tasks."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(sa_column=Column(String(64), unique=True, nullable=False))
    title: str = Field(sa_column=Column(Text, nullable=False))
    issuer: str = Field(sa_column=Column(Text, nullable=False))
    year: int
    document: str | None = Field(default=None, sa_column=Column(Text))
    report_day: int = 15
    source_hash: str = Field(sa_column=Column(String(64), nullable=False))
    loaded_at: datetime = Field(sa_column=_instant(nullable=False))


class Unit(SQLModel, table=True):
    """A *đơn vị* of a plan, or a group of units (``is_group``) such as "UBND các xã"."""

    __table_args__ = (UniqueConstraint("plan_id", "code", name="uq_unit_plan_code"),)

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(sa_column=_fk("plan.id"))
    code: str = Field(sa_column=Column(String(64), nullable=False))
    name: str = Field(sa_column=Column(Text, nullable=False))
    kind: str = Field(sa_column=Column(String(32), nullable=False))
    is_group: bool = False


class UnitGroupMember(SQLModel, table=True):
    """A unit that belongs to a group named in the plan."""

    # A unit's groups, read for every report it sends.
    __table_args__ = (Index("ix_unitgroupmember_unit_id", "unit_id"),)

    group_id: int = Field(
        sa_column=Column(Integer, ForeignKey("unit.id", ondelete="CASCADE"), primary_key=True)
    )
    unit_id: int = Field(
        sa_column=Column(Integer, ForeignKey("unit.id", ondelete="CASCADE"), primary_key=True)
    )


class Task(SQLModel, table=True):
    """A *nhiệm vụ*: a line of the plan, with its time frame as written and as understood."""

    __table_args__ = (UniqueConstraint("plan_id", "code", name="uq_task_plan_code"),)

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(sa_column=_fk("plan.id"))
    code: str = Field(sa_column=Column(String(32), nullable=False))
    position: int = 0
    title: str = Field(sa_column=Column(Text, nullable=False))
    when_text: str = Field(sa_column=Column(Text, nullable=False))
    kind: str = Field(sa_column=Column(String(16), nullable=False))
    recurrence: str | None = Field(default=None, sa_column=Column(String(32)))
    start_at: datetime | None = Field(default=None, sa_column=_instant())
    due_at: datetime | None = Field(default=None, sa_column=_instant())
    reports_to_id: int | None = Field(
        default=None, sa_column=_fk("unit.id", nullable=True, ondelete="SET NULL")
    )
    active: bool = True


class TaskAssignment(SQLModel, table=True):
    """A unit's part in a task: lead (*chủ trì*) or support (*phối hợp*)."""

    # A unit's tasks, read for every report it sends.
    __table_args__ = (Index("ix_taskassignment_unit_id", "unit_id"),)

    task_id: int = Field(
        sa_column=Column(Integer, ForeignKey("task.id", ondelete="CASCADE"), primary_key=True)
    )
    unit_id: int = Field(
        sa_column=Column(Integer, ForeignKey("unit.id", ondelete="CASCADE"), primary_key=True)
    )
    role: str = Field(sa_column=Column(String(16), nullable=False))


class Occurrence(SQLModel, table=True):
    """One concrete deadline of a task for one period (a month, a quarter, the year...)."""

    __table_args__ = (UniqueConstraint("task_id", "period", name="uq_occurrence_task_period"),)

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(sa_column=_fk("task.id"))
    period: str = Field(sa_column=Column(String(64), nullable=False))
    start_at: datetime | None = Field(default=None, sa_column=_instant())
    due_at: datetime | None = Field(default=None, sa_column=_instant(index=True))
    active: bool = True


class Member(SQLModel, table=True):
    """A platform user registered with a role, and for members the unit they belong to."""

    __table_args__ = (
        UniqueConstraint("platform", "user_id", "unit_id", "role", name="uq_member_identity"),
    )

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(sa_column=Column(String(16), nullable=False))
    user_id: str = Field(sa_column=Column(String(64), nullable=False))
    display_name: str = Field(sa_column=Column(Text, nullable=False))
    role: str = Field(sa_column=Column(String(16), nullable=False))
    unit_id: int | None = Field(default=None, sa_column=_fk("unit.id", nullable=True))
    created_at: datetime = Field(sa_column=_instant(nullable=False))
    active: bool = True
    # A coordinator may follow one plan only; None: every plan.
    plan_id: int | None = Field(default=None, sa_column=_fk("plan.id", nullable=True))


class Chat(SQLModel, table=True):
    """A platform chat the bot knows: private, a unit's group, or a leadership group."""

    __table_args__ = (UniqueConstraint("platform", "chat_id", name="uq_chat_platform_id"),)

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(sa_column=Column(String(16), nullable=False))
    chat_id: str = Field(sa_column=Column(String(64), nullable=False))
    kind: str = Field(sa_column=Column(String(16), nullable=False))
    purpose: str = Field(sa_column=Column(String(16), nullable=False))
    title: str | None = Field(default=None, sa_column=Column(Text))
    unit_id: int | None = Field(default=None, sa_column=_fk("unit.id", nullable=True))
    language: str = Field(default="vi", sa_column=Column(String(8), nullable=False))
    active: bool = True
    created_at: datetime = Field(sa_column=_instant(nullable=False))


class InviteCode(SQLModel, table=True):
    """A one-time code that makes its user a member of a unit, a coordinator or a leader."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(sa_column=Column(String(32), unique=True, nullable=False))
    role: str = Field(sa_column=Column(String(16), nullable=False))
    unit_id: int | None = Field(default=None, sa_column=_fk("unit.id", nullable=True))
    created_at: datetime = Field(sa_column=_instant(nullable=False))
    expires_at: datetime = Field(sa_column=_instant(nullable=False))
    used_at: datetime | None = Field(default=None, sa_column=_instant())
    used_by_id: int | None = Field(
        default=None, sa_column=_fk("member.id", nullable=True, ondelete="SET NULL")
    )
    # For a coordinator's code: the one plan the coordinator follows (None: every plan).
    plan_id: int | None = Field(default=None, sa_column=_fk("plan.id", nullable=True))


class Report(SQLModel, table=True):
    """A *báo cáo* of progress on one occurrence; the message that made it is unique."""

    __table_args__ = (
        UniqueConstraint(
            "platform", "source_chat_id", "source_message_id", name="uq_report_source_message"
        ),
        # The latest report per (occurrence, unit), by a window function: for a plan's
        # summaries by occurrence, for one unit's messages by unit.
        Index("ix_report_occurrence_unit_created", "occurrence_id", "unit_id", "created_at"),
        Index("ix_report_unit_occurrence_created", "unit_id", "occurrence_id", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    occurrence_id: int = Field(sa_column=_fk("occurrence.id"))
    unit_id: int = Field(sa_column=_fk("unit.id"))
    member_id: int | None = Field(
        default=None, sa_column=_fk("member.id", nullable=True, ondelete="SET NULL")
    )
    status: str = Field(sa_column=Column(String(16), nullable=False))
    percent: int | None = None
    note: str | None = Field(default=None, sa_column=Column(Text))
    evidence: str = Field(default="[]", sa_column=Column(Text, nullable=False))
    late: bool = False
    created_at: datetime = Field(sa_column=_instant(nullable=False, index=True))
    platform: str = Field(sa_column=Column(String(16), nullable=False))
    source_chat_id: str = Field(sa_column=Column(String(64), nullable=False))
    source_message_id: str = Field(sa_column=Column(String(64), nullable=False))


class Reminder(SQLModel, table=True):
    """A row of the outbox: one message due to one chat; the dedupe key makes it unique."""

    id: int | None = Field(default=None, primary_key=True)
    dedupe_key: str = Field(sa_column=Column(String(200), unique=True, nullable=False))
    chat_id: int = Field(sa_column=_fk("chat.id"))
    occurrence_id: int | None = Field(default=None, sa_column=_fk("occurrence.id", nullable=True))
    # The unit a reminder is for (None for the leadership's rows): a group chat hears of
    # one unit, a private chat of its member's unit.
    unit_id: int | None = Field(
        default=None, sa_column=_fk("unit.id", nullable=True, ondelete="SET NULL")
    )
    kind: str = Field(sa_column=Column(String(32), nullable=False))
    step: str = Field(sa_column=Column(String(32), nullable=False))
    due_at: datetime = Field(sa_column=_instant(nullable=False, index=True))
    state: str = Field(
        default=ReminderState.PENDING, sa_column=Column(String(16), nullable=False, index=True)
    )
    attempts: int = 0
    next_attempt_at: datetime | None = Field(default=None, sa_column=_instant())
    claimed_by: str | None = Field(default=None, sa_column=Column(String(64)))
    claimed_at: datetime | None = Field(default=None, sa_column=_instant())
    sent_at: datetime | None = Field(default=None, sa_column=_instant())
    platform_message_id: str | None = Field(default=None, sa_column=Column(String(64)))
    last_error: str | None = Field(default=None, sa_column=Column(Text))


class AuditLog(SQLModel, table=True):
    """Who did what, when: every chat action and every operator command."""

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_column=_instant(nullable=False, index=True))
    platform: str = Field(sa_column=Column(String(16), nullable=False))
    actor: str = Field(sa_column=Column(String(64), nullable=False))
    chat: str | None = Field(default=None, sa_column=Column(String(64)))
    action: str = Field(sa_column=Column(String(64), nullable=False))
    detail: str | None = Field(default=None, sa_column=Column(Text))


class Conversation(SQLModel, table=True):
    """A guided flow under way (a report being made, a choice being awaited) for one person
    in one chat. Kept in the database so it survives a restart and is seen by every bot
    process; the chat core drops it after 30 minutes without an answer."""

    __table_args__ = (
        UniqueConstraint("platform", "chat_id", "user_id", name="uq_conversation_who"),
    )

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(sa_column=Column(String(16), nullable=False))
    chat_id: str = Field(sa_column=Column(String(64), nullable=False))
    user_id: str = Field(sa_column=Column(String(64), nullable=False))
    step: str = Field(sa_column=Column(String(32), nullable=False))
    data: str = Field(default="{}", sa_column=Column(Text, nullable=False))
    updated_at: datetime = Field(sa_column=_instant(nullable=False, index=True))


class FailedCode(SQLModel, table=True):
    """One wrong invite code typed by a platform user: five within an hour lock them out
    for an hour. The code itself is not kept."""

    __table_args__ = (Index("ix_failedcode_who_at", "platform", "user_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(sa_column=Column(String(16), nullable=False))
    user_id: str = Field(sa_column=Column(String(64), nullable=False))
    at: datetime = Field(sa_column=_instant(nullable=False))


class SeenUpdate(SQLModel, table=True):
    """An update a platform delivered and the bot took, by its key (Zalo: the message_id).

    Zalo has no update offset and may deliver a consumed update again, so the bot keeps
    what it took, across restarts and shared by every bot process: the unique constraint
    lets exactly one of them take an update (see ``storage.updates.remember_update``).
    """

    __table_args__ = (UniqueConstraint("platform", "key", name="uq_seenupdate_platform_key"),)

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(sa_column=Column(String(16), nullable=False))
    key: str = Field(sa_column=Column(String(128), nullable=False))
    seen_at: datetime = Field(sa_column=_instant(nullable=False, index=True))


class OutboundCount(SQLModel, table=True):
    """How many messages the bot sent on a platform in one calendar month ("2024-03",
    in Asia/Ho_Chi_Minh): Zalo's free plan allows 3,000 a month."""

    __table_args__ = (
        UniqueConstraint("platform", "month", name="uq_outboundcount_platform_month"),
    )

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(sa_column=Column(String(16), nullable=False))
    month: str = Field(sa_column=Column(String(7), nullable=False))
    count: int = Field(default=0, sa_column=Column(Integer, nullable=False))
