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

from sqlalchemy import (
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
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
    # A plan may span years (2025-2030): ``year`` is its first, ``last_year`` its last.
    last_year: int | None = None
    # When its document was signed: nothing falls due or is reminded before then.
    issued_at: datetime | None = Field(default=None, sa_column=_instant())
    # Kept for history, summaries and exports; nothing is reminded or sent for it.
    archived: bool = False


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
    # What the task waits for ("khi có vụ việc"), and the deadline counted from it.
    event: str | None = Field(default=None, sa_column=Column(Text))
    event_days: int | None = None
    event_closes: bool = False  # the event ends the task's open window
    product: str | None = Field(default=None, sa_column=Column(Text))  # Sản phẩm
    funding: str | None = Field(default=None, sa_column=Column(Text))  # Kinh phí, nguồn vốn
    parent_id: int | None = Field(
        default=None, sa_column=_fk("task.id", nullable=True, ondelete="SET NULL")
    )


class TaskEvent(SQLModel, table=True):
    """That the event a task waits for happened, on a day, as a coordinator recorded it."""

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(sa_column=_fk("task.id"))
    happened_at: datetime = Field(sa_column=_instant(nullable=False))  # start of that day
    due_at: datetime | None = Field(default=None, sa_column=_instant())  # a hand-set deadline
    recorded_at: datetime = Field(sa_column=_instant(nullable=False))
    actor: str = Field(sa_column=Column(String(64), nullable=False))


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
    # How many people may register with the code; ``used_at``/``used_by_id`` are the last.
    uses: int = 1
    used_count: int = 0
    revoked_at: datetime | None = Field(default=None, sa_column=_instant())


class Admission(SQLModel, table=True):
    """Someone not registered wrote a command in a unit's registered group: an officer of
    the unit may admit them (``/duyet``). ``decided_at`` is set once they are admitted."""

    __table_args__ = (
        UniqueConstraint("platform", "user_id", "unit_id", name="uq_admission_who_unit"),
    )

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(sa_column=Column(String(16), nullable=False))
    user_id: str = Field(sa_column=Column(String(64), nullable=False))
    display_name: str = Field(sa_column=Column(Text, nullable=False))
    unit_id: int = Field(sa_column=_fk("unit.id"))
    chat_id: str = Field(sa_column=Column(String(64), nullable=False))
    asked_at: datetime = Field(sa_column=_instant(nullable=False))
    decided_at: datetime | None = Field(default=None, sa_column=_instant())
    decided_by_id: int | None = Field(
        default=None, sa_column=_fk("member.id", nullable=True, ondelete="SET NULL")
    )


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
    # The first failed try of the current run of failures: retried until a day after it.
    failing_since: datetime | None = Field(default=None, sa_column=_instant())


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


class Evidence(SQLModel, table=True):
    """A photo or file sent with a report (*minh chứng*), kept in the file store under the
    SHA-256 of its content (``path``, relative to the store) and still known by the
    platform's reference (``file_id``: Telegram's file id, the URL of a Zalo photo)."""

    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(sa_column=_fk("report.id"))
    position: int = 0
    kind: str = Field(sa_column=Column(String(16), nullable=False))
    platform: str = Field(sa_column=Column(String(16), nullable=False))
    file_id: str = Field(sa_column=Column(Text, nullable=False))
    name: str | None = Field(default=None, sa_column=Column(Text))
    mime_type: str = Field(sa_column=Column(String(128), nullable=False))
    size: int
    sha256: str = Field(sa_column=Column(String(64), nullable=False, index=True))
    path: str = Field(sa_column=Column(String(200), nullable=False))


class SendPace(SQLModel, table=True):
    """The sending budget shared by every bot process (``storage.pace``): for each key (the
    bot on a platform, one chat, one group), the theoretical arrival time of its next
    message in seconds since the epoch, as in the generic cell rate algorithm."""

    __tablename__ = "send_pace"
    key: str = Field(sa_column=Column(String(100), primary_key=True))
    next_at: float = Field(sa_column=Column(Float, nullable=False))


class OutgoingReply(SQLModel, table=True):
    """A reply to a user, queued in the transaction that handled the user's update, so a
    crash either loses both or neither; sent at once by the process that handled it, or
    later by any process serving the platform (``storage.replies``)."""

    __tablename__ = "outgoing_reply"
    __table_args__ = (Index("ix_outgoing_reply_state_platform", "state", "platform"),)
    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(sa_column=Column(String(16), nullable=False))
    chat_id: str = Field(sa_column=Column(String(64), nullable=False))
    update_key: str = Field(sa_column=Column(String(128), nullable=False))
    position: int = Field(sa_column=Column(Integer, nullable=False))
    payload: str = Field(sa_column=Column(Text, nullable=False))  # JSON: text, choices, quote
    content: bytes | None = Field(default=None, sa_column=Column(LargeBinary))  # a file's bytes
    state: str = Field(sa_column=Column(String(16), nullable=False))  # ReminderState values
    attempts: int = Field(default=0, sa_column=Column(Integer, nullable=False))
    created_at: datetime = Field(sa_column=_instant(nullable=False))
    next_attempt_at: datetime | None = Field(default=None, sa_column=_instant())
    claimed_by: str | None = Field(default=None, sa_column=Column(String(64)))
    claimed_at: datetime | None = Field(default=None, sa_column=_instant())
    sent_at: datetime | None = Field(default=None, sa_column=_instant())
    last_error: str | None = Field(default=None, sa_column=Column(Text))


class ExtensionStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REFUSED = "refused"


class ExtensionRequest(SQLModel, table=True):
    """A unit's request (*xin gia hạn*) to move its deadline of one occurrence, made by an
    officer in chat and answered by a coordinator (or an operator) in theirs."""

    id: int | None = Field(default=None, primary_key=True)
    occurrence_id: int = Field(sa_column=_fk("occurrence.id"))
    unit_id: int = Field(sa_column=_fk("unit.id"))
    wanted_due_at: datetime = Field(sa_column=_instant(nullable=False))
    reason: str = Field(sa_column=Column(Text, nullable=False))
    status: str = Field(default="pending", sa_column=Column(String(16), nullable=False))
    platform: str = Field(sa_column=Column(String(16), nullable=False))
    chat_id: str = Field(sa_column=Column(String(64), nullable=False))  # where it was asked
    user_id: str = Field(sa_column=Column(String(64), nullable=False))
    display_name: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(sa_column=_instant(nullable=False))
    decided_by: str | None = Field(default=None, sa_column=Column(String(64)))
    decided_at: datetime | None = Field(default=None, sa_column=_instant())
    answer: str | None = Field(default=None, sa_column=Column(Text))  # the refusal's reason


class DueOverride(SQLModel, table=True):
    """One unit's own deadline for one occurrence, set by an accepted extension: the
    reminders, the summaries and the overdue lists follow it instead of the plan's."""

    __table_args__ = (
        UniqueConstraint("occurrence_id", "unit_id", name="uq_dueoverride_occurrence_unit"),
    )

    id: int | None = Field(default=None, primary_key=True)
    occurrence_id: int = Field(sa_column=_fk("occurrence.id"))
    unit_id: int = Field(sa_column=_fk("unit.id"))
    due_at: datetime = Field(sa_column=_instant(nullable=False))
    extension_id: int | None = Field(
        default=None, sa_column=_fk("extensionrequest.id", nullable=True, ondelete="SET NULL")
    )
    set_at: datetime = Field(sa_column=_instant(nullable=False))
