"""The chat core's only door to the database: the ``Store`` protocol.

``storage.store.SqlStore`` implements it on SQLite and PostgreSQL. What an implementation
must do:

- every method is one transaction, committed before it returns, and safe to call from
  several threads and several processes at once;
- what it returns is plain, detached data (``storage.records``, ``storage.progress`` and
  loaded ``storage.models`` rows): the core never lazy-loads anything through it;
- uniqueness is the database's job: ``record_report`` stores a report once per source
  message (platform, chat, message id) and returns the first report for a repeat;
  ``redeem`` uses a code at most once, whatever races it;
- instants come in aware and go out aware (UTC); the store never reads a clock.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Protocol

from scheduler.planfile import PlanSpec
from storage.history import EvidenceRecord
from storage.models import Admission, Chat, InviteCode, Member, Plan, Role, Unit
from storage.progress import Entry, PlanProgress, UnitRef
from storage.records import (
    EventOutcome,
    EventRequest,
    ExtensionAsk,
    ExtensionView,
    FlowState,
    Invite,
    LoadResult,
    Membership,
    RedeemResult,
    Redemption,
    ReportDraft,
    ReportView,
    TaskDetail,
)
from storage.summary import PlanSummary


class Store(Protocol):
    # Chats and people.
    def chat(self, platform: str, chat_id: str) -> Chat | None:
        """The chat as registered, or None for a chat the bot does not know."""

    def unit(self, unit_id: int) -> Unit | None: ...

    def memberships(self, platform: str, user_id: str) -> list[Membership]:
        """The person's active roles: member of a unit, leader, coordinator."""

    def set_language(
        self, platform: str, chat_id: str, kind: str, language: str, now: datetime
    ) -> bool:
        """Keep the chat's language; False for a group that is not registered."""

    def deactivate_chat(self, platform: str, chat_id: str) -> bool: ...

    def reactivate_chat(self, platform: str, chat_id: str) -> bool:
        """An inactive chat is active again (the bot is back); False if nothing changed."""

    def move_chat(self, platform: str, old_chat_id: str, new_chat_id: str) -> bool: ...

    # A unit's officers and groups, and admitting a colleague (``bot.core.admin``).
    def unit_officers(self, unit_id: int) -> list[Member]:
        """The unit's active officers, in the order they joined."""

    def unit_chats(self, unit_id: int) -> list[Chat]:
        """The unit's active group chats."""

    def remove_officer(self, member_id: int) -> Member | None:
        """Unregister an active officer (reports stay); None if there is none of that id."""

    def ask_admission(
        self,
        platform: str,
        user_id: str,
        display_name: str,
        unit_id: int,
        chat_id: str,
        now: datetime,
    ) -> Admission | None:
        """Note that this person asks to join the unit; None if they had asked already."""

    def pending_admissions(self, unit_id: int) -> list[Admission]: ...

    def admit(self, admission_id: int, by_member_id: int | None, now: datetime) -> Member | None:
        """Make the person of a pending admission an officer; None if it is not pending."""

    # Invite codes.
    def invite(self, code: str) -> Invite | None:
        """The code (matched without regard to case, spaces or dashes), used or not."""

    def create_invite(
        self,
        role: Role,
        now: datetime,
        expires_at: datetime,
        unit_id: int | None = None,
        plan_id: int | None = None,
        uses: int = 1,
    ) -> InviteCode:
        """A new code, good for ``uses`` people."""

    def open_invites(self, now: datetime) -> list[Invite]:
        """Codes that may still be used: not revoked, not used up, not expired."""

    def revoke_invite(self, code: str, now: datetime) -> Invite | None:
        """Withdraw the code; None if there is no such code."""

    def failed_codes(self, platform: str, user_id: str, since: datetime) -> list[datetime]:
        """When this person typed a wrong code since ``since``, oldest first."""

    def record_failed_code(self, platform: str, user_id: str, at: datetime) -> None: ...

    def redeem(self, request: Redemption) -> RedeemResult:
        """Use the code: add the member and bind the chat, or say why not (writing nothing)."""

    # Plans and progress.
    def plans(self) -> list[Plan]: ...

    def units_by_code(self, code: str) -> list[tuple[Unit, Plan]]: ...

    def group_members(self, group_id: int) -> list[Unit]:
        """The member units of a group (empty: the group counts as one unit)."""

    def progress(self, plan_id: int, now: datetime) -> PlanProgress:
        """The whole plan's entries and lists: for files and tools, never for one message."""

    def entries(
        self, plan_id: int, unit_ids: list[int] | None, now: datetime, task_code: str | None = None
    ) -> list[Entry]:
        """The entries of ``unit_ids`` (None: every unit) in the plan, of task ``task_code``
        (any case) if given, in document order: a few indexed reads, whatever the plan's size."""

    def task_owners(self, plan_id: int, task_code: str) -> list[UnitRef] | None:
        """The units owing task ``task_code``, lead ones first; None: no such task."""

    def summary(self, plan_id: int, now: datetime, limit: int = 20) -> PlanSummary:
        """The plan's figures from aggregate queries, each list cut at ``limit`` items."""

    def task_details(
        self, plan_id: int, task_ids: Collection[int] | None = None, *, waiting: bool = False
    ) -> list[TaskDetail]:
        """The plan's active tasks (those of ``task_ids``; only those waiting for an event
        when ``waiting``) in document order, with their parent's code and event days."""

    def record_event(self, request: EventRequest) -> EventOutcome:
        """Record that a task's event happened, giving it its deadline; or say why not,
        writing nothing."""

    # Reports.
    def report_from_message(
        self, platform: str, chat_id: str, message_id: str
    ) -> ReportView | None: ...

    def record_report(self, draft: ReportDraft) -> tuple[ReportView, bool]:
        """The stored report, and whether it is new (False: the message was seen before)."""

    def task_evidence(self, plan_id: int, task_code: str) -> list[EvidenceRecord]:
        """The files kept in the file store for the plan's task, oldest first."""

    # Guided flows (one per person per chat).
    def load_plan(self, spec: PlanSpec, now: datetime, actor: str) -> LoadResult:
        """Load a plan checked by ``scheduler.planfile`` (an operator confirmed it)."""

    def load_flow(self, platform: str, chat_id: str, user_id: str) -> FlowState | None: ...

    def save_flow(
        self, platform: str, chat_id: str, user_id: str, state: FlowState, now: datetime
    ) -> None: ...

    def drop_flow(self, platform: str, chat_id: str, user_id: str) -> bool: ...

    def drop_idle_flows(self, before: datetime) -> int: ...

    # Extensions (*gia hạn*): see ``storage.extensions``.
    def ask_extension(self, ask: ExtensionAsk) -> ExtensionView:
        """Record a pending request to move a unit's deadline of one occurrence."""

    def extension(self, extension_id: int) -> ExtensionView | None: ...

    def decide_extension(
        self, extension_id: int, accepted: bool, by: str, now: datetime, answer: str | None
    ) -> ExtensionView | None:
        """Accept (the unit's deadline moves) or refuse a pending request; None when it is
        unknown or already decided."""

    def plan_coordinators(self, plan_id: int, platform: str) -> list[str]:
        """The user ids of the coordinators following the plan on ``platform``."""

    # The audit log.
    def audit(
        self,
        at: datetime,
        platform: str,
        actor: str,
        chat: str | None,
        action: str,
        detail: str | None = None,
    ) -> None: ...
