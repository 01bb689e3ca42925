"""Plain values that cross the chat core's Store boundary (see ``bot.core.store``).

They carry what the core needs to decide and to answer, detached from any session:
a person's memberships, an invite code with its unit and plan, a report with what it
is about, the outcome of redeeming a code, a guided flow's saved state.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from storage.models import Chat, InviteCode, Member, Occurrence, Plan, Task, Unit


@dataclass(frozen=True)
class Membership:
    """One active ``Member`` row of a person, with its unit and plan (None for leaders and
    for coordinators who follow every plan)."""

    member: Member
    unit: Unit | None
    plan: Plan | None


@dataclass(frozen=True)
class Invite:
    """An invite code as stored, with the unit (and plan) it admits to."""

    invite: InviteCode
    unit: Unit | None
    plan: Plan | None


@dataclass(frozen=True)
class ChatBinding:
    """What a chat becomes when a code is redeemed in it: a private chat, a unit's group
    (``unit_id``) or a leadership group."""

    chat_id: str
    kind: str  # bot.core.types.ChatKind value: "private" or "group"
    purpose: str  # storage.models.ChatPurpose value
    unit_id: int | None = None
    title: str | None = None


@dataclass(frozen=True)
class Redemption:
    """Someone typed ``/dangky CODE`` in a chat: who, where, when."""

    code: str
    platform: str
    user_id: str
    display_name: str
    chat: ChatBinding
    now: datetime


class RedeemStatus(StrEnum):
    REGISTERED = "registered"  # the code was used: a new member, and the chat bound
    ALREADY = "already"  # the person already had this role (and unit); nothing consumed
    UNKNOWN = "unknown"  # no such code
    USED = "used"  # the code was used by someone else
    EXPIRED = "expired"
    REVOKED = "revoked"  # an operator or coordinator withdrew the code
    CHAT_TAKEN = "chat_taken"  # the group already belongs to another unit or purpose


@dataclass(frozen=True)
class RedeemResult:
    status: RedeemStatus
    invite: Invite | None = None
    member: Member | None = None
    chat: Chat | None = None  # for CHAT_TAKEN: the chat as it is bound now
    chat_unit: Unit | None = None  # for CHAT_TAKEN: the unit it belongs to, if any


@dataclass(frozen=True)
class ReportDraft:
    """A report the core has checked and wants stored; the message ids make it unique."""

    occurrence_id: int
    unit_id: int
    member_id: int | None
    status: str
    percent: int | None
    note: str | None
    evidence: list[dict[str, Any]]
    late: bool
    created_at: datetime
    platform: str
    source_chat_id: str
    source_message_id: str


@dataclass(frozen=True)
class ReportView:
    """A stored report with what it is about, enough to repeat its confirmation."""

    report_id: int
    plan_code: str
    task_code: str
    task_title: str
    period: str
    due_at: datetime | None
    unit_name: str
    status: str
    percent: int | None
    note: str | None
    evidence_count: int
    late: bool
    created_at: datetime


@dataclass
class FlowState:
    """A guided flow under way for one person in one chat: its step and its data (JSON).

    A chat's last reminder keeps its numbered answers as a flow of ``REMINDER_OFFER``
    (user ``OFFER_USER``): on Zalo and the console the officer answers by the number."""

    step: str
    data: dict[str, Any] = field(default_factory=dict)
    updated_at: datetime | None = None


OFFER_USER = "*reminder"  # not a platform user id: the chat's reminder answers
REMINDER_OFFER = "reminder.offer"


@dataclass(frozen=True)
class ReloadChanges:
    """What a reload did beyond updating in place, each as a line for the operator."""

    renamed: tuple[str, ...] = ()
    retired: tuple[str, ...] = ()


@dataclass(frozen=True)
class LoadResult:
    """What loading did: ``created`` a new plan, ``updated`` one, or neither (unchanged)."""

    plan_id: int
    code: str
    created: bool
    updated: bool
    tasks: int
    occurrences: int
    units: int
    changes: ReloadChanges | None = None  # renamed and retired on this reload


@dataclass(frozen=True)
class TaskDetail:
    """A task with the columns of its document beside the time: its parent's code (a
    sub-task), and the local days its event was recorded on (a task set off by one)."""

    task: Task
    parent_code: str | None = None
    happened: tuple[date, ...] = ()


@dataclass(frozen=True)
class EventRequest:
    """A coordinator or operator records that ``task_code``'s event happened on ``day``
    (local), with a hand-set deadline ``due`` when the document counts none."""

    plan_id: int
    task_code: str
    day: date
    now: datetime
    actor: str
    platform: str
    due: date | None = None


@dataclass(frozen=True)
class EventOutcome:
    """The task and its new occurrence, or why the event was not recorded (``refusal``,
    in the reader's language; nothing was written)."""

    task: Task | None = None
    occurrence: Occurrence | None = None
    refusal: str | None = None


@dataclass(frozen=True)
class ExtensionAsk:
    """What an officer asks: a new due instant for their unit's occurrence, and why."""

    occurrence_id: int
    unit_id: int
    wanted_due_at: datetime
    reason: str
    platform: str
    chat_id: str
    user_id: str
    display_name: str
    created_at: datetime


@dataclass(frozen=True)
class ExtensionView:
    """An extension request as the chat shows it."""

    id: int
    plan_id: int
    plan_code: str
    task_code: str
    task_title: str
    period: str
    unit_name: str
    due_at: datetime | None  # the deadline being moved (the unit's own, if moved before)
    wanted_due_at: datetime
    reason: str
    status: str
    platform: str
    chat_id: str  # where the officer asked: the decision is told there
    display_name: str
    answer: str | None
